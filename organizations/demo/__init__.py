"""The organizations' demo data: the county's organization tree with its stations and partners, then the
dual-management agreements with the destinations."""

from django.db import transaction
from django.db.models import Count

from lanshan_party.registry import DemoContext, register_demo
from organizations.demo.agreements import load, scan_pdf
from organizations.demo.tree import build_organizations
from organizations.models import Agreement, Organization, OrgKind, Station

__all__ = ["load", "scan_pdf"]


def clear_tree(context: DemoContext) -> None:
    Station.objects.all().delete()
    Organization.objects.update(parent=None, secretary=None)  # lets one DELETE take the whole tree
    Organization.objects.all().delete()


@register_demo("organizations", clear=clear_tree, existing=Organization.objects.count)
def load_tree(context: DemoContext) -> dict[str, int]:
    """The county tree, the flowing organizations with their stations, and the partner directory. Leaves for the
    demos after it the organizations accounts are bound to, the home branches' relative sizes and, per destination,
    the flowing organization its members join."""
    with transaction.atomic():
        orgs, branches, destination_orgs = build_organizations(context.people)
    context.shared.update(organizations=orgs, branches=branches, destination_orgs=destination_orgs)
    kinds = dict(Organization.objects.values_list("kind").annotate(n=Count("pk")).order_by())
    stations = Station.objects.count()
    context.stdout.write("  organizations: " + ", ".join(f"{kind} {kinds.get(kind, 0)}" for kind in OrgKind.values))
    context.stdout.write(f"  stations: {stations}")
    return {"organizations": sum(kinds.values()), "stations": stations}


def clear_agreements(context: DemoContext) -> None:
    Agreement.objects.all().delete()


# After activities: the demos built on the members draw from one random source in this order.
@register_demo("agreements", after=("organizations", "activities"), clear=clear_agreements)
def load_agreements(context: DemoContext) -> dict[str, int]:
    created = load(context.rng, today=context.today)
    context.stdout.write(f"  agreements: {created}")
    return {"agreements": created}
