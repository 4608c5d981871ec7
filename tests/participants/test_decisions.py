"""Staged decisions applied together: team places, statuses, one email per applicant,
and the exclusion rule with its override."""

import pytest
from django.core import mail

from participants import decisions
from participants.models import (
    ConflictOfInterest,
    Decision,
    ExclusionOverride,
    ExpressionOfInterest,
    ProjectInterest,
    TeamMembership,
)
from projects.models import Project
from stepchange.models import Notice
from tests.admin_forms import change_form_data, inline_prefix
from tests.conftest import deliver_outbox
from tests.factories import (
    ConflictOfInterestFactory,
    ExpressionOfInterestFactory,
    ProjectInterestFactory,
    UserFactory,
    login_with_two_factor,
)

Status = ExpressionOfInterest.Status
ACCEPT, DECLINE = Decision.Outcome.ACCEPT, Decision.Outcome.DECLINE
EOI_LIST = "/admin/participants/expressionofinterest/"


def shortlisted(call, number=0, offers=(("CP1", "lead"), ("CP2", "deliver"))):
    eoi = ExpressionOfInterestFactory(
        applicant=UserFactory(
            email=f"applicant{number}@example.org", full_name=f"Person {number}", stakeholder=True
        ),
        call=call,
        shortlisted=True,
        full_name=f"Person {number}",
        organisation_name="Example Venues Ltd",
    )
    for preference, (code, role) in enumerate(offers, start=1):
        ProjectInterestFactory(
            expression_of_interest=eoi, code=code, role=role, preference=preference
        )
    return eoi


def exclude(eoi, code, by):
    conflict = ConflictOfInterestFactory(
        expression_of_interest=eoi,
        organisation="Barrier Systems plc",
        nature="commercial",
        details="Sells hostile-vehicle barriers.",
        outcome=ConflictOfInterest.Outcome.EXCLUDED,
        decided_by=by,
    )
    conflict.excluded_from.add(Project.objects.get(code=code))
    return conflict


def decision_notices(eoi):
    return Notice.objects.filter(reason="decision", recipient=eoi.applicant.email)


def test_applying_places_the_applicant_and_queues_one_email(open_call, office):
    eoi = shortlisted(open_call)
    cp1, cp2 = Project.objects.get(code="CP1"), Project.objects.get(code="CP2")
    decisions.stage(eoi, cp1, ACCEPT, by=office)
    decisions.stage(eoi, cp2, DECLINE, by=office)

    applied, refused = decisions.apply([eoi.pk], by=office)

    eoi.refresh_from_db()
    assert (applied, refused) == ([eoi.reference], [])
    assert eoi.status == Status.ACCEPTED
    assert eoi.status_changes.get().changed_by == office
    membership = TeamMembership.objects.get()
    assert (membership.project, membership.member, membership.role) == (cp1, eoi.applicant, "lead")
    assert membership.added_by == office
    assert not Decision.objects.filter(applied_at__isnull=True).exists()
    notice = decision_notices(eoi).get()
    assert "CP1, as lead" in notice.body_text
    assert "We have not been able to offer you a place in" in notice.body_text
    assert "CP2" in notice.body_text
    assert "<strong>CP1</strong>" in notice.body_html


def test_applying_again_changes_nothing_and_sends_nothing_more(open_call, office):
    eoi = shortlisted(open_call)
    decisions.stage(eoi, Project.objects.get(code="CP1"), ACCEPT, by=office)
    decisions.stage(eoi, Project.objects.get(code="CP2"), DECLINE, by=office)
    decisions.apply([eoi.pk], by=office)

    applied, refused = decisions.apply([eoi.pk], by=office)

    assert (applied, refused) == ([], [])
    assert decision_notices(eoi).count() == 1
    assert TeamMembership.objects.count() == 1
    assert eoi.status_changes.count() == 1


def test_the_decision_email_is_delivered_once_with_both_parts(open_call, office, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    eoi = shortlisted(open_call)
    decisions.stage(eoi, Project.objects.get(code="CP2"), ACCEPT, by=office, role="develop")
    decisions.apply([eoi.pk], by=office)
    decisions.apply([eoi.pk], by=office)

    deliver_outbox()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [eoi.applicant.email]
    assert "CP2, as develop" in message.body
    assert message.alternatives[0].mimetype == "text/html"
    assert TeamMembership.objects.get().role == "develop"


def test_declines_only_decline_the_eoi_and_place_nobody(open_call, office):
    eoi = shortlisted(open_call)
    decisions.stage(eoi, Project.objects.get(code="CP1"), DECLINE, by=office)
    decisions.stage(eoi, Project.objects.get(code="CP2"), DECLINE, by=office)

    decisions.apply([eoi.pk], by=office)

    eoi.refresh_from_db()
    assert eoi.status == Status.DECLINED
    assert not TeamMembership.objects.exists()
    assert "We are sorry" in decision_notices(eoi).get().body_text


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.UNDER_REVIEW, Status.WITHDRAWN])
def test_only_shortlisted_eois_are_decided(open_call, office, status):
    eoi = shortlisted(open_call)
    ExpressionOfInterest.objects.filter(pk=eoi.pk).update(status=status)
    eoi.refresh_from_db()

    with pytest.raises(decisions.DecisionRefused, match="only shortlisted"):
        decisions.stage(eoi, Project.objects.get(code="CP1"), ACCEPT, by=office)


def test_a_project_they_did_not_offer_is_refused(open_call, office):
    eoi = shortlisted(open_call)

    with pytest.raises(decisions.DecisionRefused, match="did not offer to join T1"):
        decisions.stage(eoi, Project.objects.get(code="T1"), ACCEPT, by=office)


def test_an_applied_decision_cannot_be_restaged(open_call, office):
    eoi = shortlisted(open_call)
    cp1 = Project.objects.get(code="CP1")
    decisions.stage(eoi, cp1, ACCEPT, by=office)
    decisions.apply([eoi.pk], by=office)
    eoi.refresh_from_db()
    assert eoi.status == Status.SHORTLISTED  # CP2 is not decided yet

    with pytest.raises(decisions.DecisionRefused, match="already applied"):
        decisions.stage(eoi, cp1, DECLINE, by=office)


def test_an_excluded_applicant_cannot_be_accepted_into_the_project(open_call, office):
    eoi = shortlisted(open_call)
    exclude(eoi, "CP1", office)
    cp1 = Project.objects.get(code="CP1")

    with pytest.raises(decisions.DecisionRefused, match="excluded from CP1"):
        decisions.stage(eoi, cp1, ACCEPT, by=office)
    decisions.stage(eoi, cp1, DECLINE, by=office)  # declining stays possible
    decisions.stage(eoi, Project.objects.get(code="CP2"), ACCEPT, by=office)

    placeable = ProjectInterest.objects.filter(expression_of_interest=eoi).placeable()
    assert [interest.project.code for interest in placeable] == ["CP2"]


def test_an_override_with_its_reason_lets_the_office_place_them(open_call, office):
    eoi = shortlisted(open_call)
    exclude(eoi, "CP1", office)
    cp1 = Project.objects.get(code="CP1")
    ExclusionOverride.objects.create(
        expression_of_interest=eoi,
        project=cp1,
        reason="The barrier contract ended in March; the ethics panel agreed.",
        decided_by=office,
    )

    decisions.stage(eoi, cp1, ACCEPT, by=office)
    decisions.apply([eoi.pk], by=office)

    assert TeamMembership.objects.get().project == cp1
    assert ProjectInterest.objects.filter(project=cp1).placeable().count() == 1


def test_an_exclusion_decided_after_staging_stops_the_apply(open_call, office):
    eoi = shortlisted(open_call)
    other = shortlisted(open_call, number=1)
    cp1 = Project.objects.get(code="CP1")
    decisions.stage(eoi, cp1, ACCEPT, by=office)
    decisions.stage(other, cp1, ACCEPT, by=office)
    exclude(eoi, "CP1", office)

    applied, refused = decisions.apply([eoi.pk, other.pk], by=office)

    eoi.refresh_from_db()
    assert applied == [other.reference]
    assert refused == [
        f"{eoi.reference} is excluded from CP1 by a conflict of interest: record an "
        "exclusion override, with its reason, to place them."
    ]
    assert eoi.status == Status.SHORTLISTED
    assert eoi.decisions.get().applied_at is None
    assert not decision_notices(eoi).exists()
    assert list(TeamMembership.objects.values_list("member__email", flat=True)) == [
        other.applicant.email
    ]


def test_an_override_needs_a_reason(open_call, office):
    from django.core.exceptions import ValidationError

    eoi = shortlisted(open_call)
    override = ExclusionOverride(
        expression_of_interest=eoi, project=Project.objects.get(code="CP1"), reason="  "
    )
    with pytest.raises(ValidationError, match="Say why"):
        override.full_clean()


EOIS = 120


def test_the_admin_stages_in_bulk_then_applies_once(client, open_call, office):
    # More than a page of the list (100): the actions take the selection, not the page.
    eois = [shortlisted(open_call, number) for number in range(EOIS)]
    ids = [eoi.pk for eoi in eois]
    cp1 = Project.objects.get(code="CP1")
    login_with_two_factor(client, office)
    url = f"{EOI_LIST}?project_interests__project__id__exact={cp1.pk}"

    asked = client.post(url, {"action": "stage_decision", "_selected_action": ids[:3]})
    assert asked.status_code == 200
    assert "Stage the decision" in asked.content.decode()
    assert f'<option value="{cp1.pk}" selected>' in asked.content.decode()

    client.post(
        url,
        {
            "action": "stage_decision",
            "_selected_action": ids,
            "stage": "1",
            "project": cp1.pk,
            "outcome": ACCEPT,
            "role": "",
        },
    )
    assert Decision.objects.filter(applied_at__isnull=True).count() == EOIS
    client.post(url, {"action": "apply_decisions", "_selected_action": ids})
    client.post(url, {"action": "apply_decisions", "_selected_action": ids})

    assert TeamMembership.objects.filter(project=cp1, role="lead").count() == EOIS
    assert Notice.objects.filter(reason="decision").count() == EOIS
    # CP2 is still to decide: a second round, for the same EOIs, decides it.
    assert ExpressionOfInterest.objects.filter(status=Status.SHORTLISTED).count() == EOIS
    cp2 = Project.objects.get(code="CP2")
    client.post(
        url,
        {
            "action": "stage_decision",
            "_selected_action": ids,
            "stage": "1",
            "project": cp2.pk,
            "outcome": DECLINE,
            "role": "",
        },
    )
    client.post(url, {"action": "apply_decisions", "_selected_action": ids})

    assert Notice.objects.filter(reason="decision").count() == 2 * EOIS
    assert ExpressionOfInterest.objects.filter(status=Status.ACCEPTED).count() == EOIS


def test_the_inline_refuses_to_stage_an_excluded_accept(client, open_call, office):
    eoi = shortlisted(open_call)
    exclude(eoi, "CP1", office)
    login_with_two_factor(client, office)
    url = f"{EOI_LIST}{eoi.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    data = change_form_data(page)
    prefix = inline_prefix(page, "PendingDecisionInline")
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-project": Project.objects.get(code="CP1").pk,
            f"{prefix}-0-outcome": ACCEPT,
            f"{prefix}-0-role": "",
        }
    )

    response = client.post(url, data)

    assert response.status_code == 200
    assert "excluded from CP1 by a conflict of interest" in response.content.decode()
    assert not Decision.objects.exists()
