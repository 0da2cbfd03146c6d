"""Demo census campaigns: last Spring Festival's, finished, and one open now, run after `load_demo` built the county."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from lanshan_party.models import Role, User
from members import census
from members.models import (
    CampaignStatus,
    CensusCampaign,
    CensusStatus,
    CensusTask,
    ContactChannel,
    Holiday,
    OutflowStatus,
)
from organizations.models import Organization, OrgKind

CHANNELS = (
    ContactChannel.PHONE,
    ContactChannel.PHONE,
    ContactChannel.WECHAT,
    ContactChannel.HOMECOMING,
    ContactChannel.VISIT,
)


def _answer(
    tasks: list[CensusTask], rng: random.Random, start: datetime.date, end: datetime.date, share: float, by: User
) -> None:
    """Answer about `share` of the tasks as a secretary would have: lost members as lost, the rest reached."""
    tz = timezone.get_current_timezone()
    span = max((end - start).days, 1)
    for task in tasks:
        if rng.random() > share:
            continue
        status = task.member.current_outflow.status if task.member.current_outflow_id else None
        day = start + datetime.timedelta(days=rng.randrange(span))
        task.answered_at = datetime.datetime.combine(day, datetime.time(rng.randrange(8, 21), rng.randrange(60)), tz)
        task.answered_by = by
        if status == OutflowStatus.LOST:
            task.contacted, task.channel, task.result = False, "", CensusStatus.LOST
            task.note = "多方联系未果，已通过老乡和家属继续查找"
        else:
            task.contacted, task.channel, task.result = True, rng.choice(CHANNELS), CensusStatus.NORMAL
            task.note = rng.choice(("情况正常", "已核实务工单位", "电话联系，本人在外务工", "春节返乡见面核实"))
    CensusTask.objects.bulk_update(
        [t for t in tasks if t.answered_at],
        ["answered_at", "answered_by", "contacted", "channel", "result", "note"],
        batch_size=2000,
    )


def load(rng: random.Random, *, today: datetime.date) -> dict[str, int]:
    """Last Spring Festival's county-wide census, closed and nearly all answered, and an open 三找 campaign over
    some townships and the Huadu organization whose deadline is three days away."""
    county = Organization.objects.filter(kind=OrgKind.COUNTY).first()
    recorder = User.objects.filter(role=Role.COUNTY).order_by("pk").first()
    if county is None or recorder is None or CensusCampaign.objects.exists():
        return {"campaigns": 0, "tasks": 0}
    year = today.year if census.holiday_date(Holiday.SPRING_FESTIVAL, today.year) < today else today.year - 1
    start, end = census.proposed_window(Holiday.SPRING_FESTIVAL, year)
    with transaction.atomic():
        finished = CensusCampaign.objects.create(
            name=census.proposed_name(Holiday.SPRING_FESTIVAL, year),
            holiday=Holiday.SPRING_FESTIVAL,
            year=year,
            starts_on=start,
            ends_on=end,
            note="利用春节返乡时机，逐一核实流动党员去向、联系方式和组织关系。",
            created_by=recorder,
        )
        finished.organizations.add(county)
        census.open_campaign(finished, by=recorder)
        tasks = list(CensusTask.objects.filter(campaign=finished).select_related("member__current_outflow"))
        _answer(tasks, rng, start, end, 0.97, recorder)
        CensusCampaign.objects.filter(pk=finished.pk).update(
            status=CampaignStatus.CLOSED,
            opened_at=datetime.datetime.combine(start, datetime.time(9), timezone.get_current_timezone()),
            closed_at=datetime.datetime.combine(end, datetime.time(18), timezone.get_current_timezone()),
        )

        scope = list(Organization.objects.filter(kind=OrgKind.TOWNSHIP).order_by("pk")[:3])
        scope += list(Organization.objects.flowing().filter(district="花都区")[:1])
        current = CensusCampaign.objects.create(
            name=f"{today.year}年冬季“三找”行动",
            holiday=Holiday.OTHER,
            starts_on=today - datetime.timedelta(days=12),
            ends_on=today + datetime.timedelta(days=census.DEADLINE_NOTICE_DAYS),
            note="组织找党员、党员找组织、党员找党员：年底前核实失联和长期未参加组织生活的党员。",
            created_by=recorder,
        )
        current.organizations.add(*scope)
        census.open_campaign(current, by=recorder)
        tasks = list(CensusTask.objects.filter(campaign=current).select_related("member__current_outflow"))
        _answer(tasks, rng, current.starts_on, today, 0.45, recorder)
    return {"campaigns": 2, "tasks": CensusTask.objects.count()}
