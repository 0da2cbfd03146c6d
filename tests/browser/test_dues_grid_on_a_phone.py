"""On a phone, with the internet cut off: a branch secretary opens this month's dues, ticks who paid and saves once;
the year grid then shows those months paid."""

import shutil
from decimal import Decimal

import pytest
from django.utils import timezone

from dues.models import DuesMonth
from tests.browser.conftest import sign_in
from tests.dues.conftest import entered_long_ago, give_standard
from tests.factories import MemberFactory

SCREENSHOT = "/tmp/dues_grid_phone.png"


@pytest.mark.django_db(transaction=True)
def test_a_branch_secretary_ticks_this_months_payers_on_a_phone(county, live_server, phone_page, password):
    members = [MemberFactory(name=name, home_branch=county.huaguo) for name in ("李春华", "赵德明", "黄丽")]
    entered_long_ago()
    today = timezone.localdate()
    for member in [county.yuan, *members]:
        give_standard(member, today.year, by=county.admin)
    page = phone_page.page

    sign_in(phone_page, live_server, "branch", password)
    page.goto(f"{live_server.url}/dues/")
    assert page.locator("[data-testid=grid] tbody tr").count() == 4
    page.click(f"[data-testid=month-links] a >> nth={today.month - 1}")
    page.wait_for_url(f"**/dues/month/{county.huaguo.pk}/{today.year}/{today.month}/")
    page.fill("#paid_on", today.isoformat())
    page.check(f"#paid-{members[0].pk}")
    page.check(f"#paid-{members[2].pk}")
    phone_page.screenshot("dues_month_phone")
    page.click("button[name=save]")
    page.wait_for_url(f"**/dues/month/{county.huaguo.pk}/{today.year}/{today.month}/")
    assert page.locator(f"#paid-{members[0].pk}").count() == 0  # paid now: shown ticked, no longer a choice
    assert set(DuesMonth.objects.values_list("member__name", flat=True)) == {"李春华", "黄丽"}

    page.goto(f"{live_server.url}/dues/?year={today.year}")
    paid = page.locator("[data-testid=grid] td[data-state=paid]")
    assert paid.count() == 2
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"  # the grid scrolls within its own box
    path = phone_page.screenshot("dues_grid_phone")
    shutil.copy(path, SCREENSHOT)
    assert phone_page.blocked == []


@pytest.mark.django_db(transaction=True)
def test_the_standard_form_shows_the_amount_as_the_income_is_typed_and_the_server_agrees(
    county, live_server, phone_page, password
):
    page = phone_page.page
    sign_in(phone_page, live_server, "branch", password)
    page.goto(f"{live_server.url}/dues/standards/new/{county.yuan.pk}/")
    page.select_option("#id_basis", "employed")
    page.fill("#id_monthly_income", "5000")
    assert page.locator("[data-testid=calculated]").inner_text() == "50.00"
    page.fill("#id_monthly_income", "5000.01")
    assert page.locator("[data-testid=calculated]").inner_text() == "75.00"
    page.select_option("#id_basis", "student")
    assert page.locator("[data-testid=calculated]").inner_text() == "0.20"
    assert not page.locator("#id_monthly_income").is_visible()  # no income for a fixed amount
    page.select_option("#id_basis", "retired")
    page.fill("#id_monthly_income", "5000.01")
    assert page.locator("[data-testid=calculated]").inner_text() == "50.00"
    page.click("#submit-id-submit")
    page.wait_for_url(f"**/dues/members/{county.yuan.pk}/?year=*")
    from dues.models import DuesStandard

    assert DuesStandard.objects.get(member=county.yuan).computed_amount == Decimal("50.00")
    assert phone_page.blocked == []
