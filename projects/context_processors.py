from django.utils.functional import SimpleLazyObject

from .models import Call


def current_call_of(request):
    """The current call, looked up once a request (the header's banner and the
    page's own content ask for the same one)."""
    if not hasattr(request, "_current_call"):
        request._current_call = Call.objects.current()
    return request._current_call


def current_call(request):
    """The current call, for the header's banner and the pages that give its contact."""
    # Lazy, so that pages which never show the call never query for it.
    return {"current_call": SimpleLazyObject(lambda: current_call_of(request))}
