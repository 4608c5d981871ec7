"""Who holds a role that reaches other people's data: one answer for every check.

Staff are privileged here; a feature app whose role also reaches other people's
data (the workstreams' co-chairs) registers it with `register_privileged_role`
from its AppConfig.ready(), so the core names no feature.
"""

_privileged_roles = []


def register_privileged_role(holds_role):
    """Count `holds_role(user)` (True or False, may query) among the privileged roles."""
    if holds_role not in _privileged_roles:
        _privileged_roles.append(holds_role)


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
            or any(holds_role(user) for holds_role in _privileged_roles)
        )
    return user._is_privileged


def has_two_factor(user):
    """Whether the account has an authenticator app. It says nothing of the session in
    hand: the gates ask stepchange.two_factor.passed_two_factor(request)."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
