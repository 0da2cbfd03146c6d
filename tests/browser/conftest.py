"""Playwright in the system Chromium, with every request that leaves localhost blocked and recorded."""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"

# Playwright's sync API runs an event loop in this thread; Django's ORM must still be allowed here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
                item.add_marker(pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}: apt-get install chromium"))


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


class OfflinePage:
    """A page whose requests to anything but localhost are aborted and remembered, and whose Content-Security-Policy
    violations (an inline script, style or event handler the policy refused) fail the test when it closes."""

    def __init__(self, browser: object, width: int, height: int) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        self.page = self.context.new_page()
        self.blocked: list[str] = []
        self.csp_violations: list[str] = []
        self.page.route("**/*", self._route)
        self.page.on("console", self._console)

    def _console(self, message: object) -> None:
        if "Content Security Policy" in message.text:
            self.csp_violations.append(f"{self.page.url}: {message.text}")

    def _route(self, route: object) -> None:
        host = urlparse(route.request.url).hostname
        if host in ("localhost", "127.0.0.1", "::1"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def close(self) -> None:
        self.context.close()
        assert not self.csp_violations, "Content-Security-Policy violations:\n" + "\n".join(self.csp_violations)


@pytest.fixture
def offline_page(browser: object) -> Iterator[OfflinePage]:
    page = OfflinePage(browser, 1366, 900)
    yield page
    page.close()


@pytest.fixture
def phone_page(browser: object) -> Iterator[OfflinePage]:
    page = OfflinePage(browser, 390, 844)
    yield page
    page.close()


def sign_in(page: OfflinePage, live_server: object, username: str, password: str) -> None:
    page.page.goto(f"{live_server.url}/login/")
    page.page.fill("#id_username", username)
    page.page.fill("#id_password", password)
    page.page.click("form [type=submit]")
    page.page.wait_for_url(f"{live_server.url}/")
