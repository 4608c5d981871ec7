"""One rule for a co-chair's declared interest (participants.models.withheld_from):
an applicant or team member from that organisation is withheld from them on
every workspace page and export (read from the resolver, so a new page is
checked too) and in every notice to them."""

import datetime

import pytest
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone

from participants.models import CoChairInterest, TeamMembership
from participants.reminders import queue_closing_notices
from participants.workspace import services
from projects.models import Call, Project
from stepchange.models import Notice
from tests.factories import (
    UserFactory,
    ValidationCheckFactory,
    applicant_for,
    login_with_two_factor,
)

WITHHELD = ["Wendy Withheld", "wendy@example.org", "wendy@work.example.org"]
ORGANISATION = "Withheld Holdings Ltd"
# Pages that show the co-chair's own declaration, which names the organisation.
OWN_DECLARATION = {"workspace:interests", "workspace:interest_remove"}


@pytest.fixture
def people(open_call, co_chair):
    """Wendy, from an organisation the co-chair declared an interest in, and Val,
    from another: both applied to CP1, were accepted and placed in its team."""
    rows = {}
    for name, organisation in [("Wendy Withheld", ORGANISATION), ("Val Visible", "Open Ltd")]:
        eoi = applicant_for(
            open_call, name, "CP1", "lead", status="accepted", organisation_name=organisation
        )
        ValidationCheckFactory(expression_of_interest=eoi)
        TeamMembership.objects.create(
            project=Project.objects.get(code="CP1"),
            member=eoi.applicant,
            role="lead",
            expression_of_interest=eoi,
        )
        rows[name.split()[0].lower()] = eoi
    # Declared in other words than the applicant wrote: the rule ignores case
    # and spaces at either end.
    rows["interest"] = CoChairInterest.objects.create(
        co_chair=co_chair, organisation="  withheld HOLDINGS ltd "
    )
    project = Project.objects.get(code="CP1")
    for text in ("First.", "Second."):
        services.amend_project(project, co_chair, {"summary": text}, text)
    return rows


def workspace_patterns():
    _, resolver = get_resolver().namespace_dict["workspace"]
    for pattern in resolver.url_patterns:
        assert isinstance(pattern, URLPattern)
        yield f"workspace:{pattern.name}", list(pattern.pattern.converters)


def urls(people):
    """Every workspace URL with the withheld person's objects in it (and the
    visible applicant's, for the applicant page)."""
    project = Project.objects.get(code="CP1")
    older, newer = project.history.order_by("history_date")[:2]
    values = {
        "slug": "crowded-places",
        "code": "cp1",
        "pk": people["interest"].pk,
    }
    query = {"workspace:compare": f"?older={older.history_id}&newer={newer.history_id}"}
    for name, arguments in workspace_patterns():
        references = (
            [people["wendy"].reference, people["val"].reference]
            if "reference" in arguments
            else [None]
        )
        for reference in references:
            kwargs = {argument: values.get(argument, reference) for argument in arguments}
            yield name, reverse(name, kwargs=kwargs) + query.get(name, "")


EXPECTED_STATUS = {"workspace:home": 302, "workspace:interest_remove": 405}


def test_a_withheld_person_is_on_no_workspace_page(client, co_chair, people):
    login_with_two_factor(client, co_chair)
    seen = {}
    for name, url in urls(people):
        response = client.get(url)
        page = response.content.decode("utf-8-sig").lower()
        seen[url] = response.status_code
        expected = EXPECTED_STATUS.get(name, 200)
        if people["wendy"].reference in url and name == "workspace:applicant":
            expected = 404
        assert response.status_code == expected, url
        for detail in WITHHELD + ([] if name in OWN_DECLARATION else [ORGANISATION]):
            assert detail.lower() not in page, (url, detail)

    # The pages showed people: the visible applicant is on them.
    client_pages = [
        "/workspace/crowded-places/projects/cp1/applicants/",
        "/workspace/crowded-places/projects/cp1/applicants.csv",
        "/workspace/crowded-places/projects/cp1/team/",
        f"/workspace/crowded-places/projects/cp1/applicants/{people['val'].reference}/",
    ]
    for url in client_pages:
        assert seen[url] == 200
        assert "Val Visible" in client.get(url).content.decode("utf-8-sig"), url


def test_the_withheld_show_as_withheld_not_missing(client, co_chair, people):
    login_with_two_factor(client, co_chair)

    team = client.get("/workspace/crowded-places/projects/cp1/team/").content.decode()
    listing = client.get("/workspace/crowded-places/projects/cp1/applicants/").content.decode()

    assert "A member: withheld, because you declared an interest in their organisation." in team
    assert "This project has no lead." not in team
    assert f"{people['wendy'].reference}: withheld" in listing


def test_another_co_chair_sees_the_person(client, people, co_chair, crowded_places):
    from tests.factories import give_two_factor

    police = UserFactory(email="police@example.org", full_name="Pat Police", stakeholder=True)
    give_two_factor(police)
    crowded_places.police_co_chair = police
    crowded_places.save()
    login_with_two_factor(client, police)

    team = client.get("/workspace/crowded-places/projects/cp1/team/").content.decode()

    assert f"Wendy Withheld, {ORGANISATION}" in team


def test_the_rule_is_one_queryset_expression(people, co_chair):
    withheld = dict(
        TeamMembership.objects.with_withheld(co_chair).values_list("member__full_name", "withheld")
    )
    assert withheld == {"Wendy Withheld": True, "Val Visible": False}


def test_the_notices_to_a_co_chair_name_no_withheld_person(people, co_chair, open_call):
    now = timezone.now()
    Call.objects.filter(pk=open_call.pk).update(
        opens=now - datetime.timedelta(days=40), closes=now - datetime.timedelta(days=1)
    )
    queue_closing_notices()

    notices = list(Notice.objects.filter(recipient=co_chair.email).order_by("reason"))
    assert [notice.reason for notice in notices] == ["closing_summary", "co_chair_appointed"]
    for notice in notices:
        text = f"{notice.subject}\n{notice.body_text}\n{notice.body_html}".lower()
        for detail in [*WITHHELD, ORGANISATION]:
            assert detail.lower() not in text
