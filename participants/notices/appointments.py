"""The notice to a newly appointed co-chair: what the workspace is, that two
factors will be asked, and where it is. See __init__.py; queued by
participants/appointments.py.
"""

from django.conf import settings
from django.urls import reverse

from stepchange.notices.registry import reason, register

from . import common

CO_CHAIR_APPOINTED = reason("co_chair_appointed", "Co-chair appointed")


@register(
    "participants/email/co_chair_appointed",
    reason=CO_CHAIR_APPOINTED,
    audience="To a co-chair, when the office appoints them to a workstream's seat.",
    placeholders={
        "name": "The co-chair's name (may be empty).",
        "workstream": "The workstream's name.",
        "seat": 'Which co-chair they are: "business" or "police".',
        "workspace_url": "The address of the co-chairs' workspace.",
        "contact_email": common.CONTACT_EMAIL + " Empty when there is no call.",
        "site_url": common.SITE_URL,
    },
)
def co_chair_appointed(user, workstream, *, seat, call):
    return {
        "name": user.full_name,
        "workstream": workstream.name,
        "seat": seat,
        "workspace_url": settings.SITE_URL + reverse("workspace:home"),
        "contact_email": call.contact_email if call else "",
        "site_url": settings.SITE_URL,
    }


@co_chair_appointed.preview
def preview_co_chair_appointed(eoi):
    """The EOI's applicant as business co-chair of its first-choice project's workstream."""
    from workstreams.models import Workstream

    interest = (
        eoi.project_interests.select_related("project__workstream").order_by("preference").first()
    )
    workstream = interest.project.workstream if interest else Workstream.objects.first()
    workstream = workstream or Workstream(name="A workstream")
    return co_chair_appointed(eoi.applicant, workstream, seat="business", call=eoi.call)
