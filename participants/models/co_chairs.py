"""What the co-chairs record: their recommendations, and their declared
interests, with the one rule of what those interests withhold from them."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower, Trim
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Recommendation(models.Model):
    """A co-chair's recommendation on an applicant for one of their projects."""

    class Verdict(models.TextChoices):
        LEAD = "lead", "Recommend as lead"
        MEMBER = "member", "Recommend as member"
        NOT_RECOMMENDED = "not_recommended", "Not recommended"

    expression_of_interest = models.ForeignKey(
        "participants.ExpressionOfInterest",
        verbose_name="expression of interest",
        on_delete=models.CASCADE,
        related_name="recommendations",
    )
    project = models.ForeignKey(
        "projects.Project", verbose_name="project", on_delete=models.CASCADE, related_name="+"
    )
    co_chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="co-chair",
        on_delete=models.SET_NULL,
        null=True,
        related_name="recommendations_made",
    )
    verdict = models.CharField("recommendation", max_length=20, choices=Verdict.choices)
    comment = models.TextField("comment", blank=True)
    made_at = models.DateTimeField("made", default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "co-chair recommendation"
        verbose_name_plural = "co-chair recommendations"
        ordering = ["-made_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["expression_of_interest", "project", "co_chair"],
                name="one_recommendation_per_co_chair",
            ),
        ]

    def __str__(self):
        return f"{self.expression_of_interest} {self.project.code}: {self.get_verdict_display()}"


class CoChairInterestQuerySet(models.QuerySet):
    def in_organisation(self, name):
        """The interests declared in an organisation called `name` (a string or an
        expression): the same name whatever its case, or spaces at either end."""
        if not hasattr(name, "resolve_expression"):
            name = models.Value(name)
        return self.alias(declared=Lower(Trim("organisation"))).filter(declared=Lower(Trim(name)))


def withheld_from(co_chair, organisation="expression_of_interest__organisation_name"):
    """Whether the row's applicant is withheld from `co_chair`, as an expression.

    The one rule of the co-chairs' declared interests: a co-chair who declared
    an interest in an organisation sees nothing of an applicant or team member
    from it (name, contact details, organisation, answers), anywhere: the
    workspace's pages and CSV, and the notices sent to them. `organisation` is
    the path, from the rows queried, to the EOI's organisation name.
    """
    return models.Exists(
        CoChairInterest.objects.filter(co_chair=co_chair).in_organisation(
            models.OuterRef(organisation)
        )
    )


class CoChairInterest(models.Model):
    """An interest a co-chair declares: they do not see applicants from that organisation."""

    co_chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="co-chair",
        on_delete=models.CASCADE,
        related_name="declared_interests",
    )
    organisation = models.CharField(
        "organisation",
        max_length=200,
        help_text="Applicants from an organisation of this name are withheld from the co-chair.",
    )
    details = models.TextField("details", blank=True)
    declared_at = models.DateTimeField("declared", default=timezone.now)
    history = HistoricalRecords()

    objects = CoChairInterestQuerySet.as_manager()

    class Meta:
        verbose_name = "co-chair's declared interest"
        verbose_name_plural = "co-chairs' declared interests"
        ordering = ["co_chair__email", "organisation"]

    def __str__(self):
        return f"{self.co_chair}: {self.organisation}"
