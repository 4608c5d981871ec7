"""Asking the coordination office a question from a project's page."""

import datetime
import os
import re

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from projects import programme
from projects.models import ProjectQuestion
from projects.services import QUESTION_LIMITS
from stepchange import ratelimit
from stepchange.models import Notice
from stepchange.notices import sending
from tests.factories import ProjectFactory, UserFactory, login_with_two_factor

CONTACT = programme.CALL["contact_email"]
PER_ADDRESS = QUESTION_LIMITS["per_address"]
PER_ACCOUNT = QUESTION_LIMITS["per_account"]
WINDOW = QUESTION_LIMITS["window"]
URL = "/projects/cp3/question/"
ANSWERS = {
    "name": "Sam Asker",
    "email": "sam@example.org",
    "question": "How many hours a month does the lead role take?",
}


@pytest.fixture(autouse=True)
def empty_cache():
    """The rate limit lives in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


def ask(client, *, address="192.0.2.1", **changes):
    return client.post(URL, {**ANSWERS, **changes}, REMOTE_ADDR=address)


def deliver():
    """Send every queued notice as the worker would, into Django's test mailbox."""
    for notice in Notice.objects.filter(state=Notice.State.PENDING).order_by("pk"):
        sending.send(notice.pk)


def error_links(response):
    """The error summary's (href, message) pairs."""
    html = response.content.decode()
    start = html.index('class="govuk-error-summary"')
    summary = html[start : html.index("</ul>", start)]
    return re.findall(r'<li><a href="(#[^"]+)">([^<]+)</a></li>', summary)


def test_project_page_links_to_the_question_form(client, loaded_programme):
    html = client.get("/projects/cp3/").content.decode()

    assert (
        '<a class="govuk-link" href="/projects/cp3/question/">Ask a question about this project</a>'
        in html
    )


def test_question_form_renders(client, loaded_programme):
    response = client.get(URL)

    assert response.status_code == 200
    assert response.context["project"].code == "CP3"
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Ask a question about this project</h1>' in html
    assert "govuk-error-summary" not in html
    assert 'data-module="govuk-character-count" data-maxlength="2000"' in html
    assert 'aria-describedby="id_question_hint id_question-info"' in html
    assert ' maxlength="' not in html
    assert response.context["form"]["name"].value() is None
    assert response.context["form"]["email"].value() is None


def test_signed_in_visitor_finds_name_and_email_filled_in(client, loaded_programme):
    client.force_login(UserFactory(email="ada@example.org", full_name="Ada Lovelace"))

    form = client.get(URL).context["form"]

    assert form["name"].value() == "Ada Lovelace"
    assert form["email"].value() == "ada@example.org"


def test_question_is_saved_and_emailed_to_the_contact_address(
    client, loaded_programme, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as on_commit:
        response = ask(client)

    assert response.status_code == 302
    assert response["Location"] == "/projects/cp3/question/sent/"
    question = ProjectQuestion.objects.get()
    assert question.project.code == "CP3"
    assert (question.name, question.email, question.question) == tuple(ANSWERS.values())
    assert question.asked_by is None
    assert question.answered is False
    assert list(Notice.objects.values_list("reason", "recipient", "occurrence", "state")) == [
        ("project_question", CONTACT, f"question:{question.pk}", "pending")
    ]
    assert len(on_commit) == 1  # the notice goes to a worker once the question is saved
    deliver()
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == [CONTACT]
    assert email.reply_to == ["sam@example.org"]
    assert email.subject == "Step-Change Programme: Question about project CP3"
    assert ANSWERS["question"] in email.body
    assert "From: Sam Asker" in email.body
    assert f"/admin/projects/projectquestion/{question.pk}/change/" in email.body
    [(html, mimetype)] = email.alternatives
    assert mimetype == "text/html"
    assert (
        f'<p style="border-left: 4px solid #b1b4b6; padding-left: 12px;">{ANSWERS["question"]}</p>'
        in html
    )


def test_signed_in_question_records_the_account(client, loaded_programme, mailoutbox):
    user = UserFactory(email="ada@example.org", full_name="Ada Lovelace")
    client.force_login(user)

    ask(client, name="Ada Lovelace", email="ada.work@example.org")
    deliver()

    question = ProjectQuestion.objects.get()
    assert question.asked_by == user
    assert question.email == "ada.work@example.org"
    assert mailoutbox[0].reply_to == ["ada.work@example.org"]
    assert "Signed in as: ada@example.org" in mailoutbox[0].body


def test_project_code_is_matched_without_regard_to_case(client, loaded_programme):
    response = client.post("/projects/CP3/question/", ANSWERS)

    assert response.status_code == 302
    assert ProjectQuestion.objects.get().project.code == "CP3"


def test_confirmation_page_shows_the_panel(client, loaded_programme):
    response = client.get("/projects/cp3/question/sent/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="govuk-panel__title">Question sent</h1>' in html
    assert "Your question about project CP3 has gone to the Programme Coordination Office" in html


@pytest.mark.parametrize(
    "changes, expected",
    [
        (
            {"name": "", "email": "", "question": ""},
            [
                ("#id_name", "Enter your name"),
                ("#id_email", "Enter your email address"),
                ("#id_question", "Enter your question"),
            ],
        ),
        ({"question": "   \n  "}, [("#id_question", "Enter your question")]),
        (
            {"email": "sam at example.org"},
            [("#id_email", "Enter an email address in the correct format, like name@example.com")],
        ),
        (
            {"email": "sam@example.org\nBcc: victim@example.org"},
            [
                (
                    "#id_email",
                    "Your email address must not contain line breaks or control characters",
                )
            ],
        ),
        (
            {"email": "s" * 250 + "@example.org"},
            [("#id_email", "Your email address must be 254 characters or fewer")],
        ),
        (
            {"question": "x" * 2001},
            [("#id_question", "Your question must be 2000 characters or fewer")],
        ),
        ({"name": "x" * 151}, [("#id_name", "Your name must be 150 characters or fewer")]),
        # A NUL is refused with 400 before the form: tests/stepchange/test_request_guard.py.
    ],
    ids=[
        "empty",
        "blank",
        "bad-email",
        "header-injection",
        "long-email",
        "long-question",
        "long-name",
    ],
)
def test_bad_input_shows_the_error_summary_and_saves_nothing(
    client, loaded_programme, changes, expected
):
    response = ask(client, **changes)

    assert response.status_code == 200
    assert error_links(response) == expected
    html = response.content.decode()
    assert html.index("govuk-error-summary") < html.index("<h1")
    assert html.count('class="govuk-error-message"') == len(expected)
    assert response.context["form"].errors
    assert ProjectQuestion.objects.count() == 0
    assert Notice.objects.count() == 0


def test_exactly_2000_characters_is_accepted(client, loaded_programme):
    assert ask(client, question="x" * 2000).status_code == 302


def test_bad_input_never_fails_the_page(client, loaded_programme):
    for data in [{}, {"name": ["a", "b"]}, {"question": "€" * 3000}]:
        assert client.post(URL, data).status_code == 200
    # Bytes that are not UTF-8.
    raw = b"name=%FF%FE&email=%FF%40example.org&question=%C3%28"
    response = client.post(URL, raw, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert error_links(response) == [
        ("#id_email", "Enter an email address in the correct format, like name@example.com")
    ]
    assert ProjectQuestion.objects.count() == 0


def test_unknown_project_is_not_found_and_saves_nothing(client, loaded_programme):
    assert client.get("/projects/zz9/question/").status_code == 404
    assert client.post("/projects/zz9/question/", ANSWERS).status_code == 404
    assert client.get("/projects/zz9/question/sent/").status_code == 404
    assert ProjectQuestion.objects.count() == 0
    assert Notice.objects.count() == 0


def test_html_in_the_question_is_escaped_in_the_html_email(client, loaded_programme, mailoutbox):
    question = '<script>alert("x")</script><a href="https://evil.example">click</a>\nsecond line'
    name = "<b>Mallory</b>"

    ask(client, name=name, question=question)
    deliver()

    [(html, _)] = mailoutbox[0].alternatives
    assert "<script>" not in html
    assert 'evil.example">' not in html
    assert "<b>Mallory</b>" not in html
    assert escape(name) in html
    assert (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;a href=&quot;https://evil.example"
        "&quot;&gt;click&lt;/a&gt;<br>second line"
    ) in html
    # The plain-text part is not HTML: it carries the question as typed.
    assert question in mailoutbox[0].body


def use_up_the_address(address, count=PER_ADDRESS, now=None):
    """Take `count` of the address's question slots, as other people on its network would."""
    for _ in range(count):
        ratelimit.take(
            "project-question:address", [f"ip:{address}"], limit=PER_ADDRESS, window=WINDOW, now=now
        )


def test_people_sharing_one_address_each_ask_their_questions(client, loaded_programme):
    """An office's gateway is one address for everyone in it: one person's
    questions must not stop the next person's (a new user on a shared address
    was refused after 5)."""
    use_up_the_address("192.0.2.1", count=PER_ADDRESS - PER_ACCOUNT - 1)
    for number in range(PER_ACCOUNT + 1):
        client.force_login(UserFactory(email=f"colleague{number}@example.org"))
        assert ask(client, question=f"Question {number}").status_code == 302

    assert ProjectQuestion.objects.count() == PER_ACCOUNT + 1


def test_an_address_that_has_used_its_hour_is_refused_and_saves_nothing(client, loaded_programme):
    use_up_the_address("192.0.2.1")

    response = ask(client, question="One too many")

    assert response.status_code == 429
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">You have sent too many questions</h1>' in html
    assert (
        '<p class="govuk-body">You can send up to 5 questions an hour. Everyone on one '
        "network, such as an office, can send up to 100 an hour between them.</p>"
    ) in html
    retry_at = response.context["retry_at"]
    now = timezone.now()
    assert now + WINDOW - datetime.timedelta(minutes=1) < retry_at
    assert retry_at <= now + WINDOW + datetime.timedelta(minutes=1)
    assert retry_at.second == 0
    assert 3500 <= int(response["Retry-After"]) <= 3660
    assert ProjectQuestion.objects.count() == 0
    assert Notice.objects.count() == 0

    # The form itself says so too, before anything is typed into it.
    assert client.get(URL, REMOTE_ADDR="192.0.2.1").status_code == 429
    # Another address is not limited.
    assert ask(client, address="198.51.100.7").status_code == 302


def test_signed_in_account_is_limited_whatever_its_address(client, loaded_programme):
    client.force_login(UserFactory())
    for number in range(PER_ACCOUNT):
        assert ask(client, address=f"192.0.2.{number + 1}").status_code == 302

    assert ask(client, address="198.51.100.7").status_code == 429
    assert ProjectQuestion.objects.count() == PER_ACCOUNT
    # The refused question took no slot of that address.
    assert cache.get("ratelimit:project-question:address:ip:198.51.100.7:0") is None
    client.logout()
    assert ask(client, address="198.51.100.7").status_code == 302


def test_rejected_input_does_not_count_towards_the_limit(client, loaded_programme):
    client.force_login(UserFactory())
    for _ in range(PER_ACCOUNT + 1):
        assert ask(client, email="not an email").status_code == 200

    assert ask(client).status_code == 302


def test_limit_frees_a_slot_an_hour_after_each_question(client, loaded_programme):
    start = timezone.now()
    use_up_the_address("192.0.2.1", now=start)

    with pytest.raises(ratelimit.RateLimited) as limited:
        use_up_the_address("192.0.2.1", count=1)
    assert limited.value.retry_at == start + WINDOW


def test_ipv6_clients_are_counted_by_their_64_network(db):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/", REMOTE_ADDR="2001:db8:1:2:aaaa:bbbb:cccc:dddd")
    request.user = AnonymousUser()

    assert ratelimit.senders(request) == ["ip:2001:db8:1:2::"]


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs the Redis of .ci/with-services")
def test_limit_is_shared_by_processes_that_share_a_redis_cache(client, loaded_programme, settings):
    from django.core.cache.backends.redis import RedisCache

    # Database 15, so that clearing it cannot touch the Celery broker's queue.
    location = os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/15"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location}
    }
    cache.clear()
    # Another process's connection to the same cache takes every slot of the address.
    elsewhere = RedisCache(location, {})
    now = timezone.now()
    for slot in range(PER_ADDRESS):
        assert elsewhere.add(f"ratelimit:project-question:address:ip:192.0.2.1:{slot}", now, 3600)

    assert ask(client).status_code == 429
    assert ProjectQuestion.objects.count() == 0
    cache.clear()


def test_question_without_any_call_is_kept_though_not_emailed(client, db):
    ProjectFactory(code="CP3")

    assert ask(client).status_code == 302

    assert ProjectQuestion.objects.count() == 1
    assert Notice.objects.count() == 0


def test_admin_lists_questions_in_the_same_number_of_queries_for_1_and_3(
    client, loaded_programme, superuser
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from projects.models import Project

    login_with_two_factor(client, superuser)
    url = reverse("admin:projects_projectquestion_changelist")
    queries = []
    for codes in [["CP1"], ["CP2", "CP3"]]:
        for code in codes:
            ProjectQuestion.objects.create(
                project=Project.objects.get(code=code),
                name=f"Asker of {code}",
                email="asker@example.org",
                question="When does it start?",
            )
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, {"answered__exact": "0", "q": "start"})
        assert response.status_code == 200
        queries.append(len(captured))

    assert response.context["cl"].result_count == 3
    assert queries[0] == queries[1]


def test_admin_marks_questions_answered(client, loaded_programme, superuser):
    from projects.models import Project

    question = ProjectQuestion.objects.create(
        project=Project.objects.get(code="CP3"), name="A", email="a@example.org", question="Q"
    )
    login_with_two_factor(client, superuser)

    response = client.post(
        reverse("admin:projects_projectquestion_changelist"),
        {"action": "mark_answered", "_selected_action": [question.pk]},
    )

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.answered is True
    assert client.get(reverse("admin:projects_projectquestion_add")).status_code == 403
