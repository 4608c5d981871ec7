"""An applicant's interest in a project, in a role, and who of them may be shown
and placed."""

from django.db import models

from .checks import validation_status
from .co_chairs import withheld_from
from .conflicts import ConflictOfInterest, ExclusionOverride
from .expression_of_interest import ExpressionOfInterest


class ProjectInterestQuerySet(models.QuerySet):
    def placeable(self):
        """Interests whose applicant may be placed in, and shown for, the project.

        The one place the exclusion rule lives: an applicant whose conflict of
        interest the office decided "excluded from" a project is left out for
        that project, unless the office recorded an override with a reason.
        Decisions, team lists, the co-chairs' pages and their exports all
        start from here.
        """
        excluded = ConflictOfInterest.objects.filter(
            expression_of_interest=models.OuterRef("expression_of_interest"),
            outcome=ConflictOfInterest.Outcome.EXCLUDED,
            excluded_from=models.OuterRef("project"),
        )
        overridden = ExclusionOverride.objects.filter(
            expression_of_interest=models.OuterRef("expression_of_interest"),
            project=models.OuterRef("project"),
        )
        return self.exclude(models.Exists(excluded) & ~models.Exists(overridden))

    def shown_to_co_chairs(self):
        """What a project's co-chairs review: interests from sent or decided EOIs
        (never drafts, never withdrawn) whose applicant may be placed in the project."""
        return self.filter(
            expression_of_interest__status__in=ExpressionOfInterest.DECIDED_OR_SENT_STATUSES
        ).placeable()

    def with_withheld(self, co_chair):
        """Annotate `withheld` (see withheld_from)."""
        return self.annotate(withheld=withheld_from(co_chair))

    def with_validation_status(self):
        """Annotate `validation_status`: the applicant's, derived from their EOI's checks."""
        return self.annotate(validation_status=validation_status("expression_of_interest"))


class ProjectInterest(models.Model):
    """An EOI's interest in one project, in one role."""

    class Role(models.TextChoices):
        LEAD = "lead", "Lead"
        DEVELOP = "develop", "Develop"
        DELIVER = "deliver", "Deliver"

    expression_of_interest = models.ForeignKey(
        ExpressionOfInterest,
        verbose_name="expression of interest",
        on_delete=models.CASCADE,
        related_name="project_interests",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name="project",
        on_delete=models.PROTECT,
        related_name="interests",
    )
    role = models.CharField("role", max_length=10, choices=Role.choices)
    experience = models.TextField("relevant experience")
    preference = models.PositiveSmallIntegerField("preference", default=1)

    objects = ProjectInterestQuerySet.as_manager()

    class Meta:
        verbose_name = "project interest"
        verbose_name_plural = "project interests"
        ordering = ["preference", "project__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["expression_of_interest", "project"], name="one_interest_per_project"
            ),
        ]

    def __str__(self):
        return f"{self.project.code} ({self.get_role_display()})"
