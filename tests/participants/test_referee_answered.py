"""Whether the referee has answered is a field of the check (referee_email), not
the note's text; the migration that added it filled it for existing checks by
the rule the note used to carry."""

import importlib

import pytest
from django.apps import apps

from participants import referees
from participants.models import ExpressionOfInterest, IllegalTransition, ValidationCheck

migration = importlib.import_module("participants.migrations.0017_referee_answer_is_a_field")


def old_rule(eoi):
    """How "has the referee answered" was read before the field: from the note."""
    return eoi.validation_checks.filter(
        method=ValidationCheck.Method.REFEREE_CONFIRMED,
        note__startswith=f"Referee {eoi.referee_email.lower()} ",
    ).exists()


@pytest.mark.parametrize(
    "note, address",
    [
        (
            "Referee robin@example.org confirmed the applicant's identity and employer.",
            "robin@example.org",
        ),
        ("Referee robin@example.org did not confirm it. Comment: who?", "robin@example.org"),
        ("Referee Robin@Example.org answered.", "Robin@Example.org"),
        ("Referee answered by phone", ""),
        ("Referee robin@example.org", ""),  # no space after: the old rule never matched
        ("Confirmed by Referee robin@example.org on the phone", ""),
        ("", ""),
    ],
)
def test_the_migration_reads_the_address_the_old_rule_read(note, address):
    assert migration.answered_address(note) == address


@pytest.mark.django_db
def test_the_data_migration_fills_the_field_as_the_old_rule_answered(sent_eoi):
    other = ExpressionOfInterest.objects.get(pk=sent_eoi.pk)
    rows = [
        ("referee_confirmed", "Referee robin@example.org confirmed the applicant's identity."),
        ("referee_confirmed", "Referee answered by phone"),
        ("known_contact", "Referee robin@example.org is known to us."),
    ]
    checks = ValidationCheck.objects.bulk_create(
        ValidationCheck(expression_of_interest=other, method=method, result="passed", note=note)
        for method, note in rows
    )

    migration.fill_referee_email(apps, None)

    filled = {check.pk: check.referee_email for check in ValidationCheck.objects.all()}
    assert [filled[check.pk] for check in checks] == ["robin@example.org", "", ""]
    assert referees.referee_has_answered(other) is old_rule(other) is True

    other.referee_email = "morgan@example.org"  # another referee: asked again
    assert referees.referee_has_answered(other) is old_rule(other) is False


@pytest.mark.django_db
def test_an_office_note_that_reads_like_an_answer_no_longer_counts_as_one(sent_eoi):
    """The office records a referee's answer by phone with a free-text note; only
    the referee's own answer, through their link, sets the field."""
    ValidationCheck.objects.create(
        expression_of_interest=sent_eoi,
        method="referee_confirmed",
        result="passed",
        note="Referee robin@example.org confirmed by phone.",
    )

    assert referees.referee_has_answered(sent_eoi) is False


@pytest.mark.django_db
def test_the_referees_answer_sets_the_field_and_answers_once(sent_eoi):
    from django.contrib.auth.models import AnonymousUser

    check = referees.record_referee_answer(sent_eoi, confirmed=True, user=AnonymousUser())

    assert check.referee_email == "robin@example.org"
    assert referees.referee_has_answered(sent_eoi)
    with pytest.raises(IllegalTransition):
        referees.record_referee_answer(sent_eoi, confirmed=False, user=AnonymousUser())


def test_an_eoi_without_a_referee_has_no_answer():
    assert referees.referee_has_answered(ExpressionOfInterest(referee_email="")) is False
