"""Readable history in the admin, with reverting only where it is safe."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin


def _key_or_404(model, value):
    """`value` as `model`'s primary key; a value no key can be is a page that does not exist.

    simple-history looks the URL's ids up as they come, so a word where a
    number belongs raised ValueError: a server error.
    """
    try:
        return model._meta.pk.to_python(unquote(value))
    except ValidationError:
        raise Http404 from None


class HistoryAdmin(SimpleHistoryAdmin):
    """Whoever may view an object reads its history: who changed what, and when.

    simple-history saves a POST to an old version's page for anyone who may
    view it, so a read-only user could revert; here only users who may change
    the object can, and only on models whose rules a revert cannot bypass
    (`allow_revert`). An EOI's status, for instance, moves only by triage.
    """

    allow_revert = False

    def revert_disabled(self, request, obj=None):
        return not (self.allow_revert and self.has_change_permission(request, obj))

    def history_view(self, request, object_id, extra_context=None):
        _key_or_404(self.model, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        _key_or_404(self.model, object_id)
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        _key_or_404(history.model, version_id)
        if request.method == "POST" and self.revert_disabled(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
