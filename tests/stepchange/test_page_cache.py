"""Public pages are kept for anonymous visitors and dropped when their content changes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import Project
from tests.factories import UserFactory

PAGE = "/projects/cp1/"


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


@pytest.mark.parametrize("url", ["/", "/projects/", PAGE, "/workstreams/", "/timeline/"])
def test_a_kept_page_costs_no_query(client, loaded_programme, url):
    first, page = queries(client, url)
    again, kept = queries(client, url)

    assert first > 0
    assert again == 0
    assert kept == page


def test_changing_a_project_drops_the_kept_pages(client, loaded_programme):
    queries(client, PAGE)
    project = Project.objects.get(code="CP1")
    project.vision_for_success = "A vision changed a moment ago."
    project.save()

    _, page = queries(client, PAGE)

    assert "A vision changed a moment ago." in page


def test_renaming_a_co_chair_drops_the_kept_pages(client, loaded_programme):
    from workstreams.models import Workstream

    chair = UserFactory(full_name="Casey Chair")
    workstream = Workstream.objects.get(slug="crowded-places")
    workstream.business_co_chair = chair
    workstream.save()
    queries(client, "/workstreams/crowded-places/")
    chair.full_name = "Casey Renamed"
    chair.save()

    _, page = queries(client, "/workstreams/crowded-places/")

    assert "Casey Renamed" in page


def test_signed_in_people_and_queries_are_not_served_from_the_cache(client, loaded_programme):
    queries(client, "/projects/")
    filtered, _ = queries(client, "/projects/?status=priority")
    assert filtered > 0

    client.force_login(UserFactory())
    signed_in, page = queries(client, "/projects/")
    assert signed_in > 0
    assert "Sign out" in page


def test_a_kept_page_keeps_its_status_and_headers(client, loaded_programme):
    made = client.get(PAGE)
    kept = client.get(PAGE)

    assert (kept.status_code, kept["Content-Type"]) == (200, "text/html; charset=utf-8")
    assert kept.content == made.content


def test_a_page_made_before_the_change_was_committed_is_dropped_on_commit(
    client, loaded_programme, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        project = Project.objects.get(code="CP1")
        project.vision_for_success = "A vision not yet committed."
        project.save()
        queries(client, PAGE)  # as another process would, before the commit

    again, _ = queries(client, PAGE)

    assert again > 0


def test_a_page_of_a_lost_generation_does_not_come_back(client, loaded_programme):
    from django.core.cache import cache

    from stepchange.page_cache import GENERATION

    queries(client, PAGE)
    cache.delete(GENERATION)  # the cache was emptied but for the page, or the counter evicted

    again, _ = queries(client, PAGE)

    assert again > 0


def counted(view):
    """`view` behind public_page, with how often it was made."""
    from stepchange.page_cache import public_page

    made = []

    @public_page
    def page(request):
        made.append(request.path)
        return view(request)

    return page, made


def plain(request):
    from django.http import HttpResponse

    return HttpResponse("a page", headers={"X-Kind": "plain"})


def with_cookie(request):
    response = plain(request)
    response.set_cookie("seen", "1")
    return response


def with_csrf_token(request):
    from django.middleware.csrf import get_token

    get_token(request)
    return plain(request)


def not_to_be_stored(request):
    response = plain(request)
    response["Cache-Control"] = "private, no-store"
    return response


def test_a_plain_page_is_made_once_and_kept_whole(rf):
    page, made = counted(plain)

    first = page(rf.get("/plain/"))
    kept = page(rf.get("/plain/"))
    head = page(rf.head("/plain/"))

    assert made == ["/plain/"]
    assert [(r.status_code, r["X-Kind"], r.content) for r in (first, kept, head)] == [
        (200, "plain", b"a page")
    ] * 3


@pytest.mark.parametrize("view", [with_cookie, with_csrf_token, not_to_be_stored])
def test_a_page_that_sets_a_cookie_uses_the_token_or_refuses_storing_is_never_kept(rf, view):
    page, made = counted(view)

    page(rf.get("/personal/"))
    page(rf.get("/personal/"))

    assert made == ["/personal/", "/personal/"]


def test_forms_queries_and_sessions_are_never_answered_from_the_cache(rf, settings):
    page, made = counted(plain)
    page(rf.get("/plain/"))

    page(rf.post("/plain/"))
    page(rf.get("/plain/", {"q": "1"}))
    with_session = rf.get("/plain/")
    with_session.COOKIES[settings.SESSION_COOKIE_NAME] = "a-session"
    page(with_session)

    assert made == ["/plain/"] * 4


def test_a_new_generation_drops_every_kept_page_at_once(rf):
    from stepchange.page_cache import new_generation

    page, made = counted(plain)
    page(rf.get("/one/"))
    page(rf.get("/two/"))

    new_generation()
    page(rf.get("/one/"))
    page(rf.get("/two/"))

    assert made == ["/one/", "/two/", "/one/", "/two/"]
