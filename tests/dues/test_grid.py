"""The branch's year grid and its one-month view: ticks saved in one POST, all or nothing, nothing twice."""

import datetime
from decimal import Decimal

from django.urls import reverse

from dues import actions
from dues.models import DuesMonth, DuesPayment, DuesStandard
from tests.conftest import login
from tests.dues.conftest import entered_long_ago, give_standard
from tests.factories import MemberFactory


def _branch_with_members(world, n=3):
    members = [MemberFactory(name=f"花果{i}", home_branch=world.huaguo) for i in range(n)]
    entered_long_ago()
    for member in members:
        give_standard(member, 2026, by=world.admin)
    return members


def test_ticking_members_records_a_payment_each_and_posting_the_same_ticks_again_records_nothing_more(dues_world):
    members = _branch_with_members(dues_world)
    client = login(dues_world.branch)
    url = reverse("dues:month", args=[dues_world.huaguo.pk, 2026, 6])
    data = {"paid_on": "2026-06-10", "paid": [str(m.pk) for m in members[:2]]}

    first = client.post(url, data)
    second = client.post(url, data)  # a double tap, or the page sent again

    assert first.status_code == second.status_code == 302
    assert DuesPayment.objects.count() == 2
    assert set(DuesMonth.objects.values_list("member__name", "month")) == {("花果0", 6), ("花果1", 6)}
    assert DuesPayment.objects.first().amount == Decimal("40.00")


def test_one_member_who_cannot_be_recorded_saves_none_of_the_ticks(dues_world):
    members = _branch_with_members(dues_world)
    DuesStandard.objects.filter(member=members[2]).update(confirmed_at=None)
    client = login(dues_world.branch)
    url = reverse("dues:month", args=[dues_world.huaguo.pk, 2026, 6])

    response = client.post(url, {"paid_on": "2026-06-10", "paid": [str(m.pk) for m in members]})

    assert response.status_code == 400
    assert "花果2" in " ".join(response.context["errors"])
    assert not DuesPayment.objects.exists()


def test_a_member_of_another_branch_posted_by_hand_is_refused(dues_world):
    _branch_with_members(dues_world, 1)
    response = login(dues_world.branch).post(
        reverse("dues:month", args=[dues_world.huaguo.pk, 2026, 6]),
        {"paid_on": "2026-06-10", "paid": [str(dues_world.ma.pk)]},
    )
    assert response.status_code == 400
    assert not DuesPayment.objects.exists()


def test_the_year_grid_shows_months_paid_at_home_at_the_destination_and_unpaid(dues_world):
    actions.record_payment(
        dues_world.yuan,
        months=[(2026, 4)],
        amount=Decimal("40"),
        paid_on=datetime.date(2026, 6, 15),
        paid_at=dues_world.huadu,
        by=dues_world.admin,
    )
    response = login(dues_world.branch).get(reverse("dues:grid") + f"?organization={dues_world.huaguo.pk}&year=2026")
    ((member, cells),) = response.context["rows"]
    assert member == dues_world.yuan
    assert [cell.state for cell in cells[:7]] == ["unpaid", "unpaid", "unpaid", "away", "unpaid", "unpaid", "later"]


def test_the_flowing_organizations_month_view_lets_only_members_with_a_certificate_be_ticked(dues_world):
    response = login(dues_world.secretary).get(reverse("dues:month", args=[dues_world.huadu.pk, 2026, 6]))
    entries = {entry["member"].name: entry["blocked"] for entry in response.context["entries"]}
    assert entries == {"袁芳伟": ""}
    response = login(dues_world.county_staff).get(reverse("dues:month", args=[dues_world.kunming.pk, 2026, 6]))
    assert [bool(entry["blocked"]) for entry in response.context["entries"]] == [True]  # 马云: no certificate


def test_bad_input_to_the_month_view_is_answered_without_a_500(dues_world):
    client = login(dues_world.branch)
    url = reverse("dues:month", args=[dues_world.huaguo.pk, 2026, 6])
    for data in ({"paid_on": "abc", "paid": [str(dues_world.yuan.pk)]}, {"paid_on": "2026-06-10", "paid": ["x"]}):
        response = client.post(url, data)
        assert response.status_code == 400, data
    assert client.get(reverse("dues:month", args=[dues_world.huaguo.pk, 2026, 13])).status_code == 404
    assert client.get(reverse("dues:grid") + "?year=abc&organization=999999").status_code == 404
    assert not DuesPayment.objects.exists()


def test_a_standard_posted_twice_for_the_same_year_is_refused_on_the_form(dues_world):
    member = MemberFactory(name="新党员", home_branch=dues_world.huaguo)
    client = login(dues_world.branch)
    url = reverse("dues:standard_create", args=[member.pk])
    data = {"year": "2026", "basis": "student", "monthly_income": "", "manual_amount": "", "manual_reason": ""}
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert again.status_code == 200 and again.context["form"].errors
    assert DuesStandard.objects.filter(member=member).count() == 1
