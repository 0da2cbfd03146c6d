"""The outflow workflow (外出登记 → 报到 → 失联/找回 → 返乡/转出/关闭), through the actions and the pages.
The flowing organization an outflow joins and the transfer prompt are in test_outflow_destinations.py."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from lanshan_party.models import AuditAction, AuditEntry
from members import actions
from members.models import (
    LostCause,
    Outflow,
)
from tests.conftest import login
from tests.members.outflow_steps import (
    STEPS,
    K,
    S,
    away,
    days_ago,
    kinds,
    outflow_post_data,
    reload,
    snapshot,
    step,
    today,
)

# ---------------------------------------------------------------- the happy paths


def test_a_member_goes_away_reports_is_lost_is_found_and_returns_home(county):
    qin, user = county.qin, county.township
    outflow = away(qin, user, departure=days_ago(100))
    qin.refresh_from_db()
    assert outflow.status == S.REGISTERED
    assert qin.current_outflow == outflow

    outflow = actions.report_arrival(outflow, by=user, on=days_ago(90), note="到花都流动党员总支报到")
    assert outflow.status == S.REPORTED
    assert outflow.reported_on == days_ago(90)

    outflow = actions.mark_lost(outflow, cause=LostCause.WORK_BUSINESS, by=user, on=days_ago(30), note="电话停机")
    assert outflow.status == S.LOST
    assert outflow.lost_cause == LostCause.WORK_BUSINESS
    assert outflow.lost_on == days_ago(30)

    outflow = actions.mark_found(outflow, by=user, on=days_ago(10), note="通过老乡联系上")
    assert outflow.status == S.REPORTED  # back where it was before contact was lost
    assert outflow.lost_cause == ""
    assert outflow.lost_on is None
    qin.refresh_from_db()
    assert qin.current_outflow == outflow

    outflow = actions.return_home(outflow, by=user, on=days_ago(1), note="回村务农")
    assert outflow.status == S.RETURNED
    assert outflow.ended_on == days_ago(1)
    assert not outflow.is_open
    qin.refresh_from_db()
    assert qin.current_outflow is None
    assert kinds(outflow) == [K.REGISTER, K.REPORT, K.LOSE, K.FIND, K.RETURN]


def test_a_member_found_again_before_reporting_goes_back_to_registered(county):
    outflow = actions.mark_lost(county.yuan_outflow, cause=LostCause.MOVED, by=county.admin, on=days_ago(5))
    outflow = actions.mark_found(outflow, by=county.admin, on=days_ago(1))

    assert outflow.status == S.REGISTERED


def test_transferring_the_relationship_ends_the_outflow(county):
    outflow = actions.transfer_relationship(
        county.yuan_outflow, by=county.admin, on=days_ago(2), note="转入花都区党组织"
    )

    assert outflow.status == S.TRANSFERRED
    assert outflow.relationship_transferred is True
    assert outflow.ended_on == days_ago(2)
    county.yuan.refresh_from_db()
    assert county.yuan.current_outflow is None


def test_closing_an_outflow_needs_a_note(county):
    before = snapshot(county.yuan_outflow)

    with pytest.raises(ValidationError):
        actions.close_outflow(county.yuan_outflow, by=county.admin, note="   ")
    assert snapshot(county.yuan_outflow) == before

    outflow = actions.close_outflow(county.yuan_outflow, by=county.admin, note="登记错误")
    assert outflow.status == S.CLOSED
    county.yuan.refresh_from_db()
    assert county.yuan.current_outflow is None


def test_closing_through_the_page_without_a_note_is_refused(county):
    response = step(login(county.admin), county.yuan_outflow, "close", note="")

    assert response.status_code == 200
    assert "note" in response.context["form"].errors
    assert reload(county.yuan_outflow).status == S.REGISTERED


def test_a_lost_member_can_be_closed(county):
    outflow = actions.mark_lost(county.yuan_outflow, cause=LostCause.OTHER, by=county.admin, on=days_ago(3))
    outflow = actions.close_outflow(outflow, by=county.admin, note="本人已去世")

    assert outflow.status == S.CLOSED


def test_marking_lost_needs_an_official_cause(county):
    before = snapshot(county.yuan_outflow)

    with pytest.raises(ValidationError):
        actions.mark_lost(county.yuan_outflow, cause="no idea", by=county.admin)
    assert snapshot(county.yuan_outflow) == before


def test_marking_lost_through_the_page_without_a_cause_is_refused(county):
    response = step(login(county.admin), county.yuan_outflow, "lose", cause="")

    assert response.status_code == 200
    assert "cause" in response.context["form"].errors
    assert reload(county.yuan_outflow).status == S.REGISTERED


def test_a_member_who_returned_can_go_away_again(county):
    actions.return_home(county.yuan_outflow, by=county.admin, on=days_ago(20))
    second = away(county.yuan, county.admin, departure=days_ago(10), province="浙江省", city="义乌市", district="")

    county.yuan.refresh_from_db()
    assert county.yuan.current_outflow == second
    assert county.yuan.outflows.count() == 2


def test_updating_whereabouts_keeps_the_status_and_is_recorded(county):
    outflow = actions.update_whereabouts(county.yuan_outflow, by=county.admin, note="换了工厂", employer="新华制衣厂")

    assert outflow.status == S.REGISTERED
    assert reload(outflow).employer == "新华制衣厂"
    assert kinds(outflow)[-1] == K.UPDATE
    assert AuditEntry.objects.filter(action=AuditAction.UPDATE, object_id=str(outflow.pk)).exists()


def test_whereabouts_of_an_ended_outflow_cannot_be_changed(county):
    outflow = actions.return_home(county.yuan_outflow, by=county.admin, on=days_ago(1))

    with pytest.raises(ValidationError):
        actions.update_whereabouts(outflow, by=county.admin, employer="新华制衣厂")
    assert reload(outflow).employer == ""


# ---------------------------------------------------------------- one open outflow per member


def test_it_refuses_a_second_open_outflow_with_a_clear_message(county):
    with pytest.raises(ValidationError) as raised:
        away(county.yuan, county.admin, province="浙江省", city="义乌市", district="")

    assert "袁芳伟" in raised.value.messages[0]
    assert county.yuan.outflows.count() == 1


def test_the_database_also_refuses_a_second_open_outflow(county):
    with pytest.raises(IntegrityError), transaction.atomic():
        Outflow.objects.create(
            member=county.yuan, status=S.REPORTED, departure_date=days_ago(3), province="浙江省", city="义乌市"
        )


def test_the_database_allows_any_number_of_ended_outflows(county):
    for status in (S.RETURNED, S.TRANSFERRED, S.CLOSED):
        Outflow.objects.create(
            member=county.yuan, status=status, departure_date=days_ago(900), province="浙江省", city="义乌市"
        )

    assert county.yuan.outflows.count() == 4


def test_the_departure_page_sends_a_member_who_is_away_back_to_the_detail_page(county):
    client = login(county.admin)
    response = client.post(reverse("members:outflow_create", args=[county.yuan.pk]), outflow_post_data())

    assert response.status_code == 302
    assert response.url == county.yuan.get_absolute_url()
    assert county.yuan.outflows.count() == 1


# ---------------------------------------------------------------- refused transitions


def test_it_refuses_to_report_twice_and_changes_nothing(county):
    outflow = actions.report_arrival(county.yuan_outflow, by=county.admin, on=days_ago(5))
    before = snapshot(outflow)

    with pytest.raises(ValidationError):
        actions.report_arrival(county.yuan_outflow, by=county.admin, on=days_ago(4))
    assert snapshot(outflow) == before
    assert reload(outflow).reported_on == days_ago(5)


def test_it_refuses_to_find_a_member_who_is_not_lost(county):
    before = snapshot(county.yuan_outflow)

    with pytest.raises(ValidationError):
        actions.mark_found(county.yuan_outflow, by=county.admin, on=days_ago(1))
    assert snapshot(county.yuan_outflow) == before


@pytest.mark.parametrize("event", ["report", "return", "transfer", "lose", "find", "close"])
def test_it_refuses_every_step_once_the_outflow_has_ended(county, event):
    outflow = actions.return_home(county.yuan_outflow, by=county.admin, on=days_ago(1))
    before = snapshot(outflow)
    extra = {"cause": LostCause.OTHER} if event == "lose" else {}

    with pytest.raises(ValidationError):
        STEPS[event](outflow, by=county.admin, on=today(), note="再次提交", **extra)
    assert snapshot(outflow) == before


def test_a_stale_form_posted_twice_records_the_step_once(county):
    client = login(county.admin)
    outflow = county.yuan_outflow

    first = step(client, outflow, "report", on=days_ago(3), note="已报到")
    second = step(client, outflow, "report", on=days_ago(3), note="已报到")

    assert first.status_code == 302
    assert second.status_code == 200
    assert second.context["form"].non_field_errors()
    assert outflow.events.filter(kind=K.REPORT).count() == 1
    assert reload(outflow).status == S.REPORTED


def test_allowed_events_follow_the_status(county):
    outflow = county.yuan_outflow
    assert actions.allowed_events(outflow) == [K.REPORT, K.RETURN, K.TRANSFER, K.LOSE, K.CLOSE]
    outflow = actions.mark_lost(outflow, cause=LostCause.OTHER, by=county.admin, on=days_ago(1))
    assert actions.allowed_events(outflow) == [K.FIND, K.CLOSE]
    outflow = actions.close_outflow(outflow, by=county.admin, note="本人已去世")
    assert actions.allowed_events(outflow) == []


def test_an_unknown_step_is_not_found(county):
    response = step(login(county.admin), county.yuan_outflow, "teleport")

    assert response.status_code == 404


def test_a_user_outside_the_scope_cannot_step_an_outflow(county):
    response = step(login(county.outsider), county.yuan_outflow, "report", on=days_ago(1))

    assert response.status_code == 404
    assert reload(county.yuan_outflow).status == S.REGISTERED


# ---------------------------------------------------------------- dates


def test_it_refuses_a_step_dated_in_the_future(county):
    before = snapshot(county.yuan_outflow)

    with pytest.raises(ValidationError):
        actions.report_arrival(county.yuan_outflow, by=county.admin, on=today() + datetime.timedelta(days=1))
    assert snapshot(county.yuan_outflow) == before


def test_it_refuses_a_step_dated_before_the_departure(county):
    outflow = county.yuan_outflow
    before = snapshot(outflow)

    with pytest.raises(ValidationError):
        actions.return_home(outflow, by=county.admin, on=outflow.departure_date - datetime.timedelta(days=1))
    assert snapshot(outflow) == before


def test_a_step_on_the_departure_day_itself_is_accepted(county):
    outflow = actions.report_arrival(county.yuan_outflow, by=county.admin, on=county.yuan_outflow.departure_date)

    assert outflow.status == S.REPORTED


def test_the_step_page_shows_the_date_error(county):
    response = step(login(county.admin), county.yuan_outflow, "report", on=today() + datetime.timedelta(days=2))

    assert response.status_code == 200
    assert response.context["form"].errors
    assert reload(county.yuan_outflow).status == S.REGISTERED


def test_it_refuses_a_departure_in_the_future(county):
    with pytest.raises(ValidationError) as raised:
        away(county.qin, county.admin, departure=today() + datetime.timedelta(days=1))

    assert "departure_date" in raised.value.message_dict
    assert not county.qin.outflows.exists()
    county.qin.refresh_from_db()
    assert county.qin.current_outflow is None


def test_it_refuses_a_departure_before_the_members_birth(county):
    with pytest.raises(ValidationError) as raised:
        away(county.qin, county.admin, departure=county.qin.birth_date - datetime.timedelta(days=1))

    assert "departure_date" in raised.value.message_dict
    assert not county.qin.outflows.exists()


def test_the_departure_page_shows_a_future_date_error_on_the_field(county):
    response = login(county.township).post(
        reverse("members:outflow_create", args=[county.qin.pk]),
        outflow_post_data(departure_date=(today() + datetime.timedelta(days=3)).isoformat()),
    )

    assert response.status_code == 200
    assert "departure_date" in response.context["form"].errors
    assert not county.qin.outflows.exists()


# ---------------------------------------------------------------- what every step records


def test_every_step_records_an_event_with_who_when_and_why(county):
    user = county.township
    outflow = away(county.qin, user, departure=days_ago(50), note="外出务工")
    outflow = actions.report_arrival(outflow, by=user, on=days_ago(40), note="已报到")
    outflow = actions.mark_lost(outflow, cause=LostCause.OTHER, by=user, on=days_ago(30), note="联系不上")
    outflow = actions.mark_found(outflow, by=user, on=days_ago(20), note="已联系上")
    outflow = actions.transfer_relationship(outflow, by=user, on=days_ago(10), note="转出")

    events = list(outflow.events.order_by("at", "id"))
    assert [(e.kind, e.from_status, e.to_status, e.on, e.note) for e in events] == [
        (K.REGISTER, "", S.REGISTERED, days_ago(50), "外出务工"),
        (K.REPORT, S.REGISTERED, S.REPORTED, days_ago(40), "已报到"),
        (K.LOSE, S.REPORTED, S.LOST, days_ago(30), "联系不上"),
        (K.FIND, S.LOST, S.REPORTED, days_ago(20), "已联系上"),
        (K.TRANSFER, S.REPORTED, S.TRANSFERRED, days_ago(10), "转出"),
    ]
    assert all(e.by == user for e in events)
    assert events[2].lost_cause == LostCause.OTHER


def test_every_step_writes_a_workflow_audit_entry(county):
    user = county.township
    outflow = away(county.qin, user, departure=days_ago(50))
    actions.report_arrival(outflow, by=user, on=days_ago(40), note="已报到")
    actions.return_home(outflow, by=user, on=days_ago(1))

    entries = AuditEntry.objects.filter(
        action=AuditAction.WORKFLOW, object_type="members.outflow", object_id=str(outflow.pk)
    )
    assert entries.count() == 3
    assert set(entries.values_list("actor_name", flat=True)) == {"township"}
    assert sorted(tuple(e.changes.get("status", [])) for e in entries) == sorted(
        [("", S.REGISTERED), (S.REGISTERED, S.REPORTED), (S.REPORTED, S.RETURNED)]
    )
    assert any("已报到" in e.note for e in entries)


def test_steps_through_the_pages_record_the_signed_in_user(county):
    client = login(county.township)
    response = client.post(reverse("members:outflow_create", args=[county.qin.pk]), outflow_post_data())
    assert response.status_code == 302, response.context["form"].errors
    outflow = Outflow.objects.get(member=county.qin)
    assert step(client, outflow, "report", on=days_ago(20), note="到花都报到").status_code == 302
    assert step(client, outflow, "lose", on=days_ago(10), cause=LostCause.EMPLOYER_CHANGED, note="").status_code == 302
    assert step(client, outflow, "find", on=days_ago(5), note="找回").status_code == 302
    assert step(client, outflow, "return", on=days_ago(1), note="返乡").status_code == 302

    outflow = reload(outflow)
    assert outflow.status == S.RETURNED
    assert kinds(outflow) == [K.REGISTER, K.REPORT, K.LOSE, K.FIND, K.RETURN]
    assert set(outflow.events.values_list("by", flat=True)) == {county.township.pk}
    assert outflow.events.get(kind=K.REGISTER).note == "春节后外出务工"
    workflow = AuditEntry.objects.filter(action=AuditAction.WORKFLOW, object_id=str(outflow.pk))
    assert workflow.count() == 5
    assert set(workflow.values_list("ip", flat=True)) == {"127.0.0.1"}


def test_the_member_page_shows_the_timeline(county):
    user = county.admin
    user.full_name = "组织部蒋文华"
    user.save()
    outflow = actions.report_arrival(county.yuan_outflow, by=user, on=days_ago(9), note="到花都流动党员总支报到")
    actions.mark_lost(outflow, cause=LostCause.OTHER, by=user, on=days_ago(4), note="手机号停用")

    html = login(county.township).get(county.yuan.get_absolute_url()).content.decode()

    for kind in (K.REGISTER, K.REPORT, K.LOSE):
        assert f"timeline-{kind}" in html
    assert "到花都流动党员总支报到" in html
    assert "手机号停用" in html
    assert days_ago(9).isoformat() in html
    assert "组织部蒋文华" in html  # who recorded the steps


def test_the_member_page_offers_only_the_allowed_steps(county):
    html = login(county.admin).get(county.yuan.get_absolute_url()).content.decode()

    for event in ("report", "return", "transfer", "lose", "close"):
        assert reverse("members:outflow_transition", args=[county.yuan_outflow.pk, event]) in html
    assert reverse("members:outflow_transition", args=[county.yuan_outflow.pk, "find"]) not in html
