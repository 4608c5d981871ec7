"""A co-chair's appointment: the email that tells them, queued once per appointment.

The office appoints a co-chair by saving a workstream with someone in its
business or police seat (the admin, or any other page that saves it). Before
the save we note who held each seat; after it, each seat now held by someone
else is an appointment, and its holder is sent one email, in the transaction
of the save. Saving the workstream again with the same co-chairs sends
nothing; a seat given back to someone after another held it is a new
appointment, and a new email. Connected in ParticipantsConfig.ready().
"""

from django.db.models.signals import post_save, pre_save
from django.utils import timezone

from projects.models import Call
from stepchange.notices import occurrences
from stepchange.notices.outbox import queue_notice
from workstreams.models import Workstream

from . import notices

SEATS = {"business_co_chair": "business", "police_co_chair": "police"}


def connect():
    pre_save.connect(_note_seats, sender=Workstream, dispatch_uid="co-chair-seats-before")
    post_save.connect(_queue_appointments, sender=Workstream, dispatch_uid="co-chair-appointed")


def _note_seats(sender, instance, raw=False, **kwargs):
    if raw:
        return
    before = (
        Workstream.objects.filter(pk=instance.pk).values(*SEATS).first() if instance.pk else None
    )
    instance._co_chairs_before = before or dict.fromkeys(SEATS)


def _queue_appointments(sender, instance, raw=False, update_fields=None, **kwargs):
    before = getattr(instance, "_co_chairs_before", None)
    if raw or before is None:
        return
    del instance._co_chairs_before
    now = timezone.now()
    for field, seat in SEATS.items():
        user_id = getattr(instance, f"{field}_id")
        if user_id is None or user_id == before[field]:
            continue
        if update_fields is not None and field not in update_fields:
            continue
        queue_appointment(instance, getattr(instance, field), seat=seat, at=now)


def queue_appointment(workstream, user, *, seat, at):
    """Queue the email telling `user` they are now `workstream`'s `seat` co-chair."""
    call = Call.objects.current()
    queue_notice(
        key="participants/email/co_chair_appointed",
        recipient=user.email,
        occurrence=occurrences.co_chair_appointment(workstream.pk, seat, user.pk, at),
        context=notices.co_chair_appointed(user, workstream, seat=seat, call=call),
        reply_to=call.contact_email if call else "",
    )
