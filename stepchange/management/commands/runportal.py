"""Serve the portal on 127.0.0.1:8000 with a Celery worker and beat beside it."""

import atexit
import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run the development server with a Celery worker and beat until Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        if not settings.DEBUG:
            raise CommandError(
                "runportal is for development: set DEBUG=1, or see README for production."
            )
        # The autoreloader runs this command again in a child process
        # (RUN_MAIN set); only the parent starts the worker and beat, once.
        if os.environ.get("RUN_MAIN") != "true":
            self._start_background_processes()
        call_command("runserver", addrport)

    def _start_background_processes(self):
        celery = [sys.executable, "-m", "celery", "-A", "stepchange"]
        processes = [
            subprocess.Popen([*celery, "worker", "--loglevel=INFO", "--concurrency=2"]),
            subprocess.Popen([*celery, "beat", "--loglevel=INFO", "--pidfile="]),
        ]

        def stop():
            for process in processes:
                process.terminate()
            for process in processes:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()

        atexit.register(stop)
        self.stdout.write(
            f"Celery worker and beat started; emails are written to {settings.EMAIL_FILE_PATH}/"
            if hasattr(settings, "EMAIL_FILE_PATH")
            else "Celery worker and beat started."
        )
