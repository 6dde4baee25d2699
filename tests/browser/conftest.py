"""Real Chromium against the live server, with axe-core checking every page visited."""

import os
import shutil
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.utils import timezone

from accounts.adapters import MFAAdapter

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests
# make between page actions are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "correct-horse-battery-staple"


def pytest_collection_modifyitems(config, items):
    reason = None
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).exists()):
        reason = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    elif not AXE.exists():
        reason = "axe-core is not installed (run npm ci)"
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    # bypass_csp lets the test inject axe-core; the product's own pages keep their CSP.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def assert_accessible(page):
    """Run axe-core on the current page; fail on any serious or critical violation."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"axe-core on {page.url}:\n" + "\n".join(bad)


def totp_code(user, *, offset=0):
    """Return the code an authenticator app would show now for this user."""
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = MFAAdapter().decrypt(authenticator.data["secret"])
    return format_hotp_value(hotp_value(secret, int(timezone.now().timestamp()) // 30 + offset))


def sign_in(page, user, *, password=PASSWORD):
    """Sign in through the real pages, answering the TOTP challenge for police users."""
    page.goto("/accounts/login/")
    assert_accessible(page)
    page.get_by_label("Email address", exact=True).fill(user.email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    if "/2fa/authenticate" in page.url:
        assert_accessible(page)
        page.get_by_label("Code").fill(totp_code(user))
        page.get_by_role("button", name="Sign in").or_(
            page.get_by_role("button", name="Continue")
        ).first.click()
    page.wait_for_url(lambda url: "/accounts/" not in url)


def fill_date(page, question, value):
    """Answer a GOV.UK date input (the group named by its legend) with day, month and year."""
    group = page.get_by_role("group", name=question)
    group.get_by_label("Day").fill(str(value.day))
    group.get_by_label("Month").fill(str(value.month))
    group.get_by_label("Year").fill(str(value.year))
