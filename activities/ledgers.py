"""The organizational life ledger: each activity with its attendance counts and names."""

from collections.abc import Callable
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from activities.models import ActivityType, Attendance, AttendanceStatus
from lanshan_party.ledgers.definitions import CHOICE, DATE, NUMBER, SERIAL, Column, Ledger, register


def _attendees(status: str) -> Callable[[Any], str]:
    def names(activity: Any) -> str:
        return "、".join(row.member.name for row in activity.attendances.all() if row.status == status)

    return names


def _attended(activity: Any) -> int:
    return sum(
        1 for row in activity.attendances.all() if row.status in (AttendanceStatus.PRESENT, AttendanceStatus.ONLINE)
    )


ACTIVITIES = register(
    Ledger(
        key="activities",
        title=_("Organizational life ledger"),
        list_url="activities:activity_list",
        view="activities.views.ActivityListView",
        select_related=("organization",),
        defer=("organization__contact_phone",),
        prefetch_related=(
            Prefetch("attendances", Attendance.objects.select_related("member").order_by("member__name", "member_id")),
        ),
        columns=(
            Column("序号", kind=SERIAL, width=6),
            Column("活动日期", "date", DATE, 12),
            Column("组织名称", "organization.name", width=36),
            Column("活动类型", "type", CHOICE, 14, ActivityType),
            Column("活动主题", "topic", width=30),
            Column("活动地点", "place", width=20),
            Column("时长（小时）", "hours", NUMBER, 8),
            Column("应参加人数", lambda activity: len(activity.attendances.all()), NUMBER, 8),
            Column("实参加人数", _attended, NUMBER, 8),
            Column("现场参加", _attendees(AttendanceStatus.PRESENT), width=40),
            Column("线上参加", _attendees(AttendanceStatus.ONLINE), width=24),
            Column("请假", _attendees(AttendanceStatus.EXCUSED), width=20),
            Column("缺席", _attendees(AttendanceStatus.ABSENT), width=20),
            Column("活动概要", "summary", width=40),
        ),
    )
)
