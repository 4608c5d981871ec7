"""The expression of interest: one person's answers to one call, what they may
do with it and when, and its state changes."""

import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .checks import validation_status
from .conflicts import ConflictOfInterest


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
        self.status_changes.create(
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
        self.status_changes.create(
            from_status=previous,
            to_status=self.Status.WITHDRAWN,
            changed_by=self.applicant,
            changed_at=self.withdrawn_at,
        )

    # The coordination office's triage: which status may follow which. A
    # shortlisted EOI leaves shortlisted only by decisions (mark_decided).
    TRIAGE_MOVES = {
        Status.SUBMITTED: {Status.UNDER_REVIEW, Status.DECLINED},
        Status.UNDER_REVIEW: {Status.SHORTLISTED, Status.DECLINED},
    }

    def move_to(self, status, *, by, at=None):
        """Triage: move to `status` if the current one allows it, recording who and when.

        Raises IllegalTransition naming both statuses otherwise; nothing leaves
        draft or withdrawn this way, and nothing leaves shortlisted.
        """
        if status not in self.TRIAGE_MOVES.get(self.status, set()):
            how = (
                " Decide each project it offered instead: stage the decisions and apply them."
                if self.status == self.Status.SHORTLISTED
                else ""
            )
            raise IllegalTransition(
                f"{self.reference} is {self.get_status_display().lower()}: it cannot be "
                f"moved to {self.Status(status).label.lower()}.{how}"
            )
        return self._change_status(status, by=by, at=at)

    # The office decides each project an applicant offered on its own
    # (participants/decisions.py), in as many rounds as it needs. The EOI stays
    # shortlisted while any project it offered has no applied decision; when the
    # last is decided it becomes accepted if any project accepted them, else
    # declined. An EOI declined before it was shortlisted is declined for every
    # project.

    def undecided_interests(self):
        """The project interests with no applied decision."""
        decided = self.decisions.applied().values("project")
        return self.project_interests.exclude(project__in=decided)

    def mark_decided(self, *, by, at=None):
        """Shortlisted to accepted (any project accepted) or declined (none), once
        every project offered is decided; IllegalTransition otherwise."""
        if self.status != self.Status.SHORTLISTED:
            raise IllegalTransition(
                f"{self.reference} is {self.get_status_display().lower()}: only a "
                "shortlisted expression of interest is decided."
            )
        undecided = sorted(self.undecided_interests().values_list("project__code", flat=True))
        if undecided:
            raise IllegalTransition(
                f"{self.reference} is not decided yet for {', '.join(undecided)}."
            )
        accepted = self.decisions.applied().accepts().exists()
        status = self.Status.ACCEPTED if accepted else self.Status.DECLINED
        return self._change_status(status, by=by, at=at)

    def _change_status(self, status, *, by, at=None):
        change = self.status_changes.create(
            from_status=self.status,
            to_status=status,
            changed_by=by,
            changed_at=at or timezone.now(),
        )
        self.status = status
        self.save(update_fields=["status", "updated_at"])
        return change
