"""The notices this app sends, each declared once (see stepchange/notices/registry.py):
its reason, its audience, what its wording may say, the one function that turns
the model objects into it, and its preview example.

Imported in the app's ready(), which registers them.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from stepchange.notices.registry import reason, register

from .models import ProjectQuestion

PROJECT_QUESTION = reason("project_question", "Question about a project")
SAMPLE_QUESTION = "Who else is working on this project, and how often do you meet?"


@register(
    "projects/email/question",
    reason=PROJECT_QUESTION,
    audience="To the call's contact address, when someone asks a question about a project.",
    placeholders={
        "project_code": "The project's code.",
        "project_title": "The project's short title.",
        "name": "The name the asker gave.",
        "email": "The email address the asker gave (replies go to it).",
        "signed_in_as": "The email address of the asker's account, if they were signed in.",
        "asked_at": "When they asked: {{ asked_at|govuk_datetime }}.",
        "question": "The question.",
        "project_url": "The address of the project's page.",
        "admin_url": "The address of the question in the admin.",
    },
)
def question(asked):
    """`asked` is a ProjectQuestion; unsaved (the admin's preview), its admin_url is the list's."""
    project = asked.project if asked.project_id else None
    admin_url = (
        reverse("admin:projects_projectquestion_change", args=[asked.pk])
        if asked.pk
        else reverse("admin:projects_projectquestion_changelist")
    )
    return {
        "project_code": project.code if project else "",
        "project_title": project.short_title if project else "",
        "name": asked.name,
        "email": asked.email,
        "signed_in_as": asked.asked_by.email if asked.asked_by_id else "",
        "asked_at": asked.asked_at,
        "question": asked.question,
        "project_url": settings.SITE_URL + (project.get_absolute_url() if project else "/"),
        "admin_url": settings.SITE_URL + admin_url,
    }


@question.preview
def preview_question(eoi):
    """The previewed expression of interest's applicant asking about their
    first-choice project (not saved). `eoi` is the record the admin previews
    with (participants declares how it is found); only its attributes are used."""
    interest = eoi.project_interests.select_related("project").order_by("preference").first()
    project = interest.project if interest else eoi.call.projects.order_by("order").first()
    asked = ProjectQuestion(
        project=project,
        name=eoi.full_name or eoi.applicant.full_name,
        email=eoi.work_email or eoi.applicant.email,
        question=SAMPLE_QUESTION,
        asked_by=eoi.applicant,
        asked_at=timezone.now(),
    )
    return question(asked)
