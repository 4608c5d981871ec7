"""The Celery app. Settings come from Django's, under the CELERY_ namespace."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stepchange.settings")

app = Celery("stepchange")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The outbox's tasks live in the core's notices package, which is not an app.
app.autodiscover_tasks(["stepchange.notices"])
