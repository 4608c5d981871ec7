from django.utils.functional import SimpleLazyObject

from .models import Workstream


def co_chair(request):
    """Whether the header offers "Your workstream"."""
    # Lazy: asked only on pages that show the header.
    return {
        "is_co_chair": SimpleLazyObject(
            lambda: Workstream.objects.chaired_by(request.user).exists()
        )
    }
