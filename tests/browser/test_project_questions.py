"""Asking a question from a project's page, in Chromium, scanned by axe."""

import pytest
from django.core.cache import cache

from projects.models import ProjectQuestion


@pytest.fixture
def programme_loaded(transactional_db):
    from projects.services import load_programme

    load_programme()
    # The rate limit lives in the cache, which the live server shares with the test.
    cache.clear()
    yield
    cache.clear()


def test_ask_a_question_from_a_project_page(page, programme_loaded, assert_accessible):
    page.goto("/projects/tt3/")
    page.get_by_role("link", name="Ask a question about this project").click()
    page.wait_for_url("**/projects/tt3/question/")
    assert page.locator("h1").inner_text() == "Ask a question about this project"
    assert page.title() == "Ask a question about project TT3 – Step-Change Programme"
    # govuk-frontend's character count has taken over the textarea's message.
    assert page.locator(".govuk-character-count__status").inner_text() == (
        "You have 2,000 characters remaining"
    )
    assert_accessible(page)

    page.get_by_role("button", name="Send question").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert summary.get_by_role("link").all_inner_texts() == [
        "Enter your name",
        "Enter your email address",
        "Enter your question",
    ]
    assert page.title() == "Error: Ask a question about project TT3 – Step-Change Programme"
    assert_accessible(page)
    summary.get_by_role("link", name="Enter your email address").click()
    assert page.evaluate("document.activeElement.id") == "id_email"

    page.get_by_label("Your name").fill("Sam Asker")
    page.get_by_label("Your email address").fill("sam@example.org")
    page.get_by_label("Your question").fill("Which organisations already take part?")
    page.get_by_role("button", name="Send question").click()

    page.wait_for_url("**/projects/tt3/question/sent/")
    assert page.locator(".govuk-panel__title").inner_text() == "Question sent"
    assert_accessible(page)
    question = ProjectQuestion.objects.get()
    assert (question.project.code, question.name, question.email) == (
        "TT3",
        "Sam Asker",
        "sam@example.org",
    )
