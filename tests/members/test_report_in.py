"""Report-in (报到): every outflow starts 待报到 with a due date; an overdue one is listed, counted and reminded; the
flowing secretary or the destination partner records it, or the partner refuses it with a reason."""

import datetime
import importlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lanshan_party.dashboard import home
from lanshan_party.models import AuditEntry, Notification, NotificationKind
from members import actions
from members.models import Member, Outflow, OutflowEventKind, OutflowStatus
from members.reminders import sweep_report_overdue
from tests.conftest import login
from tests.factories import MemberFactory, UserFactory
from tests.members.outflow_steps import away, reload

S = OutflowStatus


def test_a_departure_is_due_to_report_in_thirty_days_after_it_by_default(county, on_a_fixed_day):
    outflow = away(MemberFactory(home_branch=county.huaguo), county.branch, departure=datetime.date(2026, 1, 10))

    assert outflow.status == S.REGISTERED
    assert reload(outflow).report_due_on == datetime.date(2026, 2, 9)


def test_the_number_of_days_to_report_in_is_a_setting(county, settings, on_a_fixed_day):
    settings.REPORT_IN_DUE_DAYS = 15

    outflow = away(MemberFactory(home_branch=county.huaguo), county.branch, departure=datetime.date(2026, 1, 10))

    assert reload(outflow).report_due_on == datetime.date(2026, 1, 25)


def test_correcting_the_departure_date_of_an_outflow_awaiting_report_in_moves_its_due_date(county):
    outflow = county.yuan_outflow

    actions.update_whereabouts(outflow, by=county.admin, departure_date=datetime.date(2024, 4, 1))

    assert reload(outflow).report_due_on == datetime.date(2024, 5, 1)


def test_the_data_migration_gives_existing_outflows_a_due_date(county):
    Outflow.objects.update(report_due_on=None)
    migration = importlib.import_module("members.migrations.0008_report_due_on_of_existing_outflows")
    from django.apps import apps

    migration.compute_due_dates(apps, None)

    assert reload(county.yuan_outflow).report_due_on == datetime.date(2024, 3, 31)
    assert reload(county.ma_outflow).report_due_on == datetime.date(2025, 3, 3)


def test_the_member_list_filters_report_ins_overdue_on_a_fixed_day(county, on_a_fixed_day):
    # Fixed day 2026-06-15: due 2026-06-14 is overdue, due today is not, a reported one is not.
    late = away(
        MemberFactory(name="逾期甲", home_branch=county.huaguo), county.admin, departure=datetime.date(2026, 5, 15)
    )
    on_time = away(
        MemberFactory(name="按期乙", home_branch=county.huaguo), county.admin, departure=datetime.date(2026, 5, 16)
    )
    actions.report_arrival(county.ma_outflow, by=county.admin, on=datetime.date(2025, 2, 20))

    response = login(county.county_staff).get(reverse("members:member_list"), {"report_overdue": "on"})

    names = {member.name for member in response.context["table"].data}
    assert names == {"逾期甲", "袁芳伟"}
    assert reload(late).is_report_overdue() and not reload(on_time).is_report_overdue()
    assert Member.objects.report_overdue().count() == 2


def test_the_home_page_and_dashboard_count_report_ins_overdue_in_the_users_scope(county, on_a_fixed_day):
    away(MemberFactory(home_branch=county.zongshicun), county.admin, departure=datetime.date(2026, 1, 1))

    assert home(county.county_staff)["counts"]["report_overdue"] == 3  # 袁芳伟, 马云 and the new one
    assert home(county.branch)["counts"]["report_overdue"] == 1  # 袁芳伟 only
    response = login(county.township).get(reverse("dashboard"))
    assert response.context["figures"]["summary"]["report_overdue"] == 1
    assert 'data-testid="report-overdue"' in response.content.decode()


def test_the_overdue_sweep_reminds_each_responsible_secretary_once_a_day(county, on_a_fixed_day):
    kunming_secretary = UserFactory(username="kunming", role="secretary", organization=county.kunming)
    today = datetime.date(2026, 6, 15)

    written = sweep_report_overdue(today)

    reminders = Notification.objects.filter(kind=NotificationKind.REPORT_OVERDUE, channel="in_app")
    assert written == Notification.objects.filter(kind=NotificationKind.REPORT_OVERDUE).count() > 0
    # 袁芳伟 is overdue under Huadu, 马云 under Kunming: each organization's secretary hears of their own.
    assert set(reminders.values_list("recipient__username", flat=True)) == {"secretary", "kunming"}
    assert all("?report_overdue=on" in link for link in reminders.values_list("link", flat=True))
    assert reminders.get(recipient=kunming_secretary).subject == "您有1名党员逾期未到流入地报到"
    assert sweep_report_overdue(today) == 0  # the same day again: nothing new
    assert sweep_report_overdue(today + datetime.timedelta(days=1)) > 0  # the next day: reminded again


def test_the_sweep_writes_nothing_when_no_report_in_is_overdue(county, on_a_fixed_day):
    for outflow in (county.yuan_outflow, county.ma_outflow):
        actions.report_arrival(outflow, by=county.admin, on=datetime.date(2025, 3, 1))

    assert sweep_report_overdue(datetime.date(2026, 6, 15)) == 0


def test_the_flowing_secretary_records_the_report_in_with_the_receiving_organization(county):
    client = login(county.secretary)
    url = reverse("members:outflow_transition", args=[county.yuan_outflow.pk, "report"])

    response = client.post(url, {"on": "2024-03-20", "receiving_org_name": "新华街道某社区党支部", "note": ""})

    assert response.status_code == 302
    outflow = reload(county.yuan_outflow)
    assert outflow.status == S.REPORTED and outflow.reported_on == datetime.date(2024, 3, 20)
    assert outflow.receiving_org_name == "新华街道某社区党支部"
    assert outflow.report_recorded_by == county.secretary
    page = login(county.branch).get(county.yuan.get_absolute_url()).content.decode()
    assert "新华街道某社区党支部" in page and 'data-testid="report-in"' in page


def test_a_report_in_recorded_without_a_receiving_organization_names_the_partner_organization(county):
    actions.report_arrival(county.yuan_outflow, by=county.secretary, on=datetime.date(2024, 3, 20))

    assert reload(county.yuan_outflow).receiving_org_name == "花都区新华街道党工委"


def test_the_partner_accepts_a_report_in_from_its_list(county):
    client = login(county.partner)
    desk = client.get(reverse("members:partner_desk"))
    assert [member.name for member in desk.context["object_list"]] == ["袁芳伟"]

    response = client.post(
        reverse("members:report_in_accept", args=[county.yuan_outflow.pk]),
        {"on": "2024-03-25", "receiving_org_name": "新华街道东风社区党支部", "note": "已参加主题党日"},
    )

    assert response.status_code == 302 and response.headers["Location"] == reverse("members:partner_desk")
    outflow = reload(county.yuan_outflow)
    assert (outflow.status, outflow.reported_on, outflow.receiving_org_name, outflow.report_recorded_by) == (
        S.REPORTED,
        datetime.date(2024, 3, 25),
        "新华街道东风社区党支部",
        county.partner,
    )
    assert AuditEntry.objects.filter(actor=county.partner, object_id=str(outflow.pk)).exists()
    assert list(client.get(reverse("members:partner_desk")).context["object_list"]) == []


def test_accepting_twice_is_refused_with_a_clear_error_and_changes_nothing(county):
    client = login(county.partner)
    url = reverse("members:report_in_accept", args=[county.yuan_outflow.pk])
    client.post(url, {"on": "2024-03-25"})
    events = reload(county.yuan_outflow).events.count()

    response = client.post(url, {"on": "2024-03-26"})

    assert response.status_code == 200 and response.context["form"].errors
    assert reload(county.yuan_outflow).reported_on == datetime.date(2024, 3, 25)
    assert reload(county.yuan_outflow).events.count() == events


def test_the_partner_refuses_a_report_in_with_a_reason_and_the_county_and_flowing_secretary_are_told(county):
    client = login(county.partner)

    response = client.post(
        reverse("members:report_in_refuse", args=[county.yuan_outflow.pk]),
        {"on": "2024-03-25", "reason": "本人未到社区报到，联系电话无法接通"},
    )

    assert response.status_code == 302
    outflow = reload(county.yuan_outflow)
    assert outflow.status == S.REGISTERED  # still 待报到
    assert outflow.refusal_reason == "本人未到社区报到，联系电话无法接通" and outflow.refused_by == county.partner
    assert outflow.events.filter(kind=OutflowEventKind.REFUSE).count() == 1
    told = set(
        Notification.objects.filter(kind=NotificationKind.REPORT_REFUSED).values_list("recipient__username", flat=True)
    )
    assert told == {"admin", "county", "secretary"}
    for user in (county.branch, county.secretary):
        page = login(user).get(county.yuan.get_absolute_url()).content.decode()
        assert 'data-testid="report-refused"' in page and "联系电话无法接通" in page


def test_a_refusal_without_a_reason_is_not_saved(county):
    response = login(county.partner).post(
        reverse("members:report_in_refuse", args=[county.yuan_outflow.pk]), {"on": "2024-03-25", "reason": "  "}
    )

    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert reload(county.yuan_outflow).refused_on is None
    assert not Notification.objects.filter(kind=NotificationKind.REPORT_REFUSED).exists()


def test_accepting_after_a_refusal_clears_it_and_keeps_it_in_the_timeline(county):
    actions.refuse_report_in(county.yuan_outflow, by=county.partner, reason="未到", on=datetime.date(2024, 3, 10))

    actions.report_arrival(county.yuan_outflow, by=county.partner, on=datetime.date(2024, 3, 20))

    outflow = reload(county.yuan_outflow)
    assert outflow.refused_on is None and outflow.refusal_reason == ""
    assert list(outflow.events.values_list("kind", flat=True)) == ["register", "refuse", "report"]


@pytest.mark.parametrize("status", ["reported", "lost"])
def test_only_a_report_in_still_awaited_can_be_refused(county, status):
    if status == "reported":
        actions.report_arrival(county.yuan_outflow, by=county.admin, on=datetime.date(2024, 3, 20))
    else:
        actions.mark_lost(county.yuan_outflow, cause="moved", by=county.admin, on=datetime.date(2024, 3, 20))

    with pytest.raises(ValidationError):
        actions.refuse_report_in(county.yuan_outflow, by=county.partner, reason="未到")
