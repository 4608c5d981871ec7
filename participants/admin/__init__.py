"""The coordination office's admin: users, expressions of interest, decisions and teams."""

from . import decisions, expressions, records, users

__all__ = ["decisions", "expressions", "records", "users"]
