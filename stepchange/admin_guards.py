"""What staff who are not superusers may do in the admins other packages register.

Groups, email addresses, authenticators and sessions decide who someone is and
what they may do, so whoever changes them can take over an account or give
themselves power: a verified address of one's own on someone else's account is
a password reset away from it, and a session key is a signed-in browser. Only
superusers reach these admins, whatever permissions a group is ever given.

The periodic tasks' schedules are the coordination office's (migration
participants/0005 gives it view and change), but which task runs, with which
arguments and on which queue stays a superuser's: a task run with chosen
arguments is code run with the portal's rights.
"""

# Imported first, so that each package has registered its admin before it is replaced.
import allauth.account.admin
import allauth.mfa.admin
import allauth.usersessions.admin  # noqa: F401
import django.contrib.auth.admin  # noqa: F401
from django.apps import apps
from django.contrib import admin
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import PeriodicTask

from .plain_text import PlainTextModelForm

# Account security: superusers only. A model not installed or not registered is skipped.
SUPERUSERS_ONLY = [
    "auth.Group",
    "auth.Permission",
    "account.EmailAddress",
    "account.EmailConfirmation",
    "mfa.Authenticator",
    "usersessions.UserSession",
]


def by_superuser(request):
    """Whether the request is a superuser's: the one role that grants power to others."""
    user = request.user
    return bool(user.is_active and user.is_superuser)


class SuperusersOnly:
    """Mix in before a ModelAdmin class: nobody but a superuser sees or changes its objects."""

    def has_module_permission(self, request):
        return by_superuser(request)

    def has_view_permission(self, request, obj=None):
        return by_superuser(request)

    def has_add_permission(self, request, *args):
        return by_superuser(request)

    def has_change_permission(self, request, obj=None):
        return by_superuser(request)

    def has_delete_permission(self, request, obj=None):
        return by_superuser(request)


def _change_action(admin_class, name):
    """`admin_class`'s action `name`, offered only to those who may change the objects."""
    original = getattr(admin_class, name)

    def action(modeladmin, request, queryset):
        return original(modeladmin, request, queryset)

    action.__name__ = name
    return admin.action(description=original.short_description, permissions=["change"])(action)


def declare_permissions(admin_class):
    """Class decorator: each action that declares no permission (so is offered to
    anyone who sees the list) is declared as needing the change permission."""
    for name in admin_class.actions or ():
        if isinstance(name, str) and not getattr(
            getattr(admin_class, name), "allowed_permissions", None
        ):
            setattr(admin_class, name, _change_action(admin_class, name))
    return admin_class


def _for_superusers_only(label):
    try:
        model = apps.get_model(label)
    except LookupError:
        return
    if not admin.site.is_registered(model):
        return
    original = type(admin.site.get_model_admin(model))
    admin.site.unregister(model)
    admin.site.register(
        model, declare_permissions(type(original.__name__, (SuperusersOnly, original), {}))
    )


for _label in SUPERUSERS_ONLY:
    _for_superusers_only(_label)


# Periodic tasks: the office decides when; a superuser decides what.

WHAT_RUNS = [
    "name",
    "task",
    "args",
    "kwargs",
    "queue",
    "exchange",
    "routing_key",
    "priority",
    "headers",
]
WHEN_IT_RUNS = [
    "enabled",
    "description",
    "interval",
    "crontab",
    "solar",
    "clocked",
    "start_time",
    "one_off",
    "expires",
    "expire_seconds",
]


class PeriodicTaskScheduleForm(PlainTextModelForm):
    """The schedule of a periodic task, without the task: for staff who are not superusers."""

    class Meta:
        model = PeriodicTask
        fields = WHEN_IT_RUNS


admin.site.unregister(PeriodicTask)


@admin.register(PeriodicTask)
@declare_permissions  # enable, disable, toggle and run now declare none in django-celery-beat
class PeriodicTaskAdmin(beat_admin.PeriodicTaskAdmin):
    def get_fieldsets(self, request, obj=None):
        if by_superuser(request):
            return super().get_fieldsets(request, obj)
        return [
            (None, {"fields": ["name", "task", "enabled", "description"]}),
            (
                "Schedule",
                {
                    "fields": [
                        "interval",
                        "crontab",
                        "solar",
                        "clocked",
                        "start_time",
                        "last_run_at",
                        "one_off",
                    ]
                },
            ),
            ("Arguments", {"fields": ["args", "kwargs"]}),
            (
                "Execution options",
                {
                    "fields": [
                        "expires",
                        "expire_seconds",
                        "queue",
                        "exchange",
                        "routing_key",
                        "priority",
                        "headers",
                    ]
                },
            ),
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if by_superuser(request) else [*readonly, *WHAT_RUNS]

    def get_form(self, request, obj=None, **kwargs):
        if not by_superuser(request):
            kwargs["form"] = PeriodicTaskScheduleForm
        return super().get_form(request, obj, **kwargs)
