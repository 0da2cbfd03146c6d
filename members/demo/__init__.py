"""The members' demo data: the county's members with their outflows and tags, then the census campaigns."""

import time

from django.db import reset_queries, transaction

from lanshan_party.models import User
from lanshan_party.registry import DemoContext, register_demo
from members.demo import census, partners
from members.demo.outflows import TAG_NAMES, DemoBuilder, Stats
from members.models import (
    Category,
    CensusCampaign,
    CensusTask,
    Member,
    Outflow,
    OutflowEvent,
    OutflowStatus,
    Standing,
    Tag,
)
from organizations.models import Organization


def clear_members(context: DemoContext) -> None:
    OutflowEvent.objects.all().delete()
    Member.objects.update(current_outflow=None, flowing_org=None)
    Organization.objects.update(secretary=None)
    Outflow.objects.all().delete()
    Member.tags.through.objects.all().delete()
    Member.objects.all().delete()


@register_demo("members", after=("organizations", "accounts"), clear=clear_members, existing=Member.objects.count)
def load_members(context: DemoContext) -> dict[str, int]:
    """`context.members` members with their outflows, timelines and tags, in transactions of `batch_size`; then
    each flowing organization's secretary is one of its own members."""
    started = time.monotonic()
    total = context.members
    with transaction.atomic():
        tags = {name: Tag.objects.get_or_create(name=name)[0].pk for name in TAG_NAMES}
    # Imported history is shown as recorded by the county organization department's demo account.
    recorder_id = User.objects.filter(username="county").values_list("pk", flat=True).first()
    builder = DemoBuilder(
        context.people, context.shared["branches"], context.shared["destination_orgs"], tags, recorder_id
    )
    stats = Stats()
    while stats.members < total:
        builder.save_batch(min(context.batch_size, total - stats.members), stats)
        reset_queries()  # with DEBUG on, Django keeps every (huge) INSERT statement it ran
        context.stdout.write(f"members {stats.members}/{total}  ({time.monotonic() - started:.1f}s)")
    appoint_flowing_secretaries()
    seconds = time.monotonic() - started
    write = context.stdout.write
    write(f"  members: {stats.members} (tag assignments {stats.tags})")
    write(
        f"  outflows: {sum(stats.outflows.values())} ("
        + ", ".join(f"{status} {stats.outflows[status]}" for status in OutflowStatus.values)
        + f"), events {stats.events}"
    )
    if stats.members:
        write(f"  rate: {stats.members / seconds:.0f} members/s")
    return {"members": stats.members, "outflows": sum(stats.outflows.values()), "events": stats.events}


def appoint_flowing_secretaries() -> None:
    """Make each flowing organization's secretary one of its own long-standing reported members."""
    for org in Organization.objects.flowing():
        member = (
            Member.objects.filter(
                flowing_org=org,
                current_outflow__status=OutflowStatus.REPORTED,
                standing=Standing.NORMAL,
                category=Category.FULL,
            )
            .exclude(phone_hash="")
            .order_by("current_outflow__departure_date", "pk")
            .first()
        )
        if member is not None:
            org.secretary, org.secretary_name, org.contact_phone = member, member.name, member.phone
            org.save(update_fields=["secretary", "secretary_name", "contact_phone"])


def clear_census(context: DemoContext) -> None:
    CensusTask.objects.all().delete()
    CensusCampaign.objects.all().delete()


# After services: the demos built on the members draw from one random source in this order.
@register_demo("census", after=("members", "services"), clear=clear_census)
def load_census(context: DemoContext) -> dict[str, int]:
    campaigns = census.load(context.rng, today=context.today)
    context.stdout.write(f"  census campaigns: {campaigns['campaigns']} with {campaigns['tasks']} tasks")
    return campaigns


# Last, on a random source of its own, once the agreements name their partner organizations.
@register_demo("partners", after=("census", "agreements"), clear=partners.clear_partners)
def load_partners(context: DemoContext) -> dict[str, int]:
    counts = partners.load(context.today)
    context.stdout.write("  destination partners: " + ", ".join(f"{key} {n}" for key, n in counts.items()))
    if counts["partner accounts"]:
        context.stdout.write(f"  partner accounts partner-1 … partner-{counts['partner accounts']}, password as above")
    return counts
