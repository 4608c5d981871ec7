"""Erasure reaches the logs: Django admin's log, the export log and every other table."""

import datetime
import importlib
import json

import pytest
from django.conf import settings as django_settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.utils import timezone

from participants.admin_log import ERASED, scrub_admin_log
from participants.data_protection.erasure import erase_account
from participants.data_protection.retention import apply_retention_policy
from participants.models import ExportLog, ExpressionOfInterest, TeamMembership, User
from projects.models import Call, Project
from tests.admin_forms import change_form_data, inline_prefix
from tests.answers import PERSONAL_VALUES
from tests.factories import UserFactory, give_two_factor, login_with_two_factor
from tests.stored_values import every_stored_value, stored_tables
from workstreams.models import Workstream

EOI_ADMIN = "/admin/participants/expressionofinterest/"


@pytest.fixture
def office_client(db):
    """The office's own browser: the applicant's fixtures sign in on `client`."""
    office = Client()
    login_with_two_factor(
        office, UserFactory(email="pco@example.org", is_staff=True, is_superuser=True)
    )
    return office


def post_as_shown(client, url, **changes):
    """Save an admin change form as shown (with `changes`); the admin logs it."""
    page = client.get(url)
    data = change_form_data(page)
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else response
    )
    # As a browser does: the page it goes on to shows the admin's "was changed"
    # message, which messages kept in the session would otherwise still hold.
    assert client.get(response.url).status_code == 200
    return page


def log_a_change(obj):
    """What the admin logs when the office changes `obj`, for the pages whose
    forms are not this test's business (the user admin's, a team place's)."""
    LogEntry.objects.log_actions(
        user_id=User.objects.get(email="pco@example.org").pk,
        queryset=[obj],
        action_flag=CHANGE,
        change_message=[{"changed": {"fields": ["Role"]}}],
    )


def edit_everything_in_the_admin(office_client, eoi):
    """The office edits the EOI (a conflict inline), the account, its address and its
    team place: each a LogEntry with the person's text in it."""
    url = f"{EOI_ADMIN}{eoi.pk}/change/"
    prefix = inline_prefix(office_client.get(url), "ConflictInline")
    post_as_shown(office_client, url, **{f"{prefix}-0-outcome": "excluded"})
    applicant = eoi.applicant
    log_a_change(applicant)
    address = applicant.emailaddress_set.get()
    post_as_shown(office_client, f"/admin/account/emailaddress/{address.pk}/change/")
    log_a_change(TeamMembership.objects.get(expression_of_interest=eoi))


def test_erasure_scrubs_the_admin_log_and_leaves_no_personal_data_in_any_table(
    office_client, sent_eoi, applicant, open_call
):
    edit_everything_in_the_admin(office_client, sent_eoi)
    other = ExpressionOfInterest.objects.create(
        applicant=UserFactory(email="sam@example.org", full_name="Sam Someone", stakeholder=True),
        call=open_call,
        full_name="Sam Someone",
    )
    log_a_change(other.applicant)
    export = office_client.get(f"{EOI_ADMIN}export/csv/", {"q": "Alex Applicant"})
    assert export.status_code == 200
    entries = list(LogEntry.objects.order_by("pk").values_list("pk", "user", "action_flag"))
    texts = dict(LogEntry.objects.values_list("object_repr", "change_message"))
    assert {"Alex Applicant", "alex@example.org", sent_eoi.reference} <= set(texts)
    assert '"object": "Financial interest: Acme Barriers"' in texts[sent_eoi.reference]

    counts = erase_account(applicant)

    stored = every_stored_value()
    assert [value for value in PERSONAL_VALUES if value in stored] == []
    assert "Sam Someone" in stored
    assert counts["scrubbed_admin_log_entries"] == 4
    # The office's record that it changed something, and when, stays.
    assert list(LogEntry.objects.order_by("pk").values_list("pk", "user", "action_flag")) == (
        entries
    )
    eoi_entry = LogEntry.objects.get(
        content_type__model="expressionofinterest", object_id=str(sent_eoi.pk)
    )
    assert (eoi_entry.object_repr, eoi_entry.action_flag) == (ERASED, CHANGE)
    changes = json.loads(eoi_entry.change_message)
    assert changes[-1] == {
        "changed": {"name": "conflict of interest", "object": ERASED, "fields": ["Outcome"]}
    }
    others = LogEntry.objects.get(content_type__model="user", object_id=str(other.applicant.pk))
    assert others.object_repr == "Sam Someone"
    assert ExportLog.objects.get().filters == "q"


def test_retention_scrubs_the_admin_log_of_the_eois_it_anonymises(office_client, sent_eoi):
    edit_everything_in_the_admin(office_client, sent_eoi)
    ExpressionOfInterest.objects.filter(pk=sent_eoi.pk).update(status="declined")
    closed = timezone.now() - datetime.timedelta(days=400)
    Call.objects.filter(pk=sent_eoi.call_id).update(
        opens=closed - datetime.timedelta(days=30), closes=closed
    )

    assert apply_retention_policy()["anonymised_eois"] == 1

    eoi_entry = LogEntry.objects.get(
        object_id=str(sent_eoi.pk), content_type__model="expressionofinterest"
    )
    assert eoi_entry.object_repr == ERASED
    assert "Acme Barriers" not in eoi_entry.change_message
    membership_entry = LogEntry.objects.get(content_type__model="teammembership")
    assert membership_entry.object_repr == ERASED
    # The account stays (retention anonymises EOIs, not people): so do its entries.
    assert LogEntry.objects.get(content_type__model="user").object_repr == "Alex Applicant"


def test_a_change_message_keeps_the_kind_of_row_and_the_fields(db):
    account = UserFactory(email="alex@example.org", full_name="Alex Applicant", stakeholder=True)
    texts = {
        "plain": "Sent to Alex Applicant by hand",
        "json": json.dumps(
            [
                {"changed": {"fields": ["Full name"]}},
                {"added": {"name": "email address", "object": "alex@example.org"}},
                {"deleted": {"name": "session", "object": "Alex's laptop"}},
            ]
        ),
        "empty": "",
    }
    for message in texts.values():
        LogEntry.objects.log_actions(
            user_id=UserFactory(is_staff=True).pk,
            queryset=[account],
            action_flag=CHANGE,
            change_message=message,
        )

    assert scrub_admin_log(User, [account.pk]) == 3

    assert sorted(LogEntry.objects.values_list("change_message", flat=True)) == sorted(
        [
            ERASED,
            json.dumps(
                [
                    {"changed": {"fields": ["Full name"]}},
                    {"added": {"name": "email address", "object": ERASED}},
                    {"deleted": {"name": "session", "object": ERASED}},
                ]
            ),
            "",
        ]
    )
    assert set(LogEntry.objects.values_list("object_repr", flat=True)) == {ERASED}


# The export log


def test_the_admin_export_logs_filters_without_what_was_typed(office_client, open_call):
    year = timezone.now().year
    cp1 = Project.objects.get(code="CP1").pk
    response = office_client.get(
        f"{EOI_ADMIN}export/csv/",
        {
            "q": "Alex Applicant",
            "status__exact": "submitted",
            "sector__exact": "Alex Applicant",
            "project_interests__project__id__exact": str(cp1),
            "submitted_at__year": str(year),
            "o": "2",
        },
    )

    assert response.status_code == 200
    assert ExportLog.objects.get().filters == (
        "q&status__exact=submitted&sector__exact"
        f"&project_interests__project__id__exact={cp1}&submitted_at__year={year}"
    )


def test_the_workspace_export_logs_filters_without_what_was_typed(client, loaded_programme):
    co_chair = UserFactory(email="chair@example.org", full_name="Chris Chair", stakeholder=True)
    give_two_factor(co_chair)
    Workstream.objects.filter(slug="crowded-places").update(business_co_chair=co_chair)
    login_with_two_factor(client, co_chair)

    response = client.get(
        "/workspace/crowded-places/projects/cp1/applicants.csv",
        {"role": "develop", "status": "Alex Applicant", "name": "Alex Applicant"},
    )

    assert response.status_code == 200
    assert ExportLog.objects.get().filters == "role=develop&status"


def test_the_migration_blanks_earlier_searches(db):
    migration = importlib.import_module(
        "participants.migrations.0014_export_log_without_typed_text"
    )
    stored = [
        "q=Alex+Applicant&status__exact=submitted",
        "status__exact=Alex+Applicant&validation=validated&submitted_at__year=2026",
        "role=develop&name=Alex",
        "",
    ]
    for filters in stored:
        ExportLog.objects.create(
            what="Expressions of interest", file_format="csv", rows=1, filters=filters
        )

    from django.apps import apps

    migration.forwards(apps, None)

    assert list(ExportLog.objects.order_by("pk").values_list("filters", flat=True)) == [
        "q&status__exact=submitted",
        "status__exact&validation=validated&submitted_at__year=2026",
        "role=develop",
        "",
    ]


def test_retention_deletes_old_rows_of_the_export_log(db, settings):
    settings.RETENTION_EXPORT_LOG_MONTHS = 24
    now = timezone.now()
    for what, days in [("old", 800), ("new", 700)]:
        ExportLog.objects.create(
            what=what, file_format="csv", rows=1, exported_at=now - datetime.timedelta(days=days)
        )

    assert apply_retention_policy()["deleted_export_log_rows"] == 1
    assert list(ExportLog.objects.values_list("what", flat=True)) == ["new"]


def test_the_privacy_notice_states_every_retention_period(client, db, settings):
    names = sorted(name for name in dir(django_settings) if name.startswith("RETENTION_"))
    for number, name in enumerate(names, start=41):
        setattr(settings, name, number)

    html = client.get("/privacy/").content.decode()

    unit = {True: "days", False: "months"}
    stated = [
        name
        for number, name in enumerate(names, start=41)
        if f"{number} {unit[name.endswith('_DAYS')]}" in html
    ]
    assert stated == names
    assert "RETENTION_EXPORT_LOG_MONTHS" in names


# The table scan


def test_the_table_scan_reads_every_table_and_what_sessions_hold(db):
    session = SessionStore()
    session["note"] = "Sam Someone was here"
    session.create()

    assert "Sam Someone was here" in every_stored_value()
    assert {
        "django_admin_log",
        "django_session",
        "account_emailaddress",
        "mfa_authenticator",
        "usersessions_usersession",
        "django_celery_beat_periodictask",
        "participants_exportlog",
        "participants_historicalexpressionofinterest",
    } <= set(stored_tables())
