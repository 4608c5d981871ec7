from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from . import programme


def parse_day_offsets(text):
    return {int(part) for part in text.replace(" ", "").split(",") if part}


def validate_day_offsets(text):
    try:
        offsets = parse_day_offsets(text)
    except ValueError:
        raise ValidationError(
            "Enter whole numbers of days separated by commas, like 7, 1"
        ) from None
    if any(days < 1 or days > 90 for days in offsets):
        raise ValidationError("Each reminder must be between 1 and 90 days before")


class ProjectQuerySet(models.QuerySet):
    def listed(self):
        """What the public pages show and new expressions of interest offer: not
        archived, nor in an archived workstream."""
        return self.filter(archived=False, workstream__archived=False)


class Project(models.Model):
    """A priority project of a workstream, with its Action and Vision for Success."""

    class Status(models.TextChoices):
        PRIORITY = "priority", "Priority"
        PIPELINE = "pipeline", "Pipeline"
        ACTIVE = "active", "Active"
        COMPLETE = "complete", "Complete"

    code = models.CharField("code", max_length=10, unique=True, help_text="For example CP1.")
    workstream = models.ForeignKey(
        "workstreams.Workstream",
        verbose_name="workstream",
        on_delete=models.PROTECT,
        related_name="projects",
    )
    action = models.TextField("action")
    vision_for_success = models.TextField("vision for success")
    summary = models.TextField(
        "summary",
        blank=True,
        help_text="The co-chairs' own introduction to the project, shown on its public page.",
    )
    roles_sought = models.TextField(
        "roles sought",
        blank=True,
        help_text="Who the project needs, shown on its public page.",
    )
    in_confidence_notes = models.TextField(
        "in-confidence notes",
        blank=True,
        help_text="Shown only to the workstream's co-chairs, the coordination office and "
        "the project's team.",
    )
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.PRIORITY
    )
    order = models.PositiveSmallIntegerField("order", default=0)
    # Archived, not deleted, once applicants' records refer to the project.
    archived = models.BooleanField(
        "archived",
        default=False,
        help_text="Hidden from the public pages and from new expressions of interest; "
        "its applicants, decisions and team are kept.",
    )
    history = HistoricalRecords()

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = "project"
        verbose_name_plural = "projects"
        ordering = ["workstream__order", "order", "code"]

    def __str__(self):
        return f"{self.code}: {self.short_title}"

    def get_absolute_url(self):
        return reverse("projects:detail", kwargs={"code": self.code.lower()})

    # The texts the co-chairs shape; each amendment is a revision in `history`.
    TEXT_FIELDS = ["action", "vision_for_success", "summary", "roles_sought", "in_confidence_notes"]

    def is_co_chaired_by(self, user):
        workstream = self.workstream
        return user.is_authenticated and user.pk in (
            workstream.business_co_chair_id,
            workstream.police_co_chair_id,
        )

    def in_confidence_readers_include(self, user):
        """Whether `user` may read the in-confidence notes: the workstream's co-chairs,
        the coordination office and the project's team."""
        if not user.is_authenticated or not user.is_active:
            return False
        return (
            self.is_co_chaired_by(user)
            or user.has_perm("projects.change_project")
            or self.team.filter(member=user).exists()
        )

    @property
    def short_title(self):
        """The action's first words, for lists and links where the whole is too long."""
        words = self.action.split()
        return " ".join(words[:10]) + ("…" if len(words) > 10 else "")


class EthicsReview(models.Model):
    """A review that a project gives nobody an inappropriate commercial advantage."""

    class Outcome(models.TextChoices):
        CLEARED = "cleared", "Cleared: no inappropriate commercial advantage"
        CLEARED_WITH_CONDITIONS = "conditions", "Cleared with conditions"
        NOT_CLEARED = "not_cleared", "Not cleared"

    project = models.ForeignKey(
        Project, verbose_name="project", on_delete=models.CASCADE, related_name="ethics_reviews"
    )
    reviewer = models.CharField("reviewer", max_length=150)
    reviewed_on = models.DateField("date of review")
    outcome = models.CharField("outcome", max_length=20, choices=Outcome.choices)
    notes = models.TextField("notes", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="recorded by",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "ethics review"
        verbose_name_plural = "ethics reviews"
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self):
        return f"{self.project.code}, {self.reviewed_on:%d %B %Y}: {self.get_outcome_display()}"

    def clean(self):
        super().clean()
        if self.outcome != self.Outcome.CLEARED and not self.notes.strip():
            raise ValidationError({"notes": "Say what the conditions or the concerns are"})


class CallQuerySet(models.QuerySet):
    def current(self, at=None):
        """The call the public pages show: open now, else the latest to have opened,
        else the next to open."""
        at = at or timezone.now()
        opened = self.filter(opens__lte=at).order_by("-opens", "-pk")
        open_now = opened.filter(closes__gte=at).first()
        if open_now:
            return open_now
        return opened.first() or self.order_by("opens", "pk").first()


class Call(models.Model):
    """One round of the call to action, with its dates and the projects it covers."""

    class State(models.TextChoices):
        UPCOMING = "upcoming", "Not open yet"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    title = models.CharField("title", max_length=200)
    version = models.CharField("version", max_length=100, blank=True)
    opens = models.DateTimeField("opens", help_text="Date and time in Europe/London.")
    closes = models.DateTimeField(
        "closes",
        help_text="Date and time in Europe/London. Expressions of interest are accepted "
        "up to and including this moment.",
    )
    contact_email = models.EmailField("contact address")
    projects = models.ManyToManyField(
        Project, verbose_name="projects", related_name="calls", blank=True
    )
    is_demonstration = models.BooleanField(
        "demonstration",
        default=False,
        help_text="A call for trying the portal out; every page says so while it is current.",
    )
    introduction = models.TextField("call to action", blank=True)
    background = models.TextField("background", blank=True)
    workstreams_statement = models.TextField("workstreams and projects", blank=True)
    participation_statement = models.TextField("participation", blank=True)
    confidentiality_statement = models.TextField("confidentiality and validation", blank=True)
    ethics_statement = models.TextField("ethics", blank=True)
    reminder_days = models.CharField(
        "closing reminders",
        max_length=50,
        default="7, 1",
        validators=[validate_day_offsets],
        help_text="Days before the closing date to remind applicants who have not sent "
        "their expression of interest, separated by commas.",
    )

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = "call"
        verbose_name_plural = "calls"
        ordering = ["-opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=models.F("opens")), name="call_closes_after_it_opens"
            ),
        ]

    def __str__(self):
        if not self.version:
            return self.title
        return f"{self.title} ({programme.version_and_date(self.version)})"

    def state(self, at=None):
        at = at or timezone.now()
        if at < self.opens:
            return self.State.UPCOMING
        if at <= self.closes:
            return self.State.OPEN
        return self.State.CLOSED

    def is_open(self, at=None):
        return self.state(at) == self.State.OPEN

    def reminder_offsets(self):
        """The closing reminders' days before closing, largest first."""
        return sorted(parse_day_offsets(self.reminder_days), reverse=True)


def default_milestone_audiences():
    return [Milestone.Audience.CO_CHAIRS, Milestone.Audience.COORDINATION_OFFICE]


class Milestone(models.Model):
    """A dated step of the programme's timeline ("Next Steps and Relevant Timelines"),
    with the people reminded of it and when."""

    class Audience(models.TextChoices):
        CO_CHAIRS = "co_chairs", "Workstream co-chairs"
        COORDINATION_OFFICE = "coordination_office", "Coordination office"
        APPLICANTS = "applicants", "Applicants with a sent expression of interest"
        TEAM_MEMBERS = "team_members", "Project team members"
        OPTED_IN = "opted_in", "Stakeholders who asked for the programme's dates"

    date = models.DateField("date")
    title = models.CharField("milestone", max_length=300)
    order = models.PositiveSmallIntegerField("order", default=0)
    audiences = models.JSONField(
        "reminded",
        default=default_milestone_audiences,
        blank=True,
        help_text="Who is reminded of this milestone.",
    )
    reminder_days = models.CharField(
        "reminders",
        max_length=50,
        default="7, 1",
        blank=True,
        validators=[validate_day_offsets],
        help_text="Days before the milestone to send reminders, separated by commas; "
        "leave empty for none.",
    )

    class Meta:
        verbose_name = "milestone"
        verbose_name_plural = "milestones"
        ordering = ["date", "order"]

    def __str__(self):
        return f"{self.date:%d %B %Y}: {self.title}"

    def reminder_offsets(self):
        return sorted(parse_day_offsets(self.reminder_days), reverse=True)


class KeyActivity(models.Model):
    """An entry of "Key Activity To Date": the date is kept as the document writes it."""

    when = models.CharField("date", max_length=50, help_text="As written, for example “Mar 18”.")
    activity = models.TextField("activity")
    order = models.PositiveSmallIntegerField("order", default=0)

    class Meta:
        verbose_name = "key activity"
        verbose_name_plural = "key activities"
        ordering = ["order"]

    def __str__(self):
        return f"{self.when}: {self.activity[:60]}"


class ProjectQuestion(models.Model):
    """A question about a project, sent from its page to the coordination office."""

    NAME_MAX_LENGTH = 150
    QUESTION_MAX_LENGTH = 2000

    project = models.ForeignKey(
        Project, verbose_name="project", on_delete=models.PROTECT, related_name="questions"
    )
    name = models.CharField("name", max_length=NAME_MAX_LENGTH)
    email = models.EmailField("email address")
    question = models.TextField("question", max_length=QUESTION_MAX_LENGTH)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="asked by",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="project_questions",
        help_text="The account that was signed in, if any.",
    )
    asked_at = models.DateTimeField("asked at", default=timezone.now)
    answered = models.BooleanField(
        "answered", default=False, help_text="Tick once the office has replied."
    )

    class Meta:
        verbose_name = "question about a project"
        verbose_name_plural = "questions about projects"
        ordering = ["-asked_at", "-pk"]

    def __str__(self):
        return f"{self.project.code}: question from {self.name}"
