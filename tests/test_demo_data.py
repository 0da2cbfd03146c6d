"""The demo county a newcomer gets from `./dev run`."""

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import Client

from lanshan_party.models import Role, User
from members.models import Member, Outflow, OutflowEvent, OutflowStatus
from organizations.models import Organization, OrgKind
from transfers.models import Direction, Transfer


def members_loaded() -> int:
    """The demo's members, without the one its transfers bring in from another county (--members counts ours)."""
    came_in = Transfer.objects.filter(direction=Direction.IN, member__isnull=False).count()
    assert came_in <= 2
    return Member.objects.count() - came_in


def test_the_demo_county_has_every_kind_of_organization_outflow_state_and_role(db):
    call_command("load_demo", allow_production=True, members=400, verbosity=0)

    kinds = dict(Organization.objects.values_list("kind").annotate(n=Count("id")))
    assert kinds[OrgKind.COUNTY] == 1
    assert kinds[OrgKind.FLOWING] == 22
    assert kinds[OrgKind.TOWNSHIP] >= 9
    cities = set(Organization.objects.flowing().values_list("city", flat=True))
    assert {"广州市", "深圳市", "东莞市", "文昌市", "昆明市"} <= cities

    assert members_loaded() == 400
    assert set(Outflow.objects.values_list("status", flat=True)) == set(OutflowStatus.values)
    # Every member points at their one open outflow, and every outflow has its recorded steps.
    for member in Member.objects.filter(current_outflow__isnull=False).select_related("current_outflow")[:50]:
        assert member.current_outflow.member_id == member.pk and member.current_outflow.is_open
    assert not Outflow.objects.annotate(n=Count("events")).filter(n=0).exists()
    assert OutflowEvent.objects.filter(kind="lose").count() >= Outflow.objects.filter(status="lost").count()

    for username, role in [
        ("admin", Role.ADMIN),
        ("county", Role.COUNTY),
        ("township", Role.TOWNSHIP),
        ("secretary", Role.SECRETARY),
        ("branch", Role.SECRETARY),
    ]:
        user = User.objects.get(username=username)
        assert user.role == role
        client = Client()
        assert client.post("/login/", {"username": username, "password": "lanshan-demo-2026"}).status_code == 302
        assert client.get("/members/").status_code == 200


def test_loading_the_demo_twice_changes_nothing(db):
    call_command("load_demo", allow_production=True, members=50, verbosity=0)
    call_command("load_demo", allow_production=True, members=50, verbosity=0)

    assert members_loaded() == 50
    assert User.objects.filter(username="admin").count() == 1


def test_the_demo_county_has_a_year_of_organizational_life_agreements_and_services(db):
    from activities.models import Activity, ActivityType, Attendance, RedPackage
    from organizations.models import Agreement
    from services.models import HometownProject, Recognition, RepresentativePost, ServiceCase

    call_command("load_demo", allow_production=True, members=400, verbosity=0)

    types = set(Activity.objects.values_list("type", flat=True))
    assert types == set(ActivityType.values)
    assert Attendance.objects.count() > 10 * Activity.objects.count() // 2
    assert set(Attendance.objects.values_list("status", flat=True)) == {"present", "online", "excused", "absent"}
    warned = Member.objects.life_warning_counts()
    assert all(warned[level] > 0 for level in warned), warned
    assert Member.objects.filter(last_life_on__isnull=False).count() > 300
    assert RedPackage.objects.exists() and RedPackage.objects.filter(signed_on__isnull=True).exists()
    assert Agreement.objects.expiring().exists()
    assert {"文昌市", "昆明市", "广州市"} <= set(Agreement.objects.values_list("city", flat=True))
    assert ServiceCase.objects.filter(kind="wage_recovery").exists()
    assert Recognition.objects.exists() and RepresentativePost.objects.exists() and HometownProject.objects.exists()

    from members.models import CampaignStatus, CensusCampaign

    campaigns = {c.status: c for c in CensusCampaign.objects.all()}
    assert set(campaigns) == {CampaignStatus.CLOSED, CampaignStatus.OPEN}
    finished, current = campaigns[CampaignStatus.CLOSED], campaigns[CampaignStatus.OPEN]
    assert (
        finished.holiday == "spring_festival"
        and finished.tasks.count() == Member.objects.filter(standing="normal").count()
    )
    assert finished.tasks.filter(answered_at__isnull=False).count() > 0.9 * finished.tasks.count()
    assert 0 < current.tasks.filter(answered_at__isnull=False).count() < current.tasks.count()

    client = Client()
    client.post("/login/", {"username": "county", "password": "lanshan-demo-2026"})
    for url in (
        "/",
        "/dashboard/",
        "/activities/",
        "/activities/warnings/",
        "/organizations/agreements/",
        f"/members/census/{current.pk}/",
        "/members/census/tasks/",
        "/reminders/",
    ):
        assert client.get(url).status_code == 200, url


def test_the_demo_can_be_loaded_again_with_reset_over_a_year_of_activities(db):
    from activities.models import Activity

    call_command("load_demo", allow_production=True, members=60, verbosity=0)
    first = Activity.objects.count()
    call_command("load_demo", allow_production=True, members=60, reset=True, verbosity=0)
    assert members_loaded() == 60
    assert Activity.objects.count() == first


def test_load_demo_refuses_a_production_database_and_changes_nothing(db, settings):
    # pytest-django runs with DEBUG off, as production does.
    assert settings.DEBUG is False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo", members=20, verbosity=0)
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo", members=20, reset=True, verbosity=0)

    assert not Organization.objects.exists() and not User.objects.filter(username="admin").exists()


def test_load_demo_runs_on_a_development_database(db, settings):
    settings.DEBUG = True
    call_command("load_demo", members=20, verbosity=0)

    assert User.objects.filter(username="admin").exists()
