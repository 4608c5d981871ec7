from django.contrib import admin

from . import admin_guards  # noqa: F401  (the rules for other packages' admins)
from .models import Heartbeat
from .notices import admin as notices_admin  # noqa: F401  (registers the outbox's admins)


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "beat_at"]
    readonly_fields = ["name", "beat_at"]

    def has_add_permission(self, request):
        return False
