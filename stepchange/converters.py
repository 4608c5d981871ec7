"""Path converters for the portal's own URL arguments: a value of the wrong form
never resolves, so the visitor gets the 404 page and no view ever looks it up.

PostgreSQL refuses a query that holds a NUL; these patterns admit none, so no
view needs a NUL check of its own (stepchange/request_guard.py still refuses a
NUL anywhere in a request, query strings, forms and headers included, with 400).
Registered from StepChangeConfig.ready(), before any URLconf is read:

    <reference:reference>  an expression of interest's reference, SC-XXXXX-XXXXX
    <code:code>            a project's code, CP1 or cp1 (views match it case-insensitively)

A workstream's slug takes Django's own <slug:...>; the signed tokens of referee
and unsubscribe links stay <str:...>: their signature is checked before any lookup.
"""

from django.urls import register_converter


class ReferenceConverter:
    """participants.models.new_reference: SC-, then two groups of five of
    Crockford's base32 (no I, L, O or U)."""

    regex = "SC-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class ProjectCodeConverter:
    """Letters, digits, hyphens and underscores: the form Django's slug takes."""

    regex = "[-a-zA-Z0-9_]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


def register():
    register_converter(ReferenceConverter, "reference")
    register_converter(ProjectCodeConverter, "code")
