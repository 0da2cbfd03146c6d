"""A destination partner's account (流入地党组织) sees only the members whose open outflow names its organization,
through the same scoping as everybody else, and reports back attendance and the democratic evaluation, which show on
the member's page at home."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity
from lanshan_party.models import AuditAction, AuditEntry, Role, User
from members import actions
from members.models import Member, PartnerAttendance, PartnerEvaluation
from organizations.models import Agreement, AgreementStatus, Organization, OrgKind
from tests.conftest import login
from tests.factories import ActivityFactory, MemberFactory, OrganizationFactory, UserFactory
from tests.members.outflow_steps import away, outflow_post_data, reload


def test_a_partner_user_sees_exactly_the_members_whose_open_outflow_names_their_organization(county):
    assert list(Member.objects.visible_to(county.partner)) == [county.yuan]
    assert Member.objects.get(pk=county.yuan.pk).partner_org == county.partner_org

    response = login(county.partner).get(reverse("members:member_list"))

    assert [member.name for member in response.context["table"].data] == ["袁芳伟"]


def test_a_partner_user_gets_404_for_a_member_without_an_open_outflow_naming_their_organization(county):
    client = login(county.partner)

    for member in (county.ma, county.qin):
        assert client.get(member.get_absolute_url()).status_code == 404
    assert client.get(county.yuan.get_absolute_url()).status_code == 200


def test_a_member_whose_outflow_ended_disappears_from_the_partners_scope(county):
    client = login(county.partner)
    actions.return_home(county.yuan_outflow, by=county.branch, on=datetime.date(2025, 1, 1))

    assert Member.objects.get(pk=county.yuan.pk).partner_org is None
    assert client.get(county.yuan.get_absolute_url()).status_code == 404
    assert client.get(reverse("members:report_in_accept", args=[county.yuan_outflow.pk])).status_code == 404
    assert client.get(reverse("members:partner_record", args=[county.yuan.pk, "attendance"])).status_code == 404


def test_another_partner_organization_sees_nothing_of_ours(county):
    other = OrganizationFactory(name="南海区桂城街道党工委", kind=OrgKind.PARTNER)
    stranger = UserFactory(username="stranger", role=Role.PARTNER, organization=other)
    client = login(stranger)

    assert not Member.objects.visible_to(stranger).exists()
    assert client.get(county.yuan.get_absolute_url()).status_code == 404
    assert client.get(reverse("members:report_in_accept", args=[county.yuan_outflow.pk])).status_code == 404
    assert client.get(reverse("members:partner_desk")).context["object_list"].count() == 0


def test_a_partner_user_sees_no_activity_organization_user_or_audit_entry_of_ours(county, partner_agreement):
    ActivityFactory(organization=county.huadu, topic="花都主题党日")
    partner = county.partner

    assert not Activity.objects.visible_to(partner).exists()
    assert list(Organization.objects.visible_to(partner)) == [county.partner_org]
    assert not User.objects.visible_to(partner).exists()
    assert not AuditEntry.objects.visible_to(partner).exists()
    assert Agreement.objects.exists() and not Agreement.objects.visible_to(partner).exists()
    client = login(partner)
    assert "花都主题党日" not in client.get(reverse("activities:activity_list")).content.decode()
    assert client.get(county.huadu.get_absolute_url()).status_code == 404


def test_a_partner_user_cannot_keep_member_records_on_our_side(county):
    client = login(county.partner)
    outflow = county.yuan_outflow

    assert client.get(reverse("members:member_update", args=[county.yuan.pk])).status_code == 403
    assert client.get(reverse("members:member_create")).status_code == 403
    assert client.get(reverse("members:outflow_update", args=[outflow.pk])).status_code == 403
    assert client.post(reverse("members:outflow_transition", args=[outflow.pk, "return"]), {}).status_code == 403
    assert reload(outflow).status == "registered"


def test_the_partners_attendance_and_evaluation_show_on_the_members_page_at_home(county):
    client = login(county.partner)

    client.post(
        reverse("members:partner_record", args=[county.yuan.pk, "attendance"]),
        {"date": "2025-05-10", "title": "新华街道五月主题党日", "attended": "on"},
    )
    client.post(
        reverse("members:partner_record", args=[county.yuan.pk, "attendance"]),
        {"date": "2025-06-10", "title": "新华街道六月主题党日"},  # unticked: absent
    )
    response = client.post(
        reverse("members:partner_record", args=[county.yuan.pk, "evaluation"]),
        {"year": "2025", "grade": "excellent", "conduct": "积极参加社区志愿服务"},
    )

    assert response.status_code == 302
    assert list(PartnerAttendance.objects.values_list("title", "attended")) == [
        ("新华街道六月主题党日", False),
        ("新华街道五月主题党日", True),
    ]
    assert AuditEntry.objects.filter(actor=county.partner, action=AuditAction.CREATE).count() == 3
    page = login(county.branch).get(county.yuan.get_absolute_url()).content.decode()
    assert "新华街道五月主题党日" in page and "新华街道六月主题党日" in page
    assert "积极参加社区志愿服务" in page and 'data-testid="partner-evaluations"' in page


def test_recording_a_years_evaluation_again_corrects_it_one_per_member_per_year(county):
    url = reverse("members:partner_record", args=[county.yuan.pk, "evaluation"])
    client = login(county.partner)
    client.post(url, {"year": "2025", "grade": "qualified"})

    client.post(url, {"year": "2025", "grade": "basic", "conduct": "参加组织生活次数偏少"})

    (evaluation,) = PartnerEvaluation.objects.filter(member=county.yuan)
    assert (evaluation.year, evaluation.grade) == (2025, "basic")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"year": "2025", "grade": ""}, "grade"),
        ({"year": "1899", "grade": "qualified"}, "year"),
        ({"year": "2999", "grade": "qualified"}, "year"),
        ({"year": "abc", "grade": "qualified"}, "year"),
    ],
)
def test_a_wrong_evaluation_is_refused_on_its_field(county, data, field):
    response = login(county.partner).post(reverse("members:partner_record", args=[county.yuan.pk, "evaluation"]), data)

    assert response.status_code == 200 and field in response.context["form"].errors
    assert not PartnerEvaluation.objects.exists()


def test_attendance_in_the_future_is_refused(county):
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = login(county.partner).post(
        reverse("members:partner_record", args=[county.yuan.pk, "attendance"]), {"date": future, "title": "主题党日"}
    )

    assert response.status_code == 200 and "date" in response.context["form"].errors


def test_the_outflow_form_offers_the_partners_of_agreements_in_force_covering_the_flowing_organization(
    county, partner_agreement
):
    lapsed = OrganizationFactory(name="白云区某街道党工委", kind=OrgKind.PARTNER)
    old = Agreement.objects.create(
        counterpart="旧协议",
        partner=lapsed,
        valid_from=datetime.date(2020, 1, 1),
        valid_to=datetime.date(2021, 1, 1),
        status=AgreementStatus.IN_FORCE,
    )
    old.covered_organizations.add(county.huadu)
    member = MemberFactory(home_branch=county.huaguo)
    url = reverse("members:outflow_create", args=[member.pk])
    client = login(county.branch)

    offered = list(client.get(url).context["form"].fields["partner_org"].queryset)
    response = client.post(url, outflow_post_data(partner_org=county.partner_org.pk))

    assert offered == [county.partner_org]
    assert response.status_code == 302
    assert Member.objects.get(pk=member.pk).partner_org == county.partner_org
    assert member in Member.objects.visible_to(county.partner)


def test_a_partner_not_covering_the_flowing_organization_is_refused_on_the_outflow_form(county, partner_agreement):
    member = MemberFactory(home_branch=county.zongshicun)
    response = login(county.admin).post(
        reverse("members:outflow_create", args=[member.pk]),
        outflow_post_data(
            province="云南省", city="昆明市", district="官渡区", flowing_org="", partner_org=county.partner_org.pk
        ),
    )

    assert response.status_code == 200 and "partner_org" in response.context["form"].errors
    assert Member.objects.get(pk=member.pk).current_outflow is None


def test_an_administrator_creates_a_partner_account_bound_to_a_partner_organization(county, password):
    client = login(county.admin)
    form = client.get(reverse("accounts:user_create")).context["form"]
    assert county.partner_org in form.fields["organization"].queryset
    data = {
        "username": "xinhua",
        "full_name": "新华街道联络员",
        "role": "partner",
        "organization": county.partner_org.pk,
        "password1": password,
        "password2": password,
    }

    response = client.post(reverse("accounts:user_create"), data)
    wrong = client.post(reverse("accounts:user_create"), {**data, "username": "x2", "organization": county.huadu.pk})

    assert response.status_code == 302
    assert User.objects.get(username="xinhua").role == Role.PARTNER
    assert "organization" in wrong.context["form"].errors
    assert not User.objects.filter(username="x2").exists()


def test_a_partner_users_home_and_menu_show_their_report_ins_to_confirm(county):
    page = login(county.partner).get(reverse("home")).content.decode()

    assert 'data-testid="partner-home"' in page and "袁芳伟" in page
    assert reverse("members:report_in_accept", args=[county.yuan_outflow.pk]) in page
    assert reverse("activities:activity_create") not in page
    assert reverse("ledgers:import_create") not in page
    assert reverse("members:partner_desk") not in login(county.secretary).get(reverse("home")).content.decode()
    member_list = login(county.partner).get(reverse("members:member_list")).content.decode()
    assert reverse("members:member_create") not in member_list
    assert reverse("members:member_create") in login(county.branch).get(reverse("members:member_list")).content.decode()


def test_the_report_ins_list_costs_the_same_queries_for_5_and_for_50_members(county):
    client = login(county.partner)

    def count() -> tuple[int, int]:
        client.get(reverse("members:partner_desk"))
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("members:partner_desk"))
        return len(captured.captured_queries), len(response.context["object_list"])

    def add(n: int) -> None:
        for _ in range(n):
            away(MemberFactory(home_branch=county.huaguo), county.admin, partner_org=county.partner_org)

    add(4)
    few, shown_few = count()
    add(45)
    many, shown_many = count()

    assert (shown_few, shown_many) == (5, 50)
    assert few == many <= 12
