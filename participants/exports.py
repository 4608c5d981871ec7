"""The coordination office's EOI list as CSV or XLSX, safe to open in a spreadsheet."""

import csv
import io
from urllib.parse import parse_qsl, quote_plus, urlencode

from django import forms
from django.contrib.admin.views.main import SEARCH_VAR
from django.utils import timezone

from .models import ValidationStatus

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

COLUMNS = [
    ("Reference", lambda eoi: eoi.reference),
    ("Name", lambda eoi: eoi.full_name),
    ("Work email", lambda eoi: eoi.work_email),
    ("Organisation", lambda eoi: eoi.organisation_name),
    ("Sector", lambda eoi: eoi.get_sector_display()),
    (
        "Projects and roles",
        lambda eoi: ", ".join(
            f"{i.project.code} ({i.get_role_display().lower()})"
            for i in eoi.project_interests.all()
        ),
    ),
    ("Status", lambda eoi: eoi.get_status_display()),
    ("Validation", lambda eoi: ValidationStatus(eoi.validation_status).label),
    ("Open conflicts", lambda eoi: eoi.open_conflicts),
    ("Submitted", lambda eoi: _when(eoi.submitted_at)),
    ("Last changed", lambda eoi: _when(eoi.updated_at)),
]


def _when(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def neutralise(value):
    """A cell value a spreadsheet shows as text, never runs (CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def rows(eois):
    yield [header for header, _ in COLUMNS]
    for eoi in eois:
        yield [neutralise(value(eoi)) for _, value in COLUMNS]


def as_csv(eois):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows(eois))
    return buffer.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def as_xlsx(eois):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Expressions of interest")
    for row in rows(eois):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# The export log (ExportLog.filters) keeps which filters made the list, never
# text someone typed: a search for a person's name would outlive their
# erasure, and no foreign key says whose name it was. A parameter's value is
# kept only when it is one the list itself offered (a status, a project, a
# year); any other value of the list's own parameters (a search, a value
# typed into the address) by the parameter's name alone; other parameters
# not at all.


def _stored(query, allowed, known):
    """`query` (a QueryDict) as the export log keeps it. `allowed(name, value)`
    says whether a value was one the list offered; `known` names the list's
    own parameters."""
    parts = []
    for name, values in query.lists():
        for value in values:
            if value == "":
                continue  # nothing chosen, nothing typed
            if allowed(name, value):
                parts.append(urlencode({name: value}))
            elif name in known:
                parts.append(quote_plus(name))
    return "&".join(dict.fromkeys(parts))[:2000]


def admin_filters(request, changelist):
    """An admin list's query string for the export log: the values its list
    filters offered, the date hierarchy's year, month and day, and whether it
    was searched ("q"), without the search's words."""
    offered, known = {}, {SEARCH_VAR}
    for spec in changelist.filter_specs:
        own = set(spec.expected_parameters())
        known |= own
        for choice in spec.choices(changelist):
            for name, value in parse_qsl(choice["query_string"].lstrip("?")):
                if name in own:
                    offered.setdefault(name, set()).add(value)
    dates = set()
    if changelist.date_hierarchy:
        dates = {f"{changelist.date_hierarchy}__{part}" for part in ("year", "month", "day")}
        known |= dates

    def allowed(name, value):
        if name in dates:
            return value.isascii() and value.isdigit()
        return value in offered.get(name, ())

    return _stored(request.GET, allowed, known)


def form_filters(form):
    """A filter form's query string for the export log: the values of its
    choice fields that are among their choices; its other fields by name."""

    def allowed(name, value):
        field = form.fields.get(name)
        return isinstance(field, forms.ChoiceField) and field.valid_value(value)

    return _stored(form.data, allowed, set(form.fields))
