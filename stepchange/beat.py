"""Celery beat's scheduler: the schedule in the database, and a heartbeat of its own."""

import time

from django_celery_beat.schedulers import DatabaseScheduler

from .models import Heartbeat

BEAT_EVERY = 30  # seconds


class HeartbeatScheduler(DatabaseScheduler):
    """django-celery-beat's scheduler, recording "beat" in Heartbeat as it ticks,
    so that the health check can tell a silent beat from a silent worker."""

    _last_beat = 0.0

    def tick(self, *args, **kwargs):
        now = time.monotonic()
        if now - self._last_beat >= BEAT_EVERY:
            try:
                Heartbeat.record("beat")
            except Exception:  # the schedule must go on without the database
                self.logger.warning("beat could not record its heartbeat", exc_info=True)
            else:
                self._last_beat = now
        return super().tick(*args, **kwargs)
