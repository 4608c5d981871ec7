import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from participants.models import ExpressionOfInterest
from tests.admin_forms import change_form_data, inline_prefix
from tests.factories import (
    ConflictOfInterestFactory,
    ExpressionOfInterestFactory,
    UserFactory,
    ValidationCheckFactory,
    login_with_two_factor,
)

LIST = "/admin/participants/expressionofinterest/"


@pytest.fixture
def office_client(client, superuser):
    login_with_two_factor(client, superuser)
    return client


def make(call, name, status="submitted", checks=(), conflict_outcome=None):
    eoi = ExpressionOfInterestFactory(
        applicant=UserFactory(email=f"{name}@example.org", stakeholder=True),
        call=call,
        **{str(status): True},
        full_name=name.title(),
        organisation_name=f"{name.title()} Ltd",
        sector="private",
    )
    for method, result in checks:
        ValidationCheckFactory(expression_of_interest=eoi, method=method, result=result)
    if conflict_outcome is not None:
        ConflictOfInterestFactory(expression_of_interest=eoi, outcome=conflict_outcome)
    return eoi


def test_validation_status_is_derived_from_the_checks(open_call):
    pending = make(open_call, "pending", checks=[("email_verified", "passed")])
    validated = make(
        open_call,
        "validated",
        checks=[("email_verified", "passed"), ("referee_confirmed", "passed")],
    )
    failed = make(
        open_call, "failed", checks=[("referee_confirmed", "passed"), ("document_seen", "failed")]
    )

    statuses = dict(
        ExpressionOfInterest.objects.with_validation_status().values_list(
            "reference", "validation_status"
        )
    )

    assert statuses == {
        pending.reference: "pending",
        validated.reference: "validated",
        failed.reference: "failed",
    }


def test_list_shows_the_columns_and_filters(office_client, open_call):
    from participants.models import ProjectInterest
    from projects.models import Project

    eoi = make(open_call, "casey", checks=[("referee_confirmed", "passed")], conflict_outcome="")
    ProjectInterest.objects.create(
        expression_of_interest=eoi,
        project=Project.objects.get(code="T1"),
        role="lead",
        experience="x",
    )
    make(
        open_call, "other", checks=[("referee_confirmed", "failed")], conflict_outcome="no_conflict"
    )

    html = office_client.get(LIST).content.decode()
    assert "T1 (lead)" in html
    assert "Validated" in html

    def references(**params):
        response = office_client.get(LIST, params)
        return [row.reference for row in response.context["cl"].result_list]

    assert references(validation="validated") == [eoi.reference]
    assert references(**{"project_interests__role__exact": "lead"}) == [eoi.reference]
    assert references(**{"conflicts__outcome__exact": ""}) == [eoi.reference]
    assert references(q="casey@example.org") == [eoi.reference]
    assert references(q=eoi.reference) == [eoi.reference]
    with override_settings(PERSONAL_PAGE_SECONDS=0):  # kept a line above: made afresh
        row = office_client.get(LIST, {"q": eoi.reference}).context["cl"].result_list[0]
    assert (row.validation_status, row.open_conflicts) == ("validated", 1)


def list_queries(client):
    """The list's queries, leaving out the staff session's once-a-minute note of
    activity (stepchange/session_limits.py), which comes and goes with the clock;
    the access log's row is written each time (it is written once a person, page
    and minute: the cache that remembers it is emptied)."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LIST).status_code == 200
    return len(
        [
            query
            for query in queries.captured_queries
            if "django_session" not in query["sql"] and "SAVEPOINT" not in query["sql"]
        ]
    )


def test_the_list_takes_the_same_queries_at_20_and_10000_eois(office_client, open_call, settings):
    settings.DEBUG = True
    call_command("demodata", 20)
    small = list_queries(office_client)

    call_command("demodata", 9980)
    assert ExpressionOfInterest.objects.count() == 10_000
    assert list_queries(office_client) == small


def test_deciding_a_conflict_records_who_and_when(office_client, open_call):
    eoi = make(open_call, "casey", conflict_outcome="")
    conflict = eoi.conflicts.get()
    change_url = f"{LIST}{eoi.pk}/change/"
    page = office_client.get(change_url)
    data = change_form_data(page)
    prefix = inline_prefix(page, "ConflictInline")
    data.update(
        {
            f"{prefix}-0-outcome": "managed",
            f"{prefix}-0-mitigation": "Not in the meetings about procurement.",
        }
    )

    response = office_client.post(change_url, data)

    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else ""
    )
    conflict.refresh_from_db()
    assert (conflict.outcome, conflict.decided_by.email) == ("managed", "pco@example.org")
    assert conflict.decided_at is not None


def test_managed_needs_a_mitigation(open_call):
    from django.core.exceptions import ValidationError

    conflict = make(open_call, "casey", conflict_outcome="managed").conflicts.get()

    with pytest.raises(ValidationError, match="Say how the conflict is managed"):
        conflict.full_clean()


def test_send_the_referee_request_again(office_client, open_call):
    from stepchange.models import Notice

    waiting = make(open_call, "waiting")
    ExpressionOfInterest.objects.filter(pk=waiting.pk).update(referee_email="ref@example.org")
    draft = make(open_call, "drafty", status="draft")

    response = office_client.post(
        LIST,
        {"action": "request_referees_again", "_selected_action": [waiting.pk, draft.pk]},
        follow=True,
    )

    html = response.content.decode()
    assert "Referee request queued again for 1." in html
    assert f"{draft.reference} is draft: no request sent." in html
    notice = Notice.objects.get()
    assert (notice.reason, notice.recipient) == ("referee_request", "ref@example.org")
    assert "/referee/" in notice.body_text


def test_csv_export_follows_the_filter_neutralises_formulas_and_is_logged(office_client, open_call):
    import csv
    import io

    from participants.models import ExportLog

    evil = make(open_call, "evil")
    ExpressionOfInterest.objects.filter(pk=evil.pk).update(
        organisation_name='=HYPERLINK("http://x")', full_name="@SUM(1+1)"
    )
    make(open_call, "drafty", status="draft")

    response = office_client.get(f"{LIST}export/csv/", {"status__exact": "submitted"})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(
        'attachment; filename="expressions-of-interest-'
    )
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0][:4] == ["Reference", "Name", "Work email", "Organisation"]
    assert [row[0] for row in table[1:]] == [evil.reference]
    assert table[1][1] == "'@SUM(1+1)"
    assert table[1][3] == '\'=HYPERLINK("http://x")'
    log = ExportLog.objects.get()
    assert (log.exported_by.email, log.file_format, log.filters, log.rows) == (
        "pco@example.org",
        "csv",
        "status__exact=submitted",
        1,
    )


def test_xlsx_export_has_the_same_rows(office_client, open_call):
    import io

    from openpyxl import load_workbook

    eoi = make(open_call, "casey")

    response = office_client.get(f"{LIST}export/xlsx/")

    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][0] == "Reference"
    assert values[1][:2] == (eoi.reference, "Casey")


def test_the_programme_board_may_export_and_others_may_not(client, open_call):
    from django.contrib.auth.models import Group

    make(open_call, "casey")
    board = UserFactory(email="board@example.org", is_staff=True)
    board.groups.add(Group.objects.get(name="Programme board"))
    login_with_two_factor(client, board)
    assert client.get(f"{LIST}export/csv/").status_code == 200
    assert client.get(f"{LIST}export/pdf/").status_code == 403

    client.force_login(UserFactory(email="nobody@example.org"))
    assert client.get(f"{LIST}export/csv/").status_code == 302  # to the admin's sign-in
