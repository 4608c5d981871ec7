"""Who holds a role that reaches other people's data: one answer for every check.

Staff are privileged here; a feature app whose role also reaches other people's
data (the workstreams' co-chairs) registers it with `register_privileged_role`
from its AppConfig.ready(), so the core names no feature.

The signed-in user is read with their roles and their two-factor state in one
query (stepchange/auth_backend.py annotates `annotations()`); the checks below
read those answers when the user carries them, and ask the database otherwise.
"""

from django.db.models import Exists, OuterRef

_privileged_roles = {}  # holds_role -> its Exists() over OuterRef("pk"), or None
TWO_FACTOR = "_has_two_factor"


def register_privileged_role(holds_role, exists=None):
    """Count `holds_role(user)` (True or False, may query) among the privileged roles.

    `exists()`, if given, returns an Exists() of the same answer for the user row
    OuterRef("pk"), so that the signed-in user's row carries it."""
    _privileged_roles.setdefault(holds_role, exists)


def _annotation(holds_role):
    return f"_role_{holds_role.__module__.replace('.', '_')}_{holds_role.__name__}"


def annotations():
    """The user-row annotations that answer `has_two_factor` and each registered role."""
    from allauth.mfa.models import Authenticator

    totp = Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
    found = {TWO_FACTOR: Exists(totp)}
    for holds_role, exists in _privileged_roles.items():
        if exists is not None:
            found[_annotation(holds_role)] = exists()
    return found


def holds(user, holds_role):
    """`holds_role(user)`, read from the user's row when it carries the answer."""
    answer = getattr(user, _annotation(holds_role), None)
    return holds_role(user) if answer is None else answer


def is_privileged(user):
    """Staff (the coordination office, the programme board) and any registered role
    (co-chairs).

    Their sessions must pass two factors before they see other people's data
    (stepchange/two_factor.py), and are short. The
    answer is kept on the user object for the rest of the request.
    """
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_is_privileged"):
        user._is_privileged = (
            user.is_staff
            or user.is_superuser
            or any(holds(user, holds_role) for holds_role in _privileged_roles)
        )
    return user._is_privileged


def has_two_factor(user):
    """Whether the account has an authenticator app. It says nothing of the session in
    hand: the gates ask stepchange.two_factor.passed_two_factor(request)."""
    answer = getattr(user, TWO_FACTOR, None)
    if answer is not None:
        return answer
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def forget_two_factor(user):
    """Drop the answer read with the user, after an app was added or removed."""
    user.__dict__.pop(TWO_FACTOR, None)
