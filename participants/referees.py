"""The referee's part of an expression of interest: the signed link they are
sent, the request that carries it, and their answer, recorded once."""

import datetime

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from stepchange.notices import occurrences
from stepchange.notices.outbox import queue_notice

from . import notices
from .models import ExpressionOfInterest, IllegalTransition, ValidationCheck

REFEREE_SALT = "participants.referee"
REFEREE_LINK_DAYS = ValidationCheck.REFEREE_LINK_DAYS
# How often a referee link may be opened in an hour, from one network address
# and one account: generous for real use, they stop scripts (see
# services.SUBMISSION_LIMITS). Kept in the shared cache, so they hold across
# web processes.
REFEREE_LINK_LIMITS = {
    "per_address": 300,
    "per_account": 60,
    "window": datetime.timedelta(hours=1),
}


def referee_link(eoi):
    token = signing.TimestampSigner(salt=REFEREE_SALT).sign_object(
        {"eoi": eoi.pk, "referee": eoi.referee_email.lower()}
    )
    return settings.SITE_URL + reverse("referee:answer", kwargs={"token": token})


def queue_referee_request(eoi, again=False):
    """Queue the email that asks the referee to confirm the applicant.

    One per referee address; `again` makes a new one (a repeated request).
    """
    return queue_notice(
        key="participants/email/referee_request",
        recipient=eoi.referee_email,
        occurrence=occurrences.referee_request(
            eoi.pk, eoi.referee_email, asked_again_at=timezone.now() if again else None
        ),
        context=notices.referee_request(eoi, link=referee_link(eoi), days=REFEREE_LINK_DAYS),
        reply_to=eoi.call.contact_email,
    )


class InvalidRefereeLink(Exception):
    def __init__(self, expired=False):
        self.expired = expired


def eoi_for_referee_token(token):
    """The EOI a referee link is for; raises InvalidRefereeLink if forged, stale or expired."""
    try:
        data = signing.TimestampSigner(salt=REFEREE_SALT).unsign_object(
            token, max_age=REFEREE_LINK_DAYS * 24 * 3600
        )
    except signing.SignatureExpired:
        raise InvalidRefereeLink(expired=True) from None
    except (signing.BadSignature, ValueError, TypeError):
        raise InvalidRefereeLink from None
    eoi = ExpressionOfInterest.objects.filter(pk=data.get("eoi")).first()
    # A link stops working when the applicant names someone else.
    if eoi is None or eoi.referee_email.lower() != data.get("referee"):
        raise InvalidRefereeLink
    return eoi


def referee_has_answered(eoi):
    """Whether the EOI's referee, as named now, has answered: once each, so that
    naming another referee asks again. An EOI without one has no answer."""
    if not eoi.referee_email:
        return False
    return eoi.validation_checks.filter(
        method=ValidationCheck.Method.REFEREE_CONFIRMED,
        referee_email=eoi.referee_email.lower(),
    ).exists()


class RefereeIsApplicant(Exception):
    """The one answering a referee request is the applicant."""

    def __init__(self, signed_in_as_applicant=False):
        self.signed_in_as_applicant = signed_in_as_applicant


def check_referee_is_not_applicant(eoi, user):
    """Raise RefereeIsApplicant when `user`, who opened the referee's link, is the
    applicant, or when the referee's address is one of the applicant's own."""
    if user.is_authenticated and user.pk == eoi.applicant_id:
        raise RefereeIsApplicant(signed_in_as_applicant=True)
    if eoi.referee_is_applicant():
        raise RefereeIsApplicant


@transaction.atomic
def record_referee_answer(eoi, confirmed, comment="", *, user):
    """Record the referee's answer as a validation check, once per referee.

    Raises RefereeIsApplicant when `user` (the one answering, perhaps
    anonymous) is the applicant or the referee's address is the applicant's,
    and IllegalTransition when the referee has answered already.
    """
    locked = ExpressionOfInterest.objects.select_for_update().get(pk=eoi.pk)
    check_referee_is_not_applicant(locked, user)
    if referee_has_answered(locked):
        raise IllegalTransition("This referee has already answered.")
    verdict = "confirmed" if confirmed else "did not confirm"
    note = (
        f"Referee {locked.referee_email.lower()} {verdict} the applicant's identity and employer."
    )
    if comment.strip():
        note += f" Comment: {comment.strip()}"
    return ValidationCheck.objects.create(
        expression_of_interest=locked,
        method=ValidationCheck.Method.REFEREE_CONFIRMED,
        result=ValidationCheck.Result.PASSED if confirmed else ValidationCheck.Result.FAILED,
        note=note,
        referee_email=locked.referee_email.lower(),
        recorded_at=timezone.now(),
    )
