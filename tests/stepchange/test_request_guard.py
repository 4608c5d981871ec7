"""A NUL anywhere in a request is refused with 400, before any view: stepchange/request_guard.py."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from projects.models import ProjectQuestion
from stepchange.models import NoticeTemplate
from tests.factories import login_with_two_factor


def refused(response):
    """Whether the answer is the service's own 400 page."""
    return (
        response.status_code == 400 and "could not read your request" in response.content.decode()
    )


@pytest.fixture
def office_client(client, office):
    login_with_two_factor(client, office)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/projects/cp1%00/",
        "/projects/?status=%00",
        "/projects/?%00=1",
        "/projects/?status=active&workstream=a%00b",
    ],
    ids=["path", "query value", "query name", "second parameter"],
)
def test_a_nul_in_the_address_is_refused(client, loaded_programme, url, caplog):
    with caplog.at_level("WARNING", logger="stepchange.security"):
        response = client.get(url)

    assert refused(response)
    where = "path" if url.startswith("/projects/cp1") else "query string"
    path = url.partition("?")[0]  # logged without its query, the NUL as %00
    assert [record.getMessage() for record in caplog.records if "NUL" in record.getMessage()] == [
        f"refused GET {path} with 400: a NUL character in the {where}"
    ]


@pytest.mark.parametrize(
    "field, value",
    [("question", "nul \x00 byte"), ("name\x00", "Sam")],
    ids=["value", "name"],
)
def test_a_nul_in_a_form_is_refused_and_nothing_saved(client, loaded_programme, field, value):
    data = {"name": "Sam Asker", "email": "sam@example.org", "question": "How long?"}

    response = client.post("/projects/cp1/question/", {**data, field: value})

    assert refused(response)
    assert ProjectQuestion.objects.count() == 0


def test_a_nul_in_an_uploads_field_name_is_refused(client, db):
    upload = SimpleUploadedFile("cv.pdf", b"%PDF-1.4")

    assert refused(client.post("/contact/", {"file\x00": upload}))


def test_a_nul_in_the_session_cookie_is_refused(client, db):
    # The session is looked up by its key: PostgreSQL refuses a query holding a NUL.
    client.cookies[settings.SESSION_COOKIE_NAME] = "abcdefgh\x00ijklmnop"

    assert refused(client.get("/accounts/your-data/"))


def test_a_nul_in_a_header_is_refused(client, db):
    assert refused(client.get("/", HTTP_USER_AGENT="Mozilla\x00"))


def test_a_request_without_a_nul_is_served(client, loaded_programme):
    assert client.get("/projects/?status=active").status_code == 200
    assert client.get("/projects/cp1/").status_code == 200


def test_the_admin_autocomplete_refuses_a_nul_in_its_term(office_client):
    # A search of users by a term holding a NUL was a server error on PostgreSQL.
    query = "app_label=participants&model_name=cochairinterest&field_name=co_chair"

    assert refused(office_client.get(f"/admin/autocomplete/?{query}&term=a%00b"))
    assert office_client.get(f"/admin/autocomplete/?{query}&term=ab").status_code == 200


def test_the_notice_preview_refuses_a_nul_in_its_eoi(office_client):
    from stepchange.notices import rendering

    rendering.copy_from_files()
    template = NoticeTemplate.objects.order_by("pk").first()
    url = f"/admin/stepchange/noticetemplate/{template.pk}/preview/"

    assert refused(office_client.get(f"{url}?eoi=SC-%00"))
    assert refused(office_client.post(url, {"subject": "Hello", "eoi": "SC-\x00"}))
    assert office_client.get(f"{url}?eoi=SC-00000-00000").status_code == 200
