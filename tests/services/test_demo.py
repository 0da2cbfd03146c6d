"""The services demo records load_demo's county gets from services.demo.load."""

import random

import pytest
from django.core.management import call_command
from django.utils import timezone

from services import demo
from services.models import CaseKind, HometownProject, Recognition, RepresentativePost, ServiceCase

TABLES = {
    "service_cases": ServiceCase,
    "recognitions": Recognition,
    "representative_posts": RepresentativePost,
    "hometown_projects": HometownProject,
}


def _fingerprint() -> list[tuple]:
    return list(
        ServiceCase.objects.order_by("pk").values_list(
            "kind", "date", "organization_id", "member_id", "beneficiary_name", "amount", "people_helped"
        )
    ) + list(HometownProject.objects.order_by("pk").values_list("title", "organization_id", "investment"))


@pytest.fixture
def demo_county(db):
    """The small demo county, without whatever services records load_demo itself may have added."""
    call_command("load_demo", allow_production=True, members=300, verbosity=0)
    demo.clear()


def test_the_demo_fills_every_services_table_with_records_that_obey_the_rules(demo_county):
    counts = demo.load(random.Random(431127), today=timezone.localdate())

    for key, model in TABLES.items():
        assert counts[key] == model.objects.count() > 0, key
    assert 25 <= counts["recognitions"] <= 30 and 15 <= counts["representative_posts"] <= 20
    assert counts["hometown_projects"] == 15
    assert HometownProject.members.through.objects.count() >= 15
    assert set(ServiceCase.objects.values_list("kind", flat=True)) == set(CaseKind.values)
    for model in TABLES.values():
        for record in model.objects.all():
            record.full_clean()  # every demo record passes the same checks as one typed into a form


def test_the_demo_has_wages_recovered_for_huadu_leather_workers(demo_county):
    demo.load(random.Random(431127), today=timezone.localdate())

    huadu = ServiceCase.objects.filter(organization__district="花都区")
    totals = huadu.totals()
    assert totals["wages_recovered"] > 0
    assert huadu.filter(kind=CaseKind.WAGE_RECOVERY, description__contains="皮具").exists()
    assert ServiceCase.objects.totals()["jobs_found"] > 0 and ServiceCase.objects.totals()["aid_paid"] > 0


def test_the_same_seed_gives_the_same_records(demo_county):
    today = timezone.localdate()
    demo.load(random.Random(7), today=today)
    first = _fingerprint()
    demo.clear()
    demo.load(random.Random(7), today=today)

    assert first and _fingerprint() == first
