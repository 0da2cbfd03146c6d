"""The personal-link card on a member's page, and the self-answered counts and send button on a campaign's page."""

from typing import Any

from django import template
from django.db.models import Count, Q

from lanshan_party.rights import Right, has_right
from selfservice.forms import SendLinkForm
from selfservice.models import CensusLinkRun, PersonalLink, Purpose, ReviewStatus

register = template.Library()


@register.inclusion_tag("selfservice/includes/member_card.html", takes_context=True)
def selfservice_card(context: Any, member: Any) -> dict[str, Any]:
    """No query here: the member page is at its query budget, so the card's links load by themselves (htmx)."""
    user = context["request"].user
    if not has_right(user, Right.KEEP_MEMBER_RECORDS):
        return {"hidden": True}
    return {
        "member": member,
        "form": SendLinkForm(),
        "may_send": member.standing == "normal",
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("selfservice/includes/campaign_links.html", takes_context=True)
def census_self_answers(context: Any, campaign: Any) -> dict[str, Any]:
    user = context["request"].user
    counts = PersonalLink.objects.filter(census_task__campaign=campaign).aggregate(
        sent=Count("id"),
        answered=Count("id", filter=Q(used_at__isnull=False)),
        accepted=Count("id", filter=Q(report__status__in=(ReviewStatus.ACCEPTED, ReviewStatus.CORRECTED))),
        waiting=Count("id", filter=Q(report__status=ReviewStatus.PENDING)),
    )
    return {
        "campaign": campaign,
        "counts": counts,
        "running": CensusLinkRun.objects.filter(campaign=campaign, finished_at__isnull=True).exists(),
        "may_send": campaign.is_open and has_right(user, Right.MANAGE_CAMPAIGNS),
        "purpose": Purpose.CENSUS,
        "csrf_token": context.get("csrf_token"),
    }
