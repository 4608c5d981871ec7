"""What happened to an expression of interest once started: its status changes
and, after it was sent, the applicant's amendments."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .expression_of_interest import ExpressionOfInterest


class StatusChange(models.Model):
    """A move of an EOI from one status to another: who made it, and when."""

    expression_of_interest = models.ForeignKey(
        ExpressionOfInterest,
        verbose_name="expression of interest",
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    from_status = models.CharField(
        "from", max_length=20, choices=ExpressionOfInterest.Status.choices, blank=True
    )
    to_status = models.CharField("to", max_length=20, choices=ExpressionOfInterest.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="changed by",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    changed_at = models.DateTimeField("changed", default=timezone.now)

    class Meta:
        verbose_name = "status change"
        verbose_name_plural = "status changes"
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.expression_of_interest}: {self.from_status} → {self.to_status}"


class Amendment(models.Model):
    """A change an applicant made to an EOI after sending it: what, from what, when."""

    expression_of_interest = models.ForeignKey(
        ExpressionOfInterest,
        verbose_name="expression of interest",
        on_delete=models.CASCADE,
        related_name="amendments",
    )
    section = models.CharField("section", max_length=50)
    changes = models.JSONField("changes", help_text="Each changed answer: [before, after].")
    changed_at = models.DateTimeField("changed", auto_now_add=True)

    class Meta:
        verbose_name = "amendment"
        verbose_name_plural = "amendments"
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.expression_of_interest} {self.section} at {self.changed_at:%Y-%m-%d %H:%M}"
