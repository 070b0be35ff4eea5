"""EXPLAIN ANALYZE of the project list's filters and sorts, on the dataset at hand.

bench.measure runs it once on the large dataset (``--explain``); docs/performance.md shows
each variant's plan: which scans PostgreSQL chose for the count and for the first page, and
how long each took. A sequential scan over a large table there is a candidate for an index.
"""

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext

from agentnet.pagination import PAGE_SIZE
from agents.models import Agent, Department, System
from bench.pages import busiest
from projects.forms import PortfolioFilterForm
from projects.models import ProjectType, StrategyGoal

# label: the list's GET parameters (a value may be a function returning it), and why the plan
# looks as it does.
VARIANTS = {
    "default (latest activity)": ({}, ""),
    "title contains, common word": (
        {"q": "robot"},
        "Many titles match: PostgreSQL reads the title index rather than the trigram one.",
    ),
    "title contains, rare word": (
        {"q": "bankafstemning i Økonomi"},
        "The trigram GIN index on UPPER(title) (migration 0005) finds the few matches.",
    ),
    "status": ({"status": "running"}, ""),
    "department": ({"department": lambda: _busiest(Department.objects.all(), "projects")}, ""),
    "type": ({"type": lambda: _busiest(ProjectType.objects.all(), "projects")}, ""),
    "system": ({"system": lambda: _busiest(System.objects.all(), "projects")}, ""),
    "strategy goal": ({"goal": lambda: _busiest(StrategyGoal.objects.all(), "projects")}, ""),
    "agent": (
        {"agent": lambda: _busiest(Agent.objects.active(), "led_projects")},
        "Project.objects.of_agent(): the lead's projects UNION the co-agent's, two "
        "indexed look-ups, then the projects by primary key.",
    ),
    "stale": ({"stale": "on"}, ""),
    "sorted by title": ({"sort": "title"}, ""),
    "sorted by target date": (
        {"sort": "target"},
        "The B-tree on (target_date, -id) (migration 0005) gives the sort's order.",
    ),
    "sorted by status": (
        {"sort": "status"},
        "The B-tree on (status, -id) (migration 0005) gives the sort's order.",
    ),
    "status, sorted by title": ({"status": "running", "sort": "title"}, ""),
}


def _busiest(queryset, relation):
    return busiest(queryset, relation)().pk


def _queries(data):
    """The SQL of the list's count and first page, as the page runs them."""
    projects = PortfolioFilterForm(data or None).projects()
    with CaptureQueriesContext(connection) as captured:
        # As Paginator(projects, PAGE_SIZE).page(1) runs them, also when nothing matches.
        projects.count()
        list(projects[:PAGE_SIZE])
    # Then the prefetches of the page's types and departments, by primary key.
    count, page = (query["sql"] for query in captured.captured_queries[:2])
    return {"count": count, "page": page}


def _scans(node):
    """The plan's scan nodes, outermost first: "Index Scan using x on y"."""
    found = []
    kind = node["Node Type"]
    if "Scan" in kind and kind not in ("Subquery Scan", "CTE Scan"):
        label = kind
        if "Index Name" in node:
            label += f" using {node['Index Name']}"
        if "Relation Name" in node:
            label += f" on {node['Relation Name']}"
        found.append(f"{label} ({node.get('Actual Rows', 0) * node.get('Actual Loops', 1)} rows)")
    for child in node.get("Plans", []):
        found += _scans(child)
    return found


def _explain(sql):
    best = None
    with connection.cursor() as cursor:
        # The fastest of three: the first run may read from disk, the others from the cache.
        for _ in range(3):
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            ms = plan[0]["Execution Time"]
            if best is None or ms < best[0]:
                best = (ms, plan[0])
    ms, plan = best
    return {"scans": _scans(plan["Plan"]), "execution_ms": ms, "planning_ms": plan["Planning Time"]}


def portfolio_plans():
    if connection.vendor != "postgresql":
        return []
    plans = []
    for label, (data, note) in VARIANTS.items():
        params = {key: str(value() if callable(value) else value) for key, value in data.items()}
        queries = _queries(params)
        plans.append({
            "variant": label,
            "query": "&".join(f"{k}={v}" for k, v in params.items()),
            "note": note,
            "count": _explain(queries["count"]),
            "page": _explain(queries["page"]),
        })
    return plans
