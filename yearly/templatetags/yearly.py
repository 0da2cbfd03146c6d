"""The member's yearly record on their page: this year's training hours against the target, the study recorded for
them and their committee seats (a few queries, whatever the member's history)."""

from typing import Any

from django import template
from django.utils import timezone

from lanshan_party.rights import Right, has_right
from yearly.models import CommitteeMember, StudyRecord
from yearly.training import hours_of

register = template.Library()


@register.inclusion_tag("yearly/includes/member_record.html", takes_context=True)
def training_record(context: Any, member: Any) -> dict[str, Any]:
    user = context["request"].user
    if not has_right(user, Right.KEEP_MEMBER_RECORDS):
        return {"hidden": True}
    year = timezone.localdate().year
    figures = hours_of(member, year)
    return {
        "member": member,
        "year": year,
        "figures": figures,
        "reached": figures.hours >= figures.target,
        "study": StudyRecord.objects.filter(member=member, date__year=year).order_by("-date", "-id")[:10],
        "seats": CommitteeMember.objects.filter(member=member).select_related("organization").order_by("-since")[:5],
        "may_record": member.standing == "normal",
    }
