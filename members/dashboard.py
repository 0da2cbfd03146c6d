"""The members' figures on the home page and the dashboard: where members are away, and the six-month rule."""

import datetime
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _

from lanshan_party.dashboard import top
from lanshan_party.models import User
from lanshan_party.registry import register_figures
from lanshan_party.rights import Right, has_right
from members.models import LIFE_LEVEL_LABELS, CampaignStatus, CensusTask, Member, OutflowEvent, OutflowStatus
from organizations.models import Organization


@register_figures("home")
def home_figures(user: User, year: int, today: datetime.date) -> dict[str, Any]:
    members = Member.objects.visible_to(user)
    counts = members.summary()
    if has_right(user, Right.RECORD_AT_DESTINATION):
        # A destination partner's home: the report-ins waiting for it (报到待确认), the longest overdue first.
        waiting = members.filter(current_outflow__status=OutflowStatus.REGISTERED)
        return {
            "counts": counts,
            "report_ins_waiting": counts["away"] - counts["reported"] - counts["lost"],
            "report_ins": waiting.select_related("current_outflow").order_by("current_outflow__report_due_on", "id")[
                :10
            ],
        }
    return {
        "counts": counts,
        "life_warnings": [
            (months, LIFE_LEVEL_LABELS[months], n) for months, n in members.life_warning_counts().items()
        ],
        "census_due": CensusTask.objects.visible_to(user)
        .filter(campaign__status=CampaignStatus.OPEN, answered_at__isnull=True)
        .count(),
        "recent_events": OutflowEvent.objects.filter(outflow__member__in=members)
        .select_related("outflow__member", "by")
        .order_by("-at", "-id")[:10],
    }


@register_figures("dashboard")
def dashboard_figures(user: User, year: int, today: datetime.date) -> dict[str, Any]:
    members = Member.objects.visible_to(user)
    away = members.filter(current_outflow__isnull=False)

    summary = members.summary()
    cities = list(
        away.order_by().values_list("current_outflow__province", "current_outflow__city").annotate(n=Count("id"))
    )
    per_org = dict(away.order_by().values_list("flowing_org").annotate(n=Count("id")))
    org_names = {
        pk: short or name
        for pk, short, name in Organization.objects.filter(pk__in=[pk for pk in per_org if pk]).values_list(
            "pk", "short_name", "name"
        )
    }
    # Provinces are the sums of their cities, and the outflow statuses follow from the summary: an open
    # outflow is registered, reported or lost, and a member without one is at home.
    provinces: dict[str, int] = {}
    for province, _city, n in cities:
        provinces[province] = provinces.get(province, 0) + n
    statuses = {
        None: summary["total"] - summary["away"],
        OutflowStatus.REGISTERED: summary["away"] - summary["reported"] - summary["lost"],
        OutflowStatus.REPORTED: summary["reported"],
        OutflowStatus.LOST: summary["lost"],
    }
    warnings = members.life_warning_counts(today)
    return {
        "summary": summary,
        "charts": {
            "provinces": top(list(provinces.items())),
            "cities": top([(f"{province}{city}", n) for (province, city, n) in cities]),
            "organizations": top(
                [(org_names.get(pk, ""), n) if pk else (_("No flowing organization"), n) for pk, n in per_org.items()]
            ),
            "statuses": [
                (str(OutflowStatus(status).label) if status else _("At home"), statuses[status])
                for status in (None, OutflowStatus.REGISTERED, OutflowStatus.REPORTED, OutflowStatus.LOST)
                if statuses.get(status)
            ],
            "warnings": [(str(label), warnings[level]) for level, label in LIFE_LEVEL_LABELS.items()],
        },
    }
