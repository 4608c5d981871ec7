"""The coordination office's EOI list as CSV or XLSX, safe to open in a spreadsheet."""

import csv
import io

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
