"""The demo county a newcomer gets from `./dev run`."""

from django.core.management import call_command
from django.db.models import Count
from django.test import Client

from lanshan_party.models import Role, User
from members.models import Member, Outflow, OutflowEvent, OutflowStatus
from organizations.models import Organization, OrgKind


def test_the_demo_county_has_every_kind_of_organization_outflow_state_and_role(db):
    call_command("load_demo", members=400, verbosity=0)

    kinds = dict(Organization.objects.values_list("kind").annotate(n=Count("id")))
    assert kinds[OrgKind.COUNTY] == 1
    assert kinds[OrgKind.FLOWING] == 22
    assert kinds[OrgKind.TOWNSHIP] >= 9
    cities = set(Organization.objects.flowing().values_list("city", flat=True))
    assert {"广州市", "深圳市", "东莞市", "文昌市", "昆明市"} <= cities

    assert Member.objects.count() == 400
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
    call_command("load_demo", members=50, verbosity=0)
    call_command("load_demo", members=50, verbosity=0)

    assert Member.objects.count() == 50
    assert User.objects.filter(username="admin").count() == 1
