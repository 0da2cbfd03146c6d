"""The rules of one record, and the figures the dashboard reads off the querysets."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from services.models import (
    CaseKind,
    HometownProject,
    Level,
    PostKind,
    Recognition,
    RepresentativePost,
    ServiceCase,
)
from tests.services.factories import (
    HometownProjectFactory,
    RecognitionFactory,
    RepresentativePostFactory,
    ServiceCaseFactory,
    ServiceItemFactory,
    WageRecoveryFactory,
)


def _errors(record) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        record.full_clean()
    return caught.value.message_dict


def _case(county, **fields) -> ServiceCase:
    values = {
        "kind": CaseKind.MEDIATION,
        "date": datetime.date(2025, 5, 1),
        "organization": county.huadu,
        "description": "调解纠纷。",
    }
    return ServiceCase(**{**values, **fields})


# ---------------------------------------------------------------- one beneficiary


def test_a_case_needs_a_member_or_the_name_of_a_fellow_townsperson(county):
    assert "member" in _errors(_case(county))


def test_a_case_cannot_name_both_a_member_and_a_fellow_townsperson(county):
    assert "beneficiary_name" in _errors(_case(county, member=county.yuan, beneficiary_name="李四"))


@pytest.mark.parametrize(
    "beneficiary",
    [pytest.param({"member": "yuan"}, id="a_member"), pytest.param({"beneficiary_name": "李四"}, id="a_townsperson")],
)
def test_a_case_for_exactly_one_beneficiary_is_valid(county, beneficiary):
    fields = {key: getattr(county, value) if key == "member" else value for key, value in beneficiary.items()}
    _case(county, **fields).full_clean()


def test_a_name_of_only_spaces_counts_as_no_name(county):
    assert "member" in _errors(_case(county, beneficiary_name="   "))


@pytest.mark.parametrize(
    "fields",
    [pytest.param({"beneficiary_name": ""}, id="neither"), pytest.param({"beneficiary_name": "李四"}, id="both")],
)
def test_the_database_itself_refuses_a_case_without_exactly_one_beneficiary(county, fields):
    member = county.yuan if fields["beneficiary_name"] else None
    with pytest.raises(IntegrityError), transaction.atomic():
        _case(county, member=member, **fields).save()


# ---------------------------------------------------------------- amounts and kinds


def test_a_wage_recovery_needs_the_amount_recovered(county):
    errors = _errors(_case(county, kind=CaseKind.WAGE_RECOVERY, beneficiary_name="李四"))
    assert list(errors) == ["amount"]


def test_a_wage_recovery_with_nothing_recovered_yet_records_zero(county):
    _case(county, kind=CaseKind.WAGE_RECOVERY, beneficiary_name="李四", amount=Decimal(0)).full_clean()


@pytest.mark.parametrize("kind", [CaseKind.WAGE_RECOVERY, CaseKind.HARDSHIP, CaseKind.LABOUR_DISPUTE])
def test_an_amount_cannot_be_negative(county, kind):
    assert "amount" in _errors(_case(county, kind=kind, beneficiary_name="李四", amount=Decimal("-1")))


def test_the_database_itself_refuses_a_negative_amount(county):
    with pytest.raises(IntegrityError), transaction.atomic():
        _case(county, beneficiary_name="李四", amount=Decimal("-5")).save()


def test_people_helped_cannot_be_negative(county):
    assert "people_helped" in _errors(_case(county, beneficiary_name="李四", people_helped=-1))


def test_a_cross_province_service_names_its_catalog_item(county):
    item = ServiceItemFactory()
    assert "service_item" in _errors(_case(county, kind=CaseKind.CROSS_PROVINCE, beneficiary_name="李四"))
    _case(county, kind=CaseKind.CROSS_PROVINCE, beneficiary_name="李四", service_item=item).full_clean()


def test_a_catalog_item_on_another_kind_of_service_is_refused(county):
    item = ServiceItemFactory()
    assert "service_item" in _errors(_case(county, beneficiary_name="李四", service_item=item))


def test_a_service_dated_in_the_future_is_refused(county):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert "date" in _errors(_case(county, beneficiary_name="李四", date=tomorrow))


# ---------------------------------------------------------------- totals


@pytest.fixture
def cases(county):
    """Cases of 2025 in Huadu and Kunming, and one of 2024 in Huadu."""
    WageRecoveryFactory(organization=county.huadu, amount=Decimal("12000.50"), people_helped=6)
    ServiceCaseFactory(
        organization=county.huadu, kind=CaseKind.LABOUR_DISPUTE, amount=Decimal("3000"), member=county.yuan
    )
    ServiceCaseFactory(organization=county.huadu, kind=CaseKind.LABOUR_DISPUTE)  # no amount
    ServiceCaseFactory(organization=county.huadu, kind=CaseKind.MEDIATION, people_helped=2)
    ServiceCaseFactory(organization=county.kunming, kind=CaseKind.HARDSHIP, amount=Decimal("800"), member=county.ma)
    ServiceCaseFactory(organization=county.kunming, kind=CaseKind.EMPLOYMENT, people_helped=5)
    ServiceCaseFactory(organization=county.kunming, kind=CaseKind.OTHER, amount=Decimal("99"))  # counted nowhere
    WageRecoveryFactory(organization=county.huadu, amount=Decimal("1000"), date=datetime.date(2024, 12, 31))


def test_totals_add_up_wages_aid_jobs_disputes_and_people_in_one_query(county, cases, django_assert_num_queries):
    with django_assert_num_queries(1):
        totals = ServiceCase.objects.totals()

    assert totals == {
        "cases": 8,
        "wages_recovered": Decimal("16000.50"),
        "aid_paid": Decimal("800.00"),
        "jobs_found": 5,
        "disputes_mediated": 3,
        "people_helped": 6 + 1 + 1 + 2 + 1 + 5 + 1 + 1,
    }


def test_totals_of_one_year(county, cases):
    totals = ServiceCase.objects.totals(year=2025)
    assert totals["cases"] == 7
    assert totals["wages_recovered"] == Decimal("15000.50")


def test_totals_of_no_cases_are_zeros(county):
    assert ServiceCase.objects.totals() == {
        "cases": 0,
        "wages_recovered": Decimal("0.00"),
        "aid_paid": Decimal("0.00"),
        "jobs_found": 0,
        "disputes_mediated": 0,
        "people_helped": 0,
    }


def test_totals_are_those_of_the_users_subtree_only(county, cases):
    huadu = ServiceCase.objects.visible_to(county.secretary).totals()
    assert huadu["cases"] == 5
    assert huadu["wages_recovered"] == Decimal("16000.50")
    assert huadu["aid_paid"] == huadu["jobs_found"] == 0
    # 花果村 rendered no service, even though its member 袁芳伟 received one in Huadu.
    assert ServiceCase.objects.visible_to(county.branch).totals()["cases"] == 0
    assert ServiceCase.objects.visible_to(county.county_staff).totals()["cases"] == 8


def test_cases_are_counted_by_kind_in_one_grouped_query(county, cases, django_assert_num_queries):
    with django_assert_num_queries(1):
        by_kind = ServiceCase.objects.visible_to(county.admin).count_by_kind(year=2025)
    assert by_kind == {
        CaseKind.WAGE_RECOVERY: 1,
        CaseKind.LABOUR_DISPUTE: 2,
        CaseKind.MEDIATION: 1,
        CaseKind.HARDSHIP: 1,
        CaseKind.EMPLOYMENT: 1,
        CaseKind.OTHER: 1,
    }


def test_a_case_is_seen_through_the_organization_that_rendered_it(county):
    case = ServiceCaseFactory(organization=county.huadu, member=county.yuan)
    seers = {user.username for user in county.users if ServiceCase.objects.visible_to(user).filter(pk=case.pk)}
    assert seers == {"admin", "county", "secretary"}


# ---------------------------------------------------------------- recognitions and posts


def test_a_recognition_is_seen_wherever_its_member_is(county):
    recognition = RecognitionFactory(member=county.yuan)  # home 花果村, away under Huadu
    seers = {user.username for user in county.users if Recognition.objects.visible_to(user).filter(pk=recognition.pk)}
    assert seers == {"admin", "county", "township", "secretary", "branch"}


@pytest.mark.parametrize("year", [1900, timezone.localdate().year + 1])
def test_a_recognition_year_must_be_real(county, year):
    assert "year" in _errors(RecognitionFactory.build(member=county.yuan, year=year))


def test_a_post_cannot_end_before_it_starts(county):
    post = RepresentativePostFactory.build(member=county.yuan, start_year=2021, end_year=2016)
    assert "end_year" in _errors(post)


def test_there_is_no_township_cppcc(county):
    post = RepresentativePostFactory.build(member=county.yuan, post=PostKind.CPPCC, level=Level.TOWNSHIP)
    assert "level" in _errors(post)


def test_current_posts_are_those_held_this_year(county):
    this_year = timezone.localdate().year
    held = RepresentativePostFactory(member=county.yuan, start_year=this_year - 2)
    RepresentativePostFactory(member=county.yuan, start_year=this_year - 8, end_year=this_year - 3)
    assert list(RepresentativePost.objects.current()) == [held]
    assert held.is_current


# ---------------------------------------------------------------- hometown projects


def test_an_investment_cannot_be_negative(county):
    project = HometownProjectFactory.build(organization=county.huadu, investment=Decimal("-1"))
    assert "investment" in _errors(project)


def test_project_totals_add_up_investment_jobs_and_people_of_the_subtree(county, django_assert_num_queries):
    HometownProjectFactory(organization=county.huadu, investment=Decimal("1200.5"), jobs_created=80)
    HometownProjectFactory(organization=county.huadu, investment=Decimal("300"), jobs_created=20, people_enriched=5)
    HometownProjectFactory(organization=county.kunming, investment=Decimal("999"))

    with django_assert_num_queries(1):
        totals = HometownProject.objects.filter(organization=county.huadu).totals()

    assert totals == {
        "projects": 2,
        "investment": Decimal("1500.50"),
        "jobs_created": 100,
        "people_enriched": 60 + 5,
    }
    assert HometownProject.objects.visible_to(county.branch).totals()["projects"] == 0
