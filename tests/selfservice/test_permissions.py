"""Who may open the review queue and its pages, and press the send buttons, in the style of tests/test_permissions.py.

Inside the user's subtree a page is allowed, outside it is a 404; a destination partner has no such pages (404). Objects:
  report / link / member   袁芳伟's (花果村, away under Huadu) for township, secretary and branch; 马云's (总市村, Kunming)
                           for the outsider, and the other way round for what is outside
  request                  left for Huadu (secretary) or Kunming; the township and branches see neither
"""

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse

from selfservice import actions
from selfservice.models import Purpose, ReviewStatus
from tests.conftest import login
from tests.test_permissions import ANY, INSIDE, N_A, OUTSIDE, PERSONA, ROLES, matrix_cells

#              report, link and member (inside, outside)          request (inside, outside)
TARGETS: dict[str, dict[str, tuple[str | None, str | None]]] = {
    "admin":     {"report": ("report_ma", N_A),        "request": ("request_kunming", N_A)},
    "county":    {"report": ("report_ma", N_A),        "request": ("request_kunming", N_A)},
    "township":  {"report": ("report_yuan", "report_ma"), "request": (N_A, "request_huadu")},
    "secretary": {"report": ("report_yuan", "report_ma"), "request": ("request_huadu", "request_kunming")},
    "branch":    {"report": ("report_yuan", "report_ma"), "request": (N_A, "request_huadu")},
    "outsider":  {"report": ("report_ma", "report_yuan"), "request": (N_A, "request_huadu")},
    "partner":   {"report": (N_A, "report_yuan"),      "request": (N_A, "request_huadu")},
}  # fmt: skip

# By role, so the matrix follows ROLES as it grows.
MATRIX: dict[tuple[str, str], dict[str, int | None]] = {
    ("the_self_report_queue", ANY): {"admin": 200, "county": 200, "township": 200, "secretary": 200, "branch": 200, "outsider": 200, "partner": 404},
    ("the_review_page_of_a_self_report", INSIDE): {"admin": 200, "county": 200, "township": 200, "secretary": 200, "branch": 200, "outsider": 200, "partner": N_A},
    ("the_review_page_of_a_self_report", OUTSIDE): {"admin": N_A, "county": N_A, "township": 404, "secretary": 404, "branch": 404, "outsider": 404, "partner": 404},
    ("accepting_a_self_report", INSIDE): {"admin": 302, "county": 302, "township": 302, "secretary": 302, "branch": 302, "outsider": 302, "partner": N_A},
    ("accepting_a_self_report", OUTSIDE): {"admin": N_A, "county": N_A, "township": 404, "secretary": 404, "branch": 404, "outsider": 404, "partner": 404},
    ("the_request_queue", ANY): {"admin": 200, "county": 200, "township": 200, "secretary": 200, "branch": 200, "outsider": 200, "partner": 404},
    ("the_page_of_a_request", INSIDE): {"admin": 200, "county": 200, "township": N_A, "secretary": 200, "branch": N_A, "outsider": N_A, "partner": N_A},
    ("the_page_of_a_request", OUTSIDE): {"admin": N_A, "county": N_A, "township": 404, "secretary": 404, "branch": 404, "outsider": 404, "partner": 404},
    ("sending_a_personal_link_to_a_member", INSIDE): {"admin": 302, "county": 302, "township": 302, "secretary": 302, "branch": 302, "outsider": 302, "partner": N_A},
    ("sending_a_personal_link_to_a_member", OUTSIDE): {"admin": N_A, "county": N_A, "township": 404, "secretary": 404, "branch": 404, "outsider": 404, "partner": 404},
    ("the_personal_links_of_a_member", INSIDE): {"admin": 200, "county": 200, "township": 200, "secretary": 200, "branch": 200, "outsider": 200, "partner": N_A},
    ("the_personal_links_of_a_member", OUTSIDE): {"admin": N_A, "county": N_A, "township": 404, "secretary": 404, "branch": 404, "outsider": 404, "partner": 404},
    ("revoking_a_personal_link", INSIDE): {"admin": 302, "county": 302, "township": 302, "secretary": 302, "branch": 302, "outsider": 302, "partner": N_A},
    ("revoking_a_personal_link", OUTSIDE): {"admin": N_A, "county": N_A, "township": 404, "secretary": 404, "branch": 404, "outsider": 404, "partner": 404},
    ("sending_a_campaigns_census_links", ANY): {"admin": 302, "county": 302, "township": 403, "secretary": 403, "branch": 403, "outsider": 403, "partner": 403},
}  # fmt: skip
EXPECTED = {key: tuple(by_role[role] for role in ROLES) for key, by_role in MATRIX.items()}


@dataclass(frozen=True)
class Page:
    url_name: str
    target: str | None = None
    method: str = "get"
    on: str = "self"  # which object of the target the URL names: the report itself, an unused link, or its member

    def url(self, obj: Any, world: SimpleNamespace) -> str:
        if self.url_name == "selfservice:campaign_links":
            return reverse(self.url_name, args=[world.campaign.pk])
        if obj is None:
            return reverse(self.url_name)
        target = {"self": obj, "open_link": getattr(obj, "open_link", None), "member": getattr(obj, "member", None)}[
            self.on
        ]
        return reverse(self.url_name, args=[target.pk])


PAGES = {
    "the_self_report_queue": Page("selfservice:report_list"),
    "the_review_page_of_a_self_report": Page("selfservice:report_review", "report"),
    "accepting_a_self_report": Page("selfservice:report_review", "report", method="post"),
    "the_request_queue": Page("selfservice:request_list"),
    "the_page_of_a_request": Page("selfservice:request_handle", "request"),
    "sending_a_personal_link_to_a_member": Page("selfservice:link_send", "report", method="post", on="member"),
    "the_personal_links_of_a_member": Page("selfservice:member_links", "report", on="member"),
    "revoking_a_personal_link": Page("selfservice:link_revoke", "report", method="post", on="open_link"),
    "sending_a_campaigns_census_links": Page("selfservice:campaign_links", method="post"),
}


@pytest.fixture
def world(county: SimpleNamespace) -> SimpleNamespace:
    import datetime

    from members import census
    from members.models import CensusCampaign

    for member, attribute in ((county.yuan, "report_yuan"), (county.ma, "report_ma")):
        link = actions.send_link(member, purpose=Purpose.YEARLY_REPORT, by=county.admin)
        report = actions.submit_report(link, study="学习", work="工作", organizational_life="主题党日")
        report.open_link = actions.send_link(member, purpose=Purpose.CHANGE, by=county.admin)  # for the revoke button
        setattr(county, attribute, report)
    for org, attribute in ((county.huadu, "request_huadu"), (county.kunming, "request_kunming")):
        setattr(
            county,
            attribute,
            actions.leave_request(org, ip=None, name="求助人", phone="13800138000", home_township="塔峰镇"),
        )
    county.campaign = CensusCampaign.objects.create(
        name="摸排", starts_on=datetime.date(2027, 1, 23), ends_on=datetime.date(2027, 2, 20)
    )
    county.campaign.organizations.add(county.committee)
    census.open_campaign(county.campaign, by=county.admin)
    return county


def test_the_matrix_covers_every_signed_in_selfservice_page_and_every_role():
    from selfservice.urls import urlpatterns

    public = {"link", "link_done", "find", "find_done"}
    named = {page.url_name for page in PAGES.values()}
    assert {f"selfservice:{p.name}" for p in urlpatterns if p.name not in public} == named
    for (page, scope), statuses in EXPECTED.items():
        assert (scope == ANY) == (PAGES[page].target is None), page
        assert len(statuses) == len(ROLES)


def _data(page: Page, obj: Any) -> dict[str, Any]:
    if page.url_name == "selfservice:report_review":
        return {"decision": ReviewStatus.ACCEPTED, "review_note": ""}
    if page.url_name == "selfservice:link_send":
        return {"purpose": Purpose.WHEREABOUTS, "channel": "sms"}
    return {}


@pytest.mark.parametrize(("role", "page_name", "scope", "expected"), matrix_cells(EXPECTED))
def test_selfservice_permission_matrix(world, role, page_name, scope, expected, django_capture_on_commit_callbacks):
    page = PAGES[page_name]
    obj = None
    if page.target is not None:
        inside, outside = TARGETS[role][page.target]
        obj = getattr(world, inside if scope == INSIDE else outside)
    client = login(getattr(world, PERSONA[role]))
    with django_capture_on_commit_callbacks(execute=True):
        response = getattr(client, page.method)(page.url(obj, world), _data(page, obj))
    assert response.status_code == expected
    if page_name == "accepting_a_self_report":
        obj.refresh_from_db()
        assert (obj.status == ReviewStatus.ACCEPTED) == (expected == 302)
    if page_name == "revoking_a_personal_link":
        obj.open_link.refresh_from_db()
        assert (obj.open_link.revoked_at is not None) == (expected == 302)
