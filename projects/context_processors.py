from django.utils.functional import SimpleLazyObject

from .models import Call


def current_call(request):
    """The current call, for the header's banner and the pages that give its contact."""
    # Lazy, so that pages which never show the call never query for it.
    return {"current_call": SimpleLazyObject(Call.objects.current)}
