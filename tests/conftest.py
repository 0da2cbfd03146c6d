"""Personas and the small county they live in, shared by every test.

The county: one committee with two townships (塔峰镇 with branches 花果村 and 城东社区, 总市镇 with
branch 总市村) and two flowing organizations (Huadu, Kunming). One user per role:

- admin      — administrator, sees everything, may reveal
- county     — county staff, sees everything, may reveal
- township   — 塔峰镇 township staff: members whose home branch is in 塔峰镇
- secretary  — secretary of the Huadu flowing organization: members flowing there
- branch     — secretary of 花果村: members whose home branch is 花果村
- outsider   — secretary of 总市村, used to prove things stay out of sight
- partner    — staff of 花都区新华街道党工委, the destination partner organization of the Huadu agreement: sees only
               members whose open outflow names it (袁芳伟)
"""

import datetime
from types import SimpleNamespace

import pytest
from django.test import Client

from lanshan_party.models import Role
from members import actions
from organizations.models import Agreement, AgreementStatus, OrgKind, OrgLevel
from tests.factories import PASSWORD, FlowingOrgFactory, MemberFactory, OrganizationFactory, UserFactory


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--clock-shift",
        type=int,
        default=0,
        metavar="DAYS",
        help="Run the whole suite with the clock moved this many days (e.g. 365 or -365): no test may depend on "
        "the day it runs.",
    )


def pytest_configure(config: pytest.Config) -> None:
    days = config.getoption("--clock-shift")
    if days:
        import time_machine

        moved = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=days)
        # tick: the clock goes on running from the moved instant, as a real one would.
        config._clock_shift = time_machine.travel(moved, tick=True)  # type: ignore[attr-defined]
        config._clock_shift.start()  # type: ignore[attr-defined]


def pytest_report_header(config: pytest.Config) -> str | None:
    days = config.getoption("--clock-shift")
    return f"clock moved {days:+d} days: today is {datetime.datetime.now(tz=datetime.UTC):%Y-%m-%d}" if days else None


# The day tests with hard-written dates live on: after every date they write (activities in March 2026 must be in
# the past), and the same whatever day, or --clock-shift, the suite runs on.
FIXED_DAY = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


@pytest.fixture
def on_a_fixed_day():
    """Run the test on FIXED_DAY, its clock ticking from there."""
    import time_machine

    with time_machine.travel(FIXED_DAY, tick=True):
        yield FIXED_DAY


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: object) -> None:
    """Every persona's password is hashed when it is made; the production hasher would take minutes here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def a_fresh_cache() -> None:
    """Each test starts with an empty cache: rate-limit windows, progress and breaker notes of one test (the fuzz
    alone opens the personal-link page hundreds of times a minute from 127.0.0.1) never answer for the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def uploads_in_a_temporary_folder(settings: object, tmp_path: object) -> None:
    """Uploaded scans and photos go to a folder of the test's own, never into the project."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def skip_postgres_only_tests_elsewhere(request: pytest.FixtureRequest) -> None:
    """Tests marked postgres_only (row locks, concurrent connections) run on PostgreSQL and are skipped on SQLite."""
    if request.node.get_closest_marker("postgres_only"):
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://…")


@pytest.fixture
def county(db: None) -> SimpleNamespace:
    c = SimpleNamespace()
    c.committee = OrganizationFactory(name="中共蓝山县委员会", kind=OrgKind.COUNTY, level=OrgLevel.COMMITTEE)
    c.tafeng = OrganizationFactory(
        name="中共蓝山县塔峰镇委员会", kind=OrgKind.TOWNSHIP, level=OrgLevel.COMMITTEE, parent=c.committee
    )
    c.zongshi = OrganizationFactory(
        name="中共蓝山县总市镇委员会", kind=OrgKind.TOWNSHIP, level=OrgLevel.COMMITTEE, parent=c.committee
    )
    c.huaguo = OrganizationFactory(name="中共蓝山县塔峰镇花果村支部委员会", parent=c.tafeng)
    c.chengdong = OrganizationFactory(
        name="中共蓝山县塔峰镇城东社区支部委员会", kind=OrgKind.COMMUNITY, parent=c.tafeng
    )
    c.zongshicun = OrganizationFactory(name="中共蓝山县总市镇总市村支部委员会", parent=c.zongshi)
    c.huadu = FlowingOrgFactory(
        name="中共蓝山县驻花都区流动党员总支部委员会", parent=c.committee, level=OrgLevel.GENERAL_BRANCH
    )
    c.kunming = FlowingOrgFactory(
        name="中共蓝山县驻昆明流动党员支部委员会",
        parent=c.committee,
        province="云南省",
        city="昆明市",
        district="官渡区",
    )

    # The destination partner (流入地党组织) outside our tree; the agreement naming it is the fixture below.
    c.partner_org = OrganizationFactory(name="花都区新华街道党工委", kind=OrgKind.PARTNER, level=OrgLevel.COMMITTEE)

    c.admin = UserFactory(username="admin", role=Role.ADMIN, organization=c.committee, may_reveal=True)
    c.county_staff = UserFactory(username="county", role=Role.COUNTY, organization=c.committee, may_reveal=True)
    c.township = UserFactory(username="township", role=Role.TOWNSHIP, organization=c.tafeng)
    c.secretary = UserFactory(username="secretary", role=Role.SECRETARY, organization=c.huadu)
    c.branch = UserFactory(username="branch", role=Role.SECRETARY, organization=c.huaguo)
    c.outsider = UserFactory(username="outsider", role=Role.SECRETARY, organization=c.zongshicun)
    c.partner = UserFactory(username="partner", role=Role.PARTNER, organization=c.partner_org)

    # 袁芳伟: home 花果村, working in Huadu. 覃文英: home 城东社区, at home. 马云: home 总市村, in Kunming.
    c.yuan = MemberFactory(name="袁芳伟", home_branch=c.huaguo)
    c.qin = MemberFactory(name="覃文英", home_branch=c.chengdong)
    c.ma = MemberFactory(name="马云", home_branch=c.zongshicun)
    c.yuan_outflow = actions.register_outflow(
        c.yuan,
        by=c.admin,
        departure_date=datetime.date(2024, 3, 1),
        province="广东省",
        city="广州市",
        district="花都区",
        partner_org=c.partner_org,
    )
    c.ma_outflow = actions.register_outflow(
        c.ma, by=c.admin, departure_date=datetime.date(2025, 2, 1), province="云南省", city="昆明市", district="官渡区"
    )
    c.users = [c.admin, c.county_staff, c.township, c.secretary, c.branch, c.outsider, c.partner]
    return c


@pytest.fixture
def partner_agreement(county: SimpleNamespace) -> Agreement:
    """The in-force agreement naming the county's destination partner and covering the Huadu flowing organization
    (kept out of `county`, whose agreement lists other tests count)."""
    agreement = Agreement.objects.create(
        counterpart="中共广州市花都区委组织部",
        partner=county.partner_org,
        province="广东省",
        city="广州市",
        district="花都区",
        valid_from=datetime.date(2024, 1, 1),
        valid_to=datetime.date(2099, 12, 31),
        status=AgreementStatus.IN_FORCE,
    )
    agreement.covered_organizations.add(county.huadu)
    return agreement


def login(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def password() -> str:
    return PASSWORD
