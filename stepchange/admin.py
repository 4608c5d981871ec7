from django.contrib import admin, messages

from . import outbox
from .models import Heartbeat, Notice


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    """The outbox: every email the portal sends, with its state and attempts."""

    list_display = [
        "created_at",
        "reason",
        "recipient",
        "subject",
        "state",
        "attempts",
        "sent_at",
        "last_error",
    ]
    list_filter = ["reason", "state", "created_at"]
    search_fields = ["recipient", "subject", "occurrence"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    readonly_fields = [field.name for field in Notice._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Send the selected failed notices again", permissions=["view"])
    def send_again(self, request, queryset):
        failed = list(queryset.filter(state=Notice.State.FAILED))
        again = sum(outbox.send_again(notice) for notice in failed)
        skipped = queryset.count() - again
        self.message_user(request, f"{again} notice(s) queued to send again.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{skipped} notice(s) were not failed, so were left as they are.",
                messages.WARNING,
            )


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "beat_at"]
    readonly_fields = ["name", "beat_at"]

    def has_add_permission(self, request):
        return False
