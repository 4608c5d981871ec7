from django.utils.functional import SimpleLazyObject

from stepchange import roles


def co_chair(request):
    """Whether the header offers "Your workstream"."""
    # Lazy: asked only on pages that show the header.
    return {"is_co_chair": SimpleLazyObject(lambda: _co_chair(request.user))}


def _co_chair(user):
    from .apps import _chairs_a_workstream

    # Read with the signed-in user (stepchange/auth_backend.py) when it can be.
    return user.is_authenticated and user.is_active and roles.holds(user, _chairs_a_workstream)
