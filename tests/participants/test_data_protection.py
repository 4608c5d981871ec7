"""UK GDPR: subject access, erasure, retention, the privacy notice and the access log."""

import datetime
import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from participants import tasks
from participants.data_protection import erasure
from participants.data_protection.retention import apply_retention_policy
from participants.models import (
    Amendment,
    CoChairInterest,
    ConflictOfInterest,
    Decision,
    ExpressionOfInterest,
    PersonalDataAccess,
    Recommendation,
    StatusChange,
    TeamMembership,
    User,
)
from projects.models import Project, ProjectQuestion
from stepchange.models import Notice
from tests.answers import PERSONAL_VALUES
from tests.factories import (
    CallFactory,
    ConflictOfInterestFactory,
    ExpressionOfInterestFactory,
    ProjectInterestFactory,
    UserFactory,
    give_two_factor,
    login_with_two_factor,
)
from tests.stored_values import every_stored_value
from workstreams.models import Workstream

PASSWORD = "a-long-test-password"
YOUR_DATA = "/accounts/your-data/"
YOUR_DATA_JSON = "/accounts/your-data.json"
ERASE = "/accounts/your-data/erase/"


def reauthenticate(client):
    """Confirm the password, as allauth asks before erasing an account."""
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]


# Subject access


def test_your_data_shows_and_downloads_every_answer(applicant_client, sent_eoi, applicant):
    ProjectQuestion.objects.create(
        project=Project.objects.get(code="T1"),
        name="Alex Applicant",
        email="ALEX@example.org",
        question="Who leads T1?",
    )

    page = applicant_client.get(YOUR_DATA)
    download = applicant_client.get(YOUR_DATA_JSON)

    assert page.status_code == 200
    html = page.content.decode()
    for value in ["Robin Referee", "1234567890123456", sent_eoi.reference, "Who leads T1?"]:
        assert value in html
    assert 'href="/accounts/your-data.json"' in html
    assert 'href="/accounts/your-data/erase/"' in html
    assert download["Content-Disposition"].startswith('attachment; filename="your-data-')
    assert download["Content-Type"] == "application/json; charset=utf-8"
    assert "no-store" in download["Cache-Control"]
    data = json.loads(download.content)
    assert data["account"]["email"] == "alex@example.org"
    assert data["email_addresses"] == [
        {"email": "alex@example.org", "verified": True, "primary": True}
    ]
    assert data["reminder_preferences"] == {
        "reminders_about_applications": True,
        "programme_reminders": False,
    }
    [eoi] = data["expressions_of_interest"]
    answers = {f.name for f in ExpressionOfInterest._meta.concrete_fields if not f.is_relation} - {
        "id"
    }
    assert answers <= set(eoi)
    assert (eoi["reference"], eoi["status"], eoi["referee_name"]) == (
        sent_eoi.reference,
        "accepted",
        "Robin Referee",
    )
    assert [(i["project"], i["role"]) for i in eoi["project_interests"]] == [
        ("CP2", "lead"),
        ("T1", "deliver"),
    ]
    assert eoi["conflicts"][0]["excluded_from"] == ["CP1"]
    assert eoi["amendments"][0]["changes"] == {"job_title": ["x", "y"]}
    assert [c["to_status"] for c in eoi["status_changes"]] == [
        "accepted",
        "shortlisted",
        "under_review",
        "submitted",
    ]
    assert eoi["decisions"][0]["outcome"] == "accept"
    # The office's note on a check stays with the office.
    assert set(eoi["validation_checks"][0]) == {"method", "result", "recorded_at"}
    assert data["team_memberships"][0]["project"] == "CP2"
    assert [q["question"] for q in data["questions_asked"]] == ["Who leads T1?"]
    assert [(n["reason"], n["recipient"]) for n in data["emails_sent_to_you"]] == [
        ("eoi_confirmation", "alex@example.org")
    ]
    assert "body_text" not in data["emails_sent_to_you"][0]


def test_your_data_is_only_your_own(applicant_client, open_call):
    other = ExpressionOfInterest.objects.create(
        applicant=UserFactory(email="sam@example.org", full_name="Sam Someone", stakeholder=True),
        call=open_call,
        full_name="Sam Someone",
    )
    Notice.objects.create(
        reason="account", recipient="sam@example.org", occurrence="x", subject="For Sam"
    )

    page = applicant_client.get(YOUR_DATA).content.decode()
    download = applicant_client.get(YOUR_DATA_JSON).content.decode()

    for text in (page, download):
        assert other.reference not in text
        assert "Sam Someone" not in text
        assert "For Sam" not in text


@pytest.mark.parametrize("url", [YOUR_DATA, YOUR_DATA_JSON, ERASE])
def test_your_data_needs_sign_in(client, db, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_the_account_page_links_to_your_data(applicant_client):
    page = applicant_client.get("/accounts/email/").content.decode()

    assert 'href="/accounts/your-data/"' in page


def _eoi_in_a_call_of_its_own(user, index):
    call = CallFactory(title=f"Call {index}")
    eoi = ExpressionOfInterestFactory(applicant=user, call=call, full_name="Alex")
    ProjectInterestFactory(expression_of_interest=eoi, code="T1", experience="")
    ConflictOfInterestFactory(expression_of_interest=eoi)
    eoi.mark_submitted()
    return eoi


def test_your_data_takes_the_same_queries_for_one_eoi_or_three(
    applicant_client, applicant, loaded_programme
):
    _eoi_in_a_call_of_its_own(applicant, 1)
    with CaptureQueriesContext(connection) as one:
        assert applicant_client.get(YOUR_DATA).status_code == 200
    _eoi_in_a_call_of_its_own(applicant, 2)
    _eoi_in_a_call_of_its_own(applicant, 3)
    with CaptureQueriesContext(connection) as three:
        assert applicant_client.get(YOUR_DATA).status_code == 200

    assert len(three) == len(one)


# Erasure


def test_erasure_asks_for_the_email_address(applicant_client, applicant):
    reauthenticate(applicant_client)

    empty = applicant_client.post(ERASE, {"email": ""})
    wrong = applicant_client.post(ERASE, {"email": "someone@example.org"})

    for response, message in [
        (empty, "Enter your email address to confirm that you want to erase your account"),
        (wrong, "Enter the email address you sign in with"),
    ]:
        html = response.content.decode()
        assert response.status_code == 200
        assert "govuk-error-summary" in html
        assert message in html
        assert html.count(message) == 2  # the summary and the field
    assert User.objects.filter(pk=applicant.pk).exists()


def test_erasure_asks_for_the_password_first(applicant_client, applicant):
    page = applicant_client.get(ERASE)
    held = applicant_client.post(ERASE, {"email": "alex@example.org"})

    for response in (page, held):
        assert response.status_code == 302
        assert response.url == "/accounts/reauthenticate/?next=%2Faccounts%2Fyour-data%2Ferase%2F"
    assert User.objects.filter(pk=applicant.pk).exists()
    # The held request is carried out once the password is confirmed.
    resumed = applicant_client.post(
        "/accounts/reauthenticate/?next=/accounts/your-data/erase/", {"password": PASSWORD}
    )
    assert (resumed.status_code, resumed.url) == (302, "/accounts/your-data/erased/")
    assert not User.objects.filter(pk=applicant.pk).exists()


def test_erasure_anonymises_what_was_decided_and_deletes_the_rest(
    applicant_client, sent_eoi, applicant
):
    draft = ExpressionOfInterest.objects.create(
        applicant=applicant, call=CallFactory(), full_name="Alex Applicant"
    )
    question = ProjectQuestion.objects.create(
        project=Project.objects.get(code="T1"),
        name="Alex Applicant",
        email="alex@example.org",
        question="Who leads T1?",
    )
    Notice.objects.create(
        reason="project_question",
        recipient="pco@example.org",
        occurrence=f"question:{question.pk}",
        subject="A question",
        body_text="From Alex Applicant",
    )
    Notice.objects.create(
        reason="account", recipient="other@example.org", occurrence="x", subject="Not Alex"
    )
    ExpressionOfInterest.objects.filter(pk=sent_eoi.pk).update(withdrawal_reason="I moved jobs")
    reauthenticate(applicant_client)

    response = applicant_client.post(ERASE, {"email": "Alex@Example.org "})

    assert response.status_code == 302
    assert response.url == "/accounts/your-data/erased/"
    confirmation = applicant_client.get(response.url)
    assert "Your account has been erased" in confirmation.content.decode()
    assert applicant_client.get(YOUR_DATA).status_code == 302  # signed out
    assert not User.objects.filter(pk=applicant.pk).exists()
    assert not EmailAddress.objects.filter(email__iexact="alex@example.org").exists()
    assert not ExpressionOfInterest.objects.filter(pk=draft.pk).exists()
    assert not ProjectQuestion.objects.exists()
    assert list(Notice.objects.values_list("subject", flat=True)) == ["Not Alex"]

    eoi = ExpressionOfInterest.objects.select_related("applicant").get(pk=sent_eoi.pk)
    placeholder = eoi.applicant
    assert placeholder.email.endswith("@erased.invalid")
    assert (placeholder.is_active, placeholder.has_usable_password()) == (False, False)
    assert (eoi.status, eoi.submitted_at, eoi.sector, eoi.full_name, eoi.vetting) == (
        "accepted",
        sent_eoi.submitted_at,
        "private",
        "Erased",
        "",
    )
    assert [(i.project.code, i.role) for i in eoi.project_interests.all()] == [
        ("CP2", "lead"),
        ("T1", "deliver"),
    ]
    assert sorted(Decision.objects.values_list("outcome", "role")) == [
        ("accept", "lead"),
        ("decline", ""),
    ]
    assert StatusChange.objects.filter(expression_of_interest=eoi).count() == 4
    assert list(TeamMembership.objects.values_list("member", "role")) == [(placeholder.pk, "lead")]
    assert Recommendation.objects.get().verdict == "lead"
    assert ConflictOfInterest.objects.get().outcome == "managed"
    assert Amendment.objects.get().changes == {}
    assert eoi.history.count() == 0
    stored = every_stored_value()
    assert [value for value in PERSONAL_VALUES if value in stored] == []


def test_erasure_withdraws_what_is_still_being_considered(
    applicant, applicant_client, complete_draft
):
    applicant_client.post(f"/applications/{complete_draft.reference}/check-your-answers/")

    erasure.erase_account(applicant)

    eoi = ExpressionOfInterest.objects.get(pk=complete_draft.pk)
    assert (eoi.status, eoi.withdrawn_at is not None) == ("withdrawn", True)
    change = StatusChange.objects.filter(expression_of_interest=eoi).first()
    assert (change.from_status, change.to_status, change.changed_by) == (
        "submitted",
        "withdrawn",
        None,
    )


def test_the_erased_page_shows_only_after_an_erasure(client, db):
    response = client.get("/accounts/your-data/erased/")

    assert (response.status_code, response.url) == (302, "/")


def test_staff_accounts_are_not_erased_here(client, db):
    staff = UserFactory(email="staff@example.org", is_staff=True)
    client.force_login(staff)
    reauthenticate(client)

    response = client.post(ERASE, {"email": "staff@example.org"})

    assert response.status_code == 403
    assert User.objects.filter(pk=staff.pk).exists()
    with pytest.raises(erasure.ErasureRefused):
        erasure.erase_account(staff)


def test_erasing_a_co_chair_keeps_their_recommendations_without_them(sent_eoi):
    co_chair = Recommendation.objects.get().co_chair
    Workstream.objects.filter(slug="crowded-places").update(business_co_chair=co_chair)
    CoChairInterest.objects.create(co_chair=co_chair, organisation="Chair's Own Firm Ltd")

    erasure.erase_account(co_chair)

    recommendation = Recommendation.objects.get()
    assert (recommendation.co_chair, recommendation.verdict) == (None, "lead")
    assert Workstream.objects.get(slug="crowded-places").business_co_chair is None
    assert not CoChairInterest.objects.exists()
    assert "Chair's Own Firm Ltd" not in every_stored_value()


def test_every_text_answer_of_an_eoi_is_erased_or_kept_on_purpose():
    kept = {"reference", "status", "sector", "organisation_size", "privacy_notice_version"}
    text_fields = {
        f.name
        for f in ExpressionOfInterest._meta.concrete_fields
        if f.get_internal_type() in {"CharField", "TextField", "EmailField", "URLField"}
    }

    assert text_fields - kept == set(erasure.EOI_ERASED_ANSWERS)


# Retention


def _old_call(months_closed_ago):
    closes = timezone.now() - datetime.timedelta(days=31 * months_closed_ago)
    return CallFactory(opens=closes - datetime.timedelta(days=30), closes=closes)


def _eoi(call, name, status, submitted=True):
    # Status and date sent set as given: retention reads both.
    eoi = ExpressionOfInterestFactory(
        applicant=UserFactory(email=f"{name}@example.org", full_name=name, stakeholder=True),
        call=call,
        status=status,
        full_name=name,
        referee_name=f"Referee of {name}",
        submitted_at=call.opens if submitted else None,
    )
    ProjectInterestFactory(
        expression_of_interest=eoi, code="CP1", experience=f"Experience of {name}"
    )
    return eoi


def test_retention_anonymises_declined_and_withdrawn_eois_of_old_calls(loaded_programme):
    old, recent = _old_call(13), _old_call(11)
    declined = _eoi(old, "declinedold", "declined")
    withdrawn = _eoi(old, "withdrawnold", "withdrawn")
    accepted = _eoi(old, "acceptedold", "accepted")
    draft = _eoi(old, "draftold", "draft", submitted=False)
    recent_declined = _eoi(recent, "declinedrecent", "declined")

    counts = apply_retention_policy()

    assert (counts["anonymised_eois"], counts["deleted_eois"]) == (2, 1)
    for eoi in (declined, withdrawn):
        eoi.refresh_from_db()
        assert (eoi.full_name, eoi.referee_name) == ("Erased", "")
        assert eoi.applicant.email.endswith("@erased.invalid")
        assert eoi.project_interests.get().experience == "Erased"
        assert eoi.history.count() == 0
    assert declined.applicant != withdrawn.applicant
    for eoi in (accepted, recent_declined):
        eoi.refresh_from_db()
        assert eoi.referee_name.startswith("Referee of")
    assert not ExpressionOfInterest.objects.filter(pk=draft.pk).exists()
    assert User.objects.filter(email="declinedold@example.org").exists()  # the account stays
    stored = every_stored_value()
    for name in ("declinedold", "withdrawnold", "draftold"):
        assert f"Referee of {name}" not in stored
        assert f"Experience of {name}" not in stored
    assert apply_retention_policy()["anonymised_eois"] == 0


def test_retention_deletes_accounts_never_verified(db, settings):
    settings.RETENTION_UNVERIFIED_ACCOUNT_DAYS = 30
    long_ago = timezone.now() - datetime.timedelta(days=31)
    unverified = UserFactory(email="never@example.org", date_joined=long_ago)
    EmailAddress.objects.create(user=unverified, email=unverified.email, verified=False)
    young = UserFactory(email="new@example.org")
    verified = UserFactory(
        email="verified@example.org", full_name="Alex Applicant", stakeholder=True
    )
    User.objects.filter(pk=verified.pk).update(date_joined=long_ago)
    staff = UserFactory(email="staff@example.org", is_staff=True, date_joined=long_ago)

    counts = apply_retention_policy()

    assert counts["erased_unverified_accounts"] == 1
    assert set(User.objects.values_list("email", flat=True)) == {
        young.email,
        verified.email,
        staff.email,
    }


def test_retention_deletes_old_notices_questions_and_access_log(loaded_programme):
    now = timezone.now()
    long_ago = now - datetime.timedelta(days=400)

    def notice(state, created_at, name):
        return Notice.objects.create(
            reason="account",
            recipient=f"{name}@example.org",
            occurrence=name,
            subject=name,
            state=state,
            created_at=created_at,
        )

    notice("sent", long_ago, "old-sent")
    notice("failed", long_ago, "old-failed")
    notice("pending", long_ago, "old-pending")
    notice("sent", now, "new-sent")
    project = Project.objects.get(code="T1")
    ProjectQuestion.objects.create(
        project=project, name="a", email="a@example.org", question="old", asked_at=long_ago
    )
    ProjectQuestion.objects.create(project=project, name="b", email="b@example.org", question="new")
    PersonalDataAccess.objects.create(
        what="old", path="/", accessed_at=now - datetime.timedelta(days=800)
    )
    PersonalDataAccess.objects.create(what="new", path="/")

    counts = apply_retention_policy()

    assert (
        counts["deleted_notices"],
        counts["deleted_questions"],
        counts["deleted_access_log_rows"],
    ) == (2, 1, 1)
    assert set(Notice.objects.values_list("subject", flat=True)) == {"old-pending", "new-sent"}
    assert list(ProjectQuestion.objects.values_list("question", flat=True)) == ["new"]
    assert list(PersonalDataAccess.objects.values_list("what", flat=True)) == ["new"]


def test_the_retention_task_runs_every_night(db):
    from django_celery_beat.models import PeriodicTask

    from stepchange.celery import app

    task = PeriodicTask.objects.select_related("crontab").get(
        task="participants.apply_retention_policy"
    )

    assert task.enabled
    assert (task.crontab.minute, task.crontab.hour, str(task.crontab.timezone)) == (
        "30",
        "3",
        "Europe/London",
    )
    assert "participants.apply_retention_policy" in app.tasks
    assert tasks.apply_retention_policy() == {
        "anonymised_eois": 0,
        "deleted_eois": 0,
        "erased_unverified_accounts": 0,
        "deleted_notices": 0,
        "deleted_questions": 0,
        "deleted_access_log_rows": 0,
        "deleted_export_log_rows": 0,
    }


def test_the_privacy_notice_states_the_retention_periods_and_rights(client, open_call, settings):
    settings.RETENTION_DECLINED_WITHDRAWN_MONTHS = 18
    settings.RETENTION_UNVERIFIED_ACCOUNT_DAYS = 45

    html = client.get("/privacy/").content.decode()

    assert "anonymised 18 months after their call closes" in html
    assert "deleted after 45 days" in html
    assert "is the data controller" in html
    assert f'href="mailto:{open_call.contact_email}"' in html
    assert "Article 6(1)(e)" in html
    assert "0303 123 1113" in html
    assert "ico.org.uk" in html
    for right in ["access", "rectification", "erasure", "restriction", "objection"]:
        assert f"({right})" in html
    assert "Version 2026-12" in html


# Access log


@pytest.fixture
def office_client(client, db):
    office = UserFactory(email="pco@example.org", is_staff=True)
    office.groups.add(Group.objects.get(name="Coordination office"))
    login_with_two_factor(client, office)
    client.office = office
    return client


def test_the_admin_logs_each_view_of_eois_once_per_request(office_client, open_call):
    eois = [
        ExpressionOfInterest.objects.create(
            applicant=UserFactory(
                email=f"p{n}@example.org", full_name="Alex Applicant", stakeholder=True
            ),
            call=open_call,
            full_name=f"Person {n}",
            status="submitted",
        )
        for n in range(3)
    ]
    base = "/admin/participants/expressionofinterest/"

    assert office_client.get(f"{base}?q=Person+1&status__exact=submitted").status_code == 200
    assert office_client.get(f"{base}{eois[0].pk}/change/").status_code == 200
    assert office_client.get(f"{base}export/csv/").status_code == 200
    assert office_client.get(f"{base}999999/change/").status_code == 302

    rows = list(PersonalDataAccess.objects.order_by("pk").values_list("user", "what", "path"))
    user = office_client.office.pk
    assert rows == [
        (user, "EOI list viewed in the admin (by q, status__exact)", base),
        (user, f"EOI {eois[0].reference} viewed in the admin", f"{base}{eois[0].pk}/change/"),
        (user, "EOI list exported from the admin (CSV)", f"{base}export/csv/"),
    ]
    assert "Person" not in str(rows)


def test_the_workspace_logs_each_view_of_applicants(client, open_call, loaded_programme):
    co_chair = UserFactory(email="chair@example.org", full_name="Chris Chair", stakeholder=True)
    give_two_factor(co_chair)
    Workstream.objects.filter(slug="crowded-places").update(business_co_chair=co_chair)
    eoi = _eoi(open_call, "applicantone", "submitted")
    login_with_two_factor(client, co_chair)
    cp1 = "/workspace/crowded-places/projects/cp1/"

    assert client.get(f"{cp1}applicants/").status_code == 200
    assert client.get(f"{cp1}applicants/{eoi.reference}/").status_code == 200
    assert client.get(f"{cp1}applicants.csv").status_code == 200
    assert client.get("/workspace/transport/projects/t1/applicants/").status_code == 404

    assert list(PersonalDataAccess.objects.order_by("pk").values_list("user", "what")) == [
        (co_chair.pk, "Applicants of CP1 viewed in the co-chair workspace"),
        (co_chair.pk, f"EOI {eoi.reference} viewed in the co-chair workspace (applicant of CP1)"),
        (co_chair.pk, "Applicants of CP1 exported (CSV)"),
    ]


def test_the_office_reads_the_access_log_and_nobody_changes_it(office_client):
    PersonalDataAccess.objects.create(what="EOI list viewed in the admin", path="/admin/")
    base = "/admin/participants/personaldataaccess/"

    listing = office_client.get(base)

    assert listing.status_code == 200
    assert "EOI list viewed in the admin" in listing.content.decode()
    assert office_client.get(f"{base}add/").status_code == 403
    entry = PersonalDataAccess.objects.order_by("pk").first()
    assert office_client.post(f"{base}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
