"""Hostile strings in every query parameter, URL argument and form field of every page.

The pages come from the URL resolver, so a new page joins these tests by
itself (a new URL argument needs a value in ARGUMENTS, a new query parameter
an entry in QUERY_PARAMETERS: a test says so). Each page is requested as each
role that can reach it with the strings of tests/hostile_input.py, and each
answer must be: no server error, no string shown unescaped, no redirect off
the site; a form that is refused has changed nothing in the database; a form
that is accepted has kept each answer exactly as sent (after the stripping of
surrounding white space that Django's text fields do), and shows it escaped.

Speed: the fixture world (the programme, an open call, an applicant with a
complete draft, a co-chair with an applicant of theirs) is built once for the
module in a transaction rolled back at its end; each test runs in a savepoint
inside it, and each POST in a savepoint of its own, rolled back after it.
"""

import copy
import csv
import dataclasses
import hashlib
import inspect
import io
import re
import sys
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.forms import BaseForm
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.html import escape

from participants.exports import FORMULA_STARTS
from participants.models import (
    CoChairInterest,
    ConflictOfInterest,
    ExpressionOfInterest,
    Recommendation,
    ValidationCheck,
)
from participants.sections import SECTIONS
from projects.models import Project, ProjectQuestion
from stepchange.models import Notice
from stepchange.notices.rendering import render_stored
from tests import hostile_input as hostile
from tests.answers import ANSWERS, section_url
from tests.factories import (
    UserFactory,
    applicant_for,
    hashed,
    login_with_two_factor,
)

PASSWORD = "a-long-test-password"  # tests/factories.py gives every user this one

# ---------------------------------------------------------------------------
# The pages

SKIPPED_PREFIXES = ("admin/",)  # the admin's, as staff: tests/test_hostile_admin_input.py
# allauth pages that need a key from an email: without one they only say "bad link".
SKIPPED_NAMES = {
    "account_confirm_email": "needs the key emailed to a new address",
    "account_reset_password_from_key": "needs the key of a password-reset email",
}
# One page per value of these arguments.
EXPANDED = {"section": [section.slug for section in SECTIONS]}
# The value of each URL argument in the fixture world: "<url name> <argument>"
# for one URL, else "<argument>" for every URL that takes it.
ARGUMENTS = {
    "slug": lambda world: "crowded-places",
    "code": lambda world: world.project_code,
    "reference": lambda world: world.draft.reference,
    "conflict_id": lambda world: world.conflict.pk,
    "workspace:applicant reference": lambda world: world.workspace_applicant.reference,
    "workspace:interest_remove pk": lambda world: world.declared_interest.pk,
    "referee:answer token": lambda world: world.referee_token,
    "unsubscribe token": lambda world: world.unsubscribe_token,
}
# The query parameters each view reads, by URL name or page id (besides those
# of the filter forms on its page, which are read from the page itself).
QUERY_PARAMETERS = {
    "projects:list": ["workstream", "status"],
    "participants:express_interest": ["project"],
    "participants:section[projects]": ["add"],
    "workspace:compare": ["older", "newer"],
    "workspace:applicants": ["role", "status", "validation", "page"],
    "workspace:applicants_csv": ["role", "status", "validation"],
}
# Read only when the page's form is sent: sent with each POST.
QUERY_PARAMETERS_OF_POSTS = {
    "participants:section": ["return"],  # where to go after a save
}
# Sent to every page: a parameter nobody reads, and allauth's and sign-in's next page.
ALWAYS_SENT = ["q", "next"]
LOGIN_URL = settings.LOGIN_URL
# Where a query parameter's value comes back in the page, its marker shows.
MARKER = "zqmarker{}zq"


@dataclasses.dataclass(frozen=True)
class Page:
    name: str  # the namespaced URL name
    route: str
    arguments: tuple  # (argument, converter class name) pairs
    fixed: tuple = ()  # (argument, value) pairs set by EXPANDED
    callback: object = None

    @property
    def id(self):
        return self.name + "".join(f"[{value}]" for _, value in self.fixed)

    @property
    def roles(self):
        if self.route.startswith("workspace/"):
            return ("anonymous", "applicant", "co-chair")
        return ("anonymous", "applicant")

    @property
    def owner(self):
        """The role whose own objects the page's arguments name."""
        if self.route.startswith("workspace/"):
            return "co-chair"
        if self.route.startswith("applications/"):
            return "applicant"
        return "anonymous"

    def kwargs(self, world):
        values = dict(self.fixed)
        for argument, _ in self.arguments:
            if argument in values:
                continue
            fill = ARGUMENTS.get(f"{self.name} {argument}") or ARGUMENTS.get(argument)
            if fill is None:
                pytest.fail(
                    f"The URL {self.name!r} ({self.route}) takes the argument {argument!r}: "
                    "add a value for it to ARGUMENTS in tests/test_hostile_input.py."
                )
            values[argument] = str(fill(world))
        return values

    def url(self, world, **replace):
        if self.name.startswith("/"):
            if self.arguments:
                pytest.fail(f"Name the URL {self.route!r}, so that it can be reversed.")
            return self.name
        return reverse(self.name, kwargs={**self.kwargs(world), **replace})

    def query_parameters(self):
        return QUERY_PARAMETERS.get(self.name, []) + QUERY_PARAMETERS.get(self.id, [])


def _walk(resolver, prefix="", namespace=None):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace) if part) or None
            yield from _walk(entry, route, inner)
        elif isinstance(entry, URLPattern):
            # A pattern without a name is known by its route (it cannot be reversed).
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            yield name or f"/{route}", route, entry


def discover_pages():
    """Every page of the service but the skipped ones; one per EXPANDED value."""
    pages = []
    for name, route, entry in _walk(get_resolver()):
        if route.startswith(SKIPPED_PREFIXES) or name in SKIPPED_NAMES:
            continue
        arguments = tuple(
            (argument, type(converter).__name__)
            for argument, converter in entry.pattern.converters.items()
        ) or tuple((argument, "regex") for argument in entry.pattern.regex.groupindex)
        expand = [argument for argument, _ in arguments if argument in EXPANDED]
        for value in EXPANDED[expand[0]] if expand else [None]:
            fixed = ((expand[0], value),) if expand else ()
            pages.append(Page(name, route, arguments, fixed, entry.callback))
    return pages


PAGES = discover_pages()
PAGE_ROLES = [
    pytest.param(page, role, id=f"{page.id}-{role}") for page in PAGES for role in page.roles
]


# ---------------------------------------------------------------------------
# The fixture world, built once for the module


def _build_world():
    from participants import preferences, referees
    from projects.services import load_programme, open_demonstration_call

    load_programme()
    call = open_demonstration_call()

    # An applicant with every section answered through the pages, one conflict declared.
    applicant = UserFactory(email="alex@example.org", stakeholder=True)
    client = Client()
    client.force_login(applicant)
    client.get("/applications/express-interest/")
    draft = ExpressionOfInterest.objects.get(applicant=applicant)
    for section, data in {**ANSWERS, "conflicts-of-interest": {"has_conflicts": "yes"}}.items():
        response = client.post(section_url(draft, section), data)
        assert response.status_code == 302, (section, response.content.decode()[:2000])
    response = client.post(
        f"/applications/{draft.reference}/conflicts-of-interest/add/",
        {
            "organisation": "Acme Barriers",
            "nature": "commercial",
            "details": "I sell barriers",
            "projects": [Project.objects.get(code="CP2").pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()

    co_chair = UserFactory(
        email="chair@example.org",
        full_name="Chris Chair",
        co_chair=True,
        business_co_chair_of="crowded-places",
    )
    sent = applicant_for(call, "Ash Lead", "CP1", "lead")
    for user in (applicant, co_chair):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return SimpleNamespace(
        call=call,
        applicant=applicant,
        draft=draft,
        conflict=draft.conflicts.get(),
        co_chair=co_chair,
        project_code="cp1",
        workspace_applicant=sent,
        declared_interest=CoChairInterest.objects.create(
            co_chair=co_chair, organisation="Other Venues Ltd", details="A former employer."
        ),
        referee_token=_last_part(referees.referee_link(sent)),
        unsubscribe_token=_last_part(preferences.unsubscribe_url(applicant, "applications")),
    )


def _last_part(url):
    return url.rstrip("/").rsplit("/", 1)[1]


# A password check costs a second with the real hasher; here, nothing.
FAST_HASHERS = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


def rolled_back_world(django_db_blocker, build):
    """Yield what `build()` makes, in a transaction that each test's own nests in and
    that is rolled back after the module; the fast hasher meanwhile."""
    FAST_HASHERS.enable()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = build()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            FAST_HASHERS.disable()
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
        FAST_HASHERS.disable()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The world, in a transaction that each test's own transaction nests in."""
    hashed(PASSWORD)  # cached for every test module: made with the real hasher
    yield from rolled_back_world(django_db_blocker, _build_world)


def client_as(role, world):
    client = Client()
    if role == "applicant":
        client.force_login(world.applicant)
    elif role == "co-chair":
        login_with_two_factor(client, world.co_chair)
    return client


# ---------------------------------------------------------------------------
# What every answer must be


def _html(response):
    if response is None or "html" not in response.get("Content-Type", ""):
        return None
    return response.content.decode("utf-8", "replace")


def problems_with(response):
    """What is wrong with an answer: a server error, a string unescaped, a redirect off the site."""
    found = []
    # 503 is the health check's own answer while a background process is silent.
    if response.status_code >= 500 and response.status_code != 503:
        found.append(f"answered {response.status_code}")
    html = _html(response)
    if html is not None:
        found += [
            f"shows {name} unescaped" for name, value in hostile.MARKUP.items() if value in html
        ]
        if re.search(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", html, re.IGNORECASE):
            found.append("has a javascript: link")
    location = urlsplit(response.get("Location", ""))
    if location.scheme.lower() not in ("", "http", "https") or "evil.example" in location.netloc:
        found.append(f"redirects to {response['Location'][:100]!r}")
    return found


def request(client, method, url, *args, **kwargs):
    """The answer, or what the view raised (a real server answers that with a 500)."""
    try:
        return getattr(client, method)(url, *args, **kwargs), None
    except Exception as error:  # the test client raises what the view raised
        return None, f"raised {type(error).__name__}: {str(error)[:300]}"


def report(problems):
    more = f"\n... and {len(problems) - 40} more" if len(problems) > 40 else ""
    return f"{len(problems)} problems:\n" + "\n".join(problems[:40]) + more


def short(value):
    return repr(value if len(value) < 50 else f"{value[:40]}...({len(value)} characters)")


class FormParser(HTMLParser):
    """The forms of a page: method, action, and each field's name, kind and value."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._form = self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self._form = {
                "method": (attributes.get("method") or "get").lower(),
                "action": attributes.get("action") or "",
                "fields": [],
            }
            self.forms.append(self._form)
        elif tag == "option" and self._select is not None:
            self._select["options"].append(attributes.get("value", ""))
            if "selected" in attributes:
                self._select["value"] = attributes.get("value", "")
        elif tag in ("input", "textarea", "select", "button") and self._form is not None:
            name = attributes.get("name")
            if not name or "disabled" in attributes:
                return
            kind = (attributes.get("type") or "").lower()
            if tag in ("textarea", "select"):
                kind = tag
            elif tag == "button" and kind in ("", "submit"):
                kind = "submit"
            kind = kind or "text"
            # A checkbox or radio button without a value sends "on".
            default = "on" if kind in ("checkbox", "radio") else ""
            field = {
                "name": name,
                "kind": kind,
                "value": None if tag == "select" else attributes.get("value", default),
                "checked": "checked" in attributes,
                "options": [],
                "inputmode": attributes.get("inputmode", ""),
            }
            self._form["fields"].append(field)
            if tag == "textarea":
                self._textarea = field
            elif tag == "select":
                self._select = field

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea is not None:
            value = self._textarea["value"] + data
            # A browser drops the newline that follows <textarea>.
            self._textarea["value"] = value[1:] if value.startswith("\n") else value


def forms_on(html):
    parser = FormParser()
    parser.feed(html or "")
    return parser.forms


# ---------------------------------------------------------------------------
# Query parameters

QUERY_READ = re.compile(r"request\.GET(?:\.get|\.getlist|\.pop)?[\[(]\s*[\"'](\w+)[\"']")
FORM_FROM_QUERY = re.compile(r"(\w+)\(\s*request\.GET\b")


def parameters_read_by(module):
    """The query parameters a module's code reads, itself or through a form bound to them."""
    source = inspect.getsource(module)
    names = set(QUERY_READ.findall(source))
    for form_name in FORM_FROM_QUERY.findall(source):
        form_class = getattr(module, form_name, None)
        names |= set(getattr(form_class, "base_fields", {}))
    return names


def test_every_query_parameter_a_view_reads_is_sent():
    """A new query parameter must be listed in QUERY_PARAMETERS, so that it is fuzzed."""
    listed = set(ALWAYS_SENT).union(*QUERY_PARAMETERS.values(), *QUERY_PARAMETERS_OF_POSTS.values())
    modules = {page.callback.__module__ for page in PAGES}
    unlisted = {
        name: module
        for module in sorted(modules)
        if module.split(".")[0] in ("participants", "projects", "stepchange", "workstreams")
        for name in parameters_read_by(sys.modules[module])
        if name not in listed
    }
    assert not unlisted, (
        f"Views read query parameters QUERY_PARAMETERS does not list: {unlisted}. "
        "Add each under the page that reads it, in tests/test_hostile_input.py."
    )


@pytest.mark.parametrize("page, role", PAGE_ROLES)
def test_hostile_query_parameters(world, db, page, role):
    client = client_as(role, world)
    url = page.url(world)
    plain, error = request(client, "get", url)
    assert error is None, f"GET {url} as {role} {error}"
    filters = {
        field["name"]
        for form in forms_on(_html(plain))
        if form["method"] == "get"
        for field in form["fields"]
        if field["kind"] != "submit"
    }
    parameters = sorted({*ALWAYS_SENT, *page.query_parameters(), *filters})
    problems = []

    def check(query, label):
        response, error = request(client, "get", f"{url}?{query}")
        found = [error] if error else problems_with(response)
        problems.extend(f"GET {url}?{label} as {role}: {problem}" for problem in found)
        return response

    # Every string but NUL (refused with 400 before any view, so the page would
    # show nothing) and invalid UTF-8 at once, as repeated values of every
    # parameter; each parameter's marker last, the value a view that reads one value takes.
    strings = [value for name, value in hostile.URL_CORPUS.items() if name != "NUL"]
    values = [quote(value, safe="") for value in strings] + ["%FF%FE%C0%AF"]
    response = check(
        "&".join(
            f"{name}={value}" for name in parameters for value in [*values, MARKER.format(name)]
        ),
        f"{'&'.join(parameters)}=(every string)",
    )
    shown = {name for name in parameters if MARKER.format(name) in (_html(response) or "")}
    for name in parameters:
        nul = check(urlencode({name: hostile.NUL}), f"NUL in {name}")
        if nul is not None and nul.status_code != 400:
            problems.append(f"GET {url}?{name}=NUL as {role}: answered {nul.status_code}, not 400")
    # One string at a time: each, in the parameters the view reads (if the role
    # reaches the view: not sent to sign in, not refused); those that matter
    # shown or followed, in the parameters the page only shows.
    reached = plain.status_code < 400 and not plain.get("Location", "").startswith(LOGIN_URL)
    read = sorted({*page.query_parameters(), *filters}) if reached else []
    for names, strings in [
        (read, hostile.URL_CORPUS),
        (sorted(shown - set(read)), hostile.URL_SHOWN),
    ]:
        for name, value in strings.items() if names else ():
            check(urlencode(dict.fromkeys(names, value)), f"{name} in {', '.join(names)}")
    assert not problems, report(problems)


# ---------------------------------------------------------------------------
# URL arguments: a str argument takes anything but "/"; the portal's own converters
# (stepchange/converters.py) take only their form, and send anything else to the 404 page.

PLACEHOLDER = "hostile-argument-placeholder"
FUZZED_CONVERTERS = {"StringConverter", "ReferenceConverter", "ProjectCodeConverter"}
# One page per view and argument: the sections are one view.
STRING_ARGUMENTS = [
    pytest.param(page, argument, id=f"{page.id}-{argument}")
    for (_, argument), page in {
        (page.callback, argument): page
        for page in PAGES
        for argument, converter in page.arguments
        if converter in FUZZED_CONVERTERS and argument not in dict(page.fixed)
    }.items()
]


def _url_with_placeholder(page, world, argument):
    if dict(page.arguments)[argument] == "StringConverter":
        return page.url(world, **{argument: PLACEHOLDER})
    # A converter's pattern refuses the placeholder, so reverse() cannot build the
    # URL: it is built from the route, with the fixture world's other values.
    values = {name: quote(value, safe="") for name, value in page.kwargs(world).items()}
    values[argument] = PLACEHOLDER
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda match: values[match[1]], page.route)


@pytest.mark.parametrize("page, argument", STRING_ARGUMENTS)
def test_hostile_url_arguments(world, db, page, argument):
    role = page.owner
    client = client_as(role, world)
    template = _url_with_placeholder(page, world, argument)
    # A "/" ends a str argument: a string with one reaches no view, only the 404 page.
    values = {
        name: quote(value, safe="")
        for name, value in hostile.URL_CORPUS.items()
        if "/" not in value
    }
    values.update({"invalid UTF-8": "%FF%FE", "overlong UTF-8": "%C0%AF", "NUL alone": "%00"})
    problems = []
    for name, value in values.items():
        response, error = request(client, "get", template.replace(PLACEHOLDER, value))
        found = [error] if error else problems_with(response)
        problems += [f"GET {page.route} with {argument}={name} as {role}: {p}" for p in found]
    assert not problems, report(problems)


# ---------------------------------------------------------------------------
# Form fields

TEXT_KINDS = {"text", "textarea", "email", "tel", "url", "number", "password", "search", "hidden"}
PROSE_KINDS = {"text", "textarea", "search"}
FORMATTED = {"sia_licence_number"}  # a text input that takes a format, not prose
# Read by the service's own request log, not written by the form: a POST refused
# still showed the page, and so the personal data on it.
UNWATCHED_MODELS = {"participants.PersonalDataAccess"}

# What a page's empty fields need for the page to accept its form; the other
# fields keep the page's own values (its saved answers, its first radio option).
VALID_ANSWERS = {
    "projects:question": {
        "name": "Sam Asker",
        "email": "sam@example.org",
        "question": "How many hours does the lead role take?",
    },
    "participants:add_conflict": {"organisation": "Acme", "nature": "financial", "details": "x"},
    "workspace:project_edit": {"comment": "Clearer wording."},
    "workspace:interests": {"organisation": "Acme Ltd", "details": "Shares"},
    "account_login": {"login": "alex@example.org", "password": PASSWORD},
    "account_signup": {
        "full_name": "Nat New",
        "email": "new@example.org",
        "password1": "another-long-password-7",
        "password2": "another-long-password-7",
    },
    "account_reset_password": {"email": "alex@example.org"},
    "account_email": {"email": "alex.new@example.org"},
    "account_change_password": {
        "oldpassword": PASSWORD,
        "password1": "another-long-password-7",
        "password2": "another-long-password-7",
    },
    "account_reauthenticate": {"password": PASSWORD},
}


def _eoi(world):
    return ExpressionOfInterest.objects.get(pk=world.draft.pk)


def _fields(instance, *names):
    return {name: getattr(instance, name) for name in names} if instance else {}


def _referee_comment(world):
    check = ValidationCheck.objects.filter(expression_of_interest=world.workspace_applicant)
    check = check.order_by("pk").last()
    return {"comment": check.note.partition(" Comment: ")[2]} if check else {}


# Where a page that accepts its form keeps each prose field: page id -> {field: value kept}.
STORED = {
    "participants:section[your-details]": lambda world: _fields(
        _eoi(world), "full_name", "job_title"
    ),
    "participants:section[your-organisation]": lambda world: _fields(
        _eoi(world), "organisation_name", "sector_other"
    ),
    "participants:section[validation]": lambda world: _fields(
        _eoi(world), "referee_name", "referee_job_title", "referee_relationship"
    ),
    "participants:section[projects]": lambda world: {
        f"experience_{interest.project.code}": interest.experience
        for interest in _eoi(world).project_interests.select_related("project")
    },
    "participants:add_conflict": lambda world: _fields(
        ConflictOfInterest.objects.filter(expression_of_interest=world.draft).order_by("pk").last(),
        "organisation",
        "details",
    ),
    "participants:withdraw": lambda world: {"reason": _eoi(world).withdrawal_reason},
    "referee:answer": _referee_comment,
    "projects:question": lambda world: _fields(
        ProjectQuestion.objects.order_by("pk").last(), "name", "question"
    ),
    "workspace:project_edit": lambda world: _fields(
        Project.objects.get(code__iexact=world.project_code), *Project.TEXT_FIELDS
    ),
    "workspace:applicant": lambda world: _fields(
        Recommendation.objects.filter(co_chair=world.co_chair).order_by("pk").last(), "comment"
    ),
    "workspace:interests": lambda world: _fields(
        CoChairInterest.objects.filter(co_chair=world.co_chair).order_by("pk").last(),
        "organisation",
        "details",
    ),
}
# The forms' documented changes to what they keep, besides stripping white space.
NORMALISED = {
    "sector_other": lambda value: "",  # cleared unless the sector is "other"; it is "private"
}


def _watched_tables():
    labels = ("participants", "projects", "workstreams", "stepchange", "account", "mfa")
    return sorted(
        {
            model._meta.db_table
            for label in labels
            for model in apps.get_app_config(label).get_models(include_auto_created=True)
            if model._meta.label not in UNWATCHED_MODELS
        }
    )


def fingerprint():
    """A hash of every row of each table a page could write to, by table."""
    tables = _watched_tables()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT "
                + ", ".join(
                    "(SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                    f"FROM {connection.ops.quote_name(table)} t)"
                    for table in tables
                )
            )
            return dict(zip(tables, cursor.fetchone(), strict=True))
        hashes = {}
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = "|".join(sorted(repr(row) for row in cursor.fetchall()))
            hashes[table] = hashlib.md5(rows.encode()).hexdigest()
        return hashes


def refused(response):
    """Whether the page turned its form down: an error status, or the form shown with errors."""
    if response.status_code >= 400:
        return True
    form = response.context.get("form") if response.context else None
    return isinstance(form, BaseForm) and form.is_bound and bool(form.errors)


@dataclasses.dataclass
class FormUnderTest:
    action: str
    fields: list

    def names(self, kinds=None):
        """The fields a person fills in (not the CSRF token, not the buttons), of `kinds`."""
        return sorted(
            {
                field["name"]
                for field in self.fields
                if field["kind"] != "submit"
                and field["name"] != "csrfmiddlewaretoken"
                and (kinds is None or field["kind"] in kinds)
            }
        )

    def prose(self):
        """Fields of free text: not an email address, a number, a code."""
        formatted = FORMATTED | {field["name"] for field in self.fields if field["inputmode"]}
        return [name for name in self.names(PROSE_KINDS) if name not in formatted]

    def valid(self, overrides):
        """What a person sends who changes nothing: the page's own values, then `overrides`."""
        data, first_radio, clicked = {}, {}, False
        for field in self.fields:
            name, kind, value = field["name"], field["kind"], field["value"]
            if kind == "submit":
                if not clicked:
                    data[name], clicked = [value], True
            elif kind in ("checkbox", "radio"):
                if kind == "radio":
                    first_radio.setdefault(name, value)
                if field["checked"]:
                    data.setdefault(name, []).append(value)
            elif kind == "select":
                data[name] = [value] if value is not None else field["options"][:1]
            else:
                data.setdefault(name, []).append("" if kind == "password" else value)
        for name, value in first_radio.items():
            data.setdefault(name, [value])
        return {**data, **{name: [value] for name, value in overrides.items()}}


def forms_posting_to(url, html):
    return [
        FormUnderTest(form["action"] or url, form["fields"])
        for form in forms_on(html)
        if form["method"] == "post" and urlsplit(form["action"] or url).path == urlsplit(url).path
    ]


class Poster:
    """POSTs a page's form, each time in a savepoint rolled back after, and notes what is wrong.

    Every POST starts from the same database, so what it changed is told by
    comparing with one fingerprint taken before the first.
    """

    def __init__(self, client, world, page, role):
        self.client, self.world, self.page, self.role = client, world, page, role
        self.problems = []
        self.before = fingerprint()
        self.notices = set(Notice.objects.values_list("pk", flat=True))

    def post(self, form, data, label, sent=None, must_accept=False, query=None, **extra):
        """POST `data`; `sent` maps the fields given hostile values to those values, and
        `query` is the value of every query parameter of the page (and q and next)."""
        cache.clear()  # the rate limits (allauth's, the question form's) would answer 429
        cookies = copy.deepcopy(self.client.cookies)  # a sign-out must not outlive the POST
        savepoint = transaction.savepoint()
        where = f"POST {form.action} {label} as {self.role}"
        url = form.action
        if query is not None:
            names = [
                *ALWAYS_SENT,
                *self.page.query_parameters(),
                *QUERY_PARAMETERS_OF_POSTS.get(self.page.name, []),
            ]
            url += ("&" if "?" in url else "?") + urlencode(
                dict.fromkeys(names, hostile.in_url(query))
            )
        try:
            self._post(url, data, where, sent or {}, must_accept, **extra)
        finally:
            transaction.savepoint_rollback(savepoint)
            self.client.cookies = cookies

    def _post(self, url, data, where, sent, must_accept, **extra):
        response, error = request(self.client, "post", url, data, **extra)
        if error:
            self.problems.append(f"{where}: {error}")
            return
        self.problems += [f"{where}: {problem}" for problem in problems_with(response)]
        if refused(response):
            after = fingerprint()
            changed = [table for table in self.before if self.before[table] != after[table]]
            if changed:
                self.problems.append(
                    f"{where}: refused ({response.status_code}) but changed {', '.join(changed)}"
                )
            if must_accept:
                self.problems.append(f"{where}: refused ({response.status_code}) legitimate text")
            return
        for notice in Notice.objects.exclude(pk__in=self.notices):
            if notice.awaits_rendering:  # an EOI's emails: as the worker will render them
                render_stored(notice)
            for name, markup in hostile.MARKUP.items():
                if markup in notice.body_html:
                    self.problems.append(f"{where}: the {notice.reason} email shows {name} raw")
            if "\n" in notice.subject or "\r" in notice.subject:
                self.problems.append(f"{where}: email subject {notice.subject!r} has a newline")
        stored = STORED.get(self.page.id)
        if stored is None or not sent:
            return
        kept = stored(self.world)
        for name, value in sent.items():
            expected = NORMALISED.get(name, str.strip)(value)
            if name in kept and kept[name] != expected:
                self.problems.append(
                    f"{where}: kept {name} as {short(kept[name])}, not {short(expected)}"
                )
        shows_markup = any(m in value for m in hostile.MARKUP.values() for value in sent.values())
        if self.page.name == "participants:section" and shows_markup:
            self._check_answers_show(kept, where)

    def _check_answers_show(self, kept, where):
        url = reverse(
            "participants:check_answers", kwargs={"reference": self.world.draft.reference}
        )
        where = f"{where}, then GET {url}"
        response, error = request(self.client, "get", url)
        if error:
            self.problems.append(f"{where}: {error}")
            return
        self.problems += [f"{where}: {problem}" for problem in problems_with(response)]
        html = response.content.decode()
        for name, value in kept.items():
            if value.strip() and "\n" not in value and escape(value) not in html:
                self.problems.append(f"{where}: {name} {short(value)} is not shown escaped")


def _reauthenticate(world, client):
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})


def _send_email_code(world, client):
    client.post(reverse("two_factor_email_code"), {"send": "first"})


def _confirm_email_code(world, client):
    """A first authenticator app is added after a code emailed to the account, and the
    password again."""
    _send_email_code(world, client)
    notice = Notice.objects.filter(reason="two_factor_enrolment").order_by("pk").last()
    if notice is None:
        return  # not signed in: nothing was sent
    code = re.search(r"\b\d{6}\b", notice.body_text).group()
    client.post(reverse("two_factor_email_code"), {"code": code})
    _reauthenticate(world, client)


# What a page needs before it shows its form: page id -> function of (world, client).
PREPARE = {
    # The question is asked only while no conflict is declared.
    "participants:section[conflicts-of-interest]": lambda world, client: (
        world.draft.conflicts.all().delete()
    ),
    # Pages that ask for the password again unless it was given a moment ago.
    "account_erase": _reauthenticate,
    "mfa_activate_totp": _confirm_email_code,
    # The code's own field shows once a code was sent.
    "two_factor_email_code": _send_email_code,
}


def _role_and_forms(world, page):
    """The first role (the page's owner first) to whom the page shows a form posting to it."""
    for role in sorted(page.roles, key=lambda role: role != page.owner):
        client = client_as(role, world)
        PREPARE.get(page.id, lambda world, client: None)(world, client)
        url = page.url(world)
        response, error = request(client, "get", url)
        assert error is None, f"GET {url} as {role} {error}"
        if response.status_code == 405:
            return role, client, [FormUnderTest(url, [])]  # only ever POSTed to
        forms = forms_posting_to(url, _html(response))
        if forms:
            return role, client, forms
    pytest.skip(f"{page.id} shows no form that posts to it, to any of {', '.join(page.roles)}")


def packed(strings, length=100):
    """The strings joined by spaces into values of at most `length` characters (the
    shortest limit of a prose field), with the names of those they hold."""
    values, names, value = [], [], ""
    for name, string in strings.items():
        if names and len(value) + 1 + len(string) > length:
            values.append(("+".join(names), value))
            names, value = [], ""
        names.append(name)
        value = f"{value} {string}" if value else string
    return [*values, ("+".join(names), value)]


@pytest.mark.parametrize("page", [pytest.param(page, id=page.id) for page in PAGES])
def test_hostile_form_fields(world, db, page):
    role, client, forms = _role_and_forms(world, page)
    poster = Poster(client, world, page, role)
    legitimate = packed(hostile.LEGITIMATE_TEXT)
    for form in forms:
        valid = form.valid(VALID_ANSWERS.get(page.name, {}))
        every, prose = form.names(), form.prose()
        answered = [field for field in form.names(TEXT_KINDS) if any(valid.get(field, [""]))]
        if not every:
            # Nothing to fill in: every string at once, in a field nobody asked for.
            poster.post(form, {**valid, "q": list(hostile.CORPUS.values())}, "with every string")
            continue
        for name, value in hostile.CORPUS.items():
            # In every field at once, in one nobody asked for and in the query string:
            # refused, or kept exactly.
            data = {**valid, **{field: [value] for field in [*every, "q"]}}
            accept = page.id in STORED and prose == every and name in hostile.LEGITIMATE_TEXT
            sent = dict.fromkeys(every, value)
            label = f"with {name} in every field"
            poster.post(form, data, label, sent, must_accept=accept, query=value)
        if page.id in STORED and prose:
            # Legitimate text in the prose fields, the rest valid: accepted, and kept exactly.
            targets = [field for field in prose if field in answered] or prose
            for start in range(0, len(legitimate), len(targets)):
                chosen = [legitimate[(start + i) % len(legitimate)] for i in range(len(targets))]
                sent = {field: value for field, (_, value) in zip(targets, chosen, strict=True)}
                label = ", ".join(
                    f"{name} in {field}" for field, (name, _) in zip(targets, chosen, strict=True)
                )
                data = {**valid, **{field: [value] for field, value in sent.items()}}
                poster.post(form, data, f"with {label}", sent, must_accept=True)
        # 100 KB and NUL in each field a person filled in, and an address too long
        # for any mailbox in each email field: one at a time, the rest valid.
        emails = form.names({"email"})
        for name, fields in [("LONG_VALUE", answered), ("NUL", answered), ("LONG_EMAIL", emails)]:
            for field in fields:
                value = hostile.CORPUS[name]
                data, label = {**valid, field: [value]}, f"with {name} in {field}"
                poster.post(form, data, label, {field: value}, query=value)
        # Invalid UTF-8 in every field, as raw bytes no browser sends.
        token = urlencode({"csrfmiddlewaretoken": valid.get("csrfmiddlewaretoken", [""])[0]})
        body = token.encode() + b"".join(
            b"&" + quote(field).encode() + b"=%FF%FE%00\xff\xfe" for field in [*every, "q"]
        )
        poster.post(
            form, body, "with invalid UTF-8", content_type="application/x-www-form-urlencoded"
        )
    assert not poster.problems, report(poster.problems)


# ---------------------------------------------------------------------------
# Raw invalid UTF-8 in a urlencoded body


@pytest.mark.parametrize(
    "body",
    [
        b"full_name=" + hostile.INVALID_UTF8_PERCENT_ENCODED,
        b"full_name=" + hostile.INVALID_UTF8_RAW + b"&job_title=\xfe",
    ],
    ids=["percent-encoded", "raw"],
)
@pytest.mark.parametrize(
    "page, role, template",
    [
        ("your-details", "applicant", "participants/section_your_details.html"),
        ("question", "anonymous", "projects/project_question_form.html"),
    ],
)
def test_invalid_utf8_gets_the_services_own_page(world, db, page, role, template, body):
    client = client_as(role, world)
    url = section_url(world.draft, page) if page == "your-details" else "/projects/cp1/question/"
    before = fingerprint()

    response = client.post(url, body, content_type="application/x-www-form-urlencoded")

    assert response.status_code in (200, 400)
    assert template in [used.name for used in response.templates]
    assert "govuk-error-summary" in response.content.decode()
    assert fingerprint() == before


@pytest.mark.parametrize(
    "body",
    [
        b"full_name=" + hostile.INVALID_UTF8_PERCENT_ENCODED + b"%00",
        b"full_name=" + hostile.INVALID_UTF8_RAW + b"&job_title=\xfe\x00",
    ],
    ids=["percent-encoded", "raw"],
)
def test_a_nul_gets_the_services_400_page(world, db, body):
    client = client_as("applicant", world)
    before = fingerprint()

    response = client.post(
        section_url(world.draft, "your-details"),
        body,
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 400
    assert "could not read your request" in response.content.decode()
    assert fingerprint() == before


# ---------------------------------------------------------------------------
# Hostile answers kept, then shown on every page that shows them

STORED_ANSWERS = {
    "your-details": {"full_name": hostile.CSV_HYPERLINK, "job_title": hostile.SCRIPT_TAG},
    "your-organisation": {
        "organisation_name": f"{hostile.CSV_AT} {hostile.ATTRIBUTE_BREAKOUT}",
        "sector": "other",
        "sector_other": hostile.SINGLE_QUOTE_BREAKOUT,
    },
    "validation": {
        "referee_name": hostile.ENCODED_SCRIPT,
        "referee_job_title": hostile.TEMPLATE_VARIABLE,
        "referee_relationship": f"{hostile.RIGHT_TO_LEFT_OVERRIDE} {hostile.TEMPLATE_TAG}",
    },
    "projects": {
        "experience_CP2": f"{hostile.CSV_DDE}\n{hostile.SCRIPT_TAG}\n\n{hostile.ATTRIBUTE_BREAKOUT}",
        "experience_T1": f"{hostile.CSV_MINUS} {hostile.SINGLE_QUOTE_BREAKOUT}",
    },
}
CONFLICT = {
    "organisation": hostile.ATTRIBUTE_BREAKOUT,
    "nature": "other",
    "details": f"{hostile.SCRIPT_TAG}\n{hostile.CSV_PLUS}",
}


def test_hostile_answers_are_kept_and_shown_escaped_everywhere(world, db):
    from participants import referees

    applicant = client_as("applicant", world)
    draft = world.draft
    for section, changes in STORED_ANSWERS.items():
        response = applicant.post(section_url(draft, section), {**ANSWERS[section], **changes})
        assert response.status_code == 302, (section, response.content.decode()[:2000])
    response = applicant.post(
        f"/applications/{draft.reference}/conflicts-of-interest/add/",
        {**CONFLICT, "projects": [Project.objects.get(code="CP2").pk]},
    )
    assert response.status_code == 302
    notices = set(Notice.objects.values_list("pk", flat=True))
    response = applicant.post(f"/applications/{draft.reference}/check-your-answers/")
    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    assert draft.full_name == hostile.CSV_HYPERLINK
    assert draft.organisation_name == f"{hostile.CSV_AT} {hostile.ATTRIBUTE_BREAKOUT}"
    assert draft.referee_name == hostile.ENCODED_SCRIPT
    assert (
        draft.project_interests.get(project__code="CP2").experience
        == (STORED_ANSWERS["projects"]["experience_CP2"])
    )

    # The applicant's pages, the co-chair's (of CP2, where the draft is now an
    # applicant), the referee's, and the emails the sending queued.
    shown_to = SimpleNamespace(
        **{
            **vars(world),
            "project_code": "cp2",
            "workspace_applicant": draft,
            "referee_token": _last_part(referees.referee_link(draft)),
        }
    )
    clients = {
        "applicant": applicant,
        "co-chair": client_as("co-chair", world),
        "anonymous": client_as("anonymous", world),
    }
    problems = []
    for page in PAGES:
        role = page.owner if page.owner != "anonymous" else "applicant"
        if page.name == "referee:answer":
            role = "anonymous"
        url = page.url(shown_to)
        response, error = request(clients[role], "get", url)
        found = [error] if error else problems_with(response)
        problems += [f"GET {url} as {role}: {problem}" for problem in found]
    for notice in Notice.objects.exclude(pk__in=notices):
        if notice.awaits_rendering:  # an EOI's emails: as the worker will render them
            render_stored(notice)
        problems += [
            f"the {notice.reason} email shows {name} raw"
            for name, value in hostile.MARKUP.items()
            if value in notice.body_html
        ]
        if "\n" in notice.subject or "\r" in notice.subject:
            problems.append(f"the {notice.reason} email's subject has a newline")
    assert not problems, report(problems)
    html = applicant.get(f"/applications/{draft.reference}/check-your-answers/").content.decode()
    assert escape(hostile.CSV_HYPERLINK) in html
    assert escape(hostile.ENCODED_SCRIPT) in html  # escaped once, not unescaped first


def test_csv_export_runs_no_formula(world, db):
    formulas = [hostile.CSV_HYPERLINK, hostile.CSV_PLUS, hostile.CSV_MINUS, hostile.CSV_AT]
    formulas += [hostile.CSV_DDE, "\t=1+1"]
    for number, formula in enumerate(formulas):
        applicant_for(
            world.call,
            f"{formula} Person{number}",
            "CP1",
            organisation_name=formula,
        ).project_interests.update(experience=formula)
    client = client_as("co-chair", world)

    response = client.get("/workspace/crowded-places/projects/cp1/applicants.csv")

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert [cell for cell in cells if cell.startswith(FORMULA_STARTS)] == []
    for formula in formulas:
        assert cells.count("'" + formula) == 2  # the organisation and the experience
