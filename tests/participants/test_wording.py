"""One word for one thing: people read "expression of interest", never
"application", for what they send (the Call to Action's own word: its
"Expression of Interest Process"); the document's version is a version and a
date; its "details of the projects" link to the projects."""

import re
from pathlib import Path

import pytest

from stepchange.models import Notice

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# "application" where it does not mean what a person sends: the accessibility
# regulations' name.
OTHER_MEANINGS = ["Websites and Mobile Applications"]
APPLICATION = re.compile(r"\bapplications?\b", re.IGNORECASE)


def words_people_read(text):
    """A template's or page's text without template tags, markup, addresses and
    placeholders: what is left is read."""
    for pattern in [r"{%.*?%}", r"{{.*?}}", r"{#.*?#}", r"<[^>]+>", r"https?://\S+"]:
        text = re.sub(pattern, " ", text, flags=re.DOTALL)
    for phrase in OTHER_MEANINGS:
        text = text.replace(phrase, "")
    return text


def test_no_template_calls_an_expression_of_interest_an_application():
    found = {
        str(path.relative_to(TEMPLATES)): APPLICATION.findall(words_people_read(path.read_text()))
        for path in sorted(TEMPLATES.rglob("*"))
        if path.suffix in {".html", ".txt"}
    }
    assert {path: words for path, words in found.items() if words} == {}


@pytest.mark.django_db
def test_an_applicants_pages_and_emails_say_expression_of_interest(applicant_client, submitted):
    pages = {
        url: applicant_client.get(url).content.decode()
        for url in [
            "/applications/",
            f"/applications/{submitted.reference}/",
            f"/applications/{submitted.reference}/confirmation/",
        ]
    }
    assert (
        '<h1 class="govuk-heading-xl">Your expressions of interest</h1>' in pages["/applications/"]
    )
    assert ">Your expressions of interest</a>" in pages["/applications/"]  # the account menu
    emails = [notice.body_text + notice.body_html for notice in Notice.objects.all()]
    assert emails
    read = [words_people_read(text) for text in [*pages.values(), *emails]]
    assert [APPLICATION.findall(text) for text in read if APPLICATION.search(text)] == []


@pytest.mark.django_db
def test_the_document_version_is_a_version_and_a_date(client, loaded_programme):
    html = client.get("/").content.decode()

    assert '<span class="govuk-caption-l">Version 3, 8 May 2018</span>' in html
    assert "08052018" not in html


def test_a_version_typed_in_the_admin_is_shown_as_typed():
    from projects.programme import version_and_date

    assert version_and_date("Version 3 – 08052018") == "Version 3, 8 May 2018"
    assert version_and_date("Version 4 – 31022019") == "Version 4 – 31022019"  # no such day
    assert version_and_date("Draft 2") == "Draft 2"
    assert version_and_date("") == ""


@pytest.mark.django_db
def test_the_details_of_the_projects_link_to_the_projects(client, loaded_programme):
    html = client.get("/").content.decode()

    assert (
        'The <a class="govuk-link" href="/projects/">details of the projects</a> are shown '
        "at the end of this message." in html
    )
