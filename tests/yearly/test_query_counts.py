"""The pages of the year's duties and the dashboard with its map cost the same number of queries for 5 and for 50
organizations, each with a member away in a province of its own, attendance, study, a committee seat and a term."""

import datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members import actions
from organizations.models import PROVINCES, Organization
from tests.conftest import login
from tests.factories import ActivityFactory, MemberFactory, OrganizationFactory, attend
from tests.yearly.factories import CommitteeMemberFactory, StudyRecordFactory, TermFactory

pytestmark = pytest.mark.usefixtures("on_a_fixed_day")
QUERY_CAP = 30
FEW, MANY = 5, 50


def _grow(county: SimpleNamespace, organizations: int) -> None:
    have = Organization.objects.filter(name__startswith="测试村").count()
    for i in range(have, organizations):
        branch = OrganizationFactory(name=f"测试村{i}支部", parent=county.tafeng)
        member = MemberFactory(home_branch=branch)
        actions.register_outflow(
            member, by=county.admin, departure_date=datetime.date(2025, 1, 1), province=PROVINCES[i % 34], city="某市"
        )
        member.refresh_from_db()
        for month, kind in ((1, "theme_day"), (2, "committee_meeting"), (3, "members_meeting")):
            activity = ActivityFactory(organization=branch, type=kind, date=datetime.date(2026, month, 1 + i % 27))
            attend(activity, (member, ("present", "online", "absent")[i % 3]), by=county.admin)
        StudyRecordFactory(member=member, organization=branch)
        CommitteeMemberFactory(member=member, organization=branch, role="secretary")
        TermFactory(organization=branch, started_on=datetime.date(2021, 7, 1 + i % 27), years=5)


def _count(client, url: str, params: dict | None) -> int:
    client.get(url, params)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured.captured_queries)


PAGES = {
    "the_training_hours_shortfall_list": ("yearly:shortfall_list", {"year": 2026}),
    "the_study_record_list": ("yearly:studyrecord_list", None),
    "the_committee_member_list": ("yearly:committeemember_list", {"serving": "true"}),
    "the_compliance_page_by_month": ("yearly:compliance", {"year": 2026, "period": "month"}),
    "the_terms_list": ("yearly:term_list", {"due": "all"}),
    "the_terms_due": ("yearly:term_list", None),
    "the_dashboard_with_the_map": ("dashboard", None),
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("persona", ["admin", "township"])
def test_the_page_costs_the_same_queries_for_5_and_for_50_organizations(county, persona, page):
    url_name, params = PAGES[page]
    client = login(getattr(county, persona))
    _grow(county, FEW)
    few = _count(client, reverse(url_name), params)
    _grow(county, MANY)
    many = _count(client, reverse(url_name), params)
    assert few == many, f"{page}: {few} queries with {FEW} organizations, {many} with {MANY}"
    assert many <= QUERY_CAP, f"{page}: {many} queries"


def test_the_pages_above_really_show_the_50_organizations_rows(county):
    _grow(county, MANY)
    client = login(county.township)
    assert client.get(reverse("yearly:shortfall_list")).context["table"].paginator.count >= MANY
    assert client.get(reverse("yearly:studyrecord_list")).context["table"].paginator.count == MANY
    assert client.get(reverse("yearly:committeemember_list")).context["table"].paginator.count == MANY
    assert len(client.get(reverse("yearly:compliance"), {"year": 2026}).context["rows"]) >= MANY
    assert client.get(reverse("yearly:term_list"), {"due": "all"}).context["table"].paginator.count == MANY
    assert client.get(reverse("yearly:term_list")).context["table"].paginator.count == MANY  # all end 2026-07
    figures = client.get(reverse("dashboard")).context["figures"]
    assert figures["tile_map"]["total"] == MANY + 1  # and 袁芳伟 of 花果村
    assert len(figures["charts"]["compliance"]) == 15
