"""Demo records for the services app: a year of service cases, recognitions, representative posts and
hometown projects, made for the organizations, members and accounts `manage.py load_demo` created."""

import datetime
import random
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction

from lanshan_party.models import Role, User
from lanshan_party.registry import DemoContext, register_demo
from members.models import Member, Standing
from organizations.models import Organization, OrgKind
from services.models import (
    CaseKind,
    HometownProject,
    Level,
    Outcome,
    PostKind,
    ProjectKind,
    Recognition,
    RepresentativePost,
    ServiceCase,
    ServiceItem,
)

SURNAMES = "李黄雷彭邓唐廖陈刘胡周赵蒋钟罗谢盘"
GIVEN = "建国军华明强伟平志勇文斌辉林杰涛英秀芳丽红玲梅娟艳萍春生祥贵荣兵云龙"

# The catalog items asked for most: annual pension certification and registering for medical care away.
BUSY_ITEMS = ("社保生存认证", "异地就医备案", "养老保险关系转移", "医保关系转移", "电子社保卡", "居民身份证异地换领")

K = CaseKind
KINDS_AWAY: tuple[tuple[str, float], ...] = (
    (K.CROSS_PROVINCE, 34),
    (K.WAGE_RECOVERY, 12),
    (K.LABOUR_DISPUTE, 8),
    (K.MEDIATION, 14),
    (K.EMPLOYMENT, 16),
    (K.HARDSHIP, 8),
    (K.OTHER, 8),
)
# Huadu's members mostly work in leather-goods workshops, where unpaid wages are the commonest trouble.
KINDS_HUADU: tuple[tuple[str, float], ...] = (
    (K.CROSS_PROVINCE, 26),
    (K.WAGE_RECOVERY, 26),
    (K.LABOUR_DISPUTE, 12),
    (K.MEDIATION, 12),
    (K.EMPLOYMENT, 14),
    (K.HARDSHIP, 5),
    (K.OTHER, 5),
)
KINDS_AT_HOME: tuple[tuple[str, float], ...] = (
    (K.HARDSHIP, 34),
    (K.EMPLOYMENT, 24),
    (K.CROSS_PROVINCE, 18),
    (K.MEDIATION, 16),
    (K.OTHER, 8),
)
OUTCOMES: tuple[tuple[str, float], ...] = (
    (Outcome.RESOLVED, 74),
    (Outcome.IN_PROGRESS, 13),
    (Outcome.REFERRED, 8),
    (Outcome.UNRESOLVED, 5),
)

WORKSHOPS = {
    "花都区": ("皮具厂", "箱包厂", "手袋厂", "皮具配件厂", "五金拉链厂"),
    "": ("电子厂", "五金厂", "模具厂", "服装厂", "家具厂", "物流公司", "建筑工地", "餐饮店"),
}
MEDIATIONS = (
    "两名蓝山籍老乡合伙经营档口发生账目纠纷，经驿站调解，双方重新核对账目并签订分账协议。",
    "老乡与房东因押金退还发生争执，党组织出面协调，房东退还押金。",
    "两户老乡因子女在校冲突引发矛盾，党员志愿者上门调解，双方和解。",
    "老乡驾驶电动车与本地居民发生剐蹭，党组织协调双方协商赔偿，当场和解。",
    "老乡合伙承包工程因工程款分配产生纠纷，经流动党组织组织三方调解达成分配方案。",
)
EMPLOYMENT = (
    "对接{place}用工企业，推荐{n}名蓝山籍务工人员上岗。",
    "驿站发布招工信息并组织现场招聘，{n}名老乡与企业签订劳动合同。",
    "为返乡过年后未找到工作的老乡联系岗位，{n}人顺利入职。",
    "联系职业技能培训机构，{n}名老乡参加电工、缝纫培训后上岗。",
)
EMPLOYMENT_AT_HOME = (
    "对接县工业园区企业，推荐{n}名返乡人员就近就业。",
    "组织返乡党员参加县人社局春风行动招聘会，{n}人达成就业意向并入职。",
    "推荐{n}名脱贫户劳动力到村扶贫车间务工。",
)
HARDSHIP = (
    "老乡在务工中受伤住院，流动党组织组织党员捐款并送去慰问金。",
    "老乡家中突遭火灾，党组织协调临时救助资金并上门慰问。",
    "困难党员患重病，党组织发放慰问金并协助申请大病医疗救助。",
    "春节前走访慰问生活困难的老党员，送去慰问金和慰问品。",
)
OTHERS = (
    "协助老乡办理子女在流入地入学手续，联系学校并准备材料。",
    "为新到的老乡提供临时住宿，并介绍当地租房信息。",
    "协助老乡补办遗失的银行卡和手机卡。",
    "组织党员志愿者为老乡提供法律咨询。",
)
OUTCOME_NOTES = {
    Outcome.RESOLVED: ("已办结，当事人满意。", "已办结，回访无异议。", ""),
    Outcome.IN_PROGRESS: ("正在跟进，等待对方答复。", "已提交材料，等待审核结果。"),
    Outcome.REFERRED: ("已移交当地劳动保障监察大队处理。", "已转交流入地司法所调解。", "已转交县人社局跟进。"),
    Outcome.UNRESOLVED: ("企业负责人失联，已告知当事人通过劳动仲裁维权。", "当事人放弃诉求。"),
}

# (award, level, awarding body — "{township}" is the member's household township — and weight)
AWARDS: tuple[tuple[str, str, str, float], ...] = (
    ("优秀共产党员", Level.TOWNSHIP, "中共蓝山县{township}委员会", 10),
    ("优秀共产党员", Level.COUNTY, "中共蓝山县委员会", 8),
    ("优秀流动党员", Level.COUNTY, "中共蓝山县委组织部", 8),
    ("最美流动党员", Level.COUNTY, "中共蓝山县委组织部", 4),
    ("优秀党务工作者", Level.COUNTY, "中共蓝山县委员会", 3),
    ("蓝山县返乡创业带头人", Level.COUNTY, "蓝山县人民政府", 4),
    ("优秀共产党员", Level.CITY, "中共永州市委员会", 2),
    ("永州市劳动模范", Level.CITY, "永州市人民政府", 1.5),
    ("湖南省优秀农民工", Level.PROVINCIAL, "湖南省人民政府", 1),
    ("湖南省优秀共产党员", Level.PROVINCIAL, "中共湖南省委员会", 0.5),
    ("全国五一劳动奖章", Level.NATIONAL, "中华全国总工会", 0.2),
)

# (post, level, first year of a term, term length, weight); terms repeat every `length` years.
POSTS: tuple[tuple[str, str, int, int, float], ...] = (
    (PostKind.PEOPLES_CONGRESS, Level.COUNTY, 2021, 5, 8),
    (PostKind.PEOPLES_CONGRESS, Level.TOWNSHIP, 2021, 5, 6),
    (PostKind.PARTY_CONGRESS, Level.COUNTY, 2021, 5, 5),
    (PostKind.PARTY_CONGRESS, Level.TOWNSHIP, 2021, 5, 3),
    (PostKind.CPPCC, Level.COUNTY, 2021, 5, 4),
    (PostKind.PEOPLES_CONGRESS, Level.CITY, 2021, 5, 1),
    (PostKind.PARTY_CONGRESS, Level.CITY, 2021, 5, 0.7),
    (PostKind.PEOPLES_CONGRESS, Level.PROVINCIAL, 2023, 5, 0.3),
)

# (kind, title template, investment range in 10,000 yuan, jobs range, people enriched range, weight)
PROJECTS: tuple[tuple[str, str, tuple[int, int], tuple[int, int], tuple[int, int], float], ...] = (
    (ProjectKind.PROJECT, "{name}回乡投资建设箱包加工厂", (300, 3000), (60, 400), (80, 500), 3),
    (ProjectKind.PROJECT, "{name}引进皮具配件加工项目落户县工业园", (500, 5000), (80, 300), (100, 400), 2),
    (ProjectKind.PROJECT, "{name}回乡创办电子元件组装车间", (200, 1500), (30, 150), (40, 200), 2),
    (ProjectKind.PROJECT, "{name}引进农产品冷链仓储中心", (400, 2500), (20, 80), (60, 300), 1),
    (ProjectKind.INDUSTRY, "{name}带动{village}发展蓝山黑山羊养殖", (50, 400), (10, 60), (80, 400), 2),
    (ProjectKind.INDUSTRY, "{name}带动{village}发展脐橙种植", (80, 600), (15, 80), (100, 500), 2),
    (ProjectKind.INDUSTRY, "{name}带动{village}发展黄精中药材种植", (60, 500), (10, 50), (60, 300), 1),
    (ProjectKind.TALENT, "回引在外党员{name}返乡任村党支部副书记", (0, 30), (0, 6), (10, 60), 2),
    (ProjectKind.TALENT, "回引{name}返乡开办农村电商服务站", (5, 60), (3, 15), (20, 120), 2),
    (ProjectKind.ENRICHMENT, "{name}牵头成立{village}油茶专业合作社", (20, 200), (5, 40), (50, 300), 2),
    (ProjectKind.ENRICHMENT, "{name}在{village}开办扶贫车间带动群众增收", (30, 300), (20, 80), (40, 200), 2),
)


def _pick(rng: random.Random, weighted: Sequence[tuple[Any, ...]]) -> Any:
    """One row of a table whose last column is the row's weight."""
    return rng.choices(weighted, [row[-1] for row in weighted])[0]


def _townsperson(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _yuan(value: float) -> Decimal:
    return Decimal(round(value, -2)).quantize(Decimal("0.01"))


class _Members:
    """The demo members, read once: (pk, name, household township, household village) by organization."""

    def __init__(self) -> None:
        self.by_flowing_org: dict[int, list[tuple[int, str, str, str]]] = defaultdict(list)
        self.by_home_branch: dict[int, list[tuple[int, str, str, str]]] = defaultdict(list)
        rows = (
            Member.objects.filter(standing=Standing.NORMAL)
            .order_by("pk")
            .values_list("pk", "name", "household_township", "household_village", "home_branch_id", "flowing_org_id")
        )
        for pk, name, township, village, home, flowing in rows:
            person = (pk, name, township, village)
            self.by_home_branch[home].append(person)
            if flowing:
                self.by_flowing_org[flowing].append(person)
        self.away = [person for people in self.by_flowing_org.values() for person in people]
        self.away.sort()
        self.all = sorted(person for people in self.by_home_branch.values() for person in people)


@transaction.atomic
def load(rng: random.Random, *, today: datetime.date) -> dict[str, int]:
    """Create the demo services records; returns how many of each were made. Deterministic for the rng
    and the database load_demo built. Run it once: it adds, it does not replace (see `clear`)."""
    members = _Members()
    flowing = list(Organization.objects.flowing().active().order_by("pk"))
    branches = list(Organization.objects.home_branches().active().order_by("pk"))
    townships = {org.short_name or org.name: org for org in Organization.objects.townships().order_by("pk")}
    recorders = dict(
        User.objects.filter(is_active=True, organization__isnull=False)
        .order_by("-pk")
        .values_list("organization_id", "pk")
    )
    county_recorder = (
        User.objects.filter(is_active=True, role=Role.COUNTY).order_by("pk").values_list("pk", flat=True).first()
    )
    items = list(ServiceItem.objects.active().order_by("sort_order", "pk"))

    cases = _cases(rng, today, members, flowing, branches, items, recorders, county_recorder)
    recognitions = _recognitions(rng, today, members)
    posts = _posts(rng, today, members)
    projects = _projects(rng, today, members, flowing, townships)

    ServiceCase.objects.bulk_create(cases, batch_size=1000)
    Recognition.objects.bulk_create(recognitions)
    RepresentativePost.objects.bulk_create(posts)
    saved = HometownProject.objects.bulk_create([project for project, _linked in projects])
    through = HometownProject.members.through
    through.objects.bulk_create(
        through(hometownproject_id=project.pk, member_id=member_id)
        for project, (_unsaved, linked) in zip(saved, projects, strict=True)
        for member_id in linked
    )
    return {
        "service_cases": len(cases),
        "recognitions": len(recognitions),
        "representative_posts": len(posts),
        "hometown_projects": len(saved),
    }


def clear(context: DemoContext | None = None) -> None:
    """Delete every services record but the catalog: load_demo --reset must call this before it deletes
    members and organizations, which service cases and projects protect."""
    with transaction.atomic():
        ServiceCase.objects.all().delete()
        HometownProject.objects.all().delete()
        Recognition.objects.all().delete()
        RepresentativePost.objects.all().delete()


# After agreements: the demos built on the members draw from one random source in this order.
@register_demo("services", after=("members", "agreements"), clear=clear)
def load_services(context: DemoContext) -> dict[str, int]:
    counts = load(context.rng, today=context.today)
    context.stdout.write("  " + ", ".join(f"{name} {n}" for name, n in counts.items()))
    return counts


def _cases(
    rng: random.Random,
    today: datetime.date,
    members: _Members,
    flowing: list[Organization],
    branches: list[Organization],
    items: list[ServiceItem],
    recorders: dict[int, int],
    county_recorder: int | None,
) -> list[ServiceCase]:
    if not flowing and not branches:
        return []
    item_weights = [8 if any(busy in item.name for busy in BUSY_ITEMS) else 1 for item in items]
    # Organizations serve in proportion to the members they look after; a few cases happen at home.
    flowing_weights = [len(members.by_flowing_org.get(org.pk, ())) + 1 for org in flowing]
    total = max(60, len(members.all) // 4)
    cases = []
    for _ in range(total):
        away = bool(flowing) and (not branches or rng.random() < 0.85)
        if away:
            org = rng.choices(flowing, flowing_weights)[0]
            pool = members.by_flowing_org.get(org.pk, [])
            kinds = KINDS_HUADU if org.district == "花都区" else KINDS_AWAY
        else:
            org = rng.choice(branches)
            pool = members.by_home_branch.get(org.pk, [])
            kinds = KINDS_AT_HOME
        kind = _pick(rng, kinds)[0]
        if kind == K.CROSS_PROVINCE and not items:
            kind = K.OTHER
        member = rng.choice(pool) if pool and rng.random() < 0.7 else None
        case = ServiceCase(
            kind=kind,
            date=today - datetime.timedelta(days=rng.randint(0, 364)),
            organization_id=org.pk,
            member_id=member[0] if member else None,
            beneficiary_name="" if member else _townsperson(rng),
            handled_by_id=recorders.get(org.pk, county_recorder),
            outcome=_pick(rng, OUTCOMES)[0],
            people_helped=1,
        )
        _fill_case(rng, case, org, items, item_weights)
        case.outcome_note = rng.choice(OUTCOME_NOTES[Outcome(case.outcome)])
        cases.append(case)
    # The county's own story, whatever the dice say: wages recovered for leather workers in Huadu.
    for org in flowing:
        if org.district == "花都区":
            case = ServiceCase(
                kind=K.WAGE_RECOVERY,
                date=today - datetime.timedelta(days=rng.randint(20, 120)),
                organization_id=org.pk,
                beneficiary_name=_townsperson(rng),
                handled_by_id=recorders.get(org.pk, county_recorder),
                outcome=Outcome.RESOLVED,
            )
            _fill_case(rng, case, org, items, item_weights, workshop="皮具厂")
            case.outcome_note = rng.choice(OUTCOME_NOTES[Outcome.RESOLVED])
            cases.append(case)
    return cases


def _fill_case(
    rng: random.Random,
    case: ServiceCase,
    org: Organization,
    items: list[ServiceItem],
    item_weights: list[int],
    *,
    workshop: str = "",
) -> None:
    """The kind's own details: item, amount, people helped and what was done."""
    place = org.district or org.city or org.short_name or org.name
    if case.kind == K.CROSS_PROVINCE:
        item = rng.choices(items, item_weights)[0]
        case.service_item_id = item.pk
        case.description = f"协助办理“{item.name}”，线上提交材料，无需返乡。"
        if case.outcome == Outcome.UNRESOLVED:
            case.outcome = Outcome.RESOLVED  # a catalog item is always handled in the end
    elif case.kind == K.WAGE_RECOVERY:
        workers = rng.choices((1, rng.randint(2, 5), rng.randint(6, 30)), (50, 30, 20))[0]
        months = rng.randint(1, 4)
        owed = workers * months * rng.randint(45, 75) * 100
        share = {Outcome.RESOLVED: 1.0, Outcome.IN_PROGRESS: rng.uniform(0, 0.5)}.get(Outcome(case.outcome), 0.0)
        case.amount = _yuan(owed * share)
        case.people_helped = workers
        workshop = workshop or rng.choice(WORKSHOPS.get(org.district, WORKSHOPS[""]))
        case.description = (
            f"{place}某{workshop}拖欠{workers}名蓝山籍务工人员{months}个月工资约{owed}元，"
            "党组织联合当地劳动保障监察部门上门协调，督促企业签订清偿协议。"
        )
    elif case.kind == K.LABOUR_DISPUTE:
        if rng.random() < 0.6:
            case.amount = _yuan(rng.randint(2000, 30000)) if case.outcome == Outcome.RESOLVED else Decimal("0.00")
        case.description = rng.choice(
            (
                "老乡在工作中受伤，企业拒绝支付工伤待遇，党组织协助申请工伤认定并与企业协商赔偿。",
                "企业未签劳动合同即辞退老乡，党组织陪同到劳动人事争议调解中心调解，争取经济补偿。",
                "老乡与企业因加班费计算发生争议，党组织协助收集考勤证据并参与调解。",
            )
        )
    elif case.kind == K.MEDIATION:
        case.people_helped = rng.randint(2, 4)
        case.description = rng.choice(MEDIATIONS)
    elif case.kind == K.EMPLOYMENT:
        case.people_helped = rng.choices((1, rng.randint(2, 5), rng.randint(6, 20)), (45, 40, 15))[0]
        templates = EMPLOYMENT if org.kind == OrgKind.FLOWING else EMPLOYMENT_AT_HOME
        case.description = rng.choice(templates).format(place=place, n=case.people_helped)
    elif case.kind == K.HARDSHIP:
        case.amount = _yuan(rng.randint(5, 50) * 100)
        case.description = rng.choice(HARDSHIP)
    else:
        case.description = rng.choice(OTHERS)


def _recognitions(rng: random.Random, today: datetime.date, members: _Members) -> list[Recognition]:
    pool = members.away or members.all
    if not pool:
        return []
    recognitions = []
    for member_id, _name, township, _village in rng.sample(pool, min(30, len(pool))):
        award, level, body, _weight = _pick(rng, AWARDS)
        recognitions.append(
            Recognition(
                member_id=member_id,
                award=award,
                level=level,
                year=today.year - rng.choices((0, 1, 2, 3, 4), (30, 28, 20, 14, 8))[0],
                awarded_by=body.format(township=township) if township else "中共蓝山县委员会",
                note="",
            )
        )
    return recognitions


def _posts(rng: random.Random, today: datetime.date, members: _Members) -> list[RepresentativePost]:
    pool = members.all
    if not pool:
        return []
    posts = []
    for member_id, _name, _township, _village in rng.sample(pool, min(20, len(pool))):
        post, level, first, length, _weight = _pick(rng, POSTS)
        # Elections fall at the end of a term's first year: a term is current from the year after.
        start = first + length * max((today.year - first - 1) // length, 0)
        ended = start > today.year or rng.random() < 0.15  # a few held the post in the previous term
        if ended:
            start -= length
        if start > today.year:
            continue
        posts.append(
            RepresentativePost(
                member_id=member_id,
                post=post,
                level=level,
                term=f"{start}—{start + length}",
                start_year=start,
                end_year=start + length if ended else None,
            )
        )
    return posts


def _projects(
    rng: random.Random,
    today: datetime.date,
    members: _Members,
    flowing: list[Organization],
    townships: dict[str, Organization],
) -> list[tuple[HometownProject, list[int]]]:
    orgs_with_members = [org for org in flowing if members.by_flowing_org.get(org.pk)]
    if not orgs_with_members:
        return []
    projects = []
    for _ in range(15):
        org = rng.choice(orgs_with_members)
        people = members.by_flowing_org[org.pk]
        linked = rng.sample(people, min(len(people), rng.choice((1, 1, 2, 3))))
        _lead_id, name, township, village = linked[0]
        kind, title, investment, jobs, enriched, _weight = _pick(rng, PROJECTS)
        # About a third are followed by the township at home rather than by the flowing organization.
        owner = townships.get(township) if rng.random() < 0.3 else None
        projects.append(
            (
                HometownProject(
                    kind=kind,
                    title=title.format(name=name, village=village or township),
                    description=(
                        f"在{org.display_name}党组织牵线下，{name}把在外积累的资金、技术和市场带回家乡"
                        f"{township}{village}，党组织全程跟进服务。"
                    ),
                    organization_id=(owner or org).pk,
                    investment=Decimal(rng.randint(*investment)).quantize(Decimal("0.01")),
                    jobs_created=rng.randint(*jobs),
                    people_enriched=rng.randint(*enriched),
                    township=township,
                    village=village,
                    started_on=today - datetime.timedelta(days=rng.randint(30, 3 * 365)),
                ),
                [person[0] for person in linked],
            )
        )
    return projects
