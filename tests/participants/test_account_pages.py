"""allauth's account pages in the portal's GOV.UK dress, through the test client."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from tests.conftest import deliver_outbox
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("empty_cache")

PASSWORD = "a-long-test-password"
NEW_PASSWORD = "another quite long passphrase"


@pytest.fixture
def empty_cache():
    """allauth keeps rate limits and the email cooldown in the cache: start clean."""
    cache.clear()


def account_holder(email="sam@example.org"):
    """A user whose one email address is confirmed, as after signing up."""
    user = UserFactory(email=email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def title(response):
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)


def headings(response):
    return re.findall(r'<h1 class="govuk-heading-l">(.*?)</h1>', response.content.decode())


def error_summary_links(response):
    html = response.content.decode()
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    if summary is None:
        return []
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary.group(0))


def link_in(message):
    """The path of the one link to this site in an email."""
    return re.search(r"https?://testserver(/\S+)", message.body).group(1)


ANONYMOUS_PAGES = [
    ("account_login", [], "Sign in"),
    ("account_signup", [], "Create an account"),
    ("account_reset_password", [], "Reset your password"),
    ("account_reset_password_done", [], "Check your email"),
    ("account_reset_password_from_key", ["1", "not-a-key"], "This link does not work"),
    ("account_reset_password_from_key_done", [], "Your password has been changed"),
    ("account_confirm_email", ["not-a-key"], "This link does not work"),
    ("account_inactive", [], "Your account is not active"),
]


@pytest.mark.parametrize("name, args, heading", ANONYMOUS_PAGES)
def test_signed_out_account_page_is_a_portal_page(client, db, name, args, heading):
    response = client.get(reverse(name, args=args))

    assert response.status_code == 200
    assert title(response) == f"{heading} – Step-Change Programme"
    assert headings(response) == [heading]
    html = response.content.decode()
    assert '<main class="govuk-main-wrapper" id="main-content">' in html
    assert "govuk-error-summary" not in html
    assert "Menu:" not in html  # allauth's own unstyled layout


SIGNED_IN_PAGES = [
    ("account_logout", "Sign out", "govuk-button"),
    ("account_email", "Your email address", 'class="govuk-input"'),
    ("account_change_password", "Change your password", 'class="govuk-input"'),
    ("account_reauthenticate", "Confirm it is you", 'class="govuk-input"'),
]


@pytest.mark.parametrize("name, heading, markup", SIGNED_IN_PAGES)
def test_signed_in_account_page_is_a_portal_page(client, db, name, heading, markup):
    client.force_login(account_holder())

    response = client.get(reverse(name))

    assert response.status_code == 200
    assert title(response) == f"{heading} – Step-Change Programme"
    assert headings(response) == [heading]
    assert markup in response.content.decode()


def test_verification_sent_page(client, db):
    response = client.get(reverse("account_email_verification_sent"))

    assert response.status_code == 200
    assert headings(response) == ["Check your email"]


def test_set_password_page_for_an_account_without_one(client, db):
    user = account_holder()
    user.set_unusable_password()
    user.save()
    client.force_login(user)

    response = client.get(reverse("account_set_password"))

    assert response.status_code == 200
    assert headings(response) == ["Set a password"]
    html = response.content.decode()
    assert 'autocomplete="new-password"' in html
    assert '<ul class="govuk-list govuk-list--bullet govuk-hint">' in html


def test_sign_in_form_is_gov_uk_markup(client, db):
    html = client.get(reverse("account_login")).content.decode()

    assert re.search(r'<label class="govuk-label" for="id_login">Email address</label>', html)
    assert re.search(r'<input type="email" name="login" autocomplete="email"[^>]*>', html)
    email = re.search(r'<input type="email" name="login"[^>]*>', html).group(0)
    assert 'class="govuk-input"' in email
    assert 'spellcheck="false"' in email
    assert "placeholder" not in email
    password = re.search(r'<input type="password" name="password"[^>]*>', html).group(0)
    assert 'autocomplete="current-password"' in password
    assert "aria-describedby" not in password  # no hint, no error: nothing to point at
    assert (
        '<div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">'
        in html
    )
    assert (
        '<label class="govuk-label govuk-checkboxes__label" for="id_remember">'
        "Remember me on this device</label>"
    ) in html
    assert "novalidate" in html
    assert (
        '<button type="submit" class="govuk-button" data-module="govuk-button" '
        'data-prevent-double-click="true">Sign in</button>'
    ) in html


def test_a_wrong_password_shows_the_error_summary(client, db):
    account_holder()

    response = client.post(
        reverse("account_login"), {"login": "sam@example.org", "password": "not the password"}
    )

    assert response.status_code == 200
    assert title(response) == "Error: Sign in – Step-Change Programme"
    message = "The email address and/or password you specified are not correct."
    assert error_summary_links(response) == [("id_login", message)]
    html = response.content.decode()
    assert html.index("govuk-error-summary") < html.index("<h1")
    assert 'data-module="govuk-error-summary"' in html
    assert '<div role="alert">' in html
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in html
    assert (
        '<p class="govuk-error-message" id="form-error">'
        f'<span class="govuk-visually-hidden">Error:</span> {message}</p>'
    ) in html


def test_an_empty_sign_in_shows_each_field_in_error(client, db):
    response = client.post(reverse("account_login"), {"login": "", "password": ""})

    assert error_summary_links(response) == [
        ("id_login", "Enter your email address"),
        ("id_password", "Enter your password"),
    ]
    html = response.content.decode()
    assert '<div class="govuk-form-group govuk-form-group--error">' in html
    assert (
        '<p class="govuk-error-message" id="id_login-error">'
        '<span class="govuk-visually-hidden">Error:</span> Enter your email address</p>'
    ) in html
    email = re.search(r'<input type="email" name="login"[^>]*>', html).group(0)
    assert 'class="govuk-input govuk-input--error"' in email
    assert 'aria-describedby="id_login-error"' in email
    assert 'aria-invalid="true"' in email


def test_a_bad_sign_up_shows_the_error_summary_and_inline_errors(client, db):
    response = client.post(
        reverse("account_signup"),
        {"email": "not an address", "password1": "short", "password2": "short"},
    )

    assert response.status_code == 200
    assert title(response) == "Error: Create an account – Step-Change Programme"
    assert error_summary_links(response) == [
        ("id_full_name", "Enter your full name"),
        ("id_email", "Enter an email address in the correct format, like name@example.com"),
        ("id_password1", "This password is too short. It must contain at least 12 characters."),
    ]
    html = response.content.decode()
    password = re.search(r'<input type="password" name="password1"[^>]*>', html).group(0)
    assert 'aria-describedby="id_password1-hint id_password1-error"' in password
    assert 'autocomplete="new-password"' in password
    assert 'value="short"' not in html  # passwords are never sent back
    assert '<div class="govuk-hint" id="id_password1-hint">' in html
    assert '<p class="govuk-error-message" id="id_password1-error">' in html
    assert EmailAddress.objects.count() == 0


def test_sign_up_sends_a_link_that_verifies_the_address(client, db):
    response = client.post(
        reverse("account_signup"),
        {
            "full_name": "Nat New",
            "email": "new@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        follow=True,
    )

    assert response.redirect_chain == [(reverse("account_email_verification_sent"), 302)]
    assert headings(response) == ["Check your email"]
    deliver_outbox()
    assert [message.to for message in mail.outbox] == [["new@example.org"]]
    address = EmailAddress.objects.get(email="new@example.org")
    assert address.verified is False

    link = link_in(mail.outbox[0])
    confirm = client.get(link)
    assert headings(confirm) == ["Confirm your email address"]
    assert "<strong>new@example.org</strong>" in confirm.content.decode()
    confirmed = client.post(link)

    address.refresh_from_db()
    assert address.verified is True
    assert confirmed.status_code == 302

    client.logout()
    signed_in = client.post(
        reverse("account_login"), {"login": address.email, "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    assert signed_in.url == reverse("participants:applications")


def test_an_unverified_account_cannot_sign_in(client, db):
    client.post(
        reverse("account_signup"),
        {
            "full_name": "Nat New",
            "email": "new@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    client.logout()

    response = client.post(
        reverse("account_login"), {"login": "new@example.org", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_password_reset_does_not_tell_whether_an_account_exists(client, db):
    account_holder("sam@example.org")

    known = client.post(reverse("account_reset_password"), {"email": "sam@example.org"})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})

    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url == reverse("account_reset_password_done")
    done = client.get(known.url).content.decode()
    assert "If the address you entered belongs to an account" in done
    assert "sam@example.org" not in done
    assert "nobody@example.org" not in done
    # Both addresses get an email; only the account's has a reset link.
    deliver_outbox()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "nobody@example.org",
        "sam@example.org",
    ]
    to_sam = next(message for message in mail.outbox if message.to == ["sam@example.org"])
    assert "/accounts/password/reset/key/" in to_sam.body


def test_password_reset_link_sets_a_new_password(client, db):
    user = account_holder()
    client.post(reverse("account_reset_password"), {"email": user.email})

    # allauth moves the key out of the address bar before showing the form.
    deliver_outbox()
    form_page = client.get(link_in(mail.outbox[0]), follow=True)
    assert headings(form_page) == ["Choose a new password"]
    bad = client.post(form_page.request["PATH_INFO"], {"password1": "x", "password2": "y"})
    assert title(bad) == "Error: Choose a new password – Step-Change Programme"
    assert error_summary_links(bad)[0][0] == "id_password1"
    done = client.post(
        form_page.request["PATH_INFO"],
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )

    assert headings(done) == ["Your password has been changed"]
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_change_email_replaces_the_address_once_the_new_one_is_confirmed(client, db):
    user = account_holder("old@example.org")
    client.force_login(user)

    pending = client.post(
        reverse("account_email"), {"action_add": "", "email": "new@example.org"}, follow=True
    )

    html = pending.content.decode()
    assert "You asked to change your email address to <strong>new@example.org</strong>" in html
    assert "We have sent a confirmation email to new@example.org." in html  # a notification banner
    deliver_outbox()
    assert [message.to for message in mail.outbox] == [["new@example.org"]]
    user.refresh_from_db()
    assert user.email == "old@example.org"

    client.post(link_in(mail.outbox[0]))

    user.refresh_from_db()
    assert user.email == "new@example.org"
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified")) == [
        ("new@example.org", True)
    ]


def test_a_bad_new_email_address_shows_the_error_summary(client, db):
    client.force_login(account_holder())

    response = client.post(reverse("account_email"), {"action_add": "", "email": "not an address"})

    assert title(response) == "Error: Your email address – Step-Change Programme"
    assert error_summary_links(response) == [
        ("id_email", "Enter an email address in the correct format, like name@example.com")
    ]
    html = response.content.decode()
    assert 'aria-describedby="id_email-hint id_email-error"' in html
    assert "govuk-input--error" in html


def test_a_bad_password_change_shows_the_error_summary(client, db):
    client.force_login(account_holder())

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "", "password1": NEW_PASSWORD, "password2": "different"},
    )

    assert error_summary_links(response) == [
        ("id_oldpassword", "Enter your current password"),
        ("id_password2", "You must type the same password each time."),
    ]


def test_sign_out_signs_out(client, db):
    client.force_login(account_holder())

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_account_emails_go_through_the_outbox_with_both_parts(client, db):
    from stepchange.models import Notice

    client.post(
        "/accounts/signup/",
        {
            "full_name": "Olu Outbox",
            "email": "outbox@example.org",
            "password1": "a long unusual passphrase",
            "password2": "a long unusual passphrase",
        },
    )

    notice = Notice.objects.get(recipient="outbox@example.org")
    assert (notice.reason, notice.state) == ("account", "pending")
    assert mail.outbox == []
    deliver_outbox()
    [message] = mail.outbox
    assert message.subject == "Step-Change Programme: Confirm your email address"
    assert [kind for _, kind in message.alternatives] == ["text/html"]
    assert "/accounts/confirm-email/" in message.alternatives[0][0]
