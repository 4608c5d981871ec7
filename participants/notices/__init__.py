"""The notices this app sends, each declared once (see stepchange/notices/registry.py):
its reason, its audience, what its wording may say, the one function that turns
the model objects into it (its builder), and its preview example.

- applications.py: about an expression of interest (confirmation, referee
  request, decision, a team member leaving);
- withdrawals.py: an applicant withdrawing (their confirmation, and the
  office told when a team member withdrew);
- appointments.py: a co-chair appointed to a workstream;
- dates.py: driven by the calendar (closing reminders, milestone reminders,
  the call closed and its summaries);
- common.py: what they share, and how the admin finds the expression of
  interest it previews them with.

The callers that queue a notice (services, decisions, reminders) and the
admin's preview both call the builders, so the preview shows what is sent.
Each returns plain values only (stepchange/notices/context.py): the wording,
which the coordination office may edit, must never reach a model object, from
which it could walk to anyone's secrets. Imported in the app's ready(), which
registers them.
"""

from .applications import (
    DECISION,
    EOI_CONFIRMATION,
    REFEREE_REQUEST,
    TEAM_CHANGE,
    confirmation,
    decision,
    referee_request,
    team_member_withdrew,
)
from .appointments import CO_CHAIR_APPOINTED, co_chair_appointed
from .common import ACCOUNT
from .dates import (
    CALL_CLOSED,
    CLOSING_REMINDER,
    CLOSING_SUMMARY,
    MILESTONE_REMINDER,
    call_closed,
    closing_reminder,
    closing_reminder_programme,
    closing_summary,
    milestone_reminder,
)
from .withdrawals import WITHDRAWAL, member_withdrew_office, withdrawal_confirmation

__all__ = [
    "ACCOUNT",
    "CALL_CLOSED",
    "CLOSING_REMINDER",
    "CLOSING_SUMMARY",
    "CO_CHAIR_APPOINTED",
    "DECISION",
    "EOI_CONFIRMATION",
    "MILESTONE_REMINDER",
    "REFEREE_REQUEST",
    "TEAM_CHANGE",
    "WITHDRAWAL",
    "call_closed",
    "closing_reminder",
    "closing_reminder_programme",
    "closing_summary",
    "co_chair_appointed",
    "confirmation",
    "decision",
    "member_withdrew_office",
    "milestone_reminder",
    "referee_request",
    "team_member_withdrew",
    "withdrawal_confirmation",
]
