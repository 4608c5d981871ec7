"""How the office establishes who an applicant is: validation checks, and the
status they add up to."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class ValidationCheck(models.Model):
    """One piece of evidence that an applicant is who, and where, they say."""

    # How long the link emailed to an applicant's referee works
    # (participants.referees signs it; the referee's email states it).
    REFEREE_LINK_DAYS = 30

    class Method(models.TextChoices):
        EMAIL_VERIFIED = "email_verified", "Email verified"
        ORGANISATION_DOMAIN = "organisation_domain", "Organisation domain"
        REFEREE_CONFIRMED = "referee_confirmed", "Referee confirmed"
        DOCUMENT_SEEN = "document_seen", "Document seen"
        KNOWN_CONTACT = "known_contact", "Known contact"

    class Result(models.TextChoices):
        PASSED = "passed", "Passed"
        FAILED = "failed", "Failed"

    expression_of_interest = models.ForeignKey(
        "participants.ExpressionOfInterest",
        verbose_name="expression of interest",
        on_delete=models.CASCADE,
        related_name="validation_checks",
    )
    method = models.CharField("method", max_length=30, choices=Method.choices)
    result = models.CharField("result", max_length=10, choices=Result.choices)
    note = models.TextField("note", blank=True)
    # Whether the referee has answered is this field, never the note's text:
    # participants.referees.referee_has_answered.
    referee_email = models.EmailField(
        "answered by the referee at",
        max_length=254,
        blank=True,
        help_text="The referee's address, when this is the referee's own answer to their link.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="recorded by",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField("recorded", default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "validation check"
        verbose_name_plural = "validation checks"
        ordering = ["-recorded_at"]

    def __str__(self):
        return f"{self.get_method_display()}: {self.get_result_display()}"


class ValidationStatus(models.TextChoices):
    VALIDATED = "validated", "Validated"
    PENDING = "pending", "Pending"
    FAILED = "failed", "Failed"


# Checks that show who someone is and where they work; a verified email alone
# does not.
IDENTIFYING_METHODS = ["organisation_domain", "referee_confirmed", "document_seen", "known_contact"]


def validation_status(eoi="pk"):
    """The validation status of the EOI at `eoi` (a path from the rows queried) as an
    expression: failed if any check failed, validated if an identifying check
    passed, else pending. One subquery, whatever the rows."""
    checks = ValidationCheck.objects.filter(expression_of_interest=models.OuterRef(eoi))
    return models.Case(
        models.When(models.Exists(checks.filter(result="failed")), then=models.Value("failed")),
        models.When(
            models.Exists(checks.filter(result="passed", method__in=IDENTIFYING_METHODS)),
            then=models.Value("validated"),
        ),
        default=models.Value("pending"),
        output_field=models.CharField(),
    )
