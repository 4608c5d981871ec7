"""The coordination office's admin: users, expressions of interest, decisions and teams."""

from . import access_log, decisions, expressions, kept_records, records, users

__all__ = ["access_log", "decisions", "expressions", "kept_records", "records", "users"]
