"""Demo data for the year's duties: a term for every organization of the tree (some expired, some ending within 30
or 90 days), committee seats for every branch, and individually recorded study for part of the members."""

import datetime
import random
from collections import defaultdict
from decimal import Decimal

from django.db import transaction

from lanshan_party.registry import DemoContext, register_demo
from members.models import Member, Standing
from organizations.models import Organization, OrgKind
from yearly.models import CommitteeMember, CommitteeRole, StudyKind, StudyRecord, Term, add_years, default_term_years

STUDY_TITLES = (
    (StudyKind.ONLINE_COURSE, "学习强国：党的二十届四中全会精神专题"),
    (StudyKind.ONLINE_COURSE, "湖南干部教育培训网络学院：党纪学习教育"),
    (StudyKind.ONLINE_COURSE, "共产党员网：新时代党员先锋模范作用"),
    (StudyKind.TRAINING_COURSE, "流入地街道党工委流动党员培训班"),
    (StudyKind.LECTURE, "务工地商会党课报告会"),
    (StudyKind.SELF_STUDY, "自学《习近平新时代中国特色社会主义思想学习纲要》"),
)
SEATS = (CommitteeRole.SECRETARY, CommitteeRole.DEPUTY, CommitteeRole.ORGANIZATION, CommitteeRole.PROPAGANDA)


def _terms(rng: random.Random, today: datetime.date, organizations: list[Organization]) -> list[Term]:
    terms = []
    for i, org in enumerate(organizations):
        years = default_term_years(org)
        slot = i % 10
        if slot == 0:  # expired, the election not yet held
            ends = today - datetime.timedelta(days=rng.randrange(10, 200))
        elif slot == 1:
            ends = today + datetime.timedelta(days=rng.randrange(0, 31))
        elif slot == 2:
            ends = today + datetime.timedelta(days=rng.randrange(31, 91))
        else:
            ends = today + datetime.timedelta(days=rng.randrange(91, years * 365 - 30))
        extended = None
        started = add_years(ends, -years)
        if slot == 3:  # one in ten postponed with approval, by a few months
            extended, started = ends, add_years(ends - datetime.timedelta(days=rng.randrange(60, 300)), -years)
        terms.append(
            Term(
                organization=org, started_on=started, years=years, extended_until=extended, note="", is_current=True
            ).fill_ends()
        )
    return terms


def _seats(rng: random.Random, today: datetime.date, organizations: list[Organization]) -> list[CommitteeMember]:
    members: dict[int, list[int]] = defaultdict(list)
    for pk, home, flowing in Member.objects.filter(standing=Standing.NORMAL).values_list(
        "pk", "home_branch_id", "flowing_org_id"
    ):
        members[flowing or home].append(pk)
    seats = []
    for org in organizations:
        if org.kind not in (OrgKind.VILLAGE, OrgKind.COMMUNITY, OrgKind.FLOWING) or len(members[org.pk]) < 5:
            continue
        chosen = rng.sample(members[org.pk], 3 if len(members[org.pk]) < 30 else 5)
        if org.secretary_id and org.secretary_id not in chosen:
            chosen[0] = org.secretary_id
        since = today - datetime.timedelta(days=rng.randrange(200, 1000))
        for n, pk in enumerate(chosen):
            role = SEATS[n] if n < len(SEATS) else CommitteeRole.MEMBER
            seats.append(CommitteeMember(organization=org, member_id=pk, role=role, since=since))
    return seats


def _study(rng: random.Random, today: datetime.date) -> list[StudyRecord]:
    first = datetime.date(today.year, 1, 1)
    span = max((today - first).days, 1)
    rows = []
    for pk, home, flowing in Member.objects.filter(standing=Standing.NORMAL).values_list(
        "pk", "home_branch_id", "flowing_org_id"
    ):
        if rng.random() > 0.35:
            continue
        for _i in range(rng.randrange(1, 4)):
            kind, title = rng.choice(STUDY_TITLES)
            rows.append(
                StudyRecord(
                    member_id=pk,
                    organization_id=flowing or home,
                    date=first + datetime.timedelta(days=rng.randrange(span)),
                    title=title,
                    kind=kind,
                    hours=Decimal(rng.choice(("1", "1.5", "2", "3", "4", "6", "8"))),
                )
            )
    return rows


def clear(context: DemoContext) -> None:
    StudyRecord.objects.all().delete()
    CommitteeMember.objects.all().delete()
    Term.objects.all().delete()


@register_demo("yearly", after=("members", "activities"), clear=clear, existing=Term.objects.count)
def load_yearly(context: DemoContext) -> dict[str, int]:
    # A source of its own: what the other demos draw from context.rng stays as it was.
    rng = random.Random(f"yearly-{context.today}")
    organizations = list(Organization.objects.active().in_tree().order_by("path"))
    with transaction.atomic():
        terms = Term.objects.bulk_create(_terms(rng, context.today, organizations))
        seats = CommitteeMember.objects.bulk_create(_seats(rng, context.today, organizations), batch_size=1000)
        study = StudyRecord.objects.bulk_create(_study(rng, context.today), batch_size=2000)
    context.stdout.write(f"  yearly: {len(terms)} terms, {len(seats)} committee seats, {len(study)} study records")
    return {"terms": len(terms), "committee_seats": len(seats), "study_records": len(study)}
