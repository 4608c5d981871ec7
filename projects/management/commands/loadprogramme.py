from django.core.management.base import BaseCommand
from django.utils import timezone

from projects.services import load_programme, open_demonstration_call


class Command(BaseCommand):
    help = (
        "Load the Call to Action (workstreams, projects, timeline, the 2018 call) word for "
        "word. Safe to run again: nothing that exists is changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--demonstration",
            action="store_true",
            help="Also open a demonstration call that closes four weeks from today.",
        )

    def handle(self, *args, demonstration=False, **options):
        created = load_programme()
        self.stdout.write(f"Programme loaded: {created} new rows.")
        if demonstration:
            call = open_demonstration_call()
            closes = timezone.localtime(call.closes)
            self.stdout.write(
                f"Demonstration call open until {closes:%-d %B %Y at %H:%M} (Europe/London)."
            )
