"""The participants app's models, one module a family; every one is imported
here, so `from participants.models import X` works and the app label (and so
every table) is the one it always was.

- user: the account (User and its manager).
- expression_of_interest: the EOI, its rules and state changes.
- changes: an EOI's status changes and amendments.
- checks: validation checks and the status they add up to.
- conflicts: declared conflicts of interest and exclusion overrides.
- interests: an EOI's interest in a project, in a role.
- teams: the office's decisions and the project teams they make.
- co_chairs: co-chairs' recommendations and declared interests (withheld_from).
- audit: the logs of personal-data access, account status changes and exports.

No two modules import each other: checks, conflicts and co_chairs name the
EOI by string in their foreign keys ("participants.ExpressionOfInterest"), so
that expression_of_interest can import the checks and conflicts its queries
count; changes, interests and teams import the EOI.
"""

from .audit import AccountStatusChange, ExportLog, PersonalDataAccess
from .changes import Amendment, StatusChange
from .checks import IDENTIFYING_METHODS, ValidationCheck, ValidationStatus, validation_status
from .co_chairs import CoChairInterest, Recommendation, withheld_from
from .conflicts import ConflictOfInterest, ExclusionOverride

# Migrations 0001, 0002 and 0009 name UserManager and new_reference by these
# paths (participants.models.UserManager, participants.models.new_reference).
from .expression_of_interest import (
    ExpressionOfInterest,
    IllegalTransition,
    email_domain,
    new_reference,
    normalise_domain,
)
from .interests import ProjectInterest
from .teams import Decision, TeamMembership
from .user import User, UserManager

__all__ = [
    "IDENTIFYING_METHODS",
    "AccountStatusChange",
    "Amendment",
    "CoChairInterest",
    "ConflictOfInterest",
    "Decision",
    "ExclusionOverride",
    "ExportLog",
    "ExpressionOfInterest",
    "IllegalTransition",
    "PersonalDataAccess",
    "ProjectInterest",
    "Recommendation",
    "StatusChange",
    "TeamMembership",
    "User",
    "UserManager",
    "ValidationCheck",
    "ValidationStatus",
    "email_domain",
    "new_reference",
    "normalise_domain",
    "validation_status",
    "withheld_from",
]
