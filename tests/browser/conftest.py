"""Headless Chromium (Debian's), driven by playwright, with an axe-core scan."""

import json
import os
import shutil
from pathlib import Path

import pytest

# playwright's sync API keeps an event loop running in the test's thread;
# Django would otherwise refuse the test's own database access from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# Without these, Chromium reaches for Google's hosts, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (see README).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # A page may answer 404 on purpose; a stylesheet, script or image may not.
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error" and not message.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on(
        "response",
        lambda response: (
            errors.append(f"{response.status} {response.url}")
            if response.status >= 400 and response.request.resource_type != "document"
            else None
        ),
    )
    # A request cut short because the page moved on (ERR_ABORTED) is not a fault.
    page.on(
        "requestfailed",
        lambda request: (
            errors.append(f"failed: {request.url} {request.failure}")
            if "ERR_ABORTED" not in (request.failure or "")
            else None
        ),
    )
    yield page
    context.close()
    assert errors == [], f"JavaScript errors in the browser: {errors}"


def axe_violations(page):
    """Serious and critical axe-core violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through DevTools: the Content-Security-Policy (rightly) refuses
        # an injected inline <script>.
        page.evaluate(AXE.read_text())
    # resultTypes: only the violations' nodes in full; the passes' and the
    # inapplicable rules' details, which nothing here reads, took half of each run.
    result = page.evaluate(
        "tags => axe.run(document,"
        " {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    found = []
    for violation in result["violations"]:
        targets = [node["target"] for node in violation["nodes"]]
        if violation["id"] == "aria-allowed-attr":
            targets = [target for target in targets if not _revealing_radio(page, target)]
        if violation["impact"] in {"serious", "critical"} and targets:
            found.append(
                {
                    "id": violation["id"],
                    "impact": violation["impact"],
                    "help": violation["help"],
                    "targets": targets[:5],
                }
            )
    return found


def _revealing_radio(page, target):
    """A radio with a GOV.UK conditional reveal: govuk-frontend gives it
    aria-expanded, invalid ARIA on a radio that GOV.UK keeps on purpose because
    screen readers announce it (a known issue, alphagov/govuk-frontend#979)."""
    return page.evaluate(
        "s => !!document.querySelector(s)?.matches('input[type=radio][aria-controls]')",
        target[-1],
    )


@pytest.fixture
def assert_accessible():
    def check(page):
        violations = axe_violations(page)
        assert violations == [], f"{page.url}: {json.dumps(violations, indent=2)}"

    return check


def sign_in_with_two_factors(page, email, password, secret):
    """Sign in through allauth's pages: the password, then the authenticator app's code."""
    from tests.factories import totp_code

    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/2fa/authenticate/**")
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign in").click()
