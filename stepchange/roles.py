"""Who holds a role that reaches other people's data: one answer for every check."""


def is_privileged(user):
    """Staff (the coordination office, the programme board) and co-chairs.

    Their sessions must pass two factors before they see other people's data
    (stepchange/two_factor.py), and are short. The
    answer is kept on the user object for the rest of the request.
    """
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_is_privileged"):
        from workstreams.models import Workstream

        user._is_privileged = (
            user.is_staff or user.is_superuser or Workstream.objects.chaired_by(user).exists()
        )
    return user._is_privileged


def has_two_factor(user):
    """Whether the account has an authenticator app. It says nothing of the session in
    hand: the gates ask stepchange.two_factor.passed_two_factor(request)."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
