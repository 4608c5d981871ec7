"""The admin site: the project's own, so that every model admin's forms, its
inlines' and its list's, refuse control characters in typed text
(stepchange.plain_text), and no model admin deletes what must be kept
(stepchange.admin_deletion), whoever registers them, without each remembering to.

INSTALLED_APPS names AdminConfig in place of "django.contrib.admin"; it is
Django's, with this site as the default, so `admin.site` and `@admin.register`
are this site.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.contrib.admin.options import InlineModelAdmin

from .admin_deletion import RefuseDeletingKeptRecords
from .plain_text import PlainTextMixin


def plain_text_form(form):
    """`form` with PlainTextMixin, which guards its fields when it is cleaned."""
    if issubclass(form, PlainTextMixin):
        return form
    return type(form.__name__, (PlainTextMixin, form), {"__module__": form.__module__})


class PlainTextAdmin:
    def get_form(self, request, obj=None, **kwargs):
        return plain_text_form(super().get_form(request, obj, **kwargs))

    def get_changelist_formset(self, request, **kwargs):
        formset = super().get_changelist_formset(request, **kwargs)
        formset.form = plain_text_form(formset.form)  # a class made for this request
        return formset


class PlainTextInline:
    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = plain_text_form(formset.form)  # a class made for this request
        return formset


def plain_text(admin_class):
    """`admin_class` with PlainTextAdmin (or PlainTextInline) mixed in, and its inlines."""
    is_inline = issubclass(admin_class, InlineModelAdmin)
    mixin = PlainTextInline if is_inline else PlainTextAdmin
    if issubclass(admin_class, mixin):
        return admin_class
    attrs = {
        "__module__": admin_class.__module__,
        "__qualname__": admin_class.__qualname__,
        "__doc__": admin_class.__doc__,
    }
    if not is_inline and admin_class.inlines:
        attrs["inlines"] = [plain_text(inline) for inline in admin_class.inlines]
    return type(admin_class.__name__, (mixin, admin_class), attrs)


def refuse_deleting_kept_records(admin_class):
    """`admin_class` with RefuseDeletingKeptRecords mixed in."""
    if issubclass(admin_class, RefuseDeletingKeptRecords):
        return admin_class
    attrs = {
        "__module__": admin_class.__module__,
        "__qualname__": admin_class.__qualname__,
        "__doc__": admin_class.__doc__,
    }
    return type(admin_class.__name__, (RefuseDeletingKeptRecords, admin_class), attrs)


class AdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = plain_text(admin_class or admin.ModelAdmin)
        super().register(model_or_iterable, refuse_deleting_kept_records(admin_class), **options)


class AdminConfig(DjangoAdminConfig):
    default_site = "stepchange.admin_site.AdminSite"
