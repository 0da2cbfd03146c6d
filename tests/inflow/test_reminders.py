"""The inflow members' monthly sweep: each branch secretary hears how many of their inflow members are warned, once a
month, with a link to the list narrowed to their branch; last organizational life follows activities edited since."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from activities.models import Activity
from inflow import actions
from inflow.models import InflowMember
from inflow.reminders import sweep_inflow_life_warnings
from lanshan_party.models import Notification
from tests.conftest import login


def test_each_branch_secretary_hears_once_a_month_how_many_inflow_members_are_warned(world):
    InflowMember.objects.update(created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    today = datetime.date(2026, 6, 15)

    written = sweep_inflow_life_warnings(today)

    mine = Notification.objects.filter(recipient=world.branch, key__startswith="inflow-life:")
    assert written >= 1 and mine.count() >= 1
    note = mine.first()
    subject = _("%(count)d inflow members of your branch have missed organizational life for 3 months or more")
    assert note.subject == subject % {"count": 1}  # 花果村's one reported-in inflow member
    assert note.link == f"{reverse('inflow:life_warning_list')}?organization={world.huaguo.pk}"
    page = login(world.branch).get(note.link)
    assert [row.record for row in page.context["table"].rows] == [world.in_huaguo]
    assert sweep_inflow_life_warnings(today + datetime.timedelta(days=3)) == 0  # the same month: nothing more


def test_an_activity_moved_or_deleted_elsewhere_moves_the_last_organizational_life_at_the_next_sweep(world):
    actions.save_inflow_attendance(world.act_huaguo, statuses={world.in_huaguo.pk: "present"}, by=world.admin)
    Activity.objects.filter(pk=world.act_huaguo.pk).update(date=datetime.date(2026, 4, 2))
    sweep_inflow_life_warnings(datetime.date(2026, 6, 15))
    world.in_huaguo.refresh_from_db()
    assert world.in_huaguo.last_life_on == datetime.date(2026, 4, 2)

    Activity.objects.filter(pk=world.act_huaguo.pk).delete()
    assert actions.resync_last_life() == 1
    world.in_huaguo.refresh_from_db()
    assert world.in_huaguo.last_life_on is None
    assert actions.resync_last_life() == 0
