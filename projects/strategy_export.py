"""The strategy page's figures as an Excel workbook: one sheet per section."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from projects.export import neutralise


def _sheet(workbook, title, headings, rows):
    sheet = workbook.create_sheet(title[:31])
    sheet.append(headings)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        # Names of goals, departments and projects are typed by people: no formulas.
        sheet.append([neutralise(value) for value in row])
    sheet.freeze_panes = "A2"
    return sheet


def _hours(value):
    return round(value, 1)


def as_xlsx(figures):
    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Summary")[:31]
    totals = figures["totals"]
    for label, value in [
        (_("Period"), str(figures["period"])),
        (_("Projects with a benefit"), totals["projects"]),
        (_("Expected hours saved per year"), totals["expected"]),
        (_("Realised hours saved per year"), totals["realised"]),
        (_("Agent capacity (FTE)"), float(figures["fte"])),
        (_("Expected hours per agent FTE"), _hours(figures["expected_per_fte"] or 0)),
        (_("Realised hours per agent FTE"), _hours(figures["realised_per_fte"] or 0)),
        (_("Stale projects"), figures["stale_total"]),
    ]:
        summary.append([label, value])
    benefit = [_("Projects"), _("Expected hours per year"), _("Realised hours per year")]
    for title, key, heading in [
        (_("By strategy goal"), "by_goal", _("Strategy goal")),
        (_("By department"), "by_department", _("Department")),
    ]:
        _sheet(workbook, title, [heading, *benefit], (
            [r["label"], r["projects"], _hours(r["expected"]), _hours(r["realised"])]
            for r in figures[key]
        ))
    _sheet(workbook, _("By quarter"), [_("Quarter"), *benefit], (
        [r["label"], r["projects"], r["expected"], r["realised"]] for r in figures["by_quarter"]
    ))
    _sheet(workbook, _("Flow"), [_("Quarter"), _("Started"), _("Completed"), _("Abandoned")], (
        [r["label"], r["started"], r["done"], r["dropped"]] for r in figures["flow"]
    ))
    _sheet(workbook, _("Stale"), [_("Lead agent's department"), _("Stale projects")], (
        [r["label"], r["n"]] for r in figures["stale"]
    ))
    _sheet(
        workbook, _("Rollout"),
        [_("Project"), _("Have it"), _("Waiting"), _("Declined"), _("Not in the rollout")],
        ([r["label"], r["have"], r["waiting"], r["declined"], r["outside"]]
         for r in figures["rollouts"]),
    )
    _sheet(workbook, _("Coverage"), [_("Strategy goals with no running project")], (
        [str(g)] for g in figures["idle_goals"]
    ))
    sheet = workbook[_("Coverage")[:31]]
    sheet["C1"] = _("Departments with no project in the last year")
    sheet["C1"].font = Font(bold=True)
    for i, department in enumerate(figures["unreached"], start=2):
        sheet.cell(row=i, column=3, value=neutralise(department.name))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
