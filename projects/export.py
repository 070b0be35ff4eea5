"""The portfolio as Excel and CSV, with exactly the filter the page shows."""

import csv
import io

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

# The export runs over the whole filtered list, so rows are fetched in chunks.
CHUNK = 500

# A cell that begins with one of these is read as a formula by Excel and LibreOffice
# (tab and carriage return too, once the spreadsheet trims them), so any text that
# people typed could run on the reader's machine.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def columns():
    return [
        (_("Title"), lambda p: p.title),
        (_("Status"), lambda p: p.get_status_display()),
        (_("Phase"), lambda p: p.get_phase_display()),
        (_("Lead agent"), lambda p: str(p.lead.user)),
        (_("Lead agent's department"), lambda p: str(p.lead.department)),
        (_("Departments served"), lambda p: ", ".join(str(d) for d in p.departments.all())),
        (_("Type"), lambda p: ", ".join(str(t) for t in p.types.all())),
        (_("Start date"), lambda p: p.start_date),
        (_("Target date"), lambda p: p.target_date),
        (_("Expected hours saved per year"), lambda p: p.hours_saved_per_year),
        (_("Realised hours saved per year"), lambda p: p.realised_hours_per_year),
        (_("DPIA done"), lambda p: _("yes") if p.dpia_done else _("no")),
        (_("Correspondence journalised"), lambda p: _("yes") if p.journalised else _("no")),
        (_("Last activity"), lambda p: timezone.localtime(p.last_activity_at).date()),
    ]


def neutralise(value):
    """Text that a spreadsheet would run as a formula, prefixed with a quote (OWASP's advice).

    Numbers and dates are left typed: only text can carry a formula.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _rows(projects):
    cols = columns()
    for project in projects.iterator(chunk_size=CHUNK):
        yield [neutralise(get(project)) for _title, get in cols]


def as_xlsx(projects):
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = _("Projects")[:31]
    headings = [title for title, _getter in columns()]
    sheet.append(headings)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in _rows(projects):
        sheet.append(row)
    for column_cells in sheet.iter_cols(min_row=2):
        for cell in column_cells:
            if hasattr(cell.value, "year"):
                cell.number_format = "DD-MM-YYYY"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def as_csv(projects):
    buffer = io.StringIO()
    # Semicolons and a byte-order mark: what Danish Excel opens correctly.
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([title for title, _getter in columns()])
    for row in _rows(projects):
        writer.writerow(
            [date_format(v, "SHORT_DATE_FORMAT") if hasattr(v, "year") else v for v in row]
        )
    return buffer.getvalue()
