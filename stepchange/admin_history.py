"""Readable history in the admin, with reverting only where it is safe."""

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


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

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST" and self.revert_disabled(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
