"""Conflicts of interest an applicant declares, the office's decision on each,
and its recorded overrides of an exclusion."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class ConflictOfInterest(models.Model):
    """A declared interest that might give the applicant an advantage."""

    class Nature(models.TextChoices):
        FINANCIAL = "financial", "Financial interest"
        COMMERCIAL = "commercial", "Commercial product or service"
        EMPLOYMENT = "employment", "Employment"
        PERSONAL = "personal", "Personal relationship"
        OTHER = "other", "Other"

    class Outcome(models.TextChoices):
        NO_CONFLICT = "no_conflict", "No conflict"
        MANAGED = "managed", "Managed"
        EXCLUDED = "excluded", "Excluded from named projects"

    expression_of_interest = models.ForeignKey(
        "participants.ExpressionOfInterest",
        verbose_name="expression of interest",
        on_delete=models.CASCADE,
        related_name="conflicts",
    )
    organisation = models.CharField("organisation", max_length=200)
    nature = models.CharField("nature", max_length=20, choices=Nature.choices)
    details = models.TextField("details")
    projects = models.ManyToManyField(
        "projects.Project", verbose_name="projects it touches", blank=True
    )
    declared_at = models.DateTimeField("declared", auto_now_add=True)
    outcome = models.CharField(
        "outcome",
        max_length=20,
        choices=Outcome.choices,
        blank=True,
        help_text="Blank while the coordination office has not decided.",
    )
    mitigation = models.TextField("how it is managed", blank=True)
    excluded_from = models.ManyToManyField(
        "projects.Project",
        verbose_name="excluded from",
        blank=True,
        related_name="excluded_conflicts",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="decided by",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField("decided", null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[excluded_from])

    class Meta:
        verbose_name = "conflict of interest"
        verbose_name_plural = "conflicts of interest"
        ordering = ["declared_at", "pk"]

    def __str__(self):
        return f"{self.get_nature_display()}: {self.organisation}"

    def clean(self):
        super().clean()
        if self.outcome == self.Outcome.MANAGED and not self.mitigation.strip():
            raise ValidationError({"mitigation": "Say how the conflict is managed"})


class ExclusionOverride(models.Model):
    """The office's recorded decision to place or show an applicant despite an exclusion."""

    expression_of_interest = models.ForeignKey(
        "participants.ExpressionOfInterest",
        verbose_name="expression of interest",
        on_delete=models.CASCADE,
        related_name="exclusion_overrides",
    )
    project = models.ForeignKey(
        "projects.Project", verbose_name="project", on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField("reason")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="decided by",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField("decided", default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "exclusion override"
        verbose_name_plural = "exclusion overrides"
        ordering = ["-decided_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["expression_of_interest", "project"], name="one_override_per_project"
            ),
        ]

    def __str__(self):
        return f"{self.expression_of_interest} may join {self.project.code}"

    def clean(self):
        super().clean()
        if not self.reason.strip():
            raise ValidationError({"reason": "Say why the exclusion is overridden"})
