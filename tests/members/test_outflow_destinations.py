"""Where an outflow leads: the flowing organization it joins, and 应转尽转 (away 6+ months without a transfer)."""

import datetime

from django.urls import reverse

from members import actions
from members.models import (
    LostCause,
    Member,
    Outflow,
    months_ago,
)
from tests.conftest import login
from tests.factories import FlowingOrgFactory
from tests.members.outflow_steps import (
    away,
    days_ago,
    outflow_post_data,
    reload,
)

# ---------------------------------------------------------------- the flowing organization


def test_the_flowing_organization_is_matched_from_the_destination(county):
    outflow = away(county.qin, county.admin)

    assert outflow.flowing_org == county.huadu


def test_the_flowing_organization_is_matched_on_the_page_when_left_empty(county):
    response = login(county.township).post(reverse("members:outflow_create", args=[county.qin.pk]), outflow_post_data())

    assert response.status_code == 302
    assert Outflow.objects.get(member=county.qin).flowing_org == county.huadu


def test_a_destination_in_the_same_city_prefers_the_organization_of_its_district(county):
    baiyun = FlowingOrgFactory(name="中共蓝山县驻白云区流动党员支部委员会", parent=county.committee, district="白云区")

    assert away(county.qin, county.admin, district="白云区").flowing_org == baiyun


def test_a_destination_without_a_flowing_organization_gets_none(county):
    outflow = away(county.qin, county.admin, province="浙江省", city="义乌市", district="")

    assert outflow.flowing_org is None


def test_a_chosen_flowing_organization_is_kept(county):
    outflow = away(county.qin, county.admin, flowing_org=county.kunming)

    assert outflow.flowing_org == county.kunming


def test_a_dissolved_flowing_organization_is_not_matched(county):
    county.huadu.is_active = False
    county.huadu.save()

    assert away(county.qin, county.admin).flowing_org is None


# ---------------------------------------------------------------- 应转尽转: away 6+ months without transfer


def test_a_departure_exactly_six_months_ago_needs_transfer(county):
    outflow = away(county.qin, county.admin, departure=months_ago(6))

    assert outflow.needs_transfer is True
    assert county.qin in Member.objects.needs_transfer()


def test_a_departure_six_months_minus_a_day_ago_does_not_need_transfer_yet(county):
    outflow = away(county.qin, county.admin, departure=months_ago(6) + datetime.timedelta(days=1))

    assert outflow.needs_transfer is False
    assert county.qin not in Member.objects.needs_transfer()


def test_a_transferred_or_returned_member_no_longer_needs_transfer(county):
    assert set(Member.objects.needs_transfer()) == {county.yuan, county.ma}

    actions.transfer_relationship(county.yuan_outflow, by=county.admin, on=days_ago(1))
    actions.return_home(county.ma_outflow, by=county.admin, on=days_ago(1))

    assert not Member.objects.needs_transfer().exists()
    assert reload(county.yuan_outflow).needs_transfer is False


def test_a_lost_member_away_long_still_needs_transfer(county):
    outflow = actions.mark_lost(county.yuan_outflow, cause=LostCause.OTHER, by=county.admin, on=days_ago(1))

    assert outflow.needs_transfer is True
    assert county.yuan in Member.objects.needs_transfer()


def test_months_ago_clamps_to_the_end_of_a_short_month():
    assert months_ago(6, datetime.date(2026, 8, 31)) == datetime.date(2026, 2, 28)
    assert months_ago(6, datetime.date(2024, 8, 31)) == datetime.date(2024, 2, 29)
    assert months_ago(6, datetime.date(2026, 1, 15)) == datetime.date(2025, 7, 15)


def test_the_member_list_filter_shows_members_needing_transfer(county):
    away(county.qin, county.admin, departure=months_ago(6) + datetime.timedelta(days=1))
    client = login(county.admin)

    flagged = client.get(reverse("members:member_list"), {"needs_transfer": "on"})
    everyone = client.get(reverse("members:member_list"))

    assert flagged.status_code == 200
    assert sorted(m.name for m in flagged.context["filter"].qs) == sorted(["袁芳伟", "马云"])
    assert sorted(m.name for m in everyone.context["filter"].qs) == sorted(["袁芳伟", "覃文英", "马云"])


def test_the_member_list_filter_stays_inside_the_users_scope(county):
    response = login(county.branch).get(reverse("members:member_list"), {"needs_transfer": "on"})

    assert [m.name for m in response.context["filter"].qs] == ["袁芳伟"]


def test_the_member_page_prompts_to_transfer(county):
    html_away_long = login(county.admin).get(county.yuan.get_absolute_url()).content.decode()
    recent = away(county.qin, county.admin, departure=days_ago(10))
    html_recent = login(county.admin).get(county.qin.get_absolute_url()).content.decode()

    assert 'data-testid="transfer-prompt"' in html_away_long
    assert recent.needs_transfer is False
    assert 'data-testid="transfer-prompt"' not in html_recent


def test_the_member_follows_their_open_outflow_and_its_flowing_organization(county):
    member, outflow = county.yuan, county.yuan_outflow
    member.refresh_from_db()
    assert (member.current_outflow, member.flowing_org) == (outflow, county.huadu)

    actions.update_whereabouts(
        outflow, by=county.admin, province="云南省", city="昆明市", district="官渡区", flowing_org=None
    )
    member.refresh_from_db()
    assert member.flowing_org == county.kunming  # matched again from the new destination
    assert member not in Member.objects.visible_to(county.secretary)  # no longer Huadu's

    actions.return_home(outflow, by=county.admin)
    member.refresh_from_db()
    assert (member.current_outflow, member.flowing_org) == (None, None)
    assert member in Member.objects.visible_to(county.branch)  # still the home branch's member
