"""A first authenticator app is added only after a code emailed to the account."""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from stepchange import two_factor_enrolment
from stepchange.models import Notice
from tests.conftest import deliver_outbox
from tests.factories import UserFactory, totp_code

PASSWORD = "a-long-test-password"
PAGE = "/accounts/2fa/email-code/"
ACTIVATE = "/accounts/2fa/totp/activate/"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


@pytest.fixture
def office(db):
    user = UserFactory(email="pco@example.org", password=PASSWORD, is_staff=True, two_factor=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def office_client(client, office):
    client.post(reverse("account_login"), {"login": office.email, "password": PASSWORD})
    return client


def sent_code():
    notice = Notice.objects.filter(reason="two_factor_enrolment").latest("pk")
    return re.search(r"\b(\d{6})\b", notice.body_text).group(1)


def error_summary_and_inline(page, message):
    """The message in the GOV.UK error summary, linked to the field, and beside the field."""
    html = page.content.decode()
    return (
        f'<a href="#id_code">{message}</a>' in html
        and re.search(
            r'govuk-error-message">\s*<span class="govuk-visually-hidden">Error:</span>'
            rf"\s*{re.escape(message)}",
            html,
        )
        is not None
    )


def test_the_activation_page_sends_a_new_app_to_the_email_code_first(office_client, office):
    office_client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    get = office_client.get(ACTIVATE)
    post = office_client.post(ACTIVATE, {"code": "123456"})

    assert (get.status_code, get.url) == (302, reverse("two_factor_email_code"))
    assert (post.status_code, post.url) == (302, reverse("two_factor_email_code"))
    assert not Authenticator.objects.filter(user=office).exists()


def test_the_code_is_emailed_in_plain_text_and_html_through_the_outbox(
    office_client, office, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    first = office_client.get(PAGE)
    assert "Email me a code" in first.content.decode()
    assert not Notice.objects.exists()  # a GET sends nothing

    sent = office_client.post(PAGE, {"send": "first"})

    assert (sent.status_code, sent.url) == (302, PAGE)
    notice = Notice.objects.get()
    assert (notice.reason, notice.recipient) == ("two_factor_enrolment", "pco@example.org")
    code = sent_code()
    assert code in notice.body_html
    deliver_outbox()
    [email] = mail.outbox
    assert email.subject == "Step-Change Programme: Your code to set up two-factor sign-in"
    assert code in email.body
    assert [mimetype for _, mimetype in email.alternatives] == ["text/html"]
    page = office_client.get(PAGE).content.decode()
    assert "We have sent a code to <strong>pco@example.org</strong>" in page


def test_the_right_code_opens_the_activation_page_and_the_new_app_counts(transactional_db, office):
    # transactional_db: allauth counts the app added once the request's transaction commits.
    client = Client()
    client.post(reverse("account_login"), {"login": office.email, "password": PASSWORD})
    assert client.get("/admin/").url == f"{ACTIVATE}?next=%2Fadmin%2F"
    client.post(PAGE, {"send": "first"})

    confirmed = client.post(PAGE, {"code": " ".join([sent_code()[:3], sent_code()[3:]])})

    assert (confirmed.status_code, confirmed.url) == (302, ACTIVATE)
    asked = client.get(ACTIVATE)
    assert asked.url.startswith(reverse("account_reauthenticate"))  # allauth: the password
    client.post(asked.url, {"password": PASSWORD})
    secret = client.get(ACTIVATE).context["form"].secret
    added = client.post(ACTIVATE, {"code": totp_code(secret)})
    assert (added.status_code, added.url) == (302, reverse("mfa_view_recovery_codes"))
    assert Authenticator.objects.filter(user=office, type="totp").count() == 1
    assert client.get("/admin/").status_code == 200
    assert two_factor_enrolment.SESSION_KEY not in client.session


def test_a_wrong_code_is_refused_with_a_govuk_error(office_client):
    office_client.post(PAGE, {"send": "first"})
    wrong = "000000" if sent_code() != "000000" else "111111"

    for code, message in [
        ("", "Enter the code from the email"),
        ("12ab56", "Enter the 6 numbers from the email"),
        (wrong, "The code is not right. Check the email and try again"),
    ]:
        page = office_client.post(PAGE, {"code": code})
        assert page.status_code == 200
        assert "<title>Error: Check your email" in page.content.decode()
        assert error_summary_and_inline(page, message), message
    assert office_client.get(ACTIVATE).url == reverse("two_factor_email_code")


def test_five_wrong_codes_spoil_the_code(office_client):
    office_client.post(PAGE, {"send": "first"})
    right = sent_code()
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(two_factor_enrolment.MAX_ATTEMPTS):
        page = office_client.post(PAGE, {"code": wrong})

    assert error_summary_and_inline(
        page, "You entered a wrong code too many times. Send a new code"
    )
    late = office_client.post(PAGE, {"code": right})
    assert error_summary_and_inline(
        late, "You entered a wrong code too many times. Send a new code"
    )
    assert office_client.get(ACTIVATE).url == reverse("two_factor_email_code")


def test_a_code_expires(office_client):
    office_client.post(PAGE, {"send": "first"})
    session = office_client.session
    session[two_factor_enrolment.SESSION_KEY]["sent_at"] -= two_factor_enrolment.CODE_SECONDS
    session.save()

    page = office_client.post(PAGE, {"code": sent_code()})

    assert error_summary_and_inline(page, "The code has expired. Send a new code")


def test_a_new_code_replaces_the_last_and_sends_are_limited(office_client):
    office_client.post(PAGE, {"send": "first"})
    old = sent_code()
    for _ in range(two_factor_enrolment.CODES_PER_HOUR - 1):
        assert office_client.post(PAGE, {"send": "new"}).status_code == 302
    new = sent_code()

    refused = office_client.post(PAGE, {"send": "new"})

    assert refused.status_code == 429
    assert "You have asked for too many codes." in refused.content.decode()
    assert Notice.objects.count() == two_factor_enrolment.CODES_PER_HOUR
    if old != new:
        assert office_client.post(PAGE, {"code": old}).status_code == 200
    assert office_client.post(PAGE, {"code": new}).url == ACTIVATE


def test_the_code_works_only_in_the_session_that_asked_for_it(office_client, office):
    office_client.post(PAGE, {"send": "first"})
    other = Client()
    other.post(reverse("account_login"), {"login": office.email, "password": PASSWORD})

    page = other.post(PAGE, {"code": sent_code()})

    assert error_summary_and_inline(page, "Send a code to your email address first")


def test_the_confirmation_lasts_half_an_hour(office_client):
    office_client.post(PAGE, {"send": "first"})
    office_client.post(PAGE, {"code": sent_code()})
    session = office_client.session
    session[two_factor_enrolment.SESSION_KEY]["confirmed_at"] = (
        time.time() - two_factor_enrolment.CONFIRMATION_SECONDS
    )
    session.save()

    assert office_client.get(ACTIVATE).url == reverse("two_factor_email_code")


def test_without_a_verified_address_no_code_is_sent(client, office):
    EmailAddress.objects.filter(user=office).update(verified=False)
    client.force_login(office)

    page = client.get(PAGE).content.decode()
    client.post(PAGE, {"send": "first"})

    assert "Your account has no confirmed email address" in page
    assert not Notice.objects.exists()


def test_a_stakeholder_adding_an_app_is_asked_for_the_code_too(client, db):
    # They may become a co-chair or join a team later, and keep the app added now.
    user = UserFactory(email="sam@example.org")
    client.force_login(user)

    assert client.get(ACTIVATE).url == reverse("two_factor_email_code")


def test_an_account_with_an_app_is_not_asked(client, office):
    from tests.factories import login_with_two_factor

    login_with_two_factor(client, office)

    assert client.get(PAGE).url == reverse("mfa_index")
    assert client.get(ACTIVATE).url != reverse("two_factor_email_code")


def test_where_the_person_was_going_is_handed_on_to_continue(transactional_db, office):
    """From the admin's gate to the emailed code, the app and the recovery codes,
    whose "Continue" goes back to the admin; a `next` off the site is dropped."""
    client = Client()
    client.post(reverse("account_login"), {"login": office.email, "password": PASSWORD})
    onward = "?next=%2Fadmin%2F"

    assert client.get("/admin/").url == ACTIVATE + onward
    assert client.get(ACTIVATE + onward).url == PAGE + onward
    assert client.post(PAGE + onward, {"send": "first"}).url == PAGE + onward
    assert client.post(PAGE + onward, {"code": sent_code()}).url == ACTIVATE + onward
    client.post(client.get(ACTIVATE + onward).url, {"password": PASSWORD})
    page = client.get(ACTIVATE + onward)
    assert f'action="{ACTIVATE}{onward}"' in page.content.decode()
    added = client.post(ACTIVATE + onward, {"code": totp_code(page.context["form"].secret)})

    assert added.url == reverse("mfa_view_recovery_codes") + onward
    codes = client.get(added.url)
    assert codes.context["continue_url"] == "/admin/"
    banners = re.findall(r'class="govuk-notification-banner[ "]', codes.content.decode())
    assert banners == ['class="govuk-notification-banner ']  # the one success banner
    elsewhere = client.get(reverse("mfa_view_recovery_codes") + "?next=https://example.com/")
    assert elsewhere.context["continue_url"] == reverse("mfa_index")
