"""The health endpoint for the load balancer: database, broker, worker and beat.

It says whether each part works and how long ago the background processes
showed life; nothing about anyone.
"""

from django.conf import settings
from django.db import connection, transaction
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from .models import Heartbeat


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _broker():
    from .celery import app

    with app.connection_for_write() as broker:
        broker.ensure_connection(max_retries=1, timeout=settings.HEALTH_BROKER_TIMEOUT)
    return "ok"


def _heartbeats():
    """Seconds since each background process last beat, from one query."""
    now = timezone.now()
    return {
        name: (now - beat_at).total_seconds()
        for name, beat_at in Heartbeat.objects.values_list("name", "beat_at")
    }


def check():
    """Each part's state ("ok" or what is wrong), and whether all are ok."""
    parts = {}
    for name, probe in [("database", _database), ("broker", _broker)]:
        try:
            parts[name] = probe()
        except Exception as problem:  # any failure is the answer
            parts[name] = f"failing: {type(problem).__name__}"
    try:
        ages = _heartbeats()
    except Exception as problem:  # the database failed
        ages = None
        parts["database"] = f"failing: {type(problem).__name__}"
    for process in ("worker", "beat"):
        if ages is None:  # their heartbeats are in the database
            parts[process] = "unknown: the database is failing"
            continue
        age = ages.get(process)
        if age is None:
            parts[process] = "no heartbeat yet"
        elif age > settings.HEALTH_HEARTBEAT_MAX_AGE:
            parts[process] = f"silent for {int(age)} s"
        else:
            parts[process] = "ok"
    return parts, all(state == "ok" for state in parts.values())


# Not in a request transaction (ATOMIC_REQUESTS): opening one needs the database,
# and with the database down this must still answer with its JSON, not the 503 page.
@never_cache
@transaction.non_atomic_requests
def health(request):
    parts, healthy = check()
    return JsonResponse(
        {"status": "ok" if healthy else "failing", "checks": parts},
        status=200 if healthy else 503,
    )
