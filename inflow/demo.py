"""Demo inflow members: about forty Party members of other counties in Lanshan's village and community branches, in
every state, with reports back to their home organizations and attendance at the branches' activities."""

import datetime
import random

from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric

from activities.models import NOT_ORGANIZATIONAL_LIFE, Activity, AttendanceStatus
from inflow import actions
from inflow.models import InflowAttendance, InflowMember, InflowReport, InflowStatus, ReportChannel
from lanshan_party.registry import DemoContext, register_demo
from members.models import FlowReason
from organizations.models import Organization, OrgKind

HOW_MANY = 40
# (province, county seat and its ID area code, a home organization there)
HOMES = (
    ("广东省", "广东省连州市", "441882", "中共连州市保安镇卿罡村支部委员会"),
    ("广西壮族自治区", "广西壮族自治区贺州市八步区", "451102", "中共贺州市八步区贺街镇河东村支部委员会"),
    ("湖南省", "湖南省永州市宁远县", "431126", "中共宁远县舜陵街道九嶷社区支部委员会"),
    ("湖南省", "湖南省郴州市临武县", "431025", "中共临武县舜峰镇城南社区支部委员会"),
    ("江西省", "江西省赣州市信丰县", "360722", "中共信丰县嘉定镇水东村支部委员会"),
    ("贵州省", "贵州省铜仁市思南县", "520624", "中共思南县思唐街道城北社区支部委员会"),
    ("四川省", "四川省广安市岳池县", "511621", "中共岳池县九龙街道莲花村支部委员会"),
)
OCCUPATIONS = ("皮具加工工人", "个体工商户", "教师", "货车司机", "电商从业者", "建筑工人", "医生", "退休职工")
REPORT_TEXTS = (
    "该同志已到我村党支部报到，按时参加主题党日活动，表现良好。",
    "本季度参加组织生活3次，线上学习按时完成，遵纪守法。",
    "该同志在蓝山经营皮具加工，带动当地群众就业，积极参加志愿服务。",
    "该同志因工作繁忙请假一次，其余活动均按时参加。",
)
SURNAMES = "李王张刘陈杨黄赵吴周徐孙马朱胡郭何罗梁宋"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红"


def clear(context: DemoContext) -> None:
    InflowAttendance.objects.all().delete()
    InflowReport.objects.all().delete()
    InflowMember.objects.all().delete()


def _id_number(area: str, birth: datetime.date, male: bool, n: int) -> str:
    sequence = (n * 2 + (1 if male else 0)) % 1000
    body = f"{area}{birth:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")


@register_demo("inflow", after=("members", "activities"), clear=clear, existing=InflowMember.objects.count)
def load_inflow(context: DemoContext) -> dict[str, int]:
    rng, today = context.rng, context.today
    branches = list(
        Organization.objects.filter(kind__in=(OrgKind.VILLAGE, OrgKind.COMMUNITY), is_active=True).order_by("path")
    )
    if not branches:
        return {"inflow members": 0}
    demo_branch = next((org for org in branches if "花果村" in org.name), branches[0])
    # A few branches take most inflow members (the county seat's communities, the leather-goods villages).
    chosen = [demo_branch, *rng.sample(branches, min(5, len(branches)))]
    went_live = datetime.datetime(today.year - 2, 3, 1, 9, tzinfo=timezone.get_current_timezone())
    counts = {"inflow members": 0, "reports": 0, "attendance": 0}
    with transaction.atomic():
        for n in range(HOW_MANY):
            male = rng.random() < 0.6
            province, place, area, home_org = rng.choice(HOMES)
            birth = datetime.date(rng.randint(1958, 2000), rng.randint(1, 12), rng.randint(1, 28))
            arrived = today - datetime.timedelta(days=rng.randint(20, 900))
            branch = chosen[n % len(chosen)]
            phone = context.people.phone()
            inflow = actions.register_inflow(
                InflowMember(
                    name=rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2)))),
                    gender="M" if male else "F",
                    birth_date=birth,
                    id_number=_id_number(area, birth, male, n),
                    phone=phone,
                    occupation=rng.choice(OCCUPATIONS),
                    from_province=province,
                    joined_on=min(birth + datetime.timedelta(days=365 * rng.randint(18, 24)), arrived),
                    home_org_name=home_org,
                    home_place=place,
                    home_contact=rng.choice(SURNAMES) + "书记",
                    contact_phone=context.people.phone(),
                    arrived_on=arrived,
                    reason=rng.choice((FlowReason.WORK, FlowReason.WORK, FlowReason.BUSINESS, FlowReason.FAMILY)),
                    has_certificate=n % 3 != 0,
                    certificate_number=f"LRZ{arrived:%Y}{n:04d}" if n % 3 != 0 else "",
                    branch=branch,
                ),
                by=None,
                note="demo",
            )
            counts["inflow members"] += 1
            if n % 8 == 7:
                continue  # still waiting to report in
            report_day = min(arrived + datetime.timedelta(days=rng.randint(3, 30)), today)
            actions.report_in(inflow, branch=branch, on=report_day, by=None)
            for k in range(rng.randint(0, 3)):
                day = min(report_day + datetime.timedelta(days=90 * (k + 1)), today)
                actions.record_report_back(
                    inflow,
                    on=day,
                    channel=rng.choice(ReportChannel.values),
                    content=REPORT_TEXTS[(n + k) % len(REPORT_TEXTS)],
                    by=None,
                )
                counts["reports"] += 1
            if n % 10 == 9:
                left = min(report_day + datetime.timedelta(days=rng.randint(30, 200)), today)
                actions.end_inflow(inflow, on=left, reason="工作调动，返回原籍", by=None)
        InflowMember.objects.filter(created_at__gt=went_live).update(created_at=went_live)
        counts["attendance"] = _attendance(rng, chosen)
    context.stdout.write(
        f"  inflow: {counts['inflow members']} inflow members, {counts['reports']} reports back, "
        f"{counts['attendance']} attendance records"
    )
    return counts


def _attendance(rng: random.Random, branches: list[Organization]) -> int:
    """Most reported-in inflow members attend their branch's recent activities; some have stopped (warnings)."""
    rows = []
    for branch in branches:
        activities = list(
            Activity.objects.filter(organization=branch).exclude(type__in=NOT_ORGANIZATIONAL_LIFE).order_by("-date")[:8]
        )
        members = InflowMember.objects.filter(branch=branch).exclude(status=InflowStatus.PENDING)
        for inflow in members:
            keen = (inflow.pk % 4) != 0  # one in four has not attended at all: on the warnings page
            for activity in activities:
                if not keen or activity.date < (inflow.reported_on or inflow.arrived_on):
                    continue
                if inflow.left_on and activity.date > inflow.left_on:
                    continue
                status = AttendanceStatus.PRESENT if rng.random() < 0.8 else AttendanceStatus.EXCUSED
                rows.append(InflowAttendance(activity=activity, inflow_member=inflow, status=status))
    InflowAttendance.objects.bulk_create(rows, ignore_conflicts=True)
    actions.refresh_last_life(list(InflowMember.objects.values_list("pk", flat=True)))
    return len(rows)
