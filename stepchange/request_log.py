"""Structured logs: one JSON line per request and per task, each with an id.

A request's id comes from the load balancer's X-Request-ID header when it
sends a sensible one, else is made here; it is returned in the response's
X-Request-ID and put on every log line written while the request runs (and
on the tasks it queues, which log it as `request_id`). Lines carry no
personal data: a user's id, never their name or address; a path without its
query string.
"""

import contextvars
import json
import logging
import re
import time
import uuid

from celery import signals as celery_signals
from django.core.signals import request_finished
from django.db import Error as DatabaseFailure
from django.dispatch import receiver

request_id = contextvars.ContextVar("request_id", default="")
logger = logging.getLogger("stepchange.requests")
task_logger = logging.getLogger("stepchange.tasks")
SENSIBLE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class JsonFormatter(logging.Formatter):
    """Every record as one JSON object on one line."""

    def format(self, record):
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or request_id.get(),
        }
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


logging.Formatter.converter = time.gmtime  # every timestamp in UTC, as the "Z" says


class RequestLogMiddleware:
    """Give the request an id and log one line when it is answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        current = given if SENSIBLE_ID.match(given) else uuid.uuid4().hex
        # Kept until the response is closed, not only while the middleware runs:
        # Django logs a 5xx answer ("django.request") after the middleware has returned.
        request_id.set(current)
        started = time.perf_counter()
        response = self.get_response(request)
        logger.info(
            "request",
            extra={
                "fields": {
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user": _user_id(request),
                }
            },
        )
        response["X-Request-ID"] = current
        return response


@receiver(request_finished)
def _forget_the_request_id(**kwargs):
    request_id.set("")


def _user_id(request):
    """The signed-in user's id, or None; never an exception.

    Reading the user may read the session from the database: while the
    database is down that fails here too, and the 503 page must still go out
    with its id and its log line.
    """
    user = getattr(request, "user", None)
    try:
        return user.pk if user is not None and user.is_authenticated else None
    except DatabaseFailure:
        return None


@celery_signals.setup_logging.connect
def _keep_djangos_logging(**kwargs):
    """Leave logging as Django's LOGGING set it up (JSON lines) in the worker and beat.

    Celery's worker and beat otherwise replace the root logger's handlers with
    their own plain format when they start (after django.setup(), which
    imported this module): a receiver of this signal tells them not to.
    """


@celery_signals.before_task_publish.connect
def _pass_the_request_id_on(headers=None, **kwargs):
    if headers is not None and request_id.get():
        headers["request_id"] = request_id.get()


_started = {}


@celery_signals.task_prerun.connect
def _task_started(task_id=None, task=None, **kwargs):
    _started[task_id] = time.perf_counter()
    request_id.set(getattr(task.request, "request_id", None) or task_id or "")


@celery_signals.task_postrun.connect
def _task_finished(task_id=None, task=None, state=None, **kwargs):
    started = _started.pop(task_id, None)
    task_logger.info(
        "task",
        extra={
            "fields": {
                "task": task.name if task else None,
                "task_id": task_id,
                "state": state,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1)
                if started
                else None,
            }
        },
    )
