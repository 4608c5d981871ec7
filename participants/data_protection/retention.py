"""Retention: the RETENTION_* periods in settings, applied every night by beat
(the task participants.apply_retention_policy)."""

import datetime
import logging

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from projects.models import ProjectQuestion
from stepchange.models import Notice

from ..addresses import verified_email_addresses
from ..models import ExportLog, ExpressionOfInterest, PersonalDataAccess, User
from .erasure import (
    PLACEHOLDER_DOMAIN,
    anonymise_eoi,
    delete_eois,
    erase_account,
    new_placeholder_account,
)

logger = logging.getLogger(__name__)

Status = ExpressionOfInterest.Status


def retention_periods():
    """The periods of settings' RETENTION_*, for the privacy notice and the task."""
    return {
        "declined_withdrawn_months": settings.RETENTION_DECLINED_WITHDRAWN_MONTHS,
        "unverified_account_days": settings.RETENTION_UNVERIFIED_ACCOUNT_DAYS,
        "notice_months": settings.RETENTION_NOTICE_MONTHS,
        "project_question_months": settings.RETENTION_PROJECT_QUESTION_MONTHS,
        "access_log_months": settings.RETENTION_ACCESS_LOG_MONTHS,
        "export_log_months": settings.RETENTION_EXPORT_LOG_MONTHS,
    }


def _not_placeholder():
    return ~Q(applicant__email__iendswith=f"@{PLACEHOLDER_DOMAIN}")


def apply_retention_policy(now=None):
    """Apply the retention periods in settings; safe to run twice. Returns counts.

    - Declined EOIs, and EOIs withdrawn after they were sent, of calls that
      closed RETENTION_DECLINED_WITHDRAWN_MONTHS ago or more: anonymised as
      erase_account anonymises (each moved to a placeholder account of its own).
    - Drafts, and EOIs withdrawn before they were sent, of those calls:
      deleted with their history and notices.
    - Accounts that joined RETENTION_UNVERIFIED_ACCOUNT_DAYS ago or more,
      never verified an address and never sent an EOI: erased as
      erase_account erases them. Never staff, members of a group, co-chairs
      or team members.
    - Outbox notices sent, cancelled or failed, queued
      RETENTION_NOTICE_MONTHS ago or more: deleted.
    - Questions about projects asked RETENTION_PROJECT_QUESTION_MONTHS ago
      or more: deleted.
    - Rows of the personal data access log RETENTION_ACCESS_LOG_MONTHS old
      or more, and of the export log RETENTION_EXPORT_LOG_MONTHS old or
      more: deleted.
    """
    now = now or timezone.now()
    counts = {}
    closed_before = now - relativedelta(months=settings.RETENTION_DECLINED_WITHDRAWN_MONTHS)
    of_old_calls = ExpressionOfInterest.objects.filter(call__closes__lte=closed_before)

    with transaction.atomic():
        decided = (
            of_old_calls.filter(_not_placeholder())
            .filter(
                Q(status=Status.DECLINED) | Q(status=Status.WITHDRAWN, submitted_at__isnull=False)
            )
            .select_related("applicant")
            .select_for_update(of=("self",))
        )
        anonymised = 0
        for eoi in decided:
            anonymise_eoi(eoi, new_placeholder_account(), person=eoi.applicant)
            anonymised += 1
        counts["anonymised_eois"] = anonymised
        counts["deleted_eois"] = delete_eois(
            of_old_calls.filter(
                Q(status=Status.DRAFT) | Q(status=Status.WITHDRAWN, submitted_at__isnull=True)
            )
        )

    joined_before = now - datetime.timedelta(days=settings.RETENTION_UNVERIFIED_ACCOUNT_DAYS)
    unverified = (
        User.objects.filter(date_joined__lte=joined_before, is_staff=False, is_superuser=False)
        .exclude(email__iendswith=f"@{PLACEHOLDER_DOMAIN}")
        .exclude(pk__in=verified_email_addresses().values("user"))
        .exclude(expressions_of_interest__submitted_at__isnull=False)
        .exclude(expressions_of_interest__status__in=ExpressionOfInterest.DECIDED_OR_SENT_STATUSES)
        .exclude(business_co_chair_of__isnull=False)
        .exclude(police_co_chair_of__isnull=False)
        .exclude(team_memberships__isnull=False)
        .exclude(groups__isnull=False)
    )
    erased = 0
    for user in unverified.distinct():
        erase_account(user, at=now)
        erased += 1
    counts["erased_unverified_accounts"] = erased

    with transaction.atomic():
        notices_before = now - relativedelta(months=settings.RETENTION_NOTICE_MONTHS)
        counts["deleted_notices"] = Notice.objects.filter(
            state__in=[Notice.State.SENT, Notice.State.CANCELLED, Notice.State.FAILED],
            created_at__lte=notices_before,
        ).delete()[0]
        asked_before = now - relativedelta(months=settings.RETENTION_PROJECT_QUESTION_MONTHS)
        counts["deleted_questions"] = ProjectQuestion.objects.filter(
            asked_at__lte=asked_before
        ).delete()[0]
        logged_before = now - relativedelta(months=settings.RETENTION_ACCESS_LOG_MONTHS)
        counts["deleted_access_log_rows"] = PersonalDataAccess.objects.filter(
            accessed_at__lte=logged_before
        ).delete()[0]
        exported_before = now - relativedelta(months=settings.RETENTION_EXPORT_LOG_MONTHS)
        counts["deleted_export_log_rows"] = ExportLog.objects.filter(
            exported_at__lte=exported_before
        ).delete()[0]

    logger.info("Retention policy applied: %s", counts)
    return counts
