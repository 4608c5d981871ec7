"""The outbox and the office's wording of each notice, in the admin.

Registered when stepchange/admin.py imports this module.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from . import engine, registry, rendering, sending
from .models import Notice, NoticeTemplate
from .previews import preview


class ReasonFilter(admin.SimpleListFilter):
    """The reasons the notice types declare (registry.reason), by their labels."""

    title = "reason"
    parameter_name = "reason__exact"

    def lookups(self, request, model_admin):
        return list(registry.REASONS.items())

    def queryset(self, request, queryset):
        return queryset.filter(reason=self.value()) if self.value() else queryset


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    """The outbox: every email the portal sends, with its state and attempts."""

    list_display = [
        "created_at",
        "reason_label",
        "recipient",
        "subject",
        "state",
        "attempts",
        "sent_at",
        "last_error",
    ]
    list_filter = [ReasonFilter, "state", "created_at"]
    search_fields = ["recipient", "subject", "occurrence"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    # Every field read-only, the reason by its declared label.
    exclude = ["reason"]
    readonly_fields = [
        "reason_label" if field.name == "reason" else field.name for field in Notice._meta.fields
    ]

    @admin.display(description="reason", ordering="reason")
    def reason_label(self, notice):
        return notice.reason_label

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_resend_permission(self, request):
        # Notices are never edited, but sending one again changes the outbox:
        # the change permission says who may (the office, by migration).
        return request.user.has_perm(f"{self.opts.app_label}.change_{self.opts.model_name}")

    @admin.action(description="Send the selected failed notices again", permissions=["resend"])
    def send_again(self, request, queryset):
        failed = list(queryset.filter(state=Notice.State.FAILED))
        again = sum(sending.send_again(notice) for notice in failed)
        skipped = queryset.count() - again
        self.message_user(request, f"{again} notice(s) queued to send again.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{skipped} notice(s) were not failed, so were left as they are.",
                messages.WARNING,
            )


def _key_choices():
    return [(key, f"{key}: {notice.audience}") for key, notice in registry.TYPES.items()]


class NoticeTemplateForm(forms.ModelForm):
    key = forms.ChoiceField(label="Notice", choices=_key_choices)

    class Meta:
        model = NoticeTemplate
        fields = ["key", "description", "is_active", "subject", "body_text", "body_html"]

    def clean(self):
        cleaned = super().clean()
        # Browsers send text areas with CRLF; emails are written with LF.
        for part in ("body_text", "body_html"):
            if isinstance(cleaned.get(part), str):
                cleaned[part] = cleaned[part].replace("\r\n", "\n")
        return cleaned


@admin.register(NoticeTemplate)
class NoticeTemplateAdmin(admin.ModelAdmin):
    """The coordination office's wording of each notice, with a preview against a real EOI."""

    form = NoticeTemplateForm
    list_display = ["key", "description", "is_active", "updated_at", "updated_by"]
    list_filter = ["is_active"]
    list_select_related = ["updated_by"]
    search_fields = ["key", "description", "subject"]
    change_list_template = "admin/stepchange/noticetemplate/change_list.html"
    change_form_template = "admin/stepchange/noticetemplate/change_form.html"
    fieldsets = [
        (None, {"fields": ["key", "description", "is_active"]}),
        (
            "Wording",
            {
                "fields": ["subject", "body_text", "body_html"],
                "description": (
                    "Django template language: the notice's placeholders, such as "
                    "{{ reference }}, listed below; {% if %} and {% for %}; and the govuk "
                    "filters. A placeholder the notice does not have is left empty. Nothing "
                    "can be included from a file."
                ),
            },
        ),
        ("Changes", {"fields": ["updated_at", "updated_by"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return ["key", "updated_at", "updated_by"] if obj else ["updated_at", "updated_by"]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The placeholders the wording may use: the notice's own, or every
        # notice's while a new template has no notice chosen yet.
        keys = [obj.key] if obj else list(registry.TYPES)
        context["notice_placeholders"] = [(key, registry.placeholders(key)) for key in keys]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "copy-from-files/",
                view(self.copy_from_files_view),
                name="stepchange_noticetemplate_copy",
            ),
            path("preview/", view(self.preview_view), name="stepchange_noticetemplate_preview_new"),
            path(
                "<path:object_id>/preview/",
                view(self.preview_view),
                name="stepchange_noticetemplate_preview",
            ),
            *super().get_urls(),
        ]

    @method_decorator(require_POST)
    def copy_from_files_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        created = rendering.copy_from_files(user=request.user)
        if created:
            self.message_user(
                request,
                f"{created} notice template(s) copied from the files. They are not active: "
                "edit them, preview them, then tick Active to send your wording.",
                messages.SUCCESS,
            )
        else:
            self.message_user(request, "Every notice already has a template.", messages.INFO)
        return HttpResponseRedirect(reverse("admin:stepchange_noticetemplate_changelist"))

    def preview_view(self, request, object_id=None):
        """The notice rendered against a real EOI: the saved wording on GET, the
        wording posted from the change form (not saved) on POST."""
        template = self.get_object(request, object_id) if object_id else None
        if object_id and template is None:
            raise Http404
        if not self.has_view_permission(request, template):
            raise PermissionDenied
        data = request.POST if request.method == "POST" else request.GET
        if request.method == "POST":
            key = template.key if template else data.get("key", "")
            wording = {part: data.get(part, "").replace("\r\n", "\n") for part in engine.PARTS}
        elif template is None:
            raise Http404
        else:
            key = template.key
            wording = template.wording()

        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Preview: {key}",
            "original": template,
            "key": key,
            "wording": wording,
            "posted": request.method == "POST",
            "notice_placeholders": [(key, registry.placeholders(key))],
            **preview(key, wording, data.get("eoi", "").strip()),
        }
        return TemplateResponse(request, "admin/stepchange/noticetemplate/preview.html", context)
