"""The member's yearly record on their page: this year's training hours against the target, the study recorded for
them (two queries, whatever the member's history; committee seats show on the committee list)."""

from typing import Any

from django import template
from django.utils import timezone

from lanshan_party.rights import Right, has_right
from yearly.models import StudyRecord
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
        "may_record": member.standing == "normal",
    }
