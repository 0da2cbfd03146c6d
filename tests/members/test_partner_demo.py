"""The demo county shows the destination partners: an account per partner organization of an agreement in force
(partner-1 …, the demo password), their members, report-ins overdue and refused, attendance and evaluations."""

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from lanshan_party.models import Role, User
from members.models import Member, Outflow, OutflowEventKind, PartnerAttendance, PartnerEvaluation
from organizations.models import Agreement


def test_the_demo_has_a_partner_account_per_agreement_partner_with_its_members_and_records(db):
    call_command("load_demo", allow_production=True, members=600, verbosity=0)

    partner_orgs = set(Agreement.objects.in_force().exclude(partner=None).values_list("partner", flat=True))
    accounts = User.objects.filter(role=Role.PARTNER)
    assert partner_orgs and set(accounts.values_list("organization", flat=True)) == partner_orgs
    assert all(name.startswith("partner-") for name in accounts.values_list("username", flat=True))
    assert Member.objects.report_overdue().exists()
    assert Outflow.objects.exclude(refusal_reason="").exists()
    assert Outflow.objects.filter(events__kind=OutflowEventKind.REFUSE).exists()
    assert PartnerAttendance.objects.exists() and PartnerEvaluation.objects.exists()
    assert not Outflow.objects.filter(report_due_on=None).exists()
    # Each member's pointer follows their open outflow's partner organization.
    for member in Member.objects.exclude(partner_org=None).select_related("current_outflow")[:50]:
        assert member.current_outflow.partner_org_id == member.partner_org_id

    user = accounts.order_by("username").first()
    client = Client()
    assert client.post("/login/", {"username": user.username, "password": "lanshan-demo-2026"}).status_code == 302
    seen = Member.objects.visible_to(user)
    assert seen.exists() and not seen.exclude(partner_org=user.organization).exists()
    assert client.get(reverse("members:partner_desk")).status_code == 200
    assert client.get(reverse("home")).status_code == 200


def test_the_partner_demo_loads_again_with_reset(db):
    call_command("load_demo", allow_production=True, members=80, verbosity=0)
    call_command("load_demo", allow_production=True, members=80, reset=True, verbosity=0)

    assert User.objects.filter(role=Role.PARTNER).count() == len(
        set(Agreement.objects.in_force().exclude(partner=None).values_list("partner", flat=True))
    )
