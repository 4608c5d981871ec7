import datetime
import re
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from participants import dashboard
from participants.models import ExpressionOfInterest, ProjectInterest, ValidationCheck
from projects.models import Call, Project
from projects.services import LONDON
from tests.factories import (
    CallFactory,
    ExpressionOfInterestFactory,
    ProjectInterestFactory,
    UserFactory,
    ValidationCheckFactory,
    login_with_two_factor,
)

URL = "/admin/dashboard/"
Status = ExpressionOfInterest.Status
Sector = ExpressionOfInterest.Sector
Role = ProjectInterest.Role

# The request's savepoint and its release, the session, the user, whether they
# have two-factor sign-in, their two permission queries, the calls, the current
# call and the seven figures: fixed, whatever the number of expressions of interest.
MAX_QUERIES = 16


def london_noon(day):
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=LONDON)


@pytest.fixture
def today():
    return timezone.localdate(timezone=LONDON)


@pytest.fixture
def call(loaded_programme, today):
    """A call of all 25 projects, opened at the start of the day four days ago."""
    call = CallFactory(
        opens=datetime.datetime.combine(
            today - datetime.timedelta(days=4), datetime.time.min, tzinfo=LONDON
        ),
        closes=timezone.now() + datetime.timedelta(days=21),
    )
    call.projects.set(Project.objects.all())
    return call


def make_eoi(call, email, status, sector="", submitted_on=None, offers=(), checks=()):
    # The status and the date sent as given: the figures count both.
    eoi = ExpressionOfInterestFactory(
        applicant=UserFactory(email=email),
        call=call,
        status=status,
        sector=sector,
        submitted_at=london_noon(submitted_on) if submitted_on else None,
    )
    for code, role in offers:
        ProjectInterestFactory(expression_of_interest=eoi, code=code, role=role)
    for method, result in checks:
        ValidationCheckFactory(expression_of_interest=eoi, method=method, result=result)
    return eoi


@pytest.fixture
def known(call, today):
    """Five EOIs: three sent or decided, one draft and one withdrawn, which offer
    to lead CP2 but do not count."""
    opened = today - datetime.timedelta(days=4)
    make_eoi(
        call,
        "police@example.org",
        Status.SUBMITTED,
        Sector.POLICING,
        opened,
        offers=[("CP1", Role.LEAD), ("T1", Role.DELIVER)],
        checks=[(ValidationCheck.Method.REFEREE_CONFIRMED, ValidationCheck.Result.PASSED)],
    )
    make_eoi(
        call,
        "business@example.org",
        Status.UNDER_REVIEW,
        Sector.PRIVATE,
        opened,
        offers=[("CP1", Role.LEAD), ("CP3", Role.DEVELOP)],
        checks=[(ValidationCheck.Method.REFEREE_CONFIRMED, ValidationCheck.Result.FAILED)],
    )
    make_eoi(
        call,
        "unsaid@example.org",
        Status.ACCEPTED,
        "",
        opened + datetime.timedelta(days=2),
        offers=[("CP3", Role.DELIVER)],
        checks=[(ValidationCheck.Method.EMAIL_VERIFIED, ValidationCheck.Result.PASSED)],
    )
    make_eoi(
        call, "drafting@example.org", Status.DRAFT, Sector.GOVERNMENT, offers=[("CP2", Role.LEAD)]
    )
    make_eoi(
        call,
        "gone@example.org",
        Status.WITHDRAWN,
        Sector.GOVERNMENT,
        opened + datetime.timedelta(days=1),
        offers=[("CP2", Role.LEAD)],
    )
    return call


class Tables(HTMLParser):
    """Each table's rows of cell texts, by its caption."""

    def __init__(self, html):
        super().__init__()
        self.tables, self.rows, self.text, self.caption = {}, None, None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.rows = []
        elif tag == "tr":
            self.rows.append([])
        elif tag in {"th", "td", "caption"}:
            self.text = ""

    def handle_endtag(self, tag):
        if tag == "caption":
            self.caption, self.text = self.text.strip(), None
        elif tag in {"th", "td"}:
            self.rows[-1].append(" ".join(self.text.split()))
            self.text = None
        elif tag == "table":
            self.tables[self.caption] = self.rows

    def handle_data(self, data):
        if self.text is not None:
            self.text += data


def office_client(client):
    login_with_two_factor(client, UserFactory(email="pco@example.org", office=True))
    return client


def test_the_figures_of_a_known_call(known, today):
    figures = dashboard.programme_figures(known)

    by_project = {row.label: row for row in figures["projects"]}
    assert len(by_project) == 25
    assert by_project["CP1"].values == (2, 0, 0)
    assert by_project["CP1"].note == ""
    assert by_project["CP2"].values == (0, 0, 0)
    assert by_project["CP2"].note == "No offer to lead"
    assert by_project["CP3"].values == (0, 1, 1)
    assert figures["without_lead"] == 24
    assert [(row.label, row.values) for row in figures["workstreams"]] == [
        ("Crowded Places", (2, 1, 1)),
        ("Security & Resilience", (0, 0, 0)),
        ("Transport", (0, 0, 1)),
        ("Cyber & Finance", (0, 0, 0)),
        ("Travel & Tourism", (0, 0, 0)),
    ]
    assert [(row.label, row.total, row.share) for row in figures["sectors"]] == [
        ("Policing", 1, 33),
        ("Government", 0, 0),
        ("Private sector", 1, 33),
        ("Academia", 0, 0),
        ("Voluntary or charity", 0, 0),
        ("Other", 0, 0),
        ("Not given", 1, 33),
    ]
    assert [(row.label, row.total, row.share) for row in figures["tripartite"]] == [
        ("Policing", 1, 50),
        ("Government", 0, 0),
        ("Private sector", 1, 50),
    ]
    assert [(row.label, row.total) for row in figures["statuses"]] == [
        ("Draft", 1),
        ("Submitted", 1),
        ("Under review", 1),
        ("Shortlisted", 0),
        ("Accepted", 1),
        ("Declined", 0),
        ("Withdrawn", 1),
    ]
    assert [(row.label, row.total) for row in figures["validation"]] == [
        ("Validated", 1),
        ("Pending", 1),
        ("Failed", 1),
    ]
    assert figures["validated"].share == 33
    assert figures["sent"] == 3
    assert [(row.key, row.total) for row in figures["days"]] == [
        (today - datetime.timedelta(days=4), 2),
        (today - datetime.timedelta(days=3), 0),
        (today - datetime.timedelta(days=2), 1),
        (today - datetime.timedelta(days=1), 0),
        (today, 0),
    ]


def test_the_page_shows_the_figures_in_tables(client, known, today):
    response = office_client(client).get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    tables = Tables(html).tables
    projects = {row[0]: row for row in tables["Offers per project, by role"][1:]}
    assert projects["CP1"][2:] == ["2", "0", "0", ""]
    assert projects["CP2"][2:] == ["0", "0", "0", "No offer to lead"]
    assert "24 projects have no offer to lead." in html
    assert tables["Expressions of interest per workstream, by role"][:2] == [
        ["Workstream", "Lead", "Develop", "Deliver"],
        ["Crowded Places", "2", "1", "1"],
    ]
    assert tables["Expressions of interest by sector"][1:4] == [
        ["Policing", "1", "33%"],
        ["Government", "0", "0%"],
        ["Private sector", "1", "33%"],
    ]
    assert tables["Expressions of interest by sector"][-1] == ["Not given", "1", "33%"]
    assert tables["The tri-partite balance: policing, government and the private sector"][1:] == [
        ["Policing", "1", "50%"],
        ["Government", "0", "0%"],
        ["Private sector", "1", "50%"],
    ]
    statuses = {row[0]: row[1] for row in tables["Expressions of interest by status"][1:]}
    assert statuses == {
        "Draft": "1",
        "Submitted": "1",
        "Under review": "1",
        "Shortlisted": "0",
        "Accepted": "1",
        "Declined": "0",
        "Withdrawn": "1",
    }
    assert tables["Validation progress"][1:] == [
        ["Validated", "1", "33%"],
        ["Pending", "1", "33%"],
        ["Failed", "1", "33%"],
    ]
    days = tables["Submissions per day"][1:]
    assert [count for _, count in days] == ["2", "0", "1", "0", "0"]
    assert days[1][0] == (
        f"{today - datetime.timedelta(days=3):%a} {(today - datetime.timedelta(days=3)).day} "
        f"{today - datetime.timedelta(days=3):%b %Y}"
    )


def test_each_chart_is_an_svg_image_named_by_its_heading_with_a_table(client, known):
    html = office_client(client).get(URL).content.decode()
    content = html.split('<div id="content-main"')[1].split("<!-- END Content -->")[0]

    labels = re.findall(r'<svg [^>]*role="img" aria-labelledby="([^"]+)"', content)
    assert labels == [
        "dashboard-workstreams",
        "dashboard-projects",
        "dashboard-sectors",
        "dashboard-statuses",
        "dashboard-validation",
        "dashboard-days",
    ]
    assert content.count("<svg ") == 6
    for label in labels:
        assert content.count(f'<h2 id="{label}">') == 1
    assert content.count("<table>") == 7
    assert content.count("<caption>") == 7
    assert 'style="' not in content
    assert "<script" not in content


def test_another_call_is_chosen_by_its_id(client, known):
    old = Call.objects.get(is_demonstration=False, opens__year=2018)
    response = office_client(client).get(URL, {"call": old.pk})

    assert response.status_code == 200
    figures = response.context["figures"]
    assert response.context["call"] == old
    assert figures["sent"] == 0
    assert figures["without_lead"] == 25
    assert len(figures["days"]) == 25  # 1 to 25 May 2018, every day though none had any
    assert {row.total for row in figures["days"]} == {0}


def test_an_unknown_call_is_not_found(client, known):
    client = office_client(client)

    assert client.get(URL, {"call": "999999"}).status_code == 404
    assert client.get(URL, {"call": "nonsense"}).status_code == 404


def make_many(call, today, start, stop):
    roles = list(Role)
    codes = list(Project.objects.values_list("code", flat=True))
    for n in range(start, stop):
        make_eoi(
            call,
            f"applicant{n}@example.org",
            [Status.SUBMITTED, Status.UNDER_REVIEW, Status.DRAFT][n % 3],
            list(Sector)[n % len(Sector)],
            today - datetime.timedelta(days=n % 5),
            offers=[(codes[(n + i) % len(codes)], roles[(n + i) % 3]) for i in range(3)],
            checks=[(ValidationCheck.Method.REFEREE_CONFIRMED, ValidationCheck.Result.PASSED)],
        )


def test_the_number_of_queries_does_not_grow_with_the_eois(
    client, call, today, django_assert_max_num_queries
):
    client = office_client(client)
    make_many(call, today, 0, 3)
    with django_assert_max_num_queries(MAX_QUERIES) as few:
        assert client.get(URL).status_code == 200

    make_many(call, today, 3, 60)
    with django_assert_max_num_queries(MAX_QUERIES) as many:
        response = client.get(URL)

    assert response.context["figures"]["sent"] == 40
    assert len(many) == len(few)


@pytest.mark.parametrize("group", ["Coordination office", "Programme board"])
def test_the_office_and_the_board_see_the_dashboard(client, call, group):
    login_with_two_factor(
        client, UserFactory(email="staff@example.org", is_staff=True, staff_group=group)
    )

    response = client.get(URL)

    assert response.status_code == 200
    assert "<title>Programme dashboard |" in response.content.decode()
    assert 'href="/admin/dashboard/"' in client.get("/admin/").content.decode()


def test_staff_without_the_permission_are_refused(client, call):
    login_with_two_factor(client, UserFactory(email="staff@example.org", is_staff=True))

    assert client.get(URL).status_code == 403
    assert 'href="/admin/dashboard/"' not in client.get("/admin/").content.decode()


@pytest.mark.parametrize("who", ["a signed-in applicant", "someone not signed in"])
def test_people_who_are_not_staff_are_sent_to_the_admin_sign_in(client, call, who):
    if who == "a signed-in applicant":
        client.force_login(UserFactory(email="applicant@example.org"))

    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/dashboard/"
