"""Hostile strings in the admin: every page, query parameter, URL argument and form, as staff.

tests/test_hostile_input.py does the same for the public pages. The admin's
pages come from the resolver (Django's own, each ModelAdmin's and their extra
views: the dashboard, the EOI export, the notice previews), so a new admin page
joins these tests by itself. Each is requested as the coordination office and
as the programme board, both with two-factor sign-in set up, with each string
of tests/hostile_input.py in each query parameter the page reads (its list
filters, search, ordering and paging, read from the page itself; the
autocomplete's and the preview's, listed below), one at a time with the others
valid; in each URL argument; and in each text field of each form the office
may save. Nothing may answer a server error, show a string unescaped or
redirect off the site, and a NUL anywhere is refused with 400.
"""

import re
from html import unescape
from types import SimpleNamespace
from urllib.parse import parse_qsl, quote, urlencode

import pytest
from django import forms
from django.contrib import admin
from django.contrib.admin.utils import quote as admin_quote
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, get_resolver, reverse

from participants.models import (
    CoChairInterest,
    ConflictOfInterest,
    Decision,
    ExportLog,
    PersonalDataAccess,
    Recommendation,
    TeamMembership,
    User,
    ValidationCheck,
)
from projects.models import Project, ProjectQuestion
from stepchange.models import Heartbeat, Notice, NoticeTemplate
from stepchange.notices import registry, rendering
from tests import hostile_input as hostile
from tests.factories import UserFactory, applicant_for, hashed, login_with_two_factor
from tests.staff_groups import ensure_staff_groups
from tests.test_hostile_input import (
    PASSWORD,
    _walk,
    problems_with,
    report,
    request,
    rolled_back_world,
)

ROLES = {"office": "Coordination office", "board": "Programme board"}
# Sent to every admin page: the admin's own parameters, which any page may read.
ALWAYS_SENT = ["q", "next", "_changelist_filters", "_to_field", "_popup"]
# The query parameters each page reads besides those its links and GET forms carry.
QUERY_PARAMETERS = {
    "admin:autocomplete": ["term", "app_label", "model_name", "field_name", "page"],
    "admin:stepchange_noticetemplate_preview": ["eoi"],
    "admin:stepchange_noticetemplate_preview_new": ["eoi"],
    "admin_dashboard": ["call"],
}
# The valid values a page needs for a parameter's value to reach the database.
VALID_QUERY = {
    "admin:autocomplete": {
        "app_label": "participants",
        "model_name": "cochairinterest",
        "field_name": "co_chair",
        "term": "a",
    },
}
# Pages that show no links of their own but read another page's filters.
FILTERS_OF = {
    "admin:participants_expressionofinterest_export": (
        "admin:participants_expressionofinterest_changelist"
    ),
}
LINK_QUERY = re.compile(r"""href=["']\?([^"']*)["']""")
# Parameters a page reads without refusing the rest of the query for a bad value;
# the others (a list filter's lookup, _to_field, the autocomplete's model) make
# the page refuse the query before it reads the rest, so they are sent one by one.
FREE = {"q", "o", "p", "all", "e", "_facets", "_popup", "next", "_changelist_filters"}
FREE |= {"term", "page", "eoi", "call"}
# The strings sent one at a time: what reaches a lookup (NUL, length, numbers,
# SQL), is shown back (markup) or is followed (addresses, header breaks). The
# rest of tests/hostile_input.py goes in the request with every string at once.
STRINGS = {
    name: hostile.CORPUS[name]
    for name in [
        "NUL",
        "LONG_VALUE",
        "HUGE_NUMBER",
        "NEGATIVE_NUMBER",
        "UNICODE_DIGITS",
        "SQL_TAUTOLOGY",
        "SQL_UNION",
        "FORMAT_STRING",
        "TEMPLATE_VARIABLE",
        "SCRIPT_TAG",
        "ATTRIBUTE_BREAKOUT",
        "SINGLE_QUOTE_BREAKOUT",
        "JAVASCRIPT_URL",
        "OPEN_REDIRECT",
        "HEADER_INJECTION",
        "EMOJI",
    ]
}
# The same, as a URL can carry them (hostile_input.LONG_VALUE_IN_URL).
URL_STRINGS = {name: hostile.in_url(value) for name, value in STRINGS.items()}
# Views whose URL takes unnamed arguments: their names, in order.
POSITIONAL = {"HistoryAdmin.history_form_view": ("object_id", "version_id")}


# ---------------------------------------------------------------------------
# The pages


def _model_of(route):
    for model in admin.site._registry:
        if route.startswith(f"admin/{model._meta.app_label}/{model._meta.model_name}/"):
            return model
    return None


def _view_of(callback):
    """The view's own function, through the admin's wrappers: the same for every model."""
    while hasattr(callback, "__wrapped__"):
        callback = callback.__wrapped__
    return getattr(callback, "__qualname__", repr(callback))


def discover_admin_pages():
    pages = []
    for name, route, entry in _walk(get_resolver()):
        if not route.startswith("admin/"):
            continue
        view = _view_of(entry.callback)
        arguments = tuple(entry.pattern.converters) or tuple(entry.pattern.regex.groupindex)
        positional = bool(not arguments and entry.pattern.regex.groups)
        if positional:
            arguments = POSITIONAL.get(view, ("?",) * entry.pattern.regex.groups)
        pages.append(
            SimpleNamespace(
                name=name,
                route=route,
                arguments=arguments,
                model=_model_of(route),
                view=view,
                positional=positional,
            )
        )
    return pages


PAGES = discover_admin_pages()


def _pk_kind(page):
    return page.model and type(page.model._meta.pk)


def _first(model):
    return model._default_manager.order_by("pk").first()


def argument_values(world, page):
    model = page.model or User
    found = _first(model)
    values = {
        "object_id": admin_quote(found.pk) if found else "1",
        "id": world.stakeholder.pk,
        "app_label": "participants",
        "content_type_id": ContentType.objects.get_for_model(model).pk,
        "file_format": "csv",
        "url": "nowhere/",
    }
    if "version_id" in page.arguments:
        values["version_id"] = found.history.order_by("-pk").first().history_id
    unknown = set(page.arguments) - set(values)
    if unknown:
        pytest.fail(
            f"The admin URL {page.route} takes {sorted(unknown)}: add a value for each to "
            "argument_values (for unnamed arguments, name them in POSITIONAL) in "
            "tests/test_hostile_admin_input.py."
        )
    return {argument: str(values[argument]) for argument in page.arguments}


def url_of(world, page, **replace):
    valid = argument_values(world, page)
    kwargs = {**valid, **replace}
    if page.name.startswith("/"):  # a pattern without a name: its route, filled in
        route = re.sub(r"<(?:\w+:)?(\w+)>", lambda found: kwargs[found[1]], page.route)
        route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda found: kwargs[found[1]], route)
        return "/" + route.replace("^", "").replace("$", "")
    if page.positional:
        return reverse(page.name, args=[kwargs[argument] for argument in page.arguments])
    try:
        return reverse(page.name, kwargs=kwargs)
    except NoReverseMatch:
        # An argument the pattern restricts (the app list's app label): the valid
        # address with the value put in its place, which the pattern may then refuse.
        url = reverse(page.name, kwargs=valid)
        for argument, value in replace.items():
            head, _, tail = url.rpartition(valid[argument])
            url = head + value + tail
        return url


def parameters_shown(html):
    """The query parameters of the page's own links and GET forms: its filters, above all."""
    names = set()
    for query in LINK_QUERY.findall(html or ""):
        names |= {name for name, _ in parse_qsl(unescape(query), keep_blank_values=True)}
    for form in re.findall(r"<form[^>]*method=[\"']get[\"'][^>]*>(.*?)</form>", html or "", re.S):
        names |= set(re.findall(r"""name=["']([^"']+)["']""", form))
    return names


# ---------------------------------------------------------------------------
# The fixture world, built once for the module


def _build_world():
    from projects.services import load_programme, open_demonstration_call
    from workstreams.models import Workstream

    ensure_staff_groups()
    load_programme()
    call = open_demonstration_call()
    people = {}
    for role, group in ROLES.items():
        people[role] = UserFactory(email=f"{role}@example.org", is_staff=True)  # two factors
        people[role].groups.add(Group.objects.get(name=group))
    office = people["office"]
    co_chair = UserFactory(email="chair@example.org", full_name="Chris Chair", stakeholder=True)
    Workstream.objects.filter(slug="crowded-places").update(business_co_chair=co_chair)
    eoi = applicant_for(call, "Ash Lead", "CP1", "lead")
    project = Project.objects.get(code="CP1")
    ConflictOfInterest.objects.create(
        expression_of_interest=eoi, organisation="Acme", nature="financial", details="Shares."
    )
    ValidationCheck.objects.create(
        expression_of_interest=eoi, method="email_verified", result="passed", recorded_by=office
    )
    Recommendation.objects.create(
        expression_of_interest=eoi, project=project, co_chair=co_chair, verdict="lead"
    )
    Decision.objects.create(
        expression_of_interest=eoi, project=project, outcome="accept", role="lead", staged_by=office
    )
    TeamMembership.objects.create(
        project=Project.objects.get(code="CP2"),
        member=eoi.applicant,
        role="lead",
        expression_of_interest=eoi,
        added_by=office,
    )
    CoChairInterest.objects.create(co_chair=co_chair, organisation="Other plc")
    ExportLog.objects.create(exported_by=office, what="EOIs", file_format="csv", rows=1)
    PersonalDataAccess.objects.create(user=office, what="EOI viewed", path="/admin/")
    ProjectQuestion.objects.create(
        project=project, name="Sam Asker", email="sam@example.org", question="How long?"
    )
    Notice.objects.create(
        reason="eoi_confirmation",
        recipient="sam@example.org",
        occurrence="hostile:failed",
        subject="A notice",
        body_text="Text",
        state=Notice.State.FAILED,
    )
    rendering.copy_from_files(user=office)
    Heartbeat.objects.create(name="worker")  # a str primary key, unlike every other
    return SimpleNamespace(eoi=eoi, stakeholder=eoi.applicant, co_chair=co_chair, **people)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The world, in a transaction that each test's own transaction nests in."""
    hashed(PASSWORD)
    yield from rolled_back_world(django_db_blocker, _build_world)


def client_as(role, world):
    client = Client()
    login_with_two_factor(client, getattr(world, role))
    return client


class Checker:
    """GETs and POSTs as one role, noting every problem and every NUL not refused with 400."""

    def __init__(self, client, role):
        self.client, self.role, self.problems = client, role, []

    def get(self, url, label):
        return self._check("get", url, label)

    def post(self, url, data, label):
        savepoint = transaction.savepoint()
        try:
            return self._check("post", url, label, data)
        finally:
            transaction.savepoint_rollback(savepoint)

    def _check(self, method, url, label, *args):
        response, error = request(self.client, method, url, *args)
        where = f"{method.upper()} {url[:120]} {label} as {self.role}"
        found = [error] if error else problems_with(response)
        if not error and "NUL" in label and response.status_code != 400:
            found.append(f"a NUL answered {response.status_code}, not 400")
        self.problems += [f"{where}: {problem}" for problem in found]
        return response


# ---------------------------------------------------------------------------
# Query parameters


def test_every_admin_page_is_fuzzed():
    """The admin's pages are here, and none of them is left to the public pages' test."""
    from tests.test_hostile_input import PAGES as PUBLIC_PAGES

    assert [page.name for page in PUBLIC_PAGES if page.route.startswith("admin/")] == []
    assert {page.view for page in PAGES} >= {
        "ModelAdmin.changelist_view",
        "ModelAdmin.change_view",
        "AdminSite.autocomplete_view",
        "NoticeTemplateAdmin.preview_view",
        "ExpressionOfInterestAdmin.export_view",
        "dashboard",
    }


def _query(*parts):
    return urlencode([pair for part in parts for pair in part.items()])


# Views whose reading of the query depends on the model (its filters, search and
# ordering; its form's fields, which an add page fills in from the query): every
# page of theirs is fuzzed string by string. Every other view's code is the same
# for each model, so one page per view and kind of primary key is.
MODEL_DEPENDENT = ("changelist_view", "add_view")


def _deep_pages():
    first_of_each_view = {}
    for page in PAGES:
        first_of_each_view.setdefault((page.view, _pk_kind(page)), page.name)
    model_dependent = {page.name for page in PAGES if page.view.endswith(MODEL_DEPENDENT)}
    return model_dependent | set(first_of_each_view.values())


DEEP = _deep_pages()


@pytest.mark.parametrize("page", [pytest.param(page, id=page.name) for page in PAGES])
def test_hostile_query_parameters_in_the_admin(world, db, page):
    url = url_of(world, page)
    valid = VALID_QUERY.get(page.name, {})
    checkers, shown, fields, problems = {}, {}, set(), []
    for role in ROLES:
        checker = checkers[role] = Checker(client_as(role, world), role)
        plain = checker.get(f"{url}?{_query(valid)}" if valid else url, "plain")
        if plain is None or plain.status_code != 200:
            continue
        html = plain.content.decode("utf-8", "replace")
        if page.name in FILTERS_OF:
            html = checker.get(reverse(FILTERS_OF[page.name]), "for its filters").content.decode()
        shown[role] = parameters_shown(html)
        if page.view.endswith("add_view") and plain.context:
            fields |= set(plain.context["adminform"].form.fields)
    read = {*ALWAYS_SENT, *QUERY_PARAMETERS.get(page.name, []), *set().union(*shown.values())}
    read |= fields
    free, one_by_one = sorted(read & (FREE | fields)), sorted(read - FREE - fields)

    # As each role: every string at once in every parameter, and NUL alone in each.
    for checker in checkers.values():
        every = [(name, value) for name in sorted(read) for value in hostile.URL_CORPUS.values()]
        checker.get(f"{url}?{urlencode(every)}", "with every string, NUL among them")
        for name in sorted(read):
            checker.get(f"{url}?{_query(valid, {name: hostile.NUL})}", f"with NUL in {name}")
    # As the office where it sees the page (the board else): each string in the free
    # parameters, and in each of the others in turn; the rest valid. The page's own
    # code is the same for both roles: which pages they reach is what differs.
    role = next((role for role in ROLES if role in shown), None) if page.name in DEEP else None
    for label, value in URL_STRINGS.items() if role else ():
        for name in [None, *one_by_one]:
            query = _query(valid, dict.fromkeys(free, value), {name: value} if name else {})
            checkers[role].get(f"{url}?{query}", f"with {label} in {', '.join(free)}, {name}")
    for name in sorted(read) if role else ():
        raw = f"{url}?{_query(valid)}&{name}=%FF%FE%C0%AF"
        checkers[role].get(raw, f"with invalid UTF-8 in {name}")
    for checker in checkers.values():
        problems += checker.problems
    assert not problems, report(problems)


# ---------------------------------------------------------------------------
# URL arguments: one page per view, argument and kind of primary key

PLACEHOLDER = "hostile-argument-placeholder"
ARGUMENT_PAGES = [
    pytest.param(page, argument, id=f"{page.name}-{argument}")
    for (_, argument, _), page in {
        (page.view, argument, _pk_kind(page)): page for page in PAGES for argument in page.arguments
    }.items()
]


@pytest.mark.parametrize("page, argument", ARGUMENT_PAGES)
def test_hostile_url_arguments_in_the_admin(world, db, page, argument):
    values = {name: quote(value, safe="") for name, value in URL_STRINGS.items()}
    values.update({"invalid UTF-8": "%FF%FE", "overlong UTF-8": "%C0%AF", "NUL alone": "%00"})
    problems = []
    for role in ROLES:
        checker = Checker(client_as(role, world), role)
        template = url_of(world, page, **{argument: PLACEHOLDER})
        for name, value in values.items():
            checker.get(template.replace(PLACEHOLDER, value), f"with {name} in {argument}")
        problems += checker.problems
    assert not problems, report(problems)


# ---------------------------------------------------------------------------
# Forms: the notice preview, and every change form the office may save


def test_hostile_notice_previews(world, db):
    key = next(iter(registry.TYPES))
    new = reverse("admin:stepchange_noticetemplate_preview_new")
    saved = reverse(
        "admin:stepchange_noticetemplate_preview",
        args=[NoticeTemplate.objects.order_by("pk").first().pk],
    )
    problems = []
    for role in ROLES:
        checker = Checker(client_as(role, world), role)
        # The board may not preview: one of each refusal is enough.
        strings = STRINGS if role == "office" else {"NUL": hostile.NUL, "EMOJI": hostile.EMOJI}
        for label, value in strings.items():
            wording = dict.fromkeys(["subject", "body_text", "body_html", "eoi"], value)
            checker.post(new, {"key": key, **wording}, f"with {label} in every field")
            checker.post(saved, wording, f"with {label} in every field")
            checker.post(new, {"key": value, "eoi": world.eoi.reference}, f"with {label} as key")
        problems += checker.problems
    assert not problems, report(problems)


CHANGE_PAGES = [pytest.param(model, id=model._meta.label_lower) for model in admin.site._registry]
TEXT_FIELDS = (forms.CharField, forms.JSONField)


def _form_data(page):
    """What the change form sends as shown, and its text fields' names."""
    from tests.admin_forms import change_form_data

    form = page.context["adminform"].form
    texts = [
        field.html_name
        for field in form
        if isinstance(field.field, TEXT_FIELDS) and not field.field.disabled
    ]
    return change_form_data(page), texts


@pytest.mark.parametrize("model", CHANGE_PAGES)
def test_hostile_change_forms_in_the_admin(world, db, model):
    found = _first(model)
    if found is None:
        pytest.skip(f"no {model._meta.verbose_name} in the world")
    url = reverse(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_change",
        args=[admin_quote(found.pk)],
    )
    problems = []
    for role in ROLES:
        checker = Checker(client_as(role, world), role)
        page = checker.get(url, "plain")
        if page is None or page.status_code != 200:
            continue
        data, texts = _form_data(page)
        # Where the role may not save, one of each refusal is enough.
        saves = page.context["has_change_permission"]
        strings = STRINGS if saves else {"NUL": hostile.NUL, "EMOJI": hostile.EMOJI}
        for label, value in strings.items():
            checker.post(url, {**data, **dict.fromkeys([*texts, "q"], value)}, f"with {label}")
        problems += checker.problems
    assert not problems, report(problems)
