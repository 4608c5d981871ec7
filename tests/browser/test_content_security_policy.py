"""The Content-Security-Policy in Chromium: the public site, allauth's pages and the
admin work under it. The `page` fixture fails the test on any console error, which
is how Chromium reports what the policy blocks."""

import pytest
from django.urls import reverse

from tests.factories import ExpressionOfInterestFactory, UserFactory

from .conftest import sign_in_with_two_factors

PASSWORD = "a-long-superuser-password"
EMAIL_STYLE = "color: rgb(29, 112, 184)"


@pytest.fixture
def programme(transactional_db):
    from projects.services import load_programme, open_demonstration_call
    from stepchange.models import NoticeTemplate

    load_programme()
    call = open_demonstration_call()
    superuser = UserFactory(
        email="pco@example.org", password=PASSWORD, superuser=True, verified=True
    )
    ExpressionOfInterestFactory(
        applicant=UserFactory(email="alex@example.org"),
        call=call,
        submitted=True,
        full_name="Alex Applicant",
        organisation_name="Example Venues Ltd",
        sector="private",
    )
    template = NoticeTemplate.objects.create(
        key="participants/email/confirmation",
        subject="Thank you",
        body_text="Thank you, {{ full_name }}.",
        body_html=f'<p id="styled" style="{EMAIL_STYLE}">Thank you, {{{{ full_name }}}}.</p>',
    )
    return {"superuser": superuser, "template": template}


def test_public_account_and_admin_pages_work_under_the_policy(page, programme):
    for path in ["/", "/projects/cp1/", "/accounts/login/"]:
        response = page.goto(path)
        assert "script-src 'self';" in response.headers["content-security-policy"]
        # portal.js, a module loaded from our static files, ran.
        assert page.evaluate("() => [...document.body.classList]") == [
            "govuk-template__body",
            "js-enabled",
            "govuk-frontend-supported",
        ]

    page.goto("/admin/login/")
    page.wait_for_url("**/accounts/login/?next=%2Fadmin%2Flogin%2F")
    sign_in_with_two_factors(page, "pco@example.org", PASSWORD, programme["superuser"].totp_secret)
    page.wait_for_url("**/admin/")
    # The admin's theme.js ran.
    assert page.evaluate("() => document.documentElement.dataset.theme") == "auto"

    page.goto(reverse("admin:projects_call_add"))
    # DateTimeShortcuts.js added its calendar links.
    assert page.locator(".datetimeshortcuts").count() > 0

    # The notice preview's sandboxed iframe inherits the page's policy; the one
    # exception it has lets the email's style attributes apply.
    page.goto(reverse("admin:stepchange_noticetemplate_preview", args=[programme["template"].pk]))
    styled = page.frame_locator("#preview-html").locator("#styled")
    assert styled.inner_text() == "Thank you, Alex Applicant."
    assert styled.evaluate("element => getComputedStyle(element).color") == "rgb(29, 112, 184)"
