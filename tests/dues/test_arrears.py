"""Six months unpaid joins the six-month warnings; a month paid at the destination counts as paid. On 2026-06-15 the
last month is May 2026, so six consecutive unpaid months up to it are December 2025 to May 2026."""

import datetime
from decimal import Decimal

from django.urls import reverse

from dues import actions
from dues.arrears import in_arrears, with_months_behind
from dues.reminders import sweep_dues_arrears
from lanshan_party.models import Notification
from members.models import Member
from tests.conftest import login
from tests.dues.conftest import entered_long_ago, fresh
from tests.factories import MemberFactory

DAY = datetime.date(2026, 6, 15)


def pay(world, member, months, at):
    return actions.record_payment(
        fresh(member), months=months, amount=Decimal("40") * len(months), paid_on=DAY, paid_at=at, by=world.admin
    )


def behind(member) -> int:
    return with_months_behind(Member.objects.filter(pk=member.pk), DAY).get().dues_behind


def test_months_behind_count_back_from_last_month_to_the_last_month_settled(dues_world):
    pay(dues_world, dues_world.qin, [(2025, 12)], dues_world.chengdong)
    assert behind(dues_world.qin) == 5  # January to May 2026
    pay(dues_world, dues_world.qin, [(2026, 2)], dues_world.chengdong)
    assert behind(dues_world.qin) == 3
    pay(dues_world, dues_world.qin, [(2026, 5), (2026, 6)], dues_world.chengdong)
    assert behind(dues_world.qin) == 0  # June is this month, not yet behind


def test_a_member_entered_recently_is_behind_only_since_the_month_of_entry(dues_world):
    Member.objects.filter(pk=dues_world.qin.pk).update(created_at=datetime.datetime(2026, 4, 20, tzinfo=datetime.UTC))
    assert behind(dues_world.qin) == 2  # April and May


def test_six_months_unpaid_is_on_the_six_month_warnings_page_and_the_dues_arrears_list(dues_world):
    pay(dues_world, dues_world.qin, [(2025, 12)], dues_world.chengdong)  # five behind: level 3 only
    pay(dues_world, dues_world.ma, [(2026, 5)], dues_world.zongshicun)  # up to date
    # 袁芳伟 has paid nothing since his entry: far more than six months.
    assert list(in_arrears(Member.objects.all(), 6, DAY).values_list("name", flat=True)) == ["袁芳伟"]
    assert list(in_arrears(Member.objects.all(), 3, DAY).values_list("name", flat=True)) == ["覃文英"]

    page = login(dues_world.township).get(reverse("activities:life_warning_list"))
    section = page.context["dues_arrears"]
    assert [member.name for member in section["rows"]] == ["袁芳伟"]
    html = page.content.decode()
    assert "dues-arrears-section" in html and "袁芳伟" in html.split("dues-arrears-section")[1]
    arrears = login(dues_world.township).get(reverse("dues:arrears_list") + "?level=6").content.decode()
    assert "袁芳伟" in arrears and "覃文英" not in arrears


def test_months_paid_at_the_destination_stop_the_dues_warning(dues_world):
    yuan = dues_world.yuan
    pay(dues_world, yuan, [(2025, 12), (2026, 1), (2026, 2), (2026, 3), (2026, 4), (2026, 5)], dues_world.huadu)
    assert behind(yuan) == 0
    before = [
        m.name
        for m in login(dues_world.admin).get(reverse("activities:life_warning_list")).context["dues_arrears"]["rows"]
    ]
    assert "袁芳伟" not in before and before  # the others, who paid nothing anywhere, are still listed


def test_the_dues_section_is_not_shown_to_a_destination_partner(dues_world):
    response = login(dues_world.partner).get(reverse("activities:life_warning_list"))
    assert response.status_code != 200 or "dues_arrears" not in response.context


def test_secretaries_are_reminded_monthly_of_members_three_months_behind_once(dues_world):
    MemberFactory(name="李春华", home_branch=dues_world.huaguo)  # at home: 花果村's secretary answers for her
    entered_long_ago()
    written = sweep_dues_arrears(DAY)
    assert written > 0
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    # 袁芳伟 answers to Huadu, 李春华 to 花果村; 马云's Kunming and 覃文英's 城东社区 have no secretary account.
    assert recipients == {"secretary", "branch"}
    assert sweep_dues_arrears(DAY) == 0  # the same month again writes nothing
    assert sweep_dues_arrears(datetime.date(2026, 7, 1)) > 0  # next month reminds again
    assert "3" in Notification.objects.filter(recipient=dues_world.branch).first().subject


def test_the_dashboard_counts_dues_collected_this_year_and_the_rate_within_the_users_subtree(dues_world):
    pay(dues_world, dues_world.yuan, [(2026, 1), (2026, 2), (2026, 3)], dues_world.huadu)  # 花果村's member
    pay(dues_world, dues_world.ma, [(2026, 1)], dues_world.zongshicun)
    county = login(dues_world.admin).get(reverse("dashboard")).context["figures"]["dues"]
    township = login(dues_world.township).get(reverse("dashboard")).context["figures"]["dues"]
    assert county["collected"] == Decimal("160.00")
    assert county["rate"] == round(100 * 4 / (3 * 6), 1)  # three standards, six months due by June
    assert township["collected"] == Decimal("120.00")  # 马云 of 总市镇 is not theirs
    assert township["rate"] == round(100 * 3 / (2 * 6), 1)
