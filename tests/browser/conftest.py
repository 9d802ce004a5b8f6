"""Real Chromium (Debian's package) driven by Playwright against pytest-django's live server."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("BAOCAO_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts"))


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        if os.environ.get("BAOCAO_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required (apt-get install chromium) but missing")
        pytest.skip("Chromium not installed: browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        yield browser
        browser.close()


@pytest.fixture
def screenshots(request):
    folder = ARTIFACTS / "browser" / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    counter = {"n": 0}

    def shot(page, name: str) -> Path:
        counter["n"] += 1
        path = folder / f"{counter['n']:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return shot


@pytest.fixture
def new_page(browser, live_server):
    contexts = []

    def make(*, width: int = 1280, height: int = 900):
        ctx = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN",
                                  timezone_id="Asia/Ho_Chi_Minh", base_url=live_server.url)
        ctx.set_default_timeout(15000)
        contexts.append(ctx)
        return ctx.new_page()

    yield make
    for ctx in contexts:
        ctx.close()


def login(page, username: str, password: str = "baocao2022") -> None:
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/")


def logout(page) -> None:
    toggle = page.locator(".menu-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()  # under 600 px the menu and the account links fold behind «Menu»
    page.click("text=Đăng xuất")
    page.wait_for_url("**/login/")


def create_meeting(page, title: str, **fields: str) -> None:
    """The compiler opens the meetings page and creates a meeting of 15/09/2022 chaired by Hà Văn Tiến,
    reviewing toward 2022S2; `fields` fills more of the form by element id (without '#')."""
    import re

    page.goto("/meetings/")
    page.get_by_text("Lập hội nghị mới").click()
    page.fill("#mf-title", title)
    page.fill("#mf-date", "15/09/2022")
    page.fill("#mf-chair", "Hà Văn Tiến")
    for element_id, value in fields.items():
        page.fill(f"#{element_id}", value)
    page.fill("#mf-next", "2022S2")
    page.click("#meeting-create-btn")
    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
