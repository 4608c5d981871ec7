from django.db import models
from django.utils import timezone

# The outbox's tables belong to this app (label "stepchange"); their code
# lives with the rest of the notices.
from .notices.models import Notice, NoticeTemplate

__all__ = ["Heartbeat", "Notice", "NoticeTemplate"]


class Heartbeat(models.Model):
    """The last time a background process (a Celery worker, beat) showed life.

    Kept in the database, not the cache, so that every web process and the
    health check see the same value.
    """

    name = models.CharField("process", max_length=50, primary_key=True)
    beat_at = models.DateTimeField("last beat", default=timezone.now)

    class Meta:
        verbose_name = "heartbeat"

    def __str__(self):
        return f"{self.name} at {self.beat_at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def record(cls, name):
        cls.objects.update_or_create(name=name, defaults={"beat_at": timezone.now()})
