"""The office's logs of who saw, exported or changed personal data and accounts."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class PersonalDataAccess(models.Model):
    """One request that showed or exported applicants' personal data: who, when, what.

    Written by participants.data_protection.access_log.PersonalDataAccessMiddleware; it
    describes what was seen (an EOI's reference, a project's list) and never
    holds the data itself.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="by",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    accessed_at = models.DateTimeField("when", default=timezone.now, db_index=True)
    what = models.CharField("what", max_length=300)
    path = models.CharField("path", max_length=500)

    class Meta:
        verbose_name = "access to personal data"
        verbose_name_plural = "accesses to personal data"
        ordering = ["-accessed_at", "-pk"]

    def __str__(self):
        return f"{self.what} at {self.accessed_at:%Y-%m-%d %H:%M}"


class AccountStatusChange(models.Model):
    """An account made inactive, or active again, in the admin: by whom, when and why.

    Written by the user admin (participants/admin/users.py), which asks for
    the reason whenever an account is deactivated; deleted with the account.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="account",
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    is_active = models.BooleanField("active after the change")
    reason = models.TextField("reason", blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="changed by",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    changed_at = models.DateTimeField("when", default=timezone.now)

    class Meta:
        verbose_name = "change of account status"
        verbose_name_plural = "changes of account status"
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        done = "Reactivated" if self.is_active else "Deactivated"
        return f"{done} at {self.changed_at:%Y-%m-%d %H:%M}"


class ExportLog(models.Model):
    """Who exported which list of applicants' data, when, and with what filter."""

    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="exported by",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    exported_at = models.DateTimeField("exported", default=timezone.now, db_index=True)
    what = models.CharField("list", max_length=100)
    file_format = models.CharField("format", max_length=10)
    # Never text someone typed: see participants.exports.admin_filters.
    filters = models.CharField(
        "filters",
        max_length=2000,
        blank=True,
        help_text="The list's filters and the values chosen; a search by its name alone.",
    )
    rows = models.PositiveIntegerField("rows")

    class Meta:
        verbose_name = "export"
        verbose_name_plural = "exports"
        ordering = ["-exported_at"]

    def __str__(self):
        return f"{self.what} ({self.file_format}) at {self.exported_at:%Y-%m-%d %H:%M}"
