"""The figures of the strategy page: what the network's projects deliver, where, and what is
stuck. Plain functions over the named QuerySet methods of projects/models.py, each a fixed
number of queries whatever the number of projects; the chart geometry is computed here and
drawn by the templates (templates/projects/strategy*.html)."""

import datetime
import re
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncQuarter
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from agents.models import Agent, Department
from agents.services import percent_to_fte
from projects.models import Project, Rollout, StrategyGoal

# A chart or table shows at most this many rows; the rest are added up in one "others" row,
# so the sums still add up.
ROWS_SHOWN = 12
ROLLOUTS_SHOWN = 10
COVERAGE_SHOWN = 25
QUARTERS_SHOWN = 8
# Departments with no project under way in this many days count as not reached.
REACH_DAYS = 365

CHART_WIDTH = 640
BAR_HEIGHT = 14
LABEL_WIDTH = 220


@dataclass(frozen=True)
class Period:
    """A quarter or a calendar year, named in URLs as "2026" or "2026-2"."""

    year: int
    quarter: int | None = None

    @classmethod
    def parse(cls, text):
        """The period `text` names, or None if it names none."""
        match = re.fullmatch(r"(\d{4})(?:-([1-4]))?", text or "")
        if not match:
            return None
        year = int(match[1])
        if not 2000 <= year <= 2100:
            return None
        return cls(year, int(match[2]) if match[2] else None)

    @classmethod
    def of(cls, day, *, quarter=False):
        return cls(day.year, (day.month - 1) // 3 + 1 if quarter else None)

    @property
    def first(self):
        month = 1 if self.quarter is None else 3 * self.quarter - 2
        return datetime.date(self.year, month, 1)

    @property
    def last(self):
        if self.quarter is None or self.quarter == 4:
            return datetime.date(self.year, 12, 31)
        return datetime.date(self.year, 3 * self.quarter + 1, 1) - datetime.timedelta(days=1)

    @property
    def slug(self):
        return str(self.year) if self.quarter is None else f"{self.year}-{self.quarter}"

    def __str__(self):
        if self.quarter is None:
            return str(self.year)
        return _("Q%(quarter)s %(year)s") % {"quarter": self.quarter, "year": self.year}

    def quarters_up_to_end(self, count=QUARTERS_SHOWN):
        """The `count` quarters that end with the period's last quarter, oldest first."""
        end = Period.of(self.last, quarter=True)
        index = end.year * 4 + end.quarter - 1
        return [Period(i // 4, i % 4 + 1) for i in range(index - count + 1, index + 1)]


def period_choices(today=None):
    """The periods the filter offers: this and the three years before, and the quarters of
    this year and the last, newest first."""
    today = today or timezone.localdate()
    years = [Period(today.year - i) for i in range(4)]
    now = Period.of(today, quarter=True)
    quarters = list(reversed(now.quarters_up_to_end(now.quarter + 4)))
    return [(p.slug, str(p)) for p in [*years[:1], *quarters, *years[1:]]]


def scope(*, period, goal=None, department=None):
    """The projects the page is about: under way in the period, serving the goal and the
    department if they are given. The project list's filters of the same names choose the
    same projects (PortfolioFilterForm), so every figure's link shows what it counts."""
    return serving(Project.objects.active_in(period.first, period.last), goal, department)


def serving(projects, goal=None, department=None):
    if goal is not None:
        projects = projects.filter(goals=goal)
    if department is not None:
        projects = projects.filter(departments=department)
    return projects


def _hours(field):
    return Sum(field, default=0)


def benefit_split(projects, relation, totals, labels):
    """Expected and realised hours a year per strategy goal (`relation` "goals") or per
    department served ("departments"): a project under several is split in equal shares,
    so the rows add up to the totals. The projects under none make a row of their own. One
    query; rows beyond ROWS_SHOWN are added up in an "others" row. `labels` names each goal
    (department) by its primary key, from the lists the page has read already. Returns the
    rows and how many of the projects serve no goal (department).

    The database adds up the hours per goal (department) and number of shares, so each
    project's shares are counted once and no division happens row by row; the few groups
    (a handful per goal or department) are then divided and added up here."""
    through = getattr(Project, relation).through
    key = "strategygoal" if relation == "goals" else "department"
    shares = (
        through.objects.filter(project=OuterRef("project"))
        .order_by()
        .values("project")
        .annotate(n=Count("project"))
        .values("n")
    )
    groups = (
        through.objects.filter(project__in=projects.counting_benefit().values("pk"))
        .annotate(shares=Subquery(shares))
        .values(key, "shares")
        .annotate(
            projects=Count("project"),
            expected=_hours("project__hours_saved_per_year"),
            realised=_hours("project__realised_hours_per_year"),
        )
        .order_by()
    )
    split = {}
    linked = 0.0  # the projects that serve some goal (department), each 1/shares per group
    for group in groups:
        row = split.setdefault(group[key], {
            "pk": group[key], "label": labels[group[key]], "projects": 0,
            "expected": 0.0, "realised": 0.0,
        })
        row["projects"] += group["projects"]
        row["expected"] += group["expected"] / group["shares"]
        row["realised"] += group["realised"] / group["shares"]
        linked += group["projects"] / group["shares"]
    rows = sorted(split.values(), key=lambda r: (-r["expected"], r["label"]))
    shown, rest = rows[:ROWS_SHOWN], rows[ROWS_SHOWN:]
    if rest:
        shown.append({
            "pk": None, "label": _("%(count)s others") % {"count": len(rest)},
            "projects": sum(r["projects"] for r in rest),
            "expected": sum(r["expected"] for r in rest),
            "realised": sum(r["realised"] for r in rest), "others": True,
        })
    expected = totals["expected"] - sum(r["expected"] for r in rows)
    realised = totals["realised"] - sum(r["realised"] for r in rows)
    without = totals["projects"] - round(linked)
    if without:
        shown.append({
            "pk": None, "label": _("No goal") if relation == "goals" else _("No department"),
            "projects": without, "expected": expected, "realised": realised, "none": True,
        })
    return shown, without


def benefit_totals(projects):
    """Expected and realised hours a year over the projects that count (one query)."""
    return projects.counting_benefit().aggregate(
        projects=Count("pk"),
        expected=_hours("hours_saved_per_year"),
        realised=_hours("realised_hours_per_year"),
        realised_projects=Count("pk", filter=Q(realised_hours_per_year__isnull=False)),
    )


def by_quarter(projects, quarters):
    """Expected and realised hours a year of the projects completed in each quarter (one
    query): when a project ends, its benefit begins. Like every benefit figure, only the
    projects that count (counting_benefit())."""
    first, last = quarters[0].first, quarters[-1].last
    rows = (
        projects.counting_benefit()
        .filter(status=Project.Status.DONE)
        .ended_in(first, last)
        .annotate(quarter=TruncQuarter("ended_on"))
        .values("quarter")
        .annotate(
            projects=Count("pk"),
            expected=_hours("hours_saved_per_year"),
            realised=_hours("realised_hours_per_year"),
        )
        .order_by()
    )
    found = {Period.of(_day(r["quarter"]), quarter=True): r for r in rows}
    return [
        {"period": q, "label": str(q), "projects": found.get(q, {}).get("projects", 0),
         "expected": found.get(q, {}).get("expected", 0),
         "realised": found.get(q, {}).get("realised", 0)}
        for q in quarters
    ]


def _day(value):
    return value.date() if isinstance(value, datetime.datetime) else value


def flow(projects, quarters):
    """Projects started, completed and abandoned per quarter (two queries)."""
    first, last = quarters[0].first, quarters[-1].last
    started = {
        Period.of(_day(r["quarter"]), quarter=True): r["n"]
        for r in projects.started_in(first, last)
        .annotate(quarter=TruncQuarter("start_date"))
        .values("quarter").annotate(n=Count("pk")).order_by()
    }
    ended = {}
    for r in (
        projects.ended_in(first, last)
        .filter(status__in=[Project.Status.DONE, Project.Status.DROPPED])
        .annotate(quarter=TruncQuarter("ended_on"))
        .values("quarter", "status").annotate(n=Count("pk")).order_by()
    ):
        ended[(Period.of(_day(r["quarter"]), quarter=True), r["status"])] = r["n"]
    return [
        {"period": q, "label": str(q), "started": started.get(q, 0),
         "done": ended.get((q, Project.Status.DONE), 0),
         "dropped": ended.get((q, Project.Status.DROPPED), 0)}
        for q in quarters
    ]


def stale_by_department(projects):
    """The open projects with no update for 60 days, by their lead agent's department: each
    project counted once, where its lead sits (one query)."""
    rows = list(
        projects.stale()
        .values("lead__department", "lead__department__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "lead__department__name")
    )
    rows = [{"pk": r["lead__department"], "label": r["lead__department__name"], "n": r["n"]}
            for r in rows]
    shown, rest = rows[:ROWS_SHOWN], rows[ROWS_SHOWN:]
    if rest:
        shown.append({"pk": None, "label": _("%(count)s others") % {"count": len(rest)},
                      "n": sum(r["n"] for r in rest), "others": True})
    return shown, sum(r["n"] for r in rows)


def rollouts(projects, department_count):
    """The rolled-out solutions with the most departments in their rollout: for each, the
    share of all departments that have it, are waiting, declined (one query)."""
    have = Q(status__in=[Rollout.Status.INTRODUCED, Rollout.Status.IN_USE])
    rows = (
        Rollout.objects.filter(project__in=projects.values("pk"))
        .values("project", "project__title")
        .annotate(
            have=Count("pk", filter=have),
            waiting=Count("pk", filter=Q(status=Rollout.Status.NOT_STARTED)),
            declined=Count("pk", filter=Q(status=Rollout.Status.DECLINED)),
            rows=Count("pk"),
        )
        .order_by("-rows", "project__title")[:ROLLOUTS_SHOWN]
    )
    result = []
    for r in rows:
        outside = max(department_count - r["rows"], 0)
        result.append({
            "pk": r["project"], "label": r["project__title"], "have": r["have"],
            "waiting": r["waiting"], "declined": r["declined"], "outside": outside,
            "total": department_count,
        })
    return result


def goals_with_running():
    """The strategy goals, each with whether a project serving it is running: a goal of the
    period with none is carried by no project now (one query, with the filter's list)."""
    running = Project.objects.filter(goals=OuterRef("pk"), status=Project.Status.RUNNING)
    return StrategyGoal.objects.annotate(running=Exists(running)).order_by("-first_year", "title")


def departments_with_reach(today=None):
    """Every department, and whether a project serving it was under way in the last year
    (one query, with the filter's list)."""
    today = today or timezone.localdate()
    recent = Project.objects.active_in(
        today - datetime.timedelta(days=REACH_DAYS), today
    ).filter(departments=OuterRef("pk"))
    return Department.objects.annotate(reached=Exists(recent)).order_by("name")


def capacity_fte():
    return percent_to_fte(Agent.objects.capacity()["percent"])


# The geometry of the charts. Numbers only: the templates draw them and label them.


# Each series has a colour of at least 4.5:1 against white and a pattern of its own, so no
# series is told from another by colour alone.
SERIES = {
    "expected": ("#0b4a75", "hatch"),
    "realised": ("#0a6b3d", "solid"),
    "started": ("#0b4a75", "solid"),
    "done": ("#0a6b3d", "hatch"),
    "dropped": ("#6c2a2a", "cross"),
    "n": ("#7a4b00", "solid"),
    "have": ("#0a6b3d", "solid"),
    "waiting": ("#0b4a75", "hatch"),
    "declined": ("#b02a37", "cross"),
    "outside": ("#6c757d", "dots"),
}


def series_labels():
    return {
        "expected": _("Expected"),
        "realised": _("Realised"),
        "started": _("Started"),
        "done": _("Completed"),
        "dropped": _("Abandoned"),
        "n": _("Stale"),
        "have": _("Have it"),
        "waiting": _("Waiting"),
        "declined": _("Declined"),
        "outside": _("Not in the rollout"),
    }


def _series(keys):
    labels = series_labels()
    return [
        {"key": k, "label": labels[k], "colour": SERIES[k][0], "pattern": SERIES[k][1]}
        for k in keys
    ]


def bar_chart(rows, keys):
    """Horizontal bars, one group per row, one bar per key; widths relative to the largest
    value. Returns rows with "bars": [{"key", "colour", "y", "width", "value"}] and the
    height."""
    top = max((row[k] for row in rows for k in keys), default=0) or 1
    span = CHART_WIDTH - LABEL_WIDTH - 70
    group = BAR_HEIGHT * len(keys) + 10
    drawn = []
    for i, row in enumerate(rows):
        y = 10 + i * group
        bars = [
            {"key": k, "colour": SERIES[k][0], "y": y + j * BAR_HEIGHT,
             "width": round(span * row[k] / top, 1),
             "value": row[k], "end": LABEL_WIDTH + round(span * row[k] / top, 1) + 4}
            for j, k in enumerate(keys)
        ]
        drawn.append({**row, "bars": bars, "label_y": y + BAR_HEIGHT * len(keys) / 2 + 4})
    return {"rows": drawn, "height": 10 + len(rows) * group + 10, "width": CHART_WIDTH,
            "label_width": LABEL_WIDTH - 8, "x0": LABEL_WIDTH, "series": _series(keys)}


def share_chart(rows, keys):
    """A bar of 100 % per row, cut into the keys' shares of the row's total."""
    span = CHART_WIDTH - LABEL_WIDTH - 10
    group = BAR_HEIGHT + 12
    drawn = []
    for i, row in enumerate(rows):
        total = row["total"] or 1
        x = LABEL_WIDTH
        parts = []
        for k in keys:
            width = round(span * row[k] / total, 1)
            parts.append({"key": k, "x": x, "width": width, "value": row[k],
                          "percent": round(100 * row[k] / total)})
            x += width
        drawn.append({**row, "parts": parts, "y": 10 + i * group,
                      "label_y": 10 + i * group + BAR_HEIGHT - 3})
    return {"rows": drawn, "height": 10 + len(rows) * group + 10, "width": CHART_WIDTH,
            "label_width": LABEL_WIDTH - 8, "x0": LABEL_WIDTH, "series": _series(keys)}


def figures(*, period, goal=None, department=None, goals, departments):
    """Everything the page and its spreadsheet show. `goals` and `departments` are the lists
    of goals_with_running() and departments_with_reach() the filter offers, read once."""
    projects = scope(period=period, goal=goal, department=department)
    quarters = period.quarters_up_to_end()
    # The charts over time are about when things happened, so they look back from the
    # period rather than at the projects under way in it.
    over_time = serving(Project.objects.all(), goal, department)
    totals = benefit_totals(projects)
    by_goal, totals["without_goals"] = benefit_split(
        projects, "goals", totals, {g.pk: g.title for g in goals}
    )
    by_department, totals["without_departments"] = benefit_split(
        projects, "departments", totals, {d.pk: d.name for d in departments}
    )
    quarterly = by_quarter(over_time, quarters)
    flowing = flow(over_time, quarters)
    fte = capacity_fte()
    stale, stale_total = stale_by_department(projects)
    unreached = [d for d in departments if not d.reached]
    idle_goals = [
        g for g in goals if g.first_year <= period.year <= g.last_year and not g.running
    ]
    return {
        "period": period,
        "totals": totals,
        "fte": fte,
        "expected_per_fte": totals["expected"] / fte if fte else None,
        "realised_per_fte": totals["realised"] / fte if fte else None,
        "by_goal": by_goal,
        "by_department": by_department,
        "by_quarter": quarterly,
        "by_quarter_empty": not any(r["projects"] for r in quarterly),
        "flow": flowing,
        "flow_empty": not any(r["started"] or r["done"] or r["dropped"] for r in flowing),
        "stale": stale,
        "stale_total": stale_total,
        "rollouts": rollouts(projects, len(departments)),
        "idle_goals": idle_goals[:COVERAGE_SHOWN],
        "idle_goal_count": len(idle_goals),
        "unreached": unreached[:COVERAGE_SHOWN],
        "unreached_count": len(unreached),
    }


def _list_url(**filters):
    """The project list with these filters (those that are None left out)."""
    query = {k: v for k, v in filters.items() if v is not None}
    return f"{reverse('projects:index')}?{urlencode(query)}"


def add_links(figures, *, goal=None, department=None):
    """Give each figure the address of the project list that shows exactly the projects
    behind it. A row of another goal (department) than the one filtered by has no link: the
    list filters by one goal (department) at a time. Rows of "others" and "none" have none."""
    page = {
        "period": figures["period"].slug,
        "goal": goal.pk if goal else None,
        "department": department.pk if department else None,
    }
    over_time = {**page, "period": None}
    figures["totals"]["link"] = _list_url(**page, benefit="on")
    for row in figures["by_goal"]:
        if row["pk"] is not None and (goal is None or goal.pk == row["pk"]):
            row["link"] = _list_url(**{**page, "goal": row["pk"]}, benefit="on")
    for row in figures["by_department"]:
        if row["pk"] is not None and (department is None or department.pk == row["pk"]):
            row["link"] = _list_url(**{**page, "department": row["pk"]}, benefit="on")
    for row in figures["by_quarter"]:
        row["link"] = _list_url(
            **over_time, status=Project.Status.DONE, ended=row["period"].slug, benefit="on"
        )
    for row in figures["flow"]:
        slug = row["period"].slug
        row["links"] = {
            "started": _list_url(**over_time, started=slug),
            "done": _list_url(**over_time, status=Project.Status.DONE, ended=slug),
            "dropped": _list_url(**over_time, status=Project.Status.DROPPED, ended=slug),
        }
    figures["stale_link"] = _list_url(**page, stale="on")
    for row in figures["stale"]:
        if row["pk"] is not None:
            row["link"] = _list_url(**page, stale="on", lead_department=row["pk"])
    return figures


def charts(figures):
    """The geometry of each chart, from the figures (no query)."""
    benefit = ["expected", "realised"]
    return {
        "by_goal": bar_chart(figures["by_goal"], benefit),
        "by_department": bar_chart(figures["by_department"], benefit),
        "by_quarter": bar_chart(figures["by_quarter"], benefit),
        "flow": bar_chart(figures["flow"], ["started", "done", "dropped"]),
        "stale": bar_chart(figures["stale"], ["n"]),
        "rollouts": share_chart(figures["rollouts"], ["have", "waiting", "declined", "outside"]),
    }
