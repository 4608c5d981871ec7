"""The outbox's two tables: every email sent (Notice), and the office's wording (NoticeTemplate).

Their app is "stepchange" (stepchange/models.py imports them), so their tables
and migrations are the core's.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from . import registry
from .engine import refusal


class Notice(models.Model):
    """One email the portal sends: the outbox row it is sent from, exactly once.

    A notice is unique by (reason, recipient, occurrence): computing the same
    reminder twice, or two schedulers firing, finds the row that exists
    instead of making a second one.
    """

    class State(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    # Declared by the notice types (registry.reason), not here: a new reason
    # is a change in the app that sends it, with no migration.
    reason = models.CharField(
        "reason", max_length=registry.REASON_MAX_LENGTH, validators=[registry.validate_reason]
    )
    recipient = models.EmailField("recipient", max_length=254)
    occurrence = models.CharField(
        "occurrence",
        max_length=200,
        help_text="What this notice is about, e.g. an EOI or a reminder's date.",
    )
    subject = models.CharField("subject", max_length=300)
    body_text = models.TextField("plain text")
    body_html = models.TextField("HTML", blank=True)
    reply_to = models.EmailField("reply to", max_length=254, blank=True)
    headers = models.JSONField("extra headers", default=dict, blank=True)
    # A notice queued inside outbox.rendered_at_send() keeps its notice type
    # and plain context here, with subject and bodies empty, until the worker
    # that claims it renders them (sending.py) and saves them before sending;
    # the context is then emptied.
    template_key = models.CharField(
        "notice type",
        max_length=200,
        blank=True,
        help_text="Its wording is rendered when it is sent; empty when it was queued written.",
    )
    context = models.JSONField(
        "context",
        default=dict,
        blank=True,
        help_text="The placeholders' values, kept until the notice is rendered.",
    )
    state = models.CharField(
        "state", max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField("attempts", default=0)
    last_error = models.TextField("last error", blank=True)
    created_at = models.DateTimeField("queued", default=timezone.now, db_index=True)
    not_before = models.DateTimeField("not before", default=timezone.now)
    claimed_at = models.DateTimeField("claimed", null=True, blank=True)
    sent_at = models.DateTimeField("sent", null=True, blank=True)

    class Meta:
        verbose_name = "notice"
        verbose_name_plural = "outbox"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["reason", "recipient", "occurrence"], name="one_notice_per_occurrence"
            ),
        ]
        indexes = [models.Index(fields=["state", "not_before"], name="notice_due")]

    def __str__(self):
        return f"{self.reason_label} to {self.recipient}"

    @property
    def reason_label(self):
        return registry.reason_label(self.reason)

    @property
    def awaits_rendering(self):
        """Queued with its context, not yet rendered (a rendered subject is never empty)."""
        return bool(self.template_key) and not self.subject

    @property
    def message_id(self):
        """The same Message-ID for every attempt, so that a receiving server
        that sees one twice can tell."""
        return f"<notice-{self.pk}.{self.created_at:%Y%m%d%H%M%S}@stepchange.invalid>"


class NoticeTemplate(models.Model):
    """The coordination office's wording of one notice, sent instead of the files.

    While active, the outbox renders the notice's subject, plain text and HTML
    from these strings (see rendering.py for the engine that does, and what
    it refuses); otherwise from the `<key>` files.
    """

    key = models.CharField(
        "notice",
        max_length=200,
        unique=True,
        help_text="The notice's templates, e.g. participants/email/confirmation.",
    )
    description = models.CharField(
        "description", max_length=300, blank=True, help_text="Who receives it, and when."
    )
    subject = models.CharField(
        "subject",
        max_length=500,
        help_text="Without the service's name, which is put in front of it.",
    )
    body_text = models.TextField("plain text")
    body_html = models.TextField("HTML", help_text="Placeholders are escaped.")
    is_active = models.BooleanField(
        "active",
        default=False,
        help_text="Send this wording instead of the wording in the file templates.",
    )
    updated_at = models.DateTimeField("last changed", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="last changed by",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        verbose_name = "notice template"
        verbose_name_plural = "notice templates"
        ordering = ["key"]

    def __str__(self):
        return self.key

    def clean(self):
        """Refuse wording the outbox could not render (it would send the files' instead)."""
        errors = {
            part: message
            for part in ("subject", "body_text", "body_html")
            if (message := refusal(part, getattr(self, part)))
        }
        if errors:
            raise ValidationError(errors)

    def wording(self):
        return {"subject": self.subject, "body_text": self.body_text, "body_html": self.body_html}
