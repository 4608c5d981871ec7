"""The office's decisions on applicants, and the project teams they make."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .co_chairs import withheld_from
from .expression_of_interest import ExpressionOfInterest
from .interests import ProjectInterest


class DecisionQuerySet(models.QuerySet):
    def applied(self):
        return self.filter(applied_at__isnull=False)

    def staged(self):
        return self.filter(applied_at__isnull=True)

    def accepts(self):
        return self.filter(outcome=Decision.Outcome.ACCEPT)


class Decision(models.Model):
    """The office's decision on one EOI for one project, staged until applied.

    Each project an applicant offered gets its own decision; a project with
    none is "not decided yet". Staged decisions are applied together
    (participants.decisions.apply), as many times as the office needs: an
    accept places the applicant in the project's team in the chosen role, and
    each application sends the applicant one email with the decisions in it.
    """

    class Outcome(models.TextChoices):
        ACCEPT = "accept", "Accept into the team"
        DECLINE = "decline", "Decline"

    expression_of_interest = models.ForeignKey(
        ExpressionOfInterest,
        verbose_name="expression of interest",
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    project = models.ForeignKey(
        "projects.Project", verbose_name="project", on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField("decision", max_length=10, choices=Outcome.choices)
    role = models.CharField(
        "role",
        max_length=10,
        choices=ProjectInterest.Role.choices,
        blank=True,
        help_text="For an accept: the role in the team. Blank: the role they offered.",
    )
    staged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="staged by",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    staged_at = models.DateTimeField("staged", default=timezone.now)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="applied by",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    applied_at = models.DateTimeField("applied", null=True, blank=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = "decision"
        verbose_name_plural = "decisions"
        ordering = ["applied_at", "-staged_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["expression_of_interest", "project"], name="one_decision_per_project"
            ),
        ]

    def __str__(self):
        return f"{self.expression_of_interest} {self.project.code}: {self.get_outcome_display()}"

    @property
    def is_applied(self):
        return self.applied_at is not None


class TeamMembershipQuerySet(models.QuerySet):
    def with_withheld(self, co_chair):
        """Annotate `withheld` (see withheld_from)."""
        return self.annotate(withheld=withheld_from(co_chair))


class TeamMembership(models.Model):
    """A participant in a project's team, in a role.

    A place ends by deletion (participants.services.withdraw does so when its
    EOI is withdrawn), so that no reader of the team can count an ended one;
    simple-history keeps the place, who ended it, when and why.
    """

    project = models.ForeignKey(
        "projects.Project", verbose_name="project", on_delete=models.PROTECT, related_name="team"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="member",
        on_delete=models.CASCADE,
        related_name="team_memberships",
    )
    role = models.CharField("role", max_length=10, choices=ProjectInterest.Role.choices)
    expression_of_interest = models.ForeignKey(
        ExpressionOfInterest,
        verbose_name="expression of interest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="team_memberships",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="added by",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    added_at = models.DateTimeField("added", default=timezone.now)
    history = HistoricalRecords()

    objects = TeamMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "team membership"
        verbose_name_plural = "team memberships"
        ordering = ["project__code", "role", "added_at"]
        constraints = [
            models.UniqueConstraint(fields=["project", "member"], name="one_place_per_project"),
        ]

    def __str__(self):
        return f"{self.member} in {self.project.code} ({self.get_role_display().lower()})"
