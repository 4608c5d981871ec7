"""Data protection: retention.

How long personal data is kept: participants.data_protection.retention.apply_retention_policy
applies these every night (a periodic task made by the migration
participants/0012), and the privacy notice states them.
"""

from django.core.exceptions import ImproperlyConfigured

from .environment import env


def retention_period(name, default):
    """A whole number of months or days, 1 or more, from the environment."""
    value = env.int(name, default=default)
    if value < 1:
        raise ImproperlyConfigured(f"{name} must be a whole number of 1 or more, not {value}.")
    return value


RETENTION_DECLINED_WITHDRAWN_MONTHS = retention_period("RETENTION_DECLINED_WITHDRAWN_MONTHS", 12)
RETENTION_UNVERIFIED_ACCOUNT_DAYS = retention_period("RETENTION_UNVERIFIED_ACCOUNT_DAYS", 30)
RETENTION_NOTICE_MONTHS = retention_period("RETENTION_NOTICE_MONTHS", 12)
RETENTION_PROJECT_QUESTION_MONTHS = retention_period("RETENTION_PROJECT_QUESTION_MONTHS", 12)
RETENTION_ACCESS_LOG_MONTHS = retention_period("RETENTION_ACCESS_LOG_MONTHS", 24)
RETENTION_EXPORT_LOG_MONTHS = retention_period("RETENTION_EXPORT_LOG_MONTHS", 24)
