"""A year of demo organizational life (activities with attendance, red packages), run after `load_demo` built the county."""

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from activities.models import (
    NOT_ORGANIZATIONAL_LIFE,
    Activity,
    ActivityPhoto,
    ActivityType,
    Attendance,
    AttendanceStatus,
    PackageChannel,
    RedPackage,
)
from lanshan_party.models import User
from lanshan_party.registry import DemoContext, register_demo
from members.models import Member, OutflowStatus, Standing
from organizations.models import Organization, OrgKind

T = ActivityType
ROSTER_CAP = 120  # a branch meeting has at most this many members listed; bigger demo branches are sampled

THEME_TOPICS = (
    "学习贯彻党的二十届四中全会精神",
    "重温入党誓词，争做合格党员",
    "党纪学习教育：学习《中国共产党纪律处分条例》",
    "清明祭英烈，传承红色基因",
    "庆祝建党105周年主题党日",
    "观看专题片《榜样9》",
    "学习《习近平新时代中国特色社会主义思想学习纲要》",
    "国庆主题党日：爱国主义教育",
    "学习湖南省“三高四新”美好蓝图",
    "重阳节敬老志愿服务",
    "学习贯彻中央八项规定精神",
    "流动党员“双报到”经验交流",
)
LECTURE_TOPICS = (
    "书记讲党课：流动党员如何发挥先锋模范作用",
    "党课：坚定理想信念，永葆政治本色",
    "党课：学习新修订的党章",
    "党课：湘南起义与蓝山革命斗争史",
)
SCHOOL_TOPICS = (
    "流动学堂：劳动合同与工资权益保护",
    "周末讲堂：皮具产业电商直播技能",
    "网上课堂：安全生产法律知识",
    "流动学堂：社保异地办理与医保备案",
    "周末讲堂：乡村振兴政策解读",
)
VOLUNTEER_TOPICS = ("社区环境整治志愿服务", "关爱留守儿童志愿服务", "义务献血志愿服务", "防汛抗旱志愿服务")
PARTS_BY_MONTH = (["lesson", "film"], ["lesson", "practice"], ["lesson", "film", "practice"])


@dataclass
class Holder:
    org: Organization
    flowing: bool
    roster: list[int]
    offset: int = 0


def _month_days(today: datetime.date, months: int = 12) -> list[datetime.date]:
    """The first day of each of the last `months` months, oldest first, this month included."""
    year, month, firsts = today.year, today.month, []
    for _i in range(months):
        firsts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return firsts[::-1]


def _schedule(holder: Holder, month: datetime.date, rng: random.Random) -> list[tuple[str, str, list[str]]]:
    """(type, topic, theme parts) of the activities the holder held that month."""
    plan: list[tuple[str, str, list[str]]] = [
        (T.THEME_DAY, THEME_TOPICS[(month.month + holder.org.pk) % len(THEME_TOPICS)], PARTS_BY_MONTH[month.month % 3])
    ]
    if month.month % 3 == 0:
        plan.append((T.PARTY_LECTURE, rng.choice(LECTURE_TOPICS), []))
        plan.append((T.MEMBERS_MEETING, "支部党员大会：季度工作总结与党费收缴", []))
    if month.month % 2 == 1:
        plan.append((T.COMMITTEE_MEETING, "支委会：研究本月工作", []))
    if month.month == 1:
        plan.append((T.LIFE_MEETING, "年度组织生活会", []))
        plan.append((T.DEMOCRATIC_REVIEW, "民主评议党员", []))
    if holder.flowing:
        if month.month % 3 == 2:
            plan.append((T.GROUP_MEETING, "党小组会：交流学习体会和务工情况", []))
        if month.month in (4, 7, 10):
            school = rng.choice(SCHOOL_TOPICS)
            kind = (
                T.WEEKEND_LECTURE
                if school.startswith("周末")
                else T.ONLINE_CLASS
                if "网上" in school
                else T.FLOWING_SCHOOL
            )
            plan.append((kind, school, []))
        if month.month in (3, 9):
            plan.append((T.VOLUNTEER, rng.choice(VOLUNTEER_TOPICS), []))
    else:
        if month.month in (2, 12):
            plan.append((T.CONDOLENCE, "走访慰问困难党员和老党员", []))
        if month.month == 11:
            plan.append((T.STUDY_DELIVERY, "送学上门：为年老体弱党员送学", []))
    return plan


def _place(holder: Holder, kind: str) -> tuple[str, str]:
    if kind == T.ONLINE_CLASS:
        return "", "https://meeting.lanshan.gov.cn/room/" + str(holder.org.pk)
    if holder.flowing:
        return f"{holder.org.district or holder.org.city}流动党员驿站", ""
    return f"{holder.org.short_name or holder.org.name}党员活动室", ""


def load(rng: random.Random, *, today: datetime.date) -> dict[str, int]:
    """Create a year of activities for every home branch and flowing organization, with attendance that leaves
    some members drifting out of organizational life (so the six-month-rule warnings have work to show)."""
    recorder = User.objects.filter(username="county").first()
    members = list(
        Member.objects.filter(standing=Standing.NORMAL).values_list(
            "pk", "home_branch_id", "flowing_org_id", "current_outflow__status"
        )
    )
    home_rosters: dict[int, list[int]] = defaultdict(list)
    flowing_rosters: dict[int, list[int]] = defaultdict(list)
    status_of: dict[int, str | None] = {}
    for pk, home, flowing, status in members:
        status_of[pk] = status
        if flowing:
            flowing_rosters[flowing].append(pk)
        else:
            home_rosters[home].append(pk)
    # How keen each member is; about one in eight drifts away and stops at some month of the year.
    keen = {pk: rng.choice((0.95, 0.9, 0.85, 0.75, 0.6)) for pk, *_rest in members}
    months = _month_days(today)
    stops = {pk: rng.choice(months[3:]) for pk, *_rest in members if rng.random() < 0.12}

    holders = [
        Holder(
            org, org.kind == OrgKind.FLOWING, (flowing_rosters if org.kind == OrgKind.FLOWING else home_rosters)[org.pk]
        )
        for org in Organization.objects.active()
        .filter(kind__in=(OrgKind.VILLAGE, OrgKind.COMMUNITY, OrgKind.FLOWING))
        .order_by("pk")
    ]
    activities: list[Activity] = []
    rows: list[tuple[int, int, str]] = []  # (activity index, member, status)
    for holder in holders:
        for month in months:
            for kind, topic, parts in _schedule(holder, month, rng):
                last_day = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(
                    days=1
                )
                day = min(month + datetime.timedelta(days=rng.randrange(0, 27)), last_day, today)
                place, link = _place(holder, kind)
                activities.append(
                    Activity(
                        organization=holder.org,
                        type=kind,
                        theme_parts=parts,
                        date=day,
                        place=place,
                        online_link=link,
                        topic=topic,
                        hours=rng.choice((1, 1.5, 2, 2, 3)),
                        summary=f"{holder.org.short_name or holder.org.name}组织开展{topic}。",
                        created_by=recorder,
                    )
                )
                index = len(activities) - 1
                roster = holder.roster
                if kind in (T.COMMITTEE_MEETING, T.STUDY_DELIVERY, T.CONDOLENCE):
                    roster = roster[:5] if kind == T.COMMITTEE_MEETING else roster[-3:]
                elif len(roster) > ROSTER_CAP:
                    # A big general branch meets in groups: each activity takes the next slice of its members,
                    # so over the year everyone is asked.
                    start = holder.offset % len(roster)
                    roster = (roster[start:] + roster[:start])[:ROSTER_CAP]
                    holder.offset += ROSTER_CAP
                for pk in roster:
                    rows.append((index, pk, _attendance(pk, day, holder, keen, stops, status_of, rng)))

    # The county's homecoming training at Spring Festival, attended by members home for the holiday, and a
    # day at a red education base in summer.
    county = Organization.objects.filter(kind=OrgKind.COUNTY).first()
    away = [pk for pk, *_rest, status in members if status in (OutflowStatus.REGISTERED, OutflowStatus.REPORTED)]
    county_days = (
        (2, 10, T.HOMECOMING_TRAINING, "蓝山县委党校", "春节返乡流动党员集中培训", 6, 300),
        (6, 20, T.RED_BASE_TRAINING, "湘南起义纪念馆", "红色教育基地现场教学：重走湘南起义路", 8, 40),
    )
    for month_number, day_number, kind, place, topic, hours, size in county_days if county and away else ():
        first = next((m for m in months if m.month == month_number), months[0])
        activities.append(
            Activity(
                organization=county,
                type=kind,
                date=min(first + datetime.timedelta(days=day_number), today),
                place=place,
                topic=topic,
                hours=hours,
                summary=f"{topic}，县委组织部组织流动党员参加。",
                created_by=recorder,
            )
        )
        index = len(activities) - 1
        for pk in rng.sample(away, min(len(away), size)):
            rows.append((index, pk, AttendanceStatus.PRESENT if rng.random() < 0.9 else AttendanceStatus.EXCUSED))

    with transaction.atomic():
        Activity.objects.bulk_create(activities, batch_size=1000)
        Attendance.objects.bulk_create(
            (Attendance(activity=activities[i], member_id=pk, status=status) for i, pk, status in rows),
            batch_size=5000,
        )
        last: dict[int, datetime.date] = {}
        for i, pk, status in rows:
            activity = activities[i]
            if (
                status in (AttendanceStatus.PRESENT, AttendanceStatus.ONLINE)
                and activity.type not in NOT_ORGANIZATIONAL_LIFE
            ):
                if pk not in last or activity.date > last[pk]:
                    last[pk] = activity.date
        Member.objects.bulk_update(
            [Member(pk=pk, last_life_on=day) for pk, day in last.items()], ["last_life_on"], batch_size=2000
        )
        packages = _red_packages(rng, today, members, status_of)
    return {"activities": len(activities), "attendance": len(rows), "red_packages": packages}


def clear(context: DemoContext) -> None:
    Attendance.objects.all().delete()
    ActivityPhoto.objects.all().delete()
    Activity.objects.all().delete()
    RedPackage.objects.all().delete()


@register_demo("activities", after=("members",), clear=clear)
def load_activities(context: DemoContext) -> dict[str, int]:
    today = context.today
    # The demo ledger counts as entered two years ago, when the platform went live: the six-month rule
    # counts a member never seen at organizational life from that day, not from today.
    went_live = datetime.datetime(today.year - 2, 3, 1, 9, tzinfo=timezone.get_current_timezone())
    Member.objects.filter(created_at__gt=went_live).update(created_at=went_live)
    life = load(context.rng, today=today)
    context.stdout.write(
        f"  activities: {life['activities']} with {life['attendance']} attendance records, "
        f"red packages {life['red_packages']}"
    )
    return life


def _attendance(
    pk: int,
    day: datetime.date,
    holder: Holder,
    keen: dict[int, float],
    stops: dict[int, datetime.date],
    status_of: dict[int, str | None],
    rng: random.Random,
) -> str:
    if status_of[pk] == OutflowStatus.LOST or (pk in stops and day >= stops[pk]):
        return AttendanceStatus.ABSENT
    roll = rng.random()
    if roll < keen[pk]:
        # Away members join their home branch online; a flowing organization's members mostly come in person.
        away_from_holder = status_of[pk] is not None and not holder.flowing
        return AttendanceStatus.ONLINE if away_from_holder or rng.random() < 0.15 else AttendanceStatus.PRESENT
    return AttendanceStatus.EXCUSED if roll < keen[pk] + 0.05 else AttendanceStatus.ABSENT


def _red_packages(
    rng: random.Random, today: datetime.date, members: list[tuple], status_of: dict[int, str | None]
) -> int:
    """Study materials mailed to members away (送学上门), most of them signed for."""
    away = [
        (pk, home, flowing)
        for pk, home, flowing, status in members
        if status in (OutflowStatus.REGISTERED, OutflowStatus.REPORTED)
    ]
    contents = (
        "《中国共产党章程》、《习近平新时代中国特色社会主义思想学习纲要》",
        "党的二十届四中全会精神学习读本、党员学习笔记本",
        "《中国共产党纪律处分条例》学习问答、党徽",
        "《党员应知应会手册》、流动党员活动证塑封套",
    )
    packages = []
    for pk, home, flowing in rng.sample(away, min(len(away), 150)):
        sent = today - datetime.timedelta(days=rng.randrange(5, 330))
        channel = rng.choice(
            (PackageChannel.POST, PackageChannel.POST, PackageChannel.STATION, PackageChannel.IN_PERSON)
        )
        signed = sent + datetime.timedelta(days=rng.randrange(2, 9)) if rng.random() < 0.85 else None
        packages.append(
            RedPackage(
                organization_id=flowing if channel == PackageChannel.STATION and flowing else home,
                member_id=pk,
                items=rng.choice(contents),
                sent_on=sent,
                channel=channel,
                tracking_number=f"SF{rng.randrange(10**11, 10**12)}" if channel == PackageChannel.POST else "",
                signed_on=signed if signed and signed <= today else None,
            )
        )
    RedPackage.objects.bulk_create(packages, batch_size=1000)
    return len(packages)
