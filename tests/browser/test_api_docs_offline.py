"""The API's docs page in Chromium with the internet cut off: Swagger UI draws every endpoint from our own static
files, with no Content-Security-Policy violation, and "Try it out" with a token reads the caller's members."""

import pytest

from api import actions
from tests.browser.conftest import OfflinePage, sign_in

# In tests/browser, so it shares that folder's one Playwright session: a second sync Playwright started while the
# first is open fails every browser test after it ("Sync API inside the asyncio loop").
pytestmark = pytest.mark.browser


@pytest.fixture
def offline_page(browser) -> OfflinePage:
    page = OfflinePage(browser, 1366, 900)
    yield page
    page.close()  # fails on any CSP violation


@pytest.mark.django_db(transaction=True)
def test_the_docs_page_draws_every_endpoint_offline_and_tries_one_with_a_token(
    county, live_server, offline_page, password
):
    _token, value = actions.create_token(county.township, name="docs", valid_days=None)
    page = offline_page.page
    sign_in(offline_page, live_server, "township", password)
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=15000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert len(paths) == 10 and "/api/v1/members" in [path.strip() for path in paths]
    assert offline_page.blocked == []

    page.click(".btn.authorize")
    page.fill(".auth-container input", value)
    page.click(".auth-btn-wrapper .btn.modal-btn.auth.authorize")
    page.click(".btn-done")
    page.click("#operations-members-api_endpoints_list_members")
    page.click("#operations-members-api_endpoints_list_members .try-out__btn")
    page.click("#operations-members-api_endpoints_list_members .execute")
    # The live answer, not the documented example beside it.
    live = "#operations-members-api_endpoints_list_members .live-responses-table .response-col_description .microlight"
    page.wait_for_selector(live, timeout=15000)
    assert "覃文英" in page.locator(live).first.inner_text()
    offline_page.screenshot("api_docs")
    assert offline_page.blocked == []
