"""Loading the programme's content (the document itself and the demonstration
call) and sending the coordination office questions about projects."""

import datetime
import logging
import zoneinfo

from django.db import transaction
from django.utils import timezone

from stepchange import ratelimit
from stepchange.notices import occurrences
from stepchange.notices.outbox import queue_notice
from workstreams.models import Workstream

from . import notices, programme
from .models import Call, KeyActivity, Milestone, Project, ProjectQuestion

logger = logging.getLogger(__name__)

LONDON = zoneinfo.ZoneInfo("Europe/London")
DEMONSTRATION_WEEKS = 4
# The demonstration call's contact address, in place of the document's real
# mailbox: its questions, Reply-To headers and email signatures must reach no
# one. ".invalid" is reserved by RFC 2606 and RFC 6761 (section 6.4) so that it
# never resolves: no mail for it can be delivered anywhere, whereas example.org
# is a live domain. The demonstration's sign-in (manage.py createdemouser) and
# the portal's own From address use ".invalid" too.
DEMONSTRATION_CONTACT_EMAIL = "stepchange@demo.stepchange.invalid"


def london(naive):
    return naive.replace(tzinfo=LONDON)


@transaction.atomic
def load_programme():
    """Create whatever of the Call to Action is missing; never overwrite.

    Creates the 5 workstreams, 25 projects, 8 key activities, 4 milestones and
    the 2018 call, each matched on its natural key. Anything that exists is
    left as it is, so running this twice changes nothing and edits made in the
    admin survive. Returns the number of rows created.
    """
    created = 0
    workstreams = {}
    for order, data in enumerate(programme.WORKSTREAMS, start=1):
        workstream, made = Workstream.objects.get_or_create(
            code=data["code"],
            defaults={
                "slug": data["slug"],
                "name": data["name"],
                "listed_as": data["listed_as"],
                "order": order,
            },
        )
        workstreams[workstream.code] = workstream
        created += made

    projects = []
    for order, (code, action, vision) in enumerate(programme.PROJECTS, start=1):
        prefix = code.rstrip("0123456789")
        project, made = Project.objects.get_or_create(
            code=code,
            defaults={
                "workstream": workstreams[prefix],
                "action": action,
                "vision_for_success": vision,
                "order": order,
            },
        )
        projects.append(project)
        created += made

    for order, (when, activity) in enumerate(programme.KEY_ACTIVITIES, start=1):
        created += KeyActivity.objects.get_or_create(
            when=when, activity=activity, defaults={"order": order}
        )[1]

    for order, (date, title) in enumerate(programme.MILESTONES, start=1):
        created += Milestone.objects.get_or_create(
            date=date, title=title, defaults={"order": order}
        )[1]

    data = dict(programme.CALL)
    call, made = Call.objects.get_or_create(
        title=data.pop("title"),
        version=data.pop("version"),
        is_demonstration=False,
        defaults={
            **data,
            "opens": london(data["opens"]),
            "closes": london(data["closes"]),
        },
    )
    if made:
        call.projects.set(projects)
    created += made
    return created


@transaction.atomic
def open_demonstration_call(today=None):
    """Make sure a demonstration call is open, closing four weeks from today.

    Copies the 2018 call's text and projects into a call marked as a
    demonstration, with a contact address on a reserved domain
    (DEMONSTRATION_CONTACT_EMAIL) in place of the real one, open from the start
    of today (Europe/London) to the end of the day four weeks on. An open
    demonstration call is left as it is (but for a real address, replaced); a
    closed one is reopened with new dates. Returns the call.
    """
    today = today or timezone.localdate(timezone=LONDON)
    opens = datetime.datetime.combine(today, datetime.time.min, tzinfo=LONDON)
    closes = datetime.datetime.combine(
        today + datetime.timedelta(weeks=DEMONSTRATION_WEEKS),
        datetime.time(23, 59, 59),
        tzinfo=LONDON,
    )
    demonstration = Call.objects.filter(is_demonstration=True).order_by("-opens").first()
    if demonstration and demonstration.opens <= opens <= demonstration.closes:
        # A demonstration opened before it had an address of its own is moved off
        # the programme's real mailbox; nothing else about it changes.
        if demonstration.contact_email != DEMONSTRATION_CONTACT_EMAIL:
            demonstration.contact_email = DEMONSTRATION_CONTACT_EMAIL
            demonstration.save(update_fields=["contact_email"])
        return demonstration

    source = Call.objects.filter(is_demonstration=False).order_by("opens").first()
    if source is None:
        raise ValueError("Load the programme (manage.py loadprogramme) before its demonstration.")
    fields = {
        name: getattr(source, name)
        for name in [
            "introduction",
            "background",
            "workstreams_statement",
            "participation_statement",
            "confidentiality_statement",
            "ethics_statement",
        ]
    }
    if demonstration is None:
        demonstration = Call(
            title=f"{source.title} (demonstration)",
            version=source.version,
            is_demonstration=True,
        )
    fields["contact_email"] = DEMONSTRATION_CONTACT_EMAIL
    for name, value in {**fields, "opens": opens, "closes": closes}.items():
        setattr(demonstration, name, value)
    demonstration.save()
    demonstration.projects.set(source.projects.all())
    return demonstration


# How many questions may be sent in an hour: from one network address (an
# office's gateway is one address for everyone in it) and from one account.
QUESTION_LIMITS = {
    "per_address": 100,
    "per_account": 5,
    "window": datetime.timedelta(hours=1),
}


def check_question_limit(senders):
    """Raise ratelimit.RateLimited if any of the senders has used up the hour's questions."""
    ratelimit.check_senders("project-question", senders, **QUESTION_LIMITS)


def ask_question(project, *, name, email, question, senders, asked_by=None):
    """Send the coordination office a question about a project.

    Side effects, in order: takes one of the hour's QUESTION_LIMITS question
    slots of each sender (network address and, when signed in, account; see
    stepchange.ratelimit) in the cache, or raises ratelimit.RateLimited and
    changes nothing; saves a ProjectQuestion; queues an outbox notice (plain
    text and HTML) to the current call's contact address, with Reply-To set to
    the asker's email address, which a worker sends once the transaction
    commits. Without a call there is no contact address: the question is
    saved, for the admin, and no notice queued. Returns the question.
    """
    ratelimit.take_senders("project-question", senders, **QUESTION_LIMITS)
    asked = ProjectQuestion.objects.create(
        project=project, name=name, email=email, question=question, asked_by=asked_by
    )
    call = Call.objects.current()
    if call is None:
        logger.warning("No call, so no contact address: question %s not emailed", asked.pk)
        return asked
    queue_notice(
        key="projects/email/question",
        recipient=call.contact_email,
        occurrence=occurrences.question(asked.pk),
        context=notices.question(asked),
        reply_to=asked.email,
    )
    return asked
