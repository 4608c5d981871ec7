import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce, Lower, Trim
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        # Email addresses are matched without regard to case, as people type them.
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account: email is the login; one full name, not two."""

    email = models.EmailField("email address", max_length=254, unique=True)
    full_name = models.CharField("full name", max_length=150, blank=True)
    is_staff = models.BooleanField(
        "staff status",
        default=False,
        help_text="Can sign in to the coordination office's admin site.",
    )
    is_active = models.BooleanField("active", default=True)
    date_joined = models.DateTimeField("date joined", default=timezone.now)
    reminders_about_applications = models.BooleanField(
        "reminders about my expressions of interest",
        default=True,
        help_text="For example, that the call is closing and an expression of interest is unsent.",
    )
    programme_reminders = models.BooleanField(
        "reminders of the programme's dates",
        default=False,
        help_text="Closing dates and milestones, for people who opted in.",
    )

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = "user"
        verbose_name_plural = "users"
        ordering = ["email"]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email)

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name or self.email


class IllegalTransition(Exception):
    """A state change that the object's current state does not allow."""


def new_reference():
    """A reference people can read out, which cannot be guessed or enumerated.

    Ten characters of Crockford's base32 (no I, L, O or U) carry 50 random bits.
    """
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    body = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"SC-{body[:5]}-{body[5:]}"


def email_domain(address):
    """The part of an email address after its last "@", or ""."""
    _, at, domain = (address or "").rpartition("@")
    return domain if at else ""


def normalise_domain(domain):
    domain = (domain or "").strip().lower().rstrip(".")
    return domain.removeprefix("www.")


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


class ExpressionOfInterestQuerySet(models.QuerySet):
    def with_validation_status(self):
        """Annotate `validation_status` (see validation_status)."""
        return self.annotate(validation_status=validation_status())

    def with_open_conflicts(self):
        """Annotate `open_conflicts`: declarations the office has not decided.

        A correlated count, not Count() over a join: that grouped the whole
        list, so PostgreSQL computed every EOI's row (and its validation
        status) to show a page of them, and the page's count and date
        hierarchy had to group it all again.
        """
        undecided = (
            ConflictOfInterest.objects.filter(
                expression_of_interest=models.OuterRef("pk"), outcome=""
            )
            .order_by()
            .values("expression_of_interest")
            .annotate(count=models.Count("pk"))
            .values("count")
        )
        return self.annotate(
            open_conflicts=Coalesce(
                models.Subquery(undecided, output_field=models.IntegerField()), 0
            )
        )

    def owned_by(self, user):
        """The applicant's own EOIs: the one scope through which applicant views reach an EOI."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(applicant=user)


class ExpressionOfInterest(models.Model):
    """One person's expression of interest in one call: drafted, sent, amended, decided."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        UNDER_REVIEW = "under_review", "Under review"
        SHORTLISTED = "shortlisted", "Shortlisted"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    # Sent to the coordination office and still in play: the applicant may amend
    # these until the closing date and withdraw them at any time.
    SENT_STATUSES = [Status.SUBMITTED, Status.UNDER_REVIEW, Status.SHORTLISTED]
    AMENDABLE_STATUSES = [Status.DRAFT, *SENT_STATUSES]
    WITHDRAWABLE_STATUSES = [Status.DRAFT, *SENT_STATUSES, Status.ACCEPTED]
    DECIDED_OR_SENT_STATUSES = [*SENT_STATUSES, Status.ACCEPTED, Status.DECLINED]

    class Sector(models.TextChoices):
        POLICING = "policing", "Policing"
        GOVERNMENT = "government", "Government"
        PRIVATE = "private", "Private sector"
        ACADEMIA = "academia", "Academia"
        VOLUNTARY = "voluntary", "Voluntary or charity"
        OTHER = "other", "Other"

    class OrganisationSize(models.TextChoices):
        MICRO = "micro", "Micro (fewer than 10 people)"
        SME = "sme", "Small or medium-sized (10 to 249 people)"
        LARGE = "large", "Large (250 people or more)"

    class Vetting(models.TextChoices):
        NONE = "none", "None"
        NPPV = "nppv", "Non Police Personnel Vetting (NPPV)"
        CTC = "ctc", "Counter-Terrorist Check (CTC)"
        SC = "sc", "Security Check (SC)"
        DV = "dv", "Developed Vetting (DV)"

    reference = models.CharField(
        "reference", max_length=20, unique=True, default=new_reference, editable=False
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="applicant",
        on_delete=models.CASCADE,
        related_name="expressions_of_interest",
    )
    call = models.ForeignKey(
        "projects.Call",
        verbose_name="call",
        on_delete=models.PROTECT,
        related_name="expressions_of_interest",
    )
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField("started", auto_now_add=True)
    updated_at = models.DateTimeField("last changed", auto_now=True)
    submitted_at = models.DateTimeField("submitted", null=True, blank=True)
    withdrawn_at = models.DateTimeField("withdrawn", null=True, blank=True)
    withdrawal_reason = models.TextField("reason for withdrawing", blank=True)

    # Your details
    full_name = models.CharField("full name", max_length=150, blank=True)
    job_title = models.CharField("job title", max_length=150, blank=True)
    work_phone = models.CharField("work phone", max_length=30, blank=True)
    work_email = models.EmailField("work email", max_length=254, blank=True)

    # Your organisation
    organisation_name = models.CharField("organisation", max_length=200, blank=True)
    sector = models.CharField("sector", max_length=20, choices=Sector.choices, blank=True)
    sector_other = models.CharField("other sector", max_length=100, blank=True)
    website = models.URLField("website", max_length=300, blank=True)
    organisation_size = models.CharField(
        "organisation size", max_length=10, choices=OrganisationSize.choices, blank=True
    )
    ieg_member = models.BooleanField("member of the Industry Engagement Group", default=False)
    cssc_member = models.BooleanField("member of CSSC", default=False)

    # How we can validate you
    referee_name = models.CharField("referee's name", max_length=150, blank=True)
    referee_job_title = models.CharField("referee's job title", max_length=150, blank=True)
    referee_email = models.EmailField("referee's email", max_length=254, blank=True)
    referee_phone = models.CharField("referee's phone", max_length=30, blank=True)
    referee_relationship = models.CharField(
        "referee's relationship to you", max_length=200, blank=True
    )
    referee_consent = models.BooleanField("consent to contact the referee", default=False)
    vetting = models.CharField(
        "security vetting held", max_length=10, choices=Vetting.choices, blank=True
    )
    sia_licence_number = models.CharField("SIA licence number", max_length=24, blank=True)

    # Projects
    hours_per_month = models.PositiveSmallIntegerField("hours a month", null=True, blank=True)

    # Conflicts of interest: None until answered; True for "none to declare".
    no_conflicts = models.BooleanField("no conflicts of interest", null=True, blank=True)

    # Declarations
    accepts_confidentiality = models.BooleanField(
        "accepts the work is in confidence", default=False
    )
    accepts_voluntary = models.BooleanField("accepts participation is voluntary", default=False)
    undertakes_to_declare = models.BooleanField(
        "will declare conflicts as they arise", default=False
    )
    read_privacy_notice = models.BooleanField("has read the privacy notice", default=False)
    privacy_notice_version = models.CharField("privacy notice version", max_length=20, blank=True)

    objects = ExpressionOfInterestQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "expression of interest"
        verbose_name_plural = "expressions of interest"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "call"], name="one_expression_of_interest_per_call"
            ),
        ]
        indexes = [
            # The admin's list, newest first: a page of it without sorting them all.
            models.Index(fields=["created_at", "id"], name="eoi_newest_first"),
            # Its date hierarchy (first and last submission) and date filters.
            models.Index(fields=["submitted_at"], name="eoi_submitted_at"),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("participants:task_list", kwargs={"reference": self.reference})

    # What the applicant may do, and when.

    @property
    def is_sent(self):
        return self.status in self.SENT_STATUSES

    def can_be_changed(self, at=None):
        """Answers may change while the call is open and the EOI is still in play."""
        return self.status in self.AMENDABLE_STATUSES and self.call.is_open(at)

    def can_be_withdrawn(self):
        return self.status in self.WITHDRAWABLE_STATUSES

    # The referee must be someone else, at the applicant's organisation.

    def applicant_addresses(self):
        """Every address that is the applicant's, in lower case: each address on
        their account, verified or not, and the work email they gave."""
        from allauth.account.models import EmailAddress

        addresses = {self.applicant.email, self.work_email}
        addresses.update(
            EmailAddress.objects.filter(user_id=self.applicant_id).values_list("email", flat=True)
        )
        return {address.strip().lower() for address in addresses if address}

    def referee_is_applicant(self):
        return bool(self.referee_email) and (
            self.referee_email.strip().lower() in self.applicant_addresses()
        )

    def organisation_domains(self):
        """The organisation's domains: its website's and the work email's, in lower
        case without a leading "www."."""
        hosts = [urlsplit(self.website).hostname if self.website else None]
        hosts.append(email_domain(self.work_email))
        return {normalise_domain(host) for host in hosts if host}

    def referee_domain_differs(self):
        """Whether the referee's email domain is neither the organisation website's
        nor the work email's: the office then checks that the referee works there."""
        domain = normalise_domain(email_domain(self.referee_email))
        return bool(domain) and domain not in self.organisation_domains()

    # Whether each part of the task list is done; the answers decide, nothing else.

    def details_complete(self):
        return all([self.full_name, self.job_title, self.work_phone, self.work_email])

    def organisation_complete(self):
        if not (self.organisation_name and self.sector):
            return False
        if self.sector == self.Sector.OTHER and not self.sector_other:
            return False
        return self.sector != self.Sector.PRIVATE or bool(self.organisation_size)

    def validation_complete(self):
        return all(
            [
                self.referee_name,
                self.referee_job_title,
                self.referee_email,
                self.referee_phone,
                self.referee_relationship,
                self.referee_consent,
            ]
        )

    def projects_complete(self):
        return self.hours_per_month is not None and self.project_interests.exists()

    def conflicts_complete(self):
        if self.no_conflicts is None:
            return False
        return self.no_conflicts or self.conflicts.exists()

    def declarations_complete(self):
        return all(
            [
                self.accepts_confidentiality,
                self.accepts_voluntary,
                self.undertakes_to_declare,
                self.read_privacy_notice,
            ]
        )

    # State changes: each checks the current state and refuses an illegal move.

    def mark_submitted(self, at=None):
        if self.status != self.Status.DRAFT:
            raise IllegalTransition(
                f"Only a draft can be sent; this one is {self.get_status_display().lower()}."
            )
        self.status = self.Status.SUBMITTED
        self.submitted_at = at or timezone.now()
        self.save(update_fields=["status", "submitted_at", "updated_at"])
        StatusChange.objects.create(
            expression_of_interest=self,
            from_status=self.Status.DRAFT,
            to_status=self.Status.SUBMITTED,
            changed_by=self.applicant,
            changed_at=self.submitted_at,
        )

    def mark_withdrawn(self, reason="", at=None):
        if not self.can_be_withdrawn():
            raise IllegalTransition(
                f"An expression of interest that is {self.get_status_display().lower()} "
                "cannot be withdrawn."
            )
        previous = self.status
        self.status = self.Status.WITHDRAWN
        self.withdrawn_at = at or timezone.now()
        self.withdrawal_reason = reason
        self.save(update_fields=["status", "withdrawn_at", "withdrawal_reason", "updated_at"])
        StatusChange.objects.create(
            expression_of_interest=self,
            from_status=previous,
            to_status=self.Status.WITHDRAWN,
            changed_by=self.applicant,
            changed_at=self.withdrawn_at,
        )

    # The coordination office's triage: which status may follow which.
    TRIAGE_MOVES = {
        Status.SUBMITTED: {Status.UNDER_REVIEW, Status.DECLINED},
        Status.UNDER_REVIEW: {Status.SHORTLISTED, Status.DECLINED},
        Status.SHORTLISTED: {Status.ACCEPTED, Status.DECLINED},
    }

    def move_to(self, status, *, by, at=None):
        """Triage: move to `status` if the current one allows it, recording who and when.

        Raises IllegalTransition naming both statuses otherwise; nothing leaves
        draft or withdrawn this way.
        """
        if status not in self.TRIAGE_MOVES.get(self.status, set()):
            raise IllegalTransition(
                f"{self.reference} is {self.get_status_display().lower()}: it cannot be "
                f"moved to {self.Status(status).label.lower()}."
            )
        change = StatusChange.objects.create(
            expression_of_interest=self,
            from_status=self.status,
            to_status=status,
            changed_by=by,
            changed_at=at or timezone.now(),
        )
        self.status = status
        self.save(update_fields=["status", "updated_at"])
        return change


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
        ExpressionOfInterest,
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


class ValidationCheck(models.Model):
    """One piece of evidence that an applicant is who, and where, they say."""

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
        ExpressionOfInterest,
        verbose_name="expression of interest",
        on_delete=models.CASCADE,
        related_name="validation_checks",
    )
    method = models.CharField("method", max_length=30, choices=Method.choices)
    result = models.CharField("result", max_length=10, choices=Result.choices)
    note = models.TextField("note", blank=True)
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


class ExportLog(models.Model):
    """Who exported which list of applicants' data, when, and with what filter."""

    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="exported by",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    exported_at = models.DateTimeField("exported", default=timezone.now, db_index=True)
    what = models.CharField("list", max_length=100)
    file_format = models.CharField("format", max_length=10)
    # Never text someone typed: see participants.exports.admin_filters.
    filters = models.CharField(
        "filters",
        max_length=2000,
        blank=True,
        help_text="The list's filters and the values chosen; a search by its name alone.",
    )
    rows = models.PositiveIntegerField("rows")

    class Meta:
        verbose_name = "export"
        verbose_name_plural = "exports"
        ordering = ["-exported_at"]

    def __str__(self):
        return f"{self.what} ({self.file_format}) at {self.exported_at:%Y-%m-%d %H:%M}"


class ExclusionOverride(models.Model):
    """The office's recorded decision to place or show an applicant despite an exclusion."""

    expression_of_interest = models.ForeignKey(
        ExpressionOfInterest,
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


class Decision(models.Model):
    """The office's decision on one EOI for one project, staged until applied.

    Staged decisions are applied together (participants.decisions.apply): an
    accept places the applicant in the project's team in the chosen role; each
    applicant then gets one email with every decision on their EOI.
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


class Recommendation(models.Model):
    """A co-chair's recommendation on an applicant for one of their projects."""

    class Verdict(models.TextChoices):
        LEAD = "lead", "Recommend as lead"
        MEMBER = "member", "Recommend as member"
        NOT_RECOMMENDED = "not_recommended", "Not recommended"

    expression_of_interest = models.ForeignKey(
        ExpressionOfInterest,
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


class PersonalDataAccess(models.Model):
    """One request that showed or exported applicants' personal data: who, when, what.

    Written by participants.data_protection.PersonalDataAccessMiddleware; it
    describes what was seen (an EOI's reference, a project's list) and never
    holds the data itself.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="by",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    accessed_at = models.DateTimeField("when", default=timezone.now, db_index=True)
    what = models.CharField("what", max_length=300)
    path = models.CharField("path", max_length=500)

    class Meta:
        verbose_name = "access to personal data"
        verbose_name_plural = "accesses to personal data"
        ordering = ["-accessed_at", "-pk"]

    def __str__(self):
        return f"{self.what} at {self.accessed_at:%Y-%m-%d %H:%M}"


class AccountStatusChange(models.Model):
    """An account made inactive, or active again, in the admin: by whom, when and why.

    Written by the user admin (participants/admin/users.py), which asks for
    the reason whenever an account is deactivated; deleted with the account.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="account",
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    is_active = models.BooleanField("active after the change")
    reason = models.TextField("reason", blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="changed by",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    changed_at = models.DateTimeField("when", default=timezone.now)

    class Meta:
        verbose_name = "change of account status"
        verbose_name_plural = "changes of account status"
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        done = "Reactivated" if self.is_active else "Deactivated"
        return f"{done} at {self.changed_at:%Y-%m-%d %H:%M}"
