"""Journey 2 of PRODUCT.md, clicked through in Chromium: sign up, express
interest, send, amend, withdraw; every page scanned by axe."""

import re

import pytest
from django.core import mail

from participants.models import Amendment, ExpressionOfInterest
from stepchange.models import Notice
from tests.conftest import deliver_outbox


@pytest.fixture
def open_call(transactional_db):
    from projects.services import load_programme, open_demonstration_call

    load_programme()
    return open_demonstration_call()


def link_in(message):
    return re.search(r"https?://\S+", message.body).group(0)


def save(page):
    page.get_by_role("button", name="Save and continue").click()


def test_sign_up_express_interest_send_amend_and_withdraw(
    page, live_server, open_call, assert_accessible
):
    # Read and decide.
    page.goto("/projects/cp2/")
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Express interest")).click()

    # Sign up, then verify the email address by its link.
    page.wait_for_url("**/accounts/login/**")
    page.get_by_role("link", name=re.compile("sign up|create an account", re.I)).first.click()
    assert_accessible(page)
    page.get_by_label("Full name").fill("Casey Example")
    page.get_by_label("Email", exact=False).first.fill("casey@example.org")
    page.locator("input[name=password1]").fill("a long and unusual passphrase")
    page.locator("input[name=password2]").fill("a long and unusual passphrase")
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    assert_accessible(page)
    deliver_outbox()
    verification = [m for m in mail.outbox if "casey@example.org" in m.to][-1]
    page.goto(
        link_in(verification)
        .replace("http://127.0.0.1:8000", live_server.url)
        .replace("http://testserver", live_server.url)
    )
    assert_accessible(page)
    page.locator("main form button[type=submit], main form input[type=submit]").first.click()

    # Sign in and come back to the project.
    page.goto("/accounts/login/?next=/applications/express-interest/%3Fproject%3DCP2")
    page.get_by_label("Email", exact=False).first.fill("casey@example.org")
    page.locator("input[name=password]").fill("a long and unusual passphrase")
    page.locator("main form button[type=submit], main form input[type=submit]").last.click()

    # The projects page opens with CP2 chosen.
    page.wait_for_url("**/projects/?add=CP2")
    assert page.locator("#id_projects_CP2").is_checked()
    assert_accessible(page)
    eoi = ExpressionOfInterest.objects.get(applicant__email="casey@example.org")

    # A bad answer first: the error summary links to the field.
    page.locator("#id_projects_CP2").uncheck()
    save(page)
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.locator(".govuk-error-summary a").first.click()

    page.locator("#id_projects_CP2").check()
    page.locator("#id_role_CP2_0").check()
    page.locator("#id_experience_CP2").fill("Ran a city-centre venue partnership for five years.")
    page.locator("#id_hours_per_month").fill("6")
    # govuk-frontend's character count is live under the checkbox it belongs to.
    status = page.locator("#conditional-CP2 .govuk-character-count__status")
    assert status.inner_text().startswith("You have ")
    save(page)

    # The rest of the task list, in the order it leads.
    page.goto(f"/applications/{eoi.reference}/")
    assert page.locator(".govuk-task-list").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Your details").click()
    page.get_by_label("Job title").fill("Security Manager")
    page.get_by_label("Work telephone number").fill("020 7946 0000")
    page.get_by_label("Full name").fill("Casey Example")
    assert_accessible(page)
    save(page)

    page.get_by_label("Name of your organisation").fill("Example Arenas")
    page.get_by_label("Private sector").check()
    page.get_by_label("Large (250 people or more)").check()
    assert_accessible(page)
    save(page)

    page.get_by_label("Referee's full name").fill("Jordan Referee")
    page.get_by_label("Referee's job title").fill("Director")
    page.get_by_label("Referee's work email address").fill("jordan@example.org")
    page.get_by_label("Referee's work telephone number").fill("0161 496 0000")
    page.get_by_label("How does your referee know you?").fill("Line manager")
    page.get_by_label(
        "I agree that the Programme Coordination Office may contact my referee"
    ).check()
    assert_accessible(page)
    save(page)

    page.get_by_label("No, I have none to declare").check()
    assert_accessible(page)
    save(page)

    for label in [
        "in confidence",
        "participation is voluntary",
        "declare any conflicts",
        "privacy notice",
    ]:
        page.get_by_label(re.compile(label)).check()
    assert_accessible(page)
    save(page)

    # Check your answers, then send.
    page.wait_for_url("**/check-your-answers/")
    assert page.locator(".govuk-summary-list").first.is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm and send").click()
    page.wait_for_url("**/confirmation/")
    assert page.get_by_test_id("reference").inner_text() == eoi.reference
    assert_accessible(page)
    queued = set(Notice.objects.exclude(reason="account").values_list("reason", "recipient"))
    assert queued == {
        ("eoi_confirmation", "casey@example.org"),
        ("referee_request", "jordan@example.org"),
    }

    # Amend before the closing date: the change is recorded.
    page.goto(f"/applications/{eoi.reference}/check-your-answers/")
    page.get_by_role("link", name="Change your job title").click()
    page.get_by_label("Job title").fill("Head of Security")
    save(page)
    assert page.locator(".govuk-notification-banner--success").is_visible()
    assert Amendment.objects.get(expression_of_interest=eoi).changes == {
        "job_title": ["Security Manager", "Head of Security"]
    }

    # Withdraw, with a confirmation step.
    page.goto("/applications/")
    assert_accessible(page)
    page.get_by_role("link", name=eoi.reference).click()
    page.get_by_role("link", name="Withdraw this expression of interest").click()
    assert_accessible(page)
    page.get_by_label("Why are you withdrawing? (optional)").fill("Moved roles")
    page.get_by_role("button", name="Withdraw").click()
    page.wait_for_url("**/applications/")
    assert "Withdrawn" in page.locator("table").inner_text()
    eoi.refresh_from_db()
    assert (eoi.status, eoi.withdrawal_reason) == ("withdrawn", "Moved roles")
