"""Hostile input never gets a 500: every list page, every form page and every page that reads its query by hand.

The walk is the one of tests/test_urls.py (the admin site aside: it is Django's own), and each page's URL is filled
with a real object of the page's model that the persona may see. As an administrator and as a branch secretary
(花果村), with hypothesis (derandomized, so CI runs the same requests every time):

- every list page (a ScopedListView) is opened with hostile values for each of its filterset fields, page,
  per_page, sort and unknown extra parameters;
- every form page (create and edit forms, the outflow and census steps, the login and password forms, the pages
  that build their forms by hand) is posted with each field kept, left out or replaced by a hostile value, the
  fields a view reads from the POST by hand too, plus unknown extra fields;
- every page that is not a list, forms too, is opened with hostile values for the parameters views read from the
  query by hand (initial values of forms come from there).

A 200 with errors, a 400, 403 or 404 are all fine; a 500 is not. Pages the persona may not open (403 / 404 to a
plain GET) are not fuzzed as that persona; a page only another role opens (a destination partner's report-ins, a
township's approval step) is fuzzed as that role too (ALSO_AS). A page whose URL has variants (a transfer's steps, a
destination record's kinds) is fuzzed at each. Size: 32 list pages, 67 form pages and 103 pages that are not lists
(forms included), which as the personas where allowed make 62 list cases × LIST_EXAMPLES (20), 110 form cases ×
FORM_EXAMPLES (20) and 173 query cases × OTHER_EXAMPLES (10): about 5,300 requests, about 5 minutes on SQLite on a
busy 2-core machine. No shrinking, to stay within that bound: a failure is reported as found.
"""

import datetime
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django import forms
from django.db import transaction
from django.test import Client
from django.test.utils import ContextList
from django.urls import URLPattern, reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from activities.models import Activity, RedPackage
from activities.views import ActivityFormView
from certificates.models import Certificate
from certificates.views import CertificateCheckView, CertificateHandBackView, CertificateVoidView
from dues.grid_views import MonthView
from dues.models import DuesRelief, DuesStandard
from dues.views import PaymentCreateView, ReliefCreateView, ReliefDecideView, StandardFormView
from inflow.models import InflowMember
from lanshan_party.models import ExportJob, User
from lanshan_party.views import ScopedListView
from members import census
from members.models import CensusCampaign, CensusTask, Member, Outflow
from organizations.models import Agreement, Organization, Station
from selfservice.models import PersonalLink, PublicRequest, SelfReport
from selfservice.views import FindView, LinkView, ReportReviewView, RequestHandleView
from services.models import HometownProject, Recognition, RepresentativePost, ServiceCase, ServiceItem
from tests.conftest import login
from tests.factories import ActivityFactory, MemberFactory
from tests.fuzz_objects import add_objects_of_the_new_domains
from tests.inflow.factories import InflowMemberFactory
from tests.organizations.factories_agreements import AgreementFactory
from tests.services.factories import (
    HometownProjectFactory,
    RecognitionFactory,
    RepresentativePostFactory,
    ServiceCaseFactory,
    ServiceItemFactory,
)
from tests.test_permissions import posted_back
from tests.test_urls import _all_urls
from transfers.models import Transfer
from yearly.models import CommitteeMember, StudyRecord, Term

LIST_EXAMPLES = 20
FORM_EXAMPLES = 20
OTHER_EXAMPLES = 10

# Parameters views read from request.GET by hand (grep request.GET), tried on every page that is not a list.
HAND_READ = ("year", "for", "q", "holiday", "organization", "activity", "parent", "member", "kind", "ledger", "page")
PAGING = ("page", "per_page", "sort")

# Which object of the shared county (and the `world` additions below) fills a page's <pk>, by the page's model.
OBJECT_OF_MODEL: dict[type, str] = {
    Member: "yuan",
    Outflow: "yuan_outflow",
    Organization: "huaguo",
    User: "township",
    Station: "station",
    Agreement: "agreement",
    Activity: "activity",
    RedPackage: "red_package",
    ServiceCase: "case",
    ServiceItem: "item",
    Recognition: "recognition",
    RepresentativePost: "post",
    HometownProject: "project",
    CensusCampaign: "campaign",
    CensusTask: "task",
    ExportJob: "export_job",
    InflowMember: "inflow_member",
    Transfer: "transfer",
    Certificate: "certificate",
    StudyRecord: "study_record",
    CommitteeMember: "committee_member",
    Term: "term",
    DuesStandard: "standard",
    DuesRelief: "relief",
    SelfReport: "self_report",
    PublicRequest: "public_request",
    PersonalLink: "personal_link",
}
# The model of a view without .model; the views that build and read their forms by hand are form pages too.
MODEL_OF_VIEW = {
    ActivityFormView: Activity,
    CertificateCheckView: Certificate,
    CertificateHandBackView: Certificate,
    CertificateVoidView: Certificate,
    StandardFormView: DuesStandard,
    ReliefDecideView: DuesRelief,
    ReportReviewView: SelfReport,
    RequestHandleView: PublicRequest,
}
HAND_MADE_FORMS = {ActivityFormView, StandardFormView, PaymentCreateView, ReliefCreateView, ReliefDecideView, MonthView}
HAND_MADE_FORMS |= {LinkView, FindView, ReportReviewView, RequestHandleView}
OBJECT_OF_URL = {
    "members:outflow_create": "li",  # a departure is registered for a member at home
    "inflow:activity_attendance": "activity",  # inflow members' attendance at an activity
    "transfers:transfer_receipt": "transfer_issued",  # a letter awaits its receipt
    "transfers:transfer_print": "transfer_issued",  # only an issued letter prints
    "certificates:certificate_issue": "uncertified_outflow",  # an open departure without a certificate
    "selfservice:member_links": "yuan",
}
SLUG_OF_URL = {"members:outflow_transition": "report", "ledgers:import_template": "members"}
# Pages whose URL is more than one object's id: every variant of it, each a page of its own.
KWARGS_OF_URL: dict[str, Callable[[SimpleNamespace], list[dict[str, Any]]]] = {
    "transfers:transfer_step": lambda w: [
        {"pk": w.transfer.pk, "step": "submit"},
        {"pk": w.transfer.pk, "step": "withdraw"},
        {"pk": w.transfer_at_township.pk, "step": "approve"},
        {"pk": w.transfer_at_township.pk, "step": "return"},
        {"pk": w.transfer_at_county.pk, "step": "approve"},
    ],
    "members:partner_record": lambda w: [
        {"pk": w.yuan.pk, "record": "attendance"},
        {"pk": w.yuan.pk, "record": "evaluation"},
    ],
    "dues:month": lambda w: [{"org_pk": w.huaguo.pk, "year": 2026, "month": 1}],
    "selfservice:link": lambda w: [{"token": w.link_token}],  # a live personal link, opened as its member would
}
# Fields views read from request.POST by hand, not through a form on the page.
POSTED_BY_HAND = {
    "dues:month": ("paid", "paid_on"),
    "selfservice:link": ("step",),
    "selfservice:find": ("city",),
    "selfservice:report_review": ("decision",),
}

# Pages not fuzzed here, each with the reason. Everything else in the URLconf is.
NOT_FUZZED = {
    "logout": "POST only, no input",
    "notification_read_all": "POST only, no input",
    "notification_open": "POST only, no input but the id in the path",
    "accounts:user_unlock": "POST only, no input but the id in the path",
    "api:token_revoke": "POST only, no input but the id in the path",
    "ledgers:export_retry": "POST only, no input but the id in the path",
    "ledgers:import_retry": "POST only, no input but the id in the path",
    "members:campaign_step": "POST only, no input but the step in the path",
    "members:member_reveal": "POST only; its one field is fuzzed by name below",
    "inflow:inflowmember_reveal": "POST only; its one field is fuzzed by name below",
    "activities:activity_photo": "serves a stored file, no input",
    "organizations:agreement_scan": "serves a stored file, no input",
    "ledgers:export_download": "serves a stored file, no input",
    "ledgers:import_detail": "needs an uploaded workbook: the import tests post hostile workbooks",
    "ledgers:import_confirm": "needs an uploaded workbook: the import tests cover it",
    "ledgers:import_discard": "needs an uploaded workbook: the import tests cover it",
    "ledgers:import_marked": "needs an uploaded workbook: the import tests cover it",
    "dues:standard_confirm": "POST only, no input but the id in the path",
    "selfservice:link_revoke": "POST only, no input but the id in the path",
    "selfservice:campaign_links": "POST only, no input but the id in the path",
    "selfservice:link_send": "POST only; its fields are fuzzed by name below",
    "members:outflow_hand_over": "POST only; its one field is fuzzed by name below",
}
POST_ONLY_FORMS = {
    "members:member_reveal": ("reason",),
    "inflow:inflowmember_reveal": ("reason",),
    "selfservice:link_send": ("purpose", "channel", "email"),
    "members:outflow_hand_over": ("to",),
}
OBJECT_OF_URL |= {"selfservice:link_send": "yuan", "members:outflow_hand_over": "yuan_outflow"}

HOSTILE_WORDS = [
    "",
    " ",
    "\x00",
    "1\x00",
    "a\x00b",
    "abc",
    "0",
    "-1",
    "1.5",
    "1e309",
    "NaN",
    "-inf",
    "2" * 30,
    "-9223372036854775809",
    "9223372036854775808",
    "2147483648",
    "１２３",
    "²",
    "①",
    "٣",
    "true",
    "on",
    "null",
    "None",
    "[]",
    "{}",
    "' OR '1'='1",
    "1; DROP TABLE members_member; --",
    "%",
    "_",
    "\\",
    "../../../../etc/passwd",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }}",
    "%(name)s",
    "2024-02-30",
    "2024-13-01",
    "0000-00-00",
    "9999-12-31",
    "10000-01-01",
    "-0001-01-01",
    "1900-01-01",
    "2024-01-01T25:61:00",
    "𠜎𠜱𠝹",
    "\u202eevil",
    "\ufeff",
    "ﾟ･✿ヾ╲(｡◕‿◕｡)╱✿･ﾟ",
    "x" * 256,
    "张" * 1000,
    "9" * 5000,
]
hostile_text = st.one_of(
    st.sampled_from(HOSTILE_WORDS),
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates(min_value=datetime.date(1, 1, 1)).map(lambda d: d.strftime("%Y-%m-%d")),
)
hostile_value = st.one_of(hostile_text, st.lists(hostile_text, min_size=2, max_size=3))
unknown_names = st.one_of(st.sampled_from(["x", "csrfmiddlewaretoken", "submit", "id", "pk", "__all__"]), st.text())
extra_fields = st.dictionaries(unknown_names, hostile_value, max_size=3)

KEEP, LEAVE_OUT = object(), object()
# The personas each page is fuzzed as, where it opens; and for the pages only another role opens, that role too.
PERSONAS = ("admin", "branch")
ALSO_AS = {
    "members:partner_desk": ("partner",),
    "members:report_in_accept": ("partner",),
    "members:report_in_refuse": ("partner",),
    "members:partner_record": ("partner",),
    "transfers:transfer_step": ("township",),  # the township approves or returns what a branch submitted
}


@pytest.fixture
def world(county: SimpleNamespace) -> SimpleNamespace:
    """The shared county plus one object of every model a page is about, all inside 花果村 where they have a place."""
    c = county
    c.li = MemberFactory(name="李春华", home_branch=c.huaguo)
    c.station = Station.objects.create(organization=c.huadu, name="花都流动党员驿站", address="花都区新华街道")
    c.agreement = AgreementFactory(covers=[c.huadu])
    c.activity = ActivityFactory(organization=c.huaguo)
    c.red_package = RedPackage.objects.create(
        organization=c.huaguo, member=c.yuan, items="党章", sent_on=datetime.date(2026, 1, 10)
    )
    c.item = ServiceItemFactory()
    c.case = ServiceCaseFactory(organization=c.huaguo, member=c.yuan)
    c.recognition = RecognitionFactory(member=c.yuan)
    c.post = RepresentativePostFactory(member=c.yuan)
    c.project = HometownProjectFactory(organization=c.huaguo, members=[c.yuan])
    c.campaign = CensusCampaign.objects.create(
        name="春节摸排", starts_on=datetime.date(2026, 2, 1), ends_on=datetime.date(2026, 3, 1)
    )
    c.campaign.organizations.add(c.committee)
    census.open_campaign(c.campaign, by=c.admin)
    c.task = CensusTask.objects.get(campaign=c.campaign, member=c.yuan)
    c.export_job = ExportJob.objects.create(user=c.branch, ledger="members", source="/members/")
    c.inflow_member = InflowMemberFactory(branch=c.huaguo, status="pending", reported_on=None)  # every step open
    add_objects_of_the_new_domains(c)
    return c


def _view_class(pattern: URLPattern) -> type | None:
    return getattr(pattern.callback, "view_class", None)


def _is_list(view: type | None) -> bool:
    return view is not None and issubclass(view, ScopedListView)


def _is_form(view: type | None) -> bool:
    return view is not None and (hasattr(view, "form_class") or view in HAND_MADE_FORMS)


def _pages() -> list[tuple[str, str, URLPattern]]:
    # The admin site is Django's own; the API (/api/v1/) answers a token, not these signed-in personas: it is fuzzed
    # with a token in tests/api/test_bad_input.py and checked against its schema in tests/api/test_schema.py.
    return [
        (path, name, pattern)
        for path, name, pattern in _all_urls()
        if name and not path.startswith(("/admin/", "/api/v1/"))
    ]


def _urls(world: SimpleNamespace, name: str, path: str, pattern: URLPattern) -> list[str] | None:
    """The page's path with its <pk> (or <member_pk>, <outflow_pk>) an object the fixture made, and its slug a real
    one; every variant for the pages of KWARGS_OF_URL."""
    keys = pattern.pattern.converters
    if not keys:
        return [path]
    if name in KWARGS_OF_URL:
        return [reverse(name, kwargs=kwargs) for kwargs in KWARGS_OF_URL[name](world)]
    view = _view_class(pattern)
    model = MODEL_OF_VIEW.get(view) or getattr(view, "model", None)
    attribute = OBJECT_OF_URL.get(name) or ("yuan" if "member_pk" in keys else OBJECT_OF_MODEL.get(model))
    kwargs: dict[str, Any] = {}
    for key in keys:
        if key in ("pk", "member_pk", "outflow_pk"):
            if attribute is None:
                return None
            kwargs[key] = getattr(world, attribute).pk
        else:
            kwargs[key] = SLUG_OF_URL[name]
    return [reverse(name, kwargs=kwargs)]


def _cases(kind: Callable[[type | None], bool]) -> list[Any]:
    cases = []
    for _path, name, pattern in _pages():
        if name in NOT_FUZZED or not kind(_view_class(pattern)):
            continue
        for persona in (*PERSONAS, *ALSO_AS.get(name, ())):
            cases.append(pytest.param(name, persona, id=f"{name}-as-{persona}"))
    return cases


def _other(view: type | None) -> bool:
    return not _is_list(view) and not _is_form(view)


def _not_a_list(view: type | None) -> bool:
    return not _is_list(view)  # form pages too: their initial values come from the query string


def _page(world: SimpleNamespace, name: str) -> list[str]:
    for path, page_name, pattern in _pages():
        if page_name == name:
            urls = _urls(world, name, path, pattern)
            assert urls is not None, f"no object fills the URL of {name}: add its model to OBJECT_OF_MODEL"
            return urls
    raise AssertionError(name)


def _client(world: SimpleNamespace, persona: str) -> Client:
    return login(getattr(world, persona))


def _no_server_error(client: Client, method: str, url: str, data: dict[str, Any]) -> None:
    # Each request in a savepoint: a request that broke the transaction (PostgreSQL) does not poison the next one.
    with transaction.atomic():
        response = getattr(client, method)(url, data)
        assert response.status_code < 500, f"{method.upper()} {url} {_short(data)} → {response.status_code}"
        transaction.set_rollback(True)


def _short(data: dict[str, Any]) -> str:
    return repr({key[:40]: (repr(value)[:80]) for key, value in data.items()})


def _forms_on(response: Any) -> list[forms.BaseForm]:
    contexts = response.context if isinstance(response.context, ContextList) else [response.context]
    found = {id(v): v for c in contexts for v in c.flatten().values() if isinstance(v, forms.BaseForm)}
    return list(found.values())


def _fuzz(examples: int, strategy: st.SearchStrategy, check: Callable[[Any], None]) -> None:
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure is reported as found, within the time bound
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )
    @given(strategy)
    def run(value: Any) -> None:
        check(value)

    run()


def _opens(client: Client, url: str) -> bool:
    return client.get(url).status_code == 200


def _filter_names(response: Any) -> list[str]:
    """The query parameters of the page's filter form, each part of a multi-part widget by its own name."""
    names = []
    for bound in response.context["filter"].form:
        suffixes = getattr(bound.field.widget, "widgets_names", None)
        names.extend(bound.html_name + suffix for suffix in suffixes) if suffixes else names.append(bound.html_name)
    return names


def _mutated(baseline: dict[str, Any], names: list[str]) -> st.SearchStrategy:
    """Each field kept as the form offered it, left out, or hostile; plus unknown extra fields."""
    choice = st.one_of(st.just(KEEP), st.just(LEAVE_OUT), hostile_value)

    def build(picked: tuple[dict[str, Any], dict[str, Any]]) -> dict[str, Any]:
        fields, extras = picked
        data = dict(extras)
        for name, value in fields.items():
            if value is KEEP:
                if name in baseline:
                    data[name] = baseline[name]
            elif value is not LEAVE_OUT:
                data[name] = value
        return data

    return st.tuples(st.fixed_dictionaries({name: choice for name in names}), extra_fields).map(build)


@pytest.mark.parametrize(("name", "persona"), _cases(_is_list))
def test_a_list_page_answers_hostile_filters_and_paging_without_a_server_error(world, name, persona):
    (url,) = _page(world, name)
    client = _client(world, persona)
    response = client.get(url)
    if response.status_code != 200:
        pytest.skip(f"{persona} may not open {name}")
    names = [*_filter_names(response), *PAGING]
    strategy = st.tuples(st.fixed_dictionaries({}, optional={name: hostile_value for name in names}), extra_fields).map(
        lambda picked: {**picked[1], **picked[0]}
    )
    _fuzz(LIST_EXAMPLES, strategy, lambda params: _no_server_error(client, "get", url, params))


@pytest.mark.parametrize(("name", "persona"), _cases(_is_form))
def test_a_form_page_answers_hostile_missing_and_extra_fields_without_a_server_error(world, name, persona):
    client = Client() if name == "login" else _client(world, persona)
    if name == "login" and persona != "admin":
        pytest.skip("the login form has no persona")
    opened = 0
    for url in _page(world, name):
        response = client.get(url)
        if response.status_code != 200:
            continue
        opened += 1
        baseline: dict[str, Any] = {}
        for form in _forms_on(response):
            baseline.update(posted_back(form))
        by_hand = POSTED_BY_HAND.get(name, ())
        names = [*baseline, *by_hand, "att-99999999999999999999", f"att-{world.ma.pk}", "remove_photo"]
        _fuzz(
            FORM_EXAMPLES,
            _mutated(baseline, names),
            lambda data, url=url: _no_server_error(client, "post", url, data),
        )
    if not opened:
        pytest.skip(f"{persona} may not open {name}")


@pytest.mark.parametrize(("name", "persona"), _cases(_not_a_list))
def test_any_other_page_answers_hostile_query_parameters_without_a_server_error(world, name, persona):
    client = _client(world, persona)
    strategy = st.tuples(
        st.fixed_dictionaries({}, optional={name: hostile_value for name in HAND_READ}), extra_fields
    ).map(lambda picked: {**picked[1], **picked[0]})
    urls = [url for url in _page(world, name) if _opens(client, url)]
    if not urls:
        pytest.skip(f"{persona} may not open {name}")
    for url in urls:
        _fuzz(OTHER_EXAMPLES, strategy, lambda params, url=url: _no_server_error(client, "get", url, params))


@pytest.mark.parametrize("name", sorted(POST_ONLY_FORMS))
def test_a_form_posted_without_its_page_answers_hostile_fields_without_a_server_error(world, name):
    (url,) = _page(world, name)
    client = _client(world, "admin")
    baseline = {field: "核对组织关系转接材料" for field in POST_ONLY_FORMS[name]}
    _fuzz(FORM_EXAMPLES, _mutated(baseline, list(baseline)), lambda data: _no_server_error(client, "post", url, data))


def test_every_page_of_the_urlconf_is_fuzzed_or_says_why_not():
    fuzzed = {param.values[0] for kind in (_is_list, _is_form, _other) for param in _cases(kind)}
    names = {name for _path, name, _pattern in _pages()}
    assert names - fuzzed == set(NOT_FUZZED)
    assert len(_cases(_is_list)) >= 2 * 30 and len(_cases(_is_form)) >= 2 * 65
