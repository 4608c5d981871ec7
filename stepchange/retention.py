"""The retention periods the privacy notice states.

Each feature app that keeps personal data registers a function giving its
periods (a dict of name to number, read from settings' RETENTION_*) from its
AppConfig.ready(); the privacy page shows them all, and the core names no app.
"""

_sources = []


def register_retention_periods(periods):
    """Show the dict `periods()` returns on the privacy notice."""
    if periods not in _sources:
        _sources.append(periods)


def retention_periods():
    """Every registered period, in one dict."""
    merged = {}
    for periods in _sources:
        merged.update(periods())
    return merged
