"""Occurrence keys: what each notice is about, built and read here and nowhere else.

A notice is unique by (reason, recipient, occurrence), so its occurrence is
what makes queueing it twice a no-op (the same EOI's confirmation) or a new
email (a referee asked again, a reminder for a closing date that moved). The
erasure of an account or an EOI, and the cancelling of reminders whose date
moved, find notices by the same keys, so both sides of each format live in
this module: a builder, and where something reads it, a query (a Q) beside it.

Everything here takes plain values (ids, dates, codes): the core imports no
feature app.
"""

import uuid

from django.db.models import Q

# An expression of interest: the confirmation and decision ("eoi:<id>") and
# the notices that go with it ("eoi:<id>:...").


def eoi(eoi_pk):
    """The EOI's confirmation to its applicant (and, before decisions were made
    per project, the one decision about it)."""
    return f"eoi:{eoi_pk}"


def decision(eoi_pk, number):
    """The `number`th application of the office's decisions to the EOI (1, 2, …):
    each application is one email, sent once."""
    return f"{eoi(eoi_pk)}:decision:{int(number)}"


def team_withdrawal(eoi_pk):
    """The co-chairs told that the EOI's applicant left their team."""
    return f"{eoi(eoi_pk)}:team-withdrawal"


def withdrawal(eoi_pk):
    """The applicant's confirmation that they withdrew the EOI."""
    return f"{eoi(eoi_pk)}:withdrawal"


def member_withdrawal(eoi_pk):
    """The coordination office told that a team member withdrew the EOI that placed them."""
    return f"{eoi(eoi_pk)}:member-withdrawal"


def referee_request(eoi_pk, referee_email, asked_again_at=None):
    """One request a referee address; asking again (`asked_again_at`) is a new one."""
    key = f"{eoi(eoi_pk)}:referee:{referee_email.lower()}"
    return f"{key}:{asked_again_at:%Y%m%d%H%M%S}" if asked_again_at else key


def about_eois(eoi_pks):
    """Q: every notice about these EOIs (their bodies repeat the answers)."""
    ids = "|".join(str(int(pk)) for pk in eoi_pks)
    return Q(occurrence__regex=rf"^eoi:({ids})(:|$)")


# A co-chair's appointment: one email each time someone is given a seat.


def co_chair_appointment(workstream_pk, seat, user_pk, appointed_at):
    """`user_pk` given the workstream's `seat` ("business" or "police") at
    `appointed_at`; a reappointment after someone else held the seat is a new one."""
    return f"co-chair:{workstream_pk}:{seat}:user-{user_pk}:{appointed_at:%Y%m%d%H%M%S%f}"


# A question asked about a project.


def question(question_pk):
    return f"question:{question_pk}"


def about_questions(question_pks):
    """Q: the notices of these questions."""
    return Q(occurrence__in=[question(pk) for pk in question_pks])


# Account emails (allauth's) and two-factor codes: each is its own event, so
# a second verification link is a second email, not a repeat of the first.


def account_prefix(user_pk):
    """How an account email's occurrence names the account it was sent for.

    The address may be one the account never verified (a confirmation link to
    an address just added); the account's id says whose email it is, so that
    erasing the account erases it.
    """
    return f"account:user-{user_pk}:"


def account_email(user_pk, template_name):
    """An account email (`template_name`, e.g. "email_confirmation"); `user_pk`
    None when allauth sends it for no account."""
    owner = account_prefix(user_pk) if user_pk else "account:"
    return f"{owner}{template_name}:{uuid.uuid4()}"


def for_account(user_pk):
    """Q: the account emails sent for this account."""
    return Q(occurrence__startswith=account_prefix(user_pk))


def two_factor_code():
    return f"two-factor-code:{uuid.uuid4()}"


# A call's closing date: reminders before it, and the notices when it has
# passed. Keyed by the date, so a moved date makes new keys.


def _call(call_pk):
    return f"call:{call_pk}:closes:"


def closing(call_pk, closes):
    """The call's closing moment, which each of the keys below starts with."""
    return f"{_call(call_pk)}{closes:%Y%m%dT%H%M%S}"


def closing_reminder(call_pk, closes, days, programme=False):
    """The reminder `days` before closing: to applicants, or (`programme`) to
    people who asked for the programme's dates."""
    key = f"{closing(call_pk, closes)}:{days}d"
    return f"{key}:programme" if programme else key


def call_closed(call_pk, closes):
    """ "The call has closed", to each applicant."""
    return f"{closing(call_pk, closes)}:closed"


def closing_summary(call_pk, closes, workstream_code=None):
    """The summary to the office, or to one workstream's co-chairs."""
    key = f"{call_closed(call_pk, closes)}:summary"
    return f"{key}:{workstream_code}" if workstream_code else key


def closing_date_moved(call_pk, closes):
    """Q: notices keyed by a closing date the call no longer has."""
    return Q(occurrence__startswith=_call(call_pk)) & ~Q(
        occurrence__startswith=f"{closing(call_pk, closes)}:"
    )


# A milestone's reminders, keyed by its date.


def _milestone(milestone_pk):
    return f"milestone:{milestone_pk}:"


def milestone_reminder(milestone_pk, date, days):
    return f"{_milestone(milestone_pk)}{date:%Y%m%d}:{days}d"


def milestone_date_moved(milestone_pk, date):
    """Q: reminders keyed by a date the milestone no longer has."""
    return Q(occurrence__startswith=_milestone(milestone_pk)) & ~Q(
        occurrence__startswith=f"{_milestone(milestone_pk)}{date:%Y%m%d}:"
    )
