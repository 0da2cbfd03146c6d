"""Registering an inflow member through the form, the report-in, reports back to the home organization and leaving:
each step audited, refused with a clear message when it does not fit, and personal data encrypted and masked."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from inflow import actions
from inflow.models import InflowMember, InflowReport, InflowStatus
from lanshan_party.models import AuditAction, AuditEntry
from lanshan_party.personal_data import mask_id_number, mask_phone
from tests.conftest import login
from tests.factories import make_id_number
from tests.inflow.factories import InflowMemberFactory, other_county_id_number
from tests.test_permissions import posted_back

ID_NUMBER = other_county_id_number(7, datetime.date(1988, 4, 9), male=False)
PHONE = "13922223333"


def _new_form(county, **changes):
    data = {
        "name": "卿桂英",
        "id_number": ID_NUMBER,
        "phone": PHONE,
        "occupation": "电商从业者",
        "from_province": "广东省",
        "joined_on": "2010-07-01",
        "arrived_on": "2025-03-01",
        "reason": "business",
        "has_certificate": "on",
        "certificate_number": "LRZ20250001",
        "home_org_name": "中共连州市保安镇卿罡村支部委员会",
        "home_place": "广东省连州市",
        "home_contact": "卿书记",
        "contact_phone": "13800138000",
        "branch": county.huaguo.pk,
    }
    data.update(changes)
    return data


def test_a_branch_secretary_registers_an_inflow_member_who_then_waits_to_report_in(world):
    response = login(world.branch).post(reverse("inflow:inflowmember_create"), _new_form(world))

    inflow = InflowMember.objects.get(name="卿桂英")
    assert response.status_code == 302 and response.headers["Location"] == inflow.get_absolute_url()
    assert (inflow.status, inflow.gender, inflow.birth_date) == (InflowStatus.PENDING, "F", datetime.date(1988, 4, 9))
    entry = AuditEntry.objects.get(
        action=AuditAction.CREATE, object_type="inflow.inflowmember", object_id=str(inflow.pk)
    )
    assert entry.changes["id_number"] == [None, mask_id_number(ID_NUMBER)]
    assert PHONE not in str(entry.changes)


def test_the_id_number_and_phones_are_ciphertext_in_the_database_and_masked_on_the_page(world):
    login(world.branch).post(reverse("inflow:inflowmember_create"), _new_form(world))
    inflow = InflowMember.objects.get(name="卿桂英")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone, contact_phone FROM inflow_inflowmember WHERE id = %s", [inflow.pk])
        raw = cursor.fetchone()
    assert all(value.startswith("gAAAA") for value in raw)  # Fernet tokens
    assert ID_NUMBER not in str(raw) and PHONE not in str(raw) and "13800138000" not in str(raw)
    for url in (inflow.get_absolute_url(), reverse("inflow:inflowmember_list")):
        page = login(world.branch).get(url).content.decode()
        assert ID_NUMBER not in page and PHONE not in page and "13800138000" not in page
    assert mask_id_number(ID_NUMBER) in page and mask_phone(PHONE) in page


def test_a_full_id_number_or_phone_finds_the_inflow_member_through_the_blind_index(world):
    client = login(world.branch)
    for text in (world.in_huaguo.id_number, world.in_huaguo.phone):
        response = client.post(reverse("members:search"), {"q": text, "next": reverse("inflow:inflowmember_list")})
        assert text not in response.headers["Location"]
        page = client.get(response.headers["Location"]).content.decode()
        assert world.in_huaguo.name in page and world.pending_huaguo.name not in page


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"id_number": ID_NUMBER[:-1] + ("0" if ID_NUMBER[-1] != "0" else "1")}, "id_number"),
        ({"phone": "12345"}, "phone"),
        ({"arrived_on": "2099-01-01"}, "arrived_on"),
        ({"branch": ""}, "branch"),
        ({"from_province": "火星"}, "from_province"),
        ({"has_certificate": ""}, "has_certificate"),
        ({"gender": "M"}, "gender"),
    ],
)
def test_bad_input_is_refused_at_its_field_and_nothing_is_saved(world, changes, field):
    response = login(world.branch).post(reverse("inflow:inflowmember_create"), _new_form(world, **changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not InflowMember.objects.filter(name="卿桂英").exists()


def test_a_branch_outside_the_users_subtree_cannot_be_chosen(world):
    response = login(world.branch).post(
        reverse("inflow:inflowmember_create"), _new_form(world, branch=world.zongshicun.pk)
    )
    assert "branch" in response.context["form"].errors


def test_an_id_number_already_registered_or_of_our_own_member_is_refused(world):
    client = login(world.admin)
    taken = client.post(reverse("inflow:inflowmember_create"), _new_form(world, id_number=world.in_huadu.id_number))
    ours = client.post(reverse("inflow:inflowmember_create"), _new_form(world, id_number=world.yuan.id_number))
    assert "id_number" in taken.context["form"].errors and "id_number" in ours.context["form"].errors


def test_editing_keeps_the_stored_personal_data_when_the_fields_are_left_empty(world):
    inflow = world.in_huaguo
    number, phone = inflow.id_number, inflow.phone
    client = login(world.branch)
    form = client.get(reverse("inflow:inflowmember_update", args=[inflow.pk])).context["form"]
    assert form.initial["id_number"] == "" and number not in str(form)
    response = client.post(
        reverse("inflow:inflowmember_update", args=[inflow.pk]), posted_back(form, occupation="厨师")
    )
    assert response.status_code == 302
    inflow.refresh_from_db()
    assert (inflow.id_number, inflow.phone, inflow.occupation) == (number, phone, "厨师")


def test_the_report_in_places_the_member_in_a_branch_and_cannot_be_recorded_twice(world):
    inflow = world.pending_huaguo
    client = login(world.township)
    url = reverse("inflow:report_in", args=[inflow.pk])
    data = {"on": "2026-03-02", "branch": world.chengdong.pk, "note": "到社区报到"}

    response = client.post(url, data)

    inflow.refresh_from_db()
    assert response.status_code == 302
    assert (inflow.status, inflow.reported_on, inflow.branch) == (
        InflowStatus.REPORTED,
        datetime.date(2026, 3, 2),
        world.chengdong,
    )
    assert (
        AuditEntry.objects.filter(
            action=AuditAction.WORKFLOW, object_type="inflow.inflowmember", object_id=str(inflow.pk)
        ).count()
        == 1
    )
    again = client.post(url, data)  # a second submit of the same form
    assert again.status_code == 302 and again.headers["Location"] == inflow.get_absolute_url()
    assert (
        AuditEntry.objects.filter(
            action=AuditAction.WORKFLOW, object_type="inflow.inflowmember", object_id=str(inflow.pk)
        ).count()
        == 1
    )
    with pytest.raises(Exception, match="不能再次登记报到"):
        actions.report_in(inflow, branch=world.huaguo, on=datetime.date(2026, 3, 3), by=world.admin)


def test_a_report_in_before_the_arrival_or_in_the_future_is_refused_on_the_form(world):
    client = login(world.branch)
    url = reverse("inflow:report_in", args=[world.pending_huaguo.pk])
    for day in ("2020-01-01", "2099-01-01"):
        response = client.post(url, {"on": day, "branch": world.huaguo.pk})
        assert response.status_code == 200 and "on" in response.context["form"].errors
    world.pending_huaguo.refresh_from_db()
    assert world.pending_huaguo.status == InflowStatus.PENDING


def test_reports_back_are_listed_on_the_page_newest_first_and_a_double_submit_records_one(world):
    inflow = world.in_huaguo
    client = login(world.branch)
    url = reverse("inflow:report_back", args=[inflow.pk])
    first = {"reported_on": "2026-01-10", "channel": "phone", "content": "按时参加组织生活"}
    second = {"reported_on": "2026-04-10", "channel": "letter", "content": "第二季度表现良好"}
    assert client.post(url, first).status_code == 302
    assert client.post(url, second).status_code == 302
    repeat = client.post(url, second)

    assert repeat.status_code == 200 and repeat.context["form"].non_field_errors()
    assert InflowReport.objects.filter(inflow_member=inflow).count() == 2
    page = client.get(inflow.get_absolute_url()).content.decode()
    assert page.index("第二季度表现良好") < page.index("按时参加组织生活")
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, object_type="inflow.inflowreport").count() == 2


def test_an_empty_report_says_what_is_missing(world):
    response = login(world.branch).post(reverse("inflow:report_back", args=[world.in_huaguo.pk]), {})
    assert {"reported_on", "channel", "content"} <= set(response.context["form"].errors)


def test_leaving_ends_the_inflow_with_its_date_and_reason_and_closes_the_steps(world):
    inflow = world.in_huaguo
    client = login(world.branch)
    response = client.post(reverse("inflow:end", args=[inflow.pk]), {"on": "2026-05-01", "reason": "返回原籍"})

    inflow.refresh_from_db()
    assert response.status_code == 302
    assert (inflow.status, inflow.left_on, inflow.left_reason) == (
        InflowStatus.LEFT,
        datetime.date(2026, 5, 1),
        "返回原籍",
    )
    entry = AuditEntry.objects.get(
        action=AuditAction.WORKFLOW, object_type="inflow.inflowmember", object_id=str(inflow.pk)
    )
    assert entry.changes["status"] == [InflowStatus.REPORTED, InflowStatus.LEFT]
    for name in ("inflow:end", "inflow:report_back", "inflow:report_in"):
        assert client.get(reverse(name, args=[inflow.pk])).status_code == 302  # back to the page, step closed


def test_leaving_without_a_reason_or_before_arriving_is_refused(world):
    client = login(world.branch)
    url = reverse("inflow:end", args=[world.in_huaguo.pk])
    assert "reason" in client.post(url, {"on": "2026-05-01"}).context["form"].errors
    assert "on" in client.post(url, {"on": "2020-05-01", "reason": "返回原籍"}).context["form"].errors


def test_the_list_filters_by_status_branch_province_and_arrival_year(world):
    InflowMemberFactory(
        name="贵州来的", branch=world.huaguo, from_province="贵州省", arrived_on=datetime.date(2022, 1, 5)
    )
    client = login(world.admin)
    url = reverse("inflow:inflowmember_list")

    def names(**params):
        return {row.record.name for row in client.get(url, params).context["table"].rows}

    assert names(status="pending") == {"huaguo待报到", "huadu待报到", "zongshicun待报到"}
    assert names(branch=world.tafeng.pk) == {"huaguo流入", "huaguo待报到", "贵州来的"}
    assert names(from_province="贵州省") == {"贵州来的"}
    assert names(year=2022) == {"贵州来的"}
    assert len(names()) == 7


def test_a_lanshan_id_number_is_not_confused_with_an_inflow_member(world):
    """The search by blind index looks at inflow members only: our own member's number finds nothing here."""
    number = make_id_number(3, datetime.date(1990, 1, 1))
    assert not InflowMember.objects.search(number).exists()
    assert InflowMember.objects.search(world.in_huadu.id_number).get() == world.in_huadu


def test_a_branch_secretarys_new_form_has_their_own_branch_chosen_already(world):
    form = login(world.branch).get(reverse("inflow:inflowmember_create")).context["form"]
    assert form.initial["branch"] == world.huaguo.pk
    assert "branch" not in login(world.township).get(reverse("inflow:inflowmember_create")).context["form"].initial
