from django.utils.functional import SimpleLazyObject

from .models import Workstream


def _is_co_chair(user):
    # A co-chair is privileged (stepchange.roles): when this request already found
    # the person is not, they chair nothing and there is nothing to ask.
    if getattr(user, "_is_privileged", None) is False:
        return False
    return Workstream.objects.chaired_by(user).exists()


def co_chair(request):
    """Whether the header offers "Your workstream"."""
    # Lazy: asked only on pages that show the header.
    return {"is_co_chair": SimpleLazyObject(lambda: _is_co_chair(request.user))}
