"""Each notice's context built from a real EOI, for the admin's preview of the
coordination office's wording.

Each preview calls the notice's own context builder (participants.notices,
projects.notices), the one its caller uses to queue it, so the preview cannot
drift from what is sent; only links that would act for someone (the referee's
answer, an unsubscribe) are placeholders: whoever previews must not get a
working one. Nothing is saved.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from projects import notices as project_notices
from projects.models import Milestone, ProjectQuestion
from stepchange.notice_templates import register_preview

from . import notices
from .models import ExpressionOfInterest
from .referees import REFEREE_LINK_DAYS

PREVIEW_TOKEN = "preview"
SAMPLE_QUESTION = "Who else is working on this project, and how often do you meet?"


def _with_answers(eoi):
    return (
        ExpressionOfInterest.objects.select_related("call", "applicant")
        .prefetch_related("project_interests__project", "conflicts__projects")
        .get(pk=eoi.pk)
    )


def _reminder_days(call):
    offsets = call.reminder_offsets()
    return offsets[0] if offsets else 7


def _unsubscribe_url():
    return settings.SITE_URL + reverse("unsubscribe", kwargs={"token": PREVIEW_TOKEN})


@register_preview("participants/email/confirmation")
def confirmation(eoi):
    return notices.confirmation(_with_answers(eoi))


@register_preview("participants/email/referee_request")
def referee_request(eoi):
    link = settings.SITE_URL + reverse("referee:answer", kwargs={"token": PREVIEW_TOKEN})
    return notices.referee_request(eoi, link=link, days=REFEREE_LINK_DAYS)


@register_preview("participants/email/closing_reminder")
def closing_reminder(eoi):
    return notices.closing_reminder(
        eoi, call=eoi.call, days=_reminder_days(eoi.call), unsubscribe_url=_unsubscribe_url()
    )


@register_preview("participants/email/closing_reminder_programme")
def closing_reminder_programme(eoi):
    return notices.closing_reminder_programme(
        call=eoi.call, days=_reminder_days(eoi.call), unsubscribe_url=_unsubscribe_url()
    )


@register_preview("projects/email/question")
def project_question(eoi):
    """The EOI's applicant asking about their first-choice project (not saved)."""
    interest = eoi.project_interests.select_related("project").order_by("preference").first()
    project = interest.project if interest else eoi.call.projects.order_by("order").first()
    question = ProjectQuestion(
        project=project,
        name=eoi.full_name or eoi.applicant.full_name,
        email=eoi.work_email or eoi.applicant.email,
        question=SAMPLE_QUESTION,
        asked_by=eoi.applicant,
        asked_at=timezone.now(),
    )
    return project_notices.question(question)


@register_preview("participants/email/milestone_reminder")
def milestone_reminder(eoi):
    """The next milestone (or the last, if none is to come), as a 7-day reminder."""
    today = timezone.localdate()
    milestone = (
        Milestone.objects.filter(date__gte=today).order_by("date").first()
        or Milestone.objects.order_by("-date").first()
        or Milestone(date=today, title="A milestone of the programme")
    )
    return notices.milestone_reminder(
        milestone, days=7, call=eoi.call, unsubscribe_url=_unsubscribe_url()
    )


@register_preview("participants/email/call_closed")
def call_closed(eoi):
    return notices.call_closed(eoi, call=eoi.call)


@register_preview("participants/email/closing_summary")
def closing_summary(eoi):
    """The coordination office's summary of the EOI's call, as it stands now."""
    from .reminders import closing_summary as summarise

    return notices.closing_summary(eoi.call, summarise(eoi.call))


@register_preview("participants/email/decision")
def decision(eoi):
    """A place in the EOI's first-choice project; the others declined (nothing saved)."""
    offers = [
        (interest.project, interest.role)
        for interest in eoi.project_interests.select_related("project").order_by("preference")
    ]
    return notices.decision(eoi, accepted=offers[:1], declined=offers[1:])


@register_preview("participants/email/team_member_withdrew")
def team_member_withdrew(eoi):
    """The EOI's applicant leaving the team of their first-choice project (nothing saved)."""
    from .models import TeamMembership

    interest = (
        eoi.project_interests.select_related("project__workstream").order_by("preference").first()
    )
    places = (
        [TeamMembership(project=interest.project, member=eoi.applicant, role=interest.role)]
        if interest
        else []
    )
    return notices.team_member_withdrew(eoi, places, withheld=False, on=timezone.localdate())
