"""Inflow members at our activities: marked on the activity's page, counted apart from the branch's own members,
keeping their last organizational life, and warned under the six-month rule on a list of their own."""

import datetime

from django.urls import reverse

from activities.models import Attendance
from inflow.models import InflowAttendance, InflowMember, InflowStatus
from lanshan_party.models import AuditAction, AuditEntry
from members.models import Member
from tests.conftest import login
from tests.factories import ActivityFactory, attend
from tests.inflow.factories import InflowMemberFactory


def _mark(client, activity, **statuses):
    return client.post(
        reverse("inflow:activity_attendance", args=[activity.pk]),
        {f"status_{inflow.pk}": status for inflow, status in statuses.values()},
    )


def test_the_activity_page_loads_the_inflow_members_of_its_branch_apart_from_its_own_attendance(world):
    client = login(world.branch)
    page = client.get(world.act_huaguo.get_absolute_url()).content.decode()
    section_url = reverse("inflow:activity_attendance", args=[world.act_huaguo.pk])
    assert section_url in page
    section = client.get(section_url, headers={"HX-Request": "true"})
    assert section.templates[0].name == "inflow/includes/activity_attendance.html"
    names = [inflow.name for inflow, _status in section.context["rows"]]
    assert names == ["huaguo待报到", "huaguo流入"]  # 花果村's inflow members only, not Huadu's or 总市村's


def test_inflow_members_marked_present_count_separately_from_the_branchs_own_members(world):
    attend(world.act_huaguo, (world.yuan, "present"), by=world.admin)
    client = login(world.branch)

    response = _mark(client, world.act_huaguo, a=(world.in_huaguo, "present"), b=(world.pending_huaguo, "excused"))

    assert response.status_code == 302 and response.headers["Location"] == world.act_huaguo.get_absolute_url()
    assert Attendance.objects.filter(activity=world.act_huaguo).count() == 1  # our own member only
    assert dict(InflowAttendance.objects.filter(activity=world.act_huaguo).values_list("inflow_member", "status")) == {
        world.in_huaguo.pk: "present",
        world.pending_huaguo.pk: "excused",
    }
    page = client.get(world.act_huaguo.get_absolute_url()).content.decode()
    assert 'data-testid="attended">1 / 1<' in page  # the activity's own figure is unchanged
    section = client.get(reverse("inflow:activity_attendance", args=[world.act_huaguo.pk]))
    assert (section.context["attended"], section.context["recorded"]) == (1, 2)
    world.in_huaguo.refresh_from_db()
    assert world.in_huaguo.last_life_on == world.act_huaguo.date
    assert Member.objects.get(pk=world.yuan.pk).last_life_on == world.act_huaguo.date
    assert AuditEntry.objects.filter(action=AuditAction.UPDATE, object_type="activities.activity").exists()


def test_clearing_an_attendance_lowers_the_last_organizational_life_again(world):
    client = login(world.branch)
    _mark(client, world.act_huaguo, a=(world.in_huaguo, "present"))
    _mark(client, world.act_huaguo, a=(world.in_huaguo, ""))
    world.in_huaguo.refresh_from_db()
    assert world.in_huaguo.last_life_on is None
    assert not InflowAttendance.objects.exists()


def test_an_inflow_member_of_another_branch_posted_by_hand_is_not_recorded(world):
    _mark(login(world.branch), world.act_huaguo, a=(world.in_zongshicun, "present"), b=(world.in_huadu, "online"))
    assert not InflowAttendance.objects.exists()


def test_a_status_that_is_not_one_clears_the_row_instead_of_failing(world):
    response = _mark(login(world.branch), world.act_huaguo, a=(world.in_huaguo, "<script>"))
    assert response.status_code == 302 and not InflowAttendance.objects.exists()


def test_members_who_left_before_or_arrived_after_the_activity_are_not_on_its_roster(world):
    InflowMemberFactory(name="后来的", branch=world.huaguo, arrived_on=datetime.date(2026, 4, 1), reported_on=None)
    InflowMemberFactory(
        name="走了的",
        branch=world.huaguo,
        status=InflowStatus.LEFT,
        left_on=datetime.date(2025, 1, 1),
        left_reason="返回原籍",
    )
    section = login(world.branch).get(reverse("inflow:activity_attendance", args=[world.act_huaguo.pk]))
    assert "后来的" not in section.content.decode() and "走了的" not in section.content.decode()


def test_the_inflow_warnings_list_inflow_members_apart_from_our_own(world):
    InflowMember.objects.update(created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    Member.objects.update(created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    recent = ActivityFactory(organization=world.huadu, date=datetime.date(2026, 5, 20))
    _mark(login(world.admin), recent, a=(world.in_huadu, "online"))
    client = login(world.admin)

    response = client.get(reverse("inflow:life_warning_list"))

    names = {row.record.name for row in response.context["table"].rows}
    assert names == {"huaguo流入", "zongshicun流入"}  # reported in, never seen; Huadu's attended; pending ones wait
    assert dict((months, count) for months, _label, count, _step in response.context["levels"])[6] == 2
    ours = client.get(reverse("activities:life_warning_list")).content.decode()
    assert "huaguo流入" not in ours and "袁芳伟" in ours


def test_the_inflow_member_page_shows_the_recent_attendance_and_the_warning(world):
    InflowMember.objects.update(created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    client = login(world.branch)
    page = client.get(world.in_huaguo.get_absolute_url())
    assert page.context["life_level"] == 6
    _mark(client, world.act_huaguo, a=(world.in_huaguo, "present"))
    page = client.get(world.in_huaguo.get_absolute_url())
    assert page.context["life_level"] == 3  # March to mid-June
    assert world.act_huaguo.topic in page.content.decode()
