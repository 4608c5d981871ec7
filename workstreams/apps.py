from django.apps import AppConfig


class WorkstreamsConfig(AppConfig):
    name = "workstreams"
    verbose_name = "Workstreams"

    def ready(self):
        from django.conf import settings
        from django.db.models.signals import post_save

        from stepchange import page_cache, roles

        from .models import Workstream

        # The public pages show the workstreams and their co-chairs' names.
        page_cache.clear_on_change(Workstream)
        post_save.connect(
            _co_chair_changed, sender=settings.AUTH_USER_MODEL, dispatch_uid="public-pages-user"
        )
        # A co-chair sees applicants' details: two factors and a short session.
        roles.register_privileged_role(_chairs_a_workstream, exists=_chairs_a_workstream_exists)


def _chairs_a_workstream(user):
    from .models import Workstream

    return Workstream.objects.chaired_by(user).exists()


def _chairs_a_workstream_exists():
    """_chairs_a_workstream for the user row OuterRef("pk"), read with the signed-in user."""
    from django.db.models import Exists, OuterRef, Q

    from .models import Workstream

    seat = OuterRef("pk")
    return Exists(Workstream.objects.filter(Q(business_co_chair=seat) | Q(police_co_chair=seat)))


def _co_chair_changed(sender, instance, update_fields=None, **kwargs):
    """A co-chair's name is on the public pages; a sign-in's last_login is not."""
    if update_fields and set(update_fields) <= {"last_login", "password"}:
        return
    from stepchange import page_cache

    if _chairs_a_workstream(instance):
        page_cache.new_generation()
