"""A decision per project (issue 15, points 9 and 10): each project an applicant
offered is accepted, declined or not decided yet; the office applies decisions
as many times as it needs, each application one email; the EOI is decided as a
whole only when every project is; an accept waits for the conflicts touching
the project to be decided."""

import importlib

import pytest
from django.apps import apps

from participants import decisions
from participants.models import (
    ConflictOfInterest,
    Decision,
    ExpressionOfInterest,
    IllegalTransition,
    StatusChange,
    TeamMembership,
)
from projects.models import Project
from stepchange.models import Notice
from tests.admin_forms import change_form_data, inline_prefix
from tests.factories import (
    ConflictOfInterestFactory,
    DecisionFactory,
    ExpressionOfInterestFactory,
    ProjectInterestFactory,
    UserFactory,
    login_with_two_factor,
)

Status = ExpressionOfInterest.Status
ACCEPT, DECLINE = Decision.Outcome.ACCEPT, Decision.Outcome.DECLINE
EOI_LIST = "/admin/participants/expressionofinterest/"


def offering(call, offers=(("CP1", "lead"), ("SR1", "deliver"), ("CP2", "develop")), **traits):
    eoi = ExpressionOfInterestFactory(
        applicant=UserFactory(email="ash@example.org", full_name="Ash Applicant", stakeholder=True),
        call=call,
        full_name="Ash Applicant",
        **(traits or {"shortlisted": True}),
    )
    for preference, (code, role) in enumerate(offers, start=1):
        ProjectInterestFactory(
            expression_of_interest=eoi, code=code, role=role, preference=preference
        )
    return eoi


def project(code):
    return Project.objects.get(code=code)


def decision_notices(eoi):
    return Notice.objects.filter(reason="decision", recipient=eoi.applicant.email).order_by("pk")


def awaiting_conflict(eoi, *codes):
    conflict = ConflictOfInterestFactory(
        expression_of_interest=eoi,
        organisation="Barrier Systems plc",
        nature="commercial",
        details="Sells hostile-vehicle barriers.",
        outcome="",
    )
    conflict.projects.set([project(code) for code in codes])
    return conflict


# Point 9: a decision per project, applied in as many rounds as the office needs.


def test_an_accept_on_one_project_leaves_the_others_to_decide_and_says_so(open_call, office):
    eoi = offering(open_call)
    decisions.stage(eoi, project("CP1"), ACCEPT, by=office)

    assert decisions.apply([eoi.pk], by=office) == ([eoi.reference], [])

    eoi.refresh_from_db()
    assert eoi.status == Status.SHORTLISTED
    assert TeamMembership.objects.get().project.code == "CP1"
    notice = decision_notices(eoi).get()
    assert "CP1, as lead" in notice.body_text
    assert "We have not decided yet on:" in notice.body_text
    assert "- SR1:" in notice.body_text and "- CP2:" in notice.body_text
    assert "<strong>SR1</strong>" in notice.body_html


def test_a_later_application_decides_the_rest_with_its_own_email(open_call, office):
    eoi = offering(open_call)
    decisions.stage(eoi, project("CP1"), ACCEPT, by=office)
    decisions.apply([eoi.pk], by=office)
    decisions.stage(eoi, project("SR1"), DECLINE, by=office)
    decisions.stage(eoi, project("CP2"), ACCEPT, by=office, role="deliver")

    assert decisions.apply([eoi.pk], by=office) == ([eoi.reference], [])
    assert decisions.apply([eoi.pk], by=office) == ([], [])

    eoi.refresh_from_db()
    assert eoi.status == Status.ACCEPTED
    assert [(c.from_status, c.to_status) for c in eoi.status_changes.all()] == [
        (Status.SHORTLISTED, Status.ACCEPTED)
    ]
    first, second = decision_notices(eoi)
    assert first.occurrence != second.occurrence
    assert "CP1" not in second.body_text
    assert "CP2, as deliver" in second.body_text
    assert "We have not been able to offer you a place in:\n\n- SR1" in second.body_text
    assert "not decided yet" not in second.body_text
    assert sorted(TeamMembership.objects.values_list("project__code", "role")) == [
        ("CP1", "lead"),
        ("CP2", "deliver"),
    ]


def test_declining_every_project_declines_the_eoi(open_call, office):
    eoi = offering(open_call, offers=(("CP1", "lead"), ("SR1", "deliver")))
    decisions.stage(eoi, project("SR1"), DECLINE, by=office)
    decisions.apply([eoi.pk], by=office)
    decisions.stage(eoi, project("CP1"), DECLINE, by=office)
    decisions.apply([eoi.pk], by=office)

    eoi.refresh_from_db()
    assert eoi.status == Status.DECLINED
    assert decision_notices(eoi).count() == 2
    assert not TeamMembership.objects.exists()


def test_not_yet_removes_a_staged_decision(open_call, office):
    eoi = offering(open_call)
    decisions.stage(eoi, project("SR1"), ACCEPT, by=office)

    assert decisions.stage(eoi, project("SR1"), decisions.NOT_YET, by=office) is None

    assert not Decision.objects.exists()
    assert decisions.apply([eoi.pk], by=office) == ([], [])


def test_the_bulk_form_offers_not_yet(client, open_call, office):
    eoi = offering(open_call)
    decisions.stage(eoi, project("SR1"), DECLINE, by=office)
    login_with_two_factor(client, office)

    response = client.post(
        EOI_LIST,
        {
            "action": "stage_decision",
            "_selected_action": [eoi.pk],
            "stage": "1",
            "project": project("SR1").pk,
            "outcome": decisions.NOT_YET,
            "role": "",
        },
        follow=True,
    )

    assert "No decision staged on SR1 for 1." in response.content.decode()
    assert not Decision.objects.exists()


def test_the_eoi_is_decided_only_by_its_decisions(open_call, office):
    eoi = offering(open_call)

    with pytest.raises(IllegalTransition, match="Decide each project it offered"):
        eoi.move_to(Status.ACCEPTED, by=office)
    with pytest.raises(IllegalTransition, match="not decided yet for CP1, CP2, SR1"):
        eoi.mark_decided(by=office)
    DecisionFactory(expression_of_interest=eoi, code="CP1", applied=True, staged_by=office)
    with pytest.raises(IllegalTransition, match="not decided yet for CP2, SR1"):
        eoi.mark_decided(by=office)

    eoi.refresh_from_db()
    assert eoi.status == Status.SHORTLISTED
    assert not StatusChange.objects.exists()


def test_a_decided_eoi_cannot_be_decided_again(open_call, office):
    eoi = offering(open_call, accepted=True)

    with pytest.raises(IllegalTransition, match="only a shortlisted"):
        eoi.mark_decided(by=office)


# Point 10: no accept while a conflict touching the project awaits a decision.


def test_an_accept_waits_for_a_conflict_touching_the_project(open_call, office):
    eoi = offering(open_call)
    conflict = awaiting_conflict(eoi, "CP1")

    with pytest.raises(decisions.DecisionRefused) as refused:
        decisions.stage(eoi, project("CP1"), ACCEPT, by=office)
    assert str(refused.value) == (
        f"{eoi.reference} cannot be accepted into CP1 while a conflict of interest touching "
        "it awaits a decision (Barrier Systems plc): decide the conflict's outcome on the "
        "expression of interest's page first, then stage the accept."
    )
    decisions.stage(eoi, project("CP1"), DECLINE, by=office)  # declining stays possible
    decisions.stage(eoi, project("SR1"), ACCEPT, by=office)  # the conflict does not touch SR1

    conflict.outcome = ConflictOfInterest.Outcome.NO_CONFLICT
    conflict.save()
    decisions.stage(eoi, project("CP1"), ACCEPT, by=office)


def test_an_accept_staged_before_the_conflict_is_not_applied(open_call, office):
    eoi = offering(open_call)
    decisions.stage(eoi, project("CP1"), ACCEPT, by=office)
    awaiting_conflict(eoi, "CP1", "SR1")

    applied, refused = decisions.apply([eoi.pk], by=office)

    assert applied == []
    assert refused[0].startswith(f"{eoi.reference} cannot be accepted into CP1 while a conflict")
    assert eoi.decisions.get().applied_at is None
    assert not TeamMembership.objects.exists()
    assert not decision_notices(eoi).exists()


def test_the_admin_inline_refuses_the_accept_and_says_what_to_do(client, open_call, office):
    eoi = offering(open_call)
    awaiting_conflict(eoi, "CP1")
    login_with_two_factor(client, office)
    url = f"{EOI_LIST}{eoi.pk}/change/"
    page = client.get(url)
    data = change_form_data(page)
    prefix = inline_prefix(page, "PendingDecisionInline")
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-project": project("CP1").pk,
            f"{prefix}-0-outcome": ACCEPT,
            f"{prefix}-0-role": "",
        }
    )

    response = client.post(url, data)

    assert response.status_code == 200
    assert "decide the conflict&#x27;s outcome" in response.content.decode()
    assert not Decision.objects.exists()


# What the applicant sees, and the data decided before decisions were per project.


def test_your_applications_shows_each_projects_outcome(client, open_call, office):
    eoi = offering(open_call)
    decisions.stage(eoi, project("CP1"), ACCEPT, by=office)
    decisions.stage(eoi, project("SR1"), DECLINE, by=office)
    decisions.apply([eoi.pk], by=office)
    client.force_login(eoi.applicant)

    page = client.get("/applications/").content.decode()

    assert "CP1: accepted as lead" in page
    assert "SR1: declined" in page
    assert "CP2: not decided yet" in page


def test_the_migration_reopens_eois_decided_before_every_project_was(open_call, office):
    reopen = importlib.import_module(
        "participants.migrations.0018_decisions_per_project"
    ).reopen_undecided
    partly = offering(open_call, accepted=True)
    DecisionFactory(expression_of_interest=partly, code="CP1", applied=True, staged_by=office)
    whole = ExpressionOfInterestFactory(call=open_call, declined=True)
    ProjectInterestFactory(expression_of_interest=whole, code="CP1", role="lead")
    done = ExpressionOfInterestFactory(call=open_call, accepted=True)
    ProjectInterestFactory(expression_of_interest=done, code="CP1", role="lead")
    DecisionFactory(expression_of_interest=done, code="CP1", applied=True, staged_by=office)

    reopen(apps, None)

    statuses = dict(ExpressionOfInterest.objects.values_list("pk", "status"))
    assert statuses == {
        partly.pk: Status.SHORTLISTED,
        whole.pk: Status.DECLINED,
        done.pk: Status.ACCEPTED,
    }
    change = StatusChange.objects.get()
    assert (change.expression_of_interest, change.from_status, change.to_status) == (
        partly,
        Status.ACCEPTED,
        Status.SHORTLISTED,
    )
