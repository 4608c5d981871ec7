from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from participants.models import User

DEMO_EMAIL = "pco@demo.stepchange.invalid"
DEMO_PASSWORD = "demonstration-only-password"


class Command(BaseCommand):
    help = "Create (or reset) the demonstration coordination-office user and print its credentials."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "createdemouser only runs with DEBUG on: it sets a published password."
            )
        user, _ = User.objects.get_or_create(
            email=DEMO_EMAIL,
            defaults={"full_name": "Demonstration coordination office"},
        )
        user.is_staff = True
        user.is_superuser = False
        user.set_password(DEMO_PASSWORD)
        user.save()
        # The coordination office's own permissions, as a real member has them.
        user.groups.add(Group.objects.get(name="Coordination office"))
        EmailAddress.objects.update_or_create(
            user=user, email=DEMO_EMAIL, defaults={"verified": True, "primary": True}
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Coordination office (demonstration): sign in at {settings.SITE_URL}/admin/ "
                f"as {DEMO_EMAIL} with password {DEMO_PASSWORD}"
            )
        )
