"""What the benchmark measures: the datasets and the pages.

A new page joins with one line in PAGES; a detail page names how to pick the object it shows
(busiest(): the one with the most related rows, the page's worst case). A new kind of data
joins the large dataset as a step in bench/seed.py.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass

from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse

from agents.models import Agent, Department, System
from bench.seed import seed_large


@dataclass(frozen=True)
class Page:
    name: str  # the page's label in the results
    url_name: str  # as given to reverse()
    pick: Callable | None = None  # returns the object that a detail page shows
    query: str = ""  # a query string, e.g. "q=an" for a search

    def url(self):
        url = reverse(self.url_name, args=[self.pick().pk] if self.pick else [])
        return f"{url}?{self.query}" if self.query else url


def busiest(queryset, relation):
    """The object with the most rows behind `relation`: the detail page's worst case."""

    def pick():
        return queryset.annotate(bench_rows=Count(relation)).order_by("-bench_rows", "pk").first()

    return pick


PAGES = [
    Page("home", "home"),
    Page("directory", "agents:directory"),
    Page("agent", "agents:agent", busiest(Agent.objects.active(), "user__system_roles")),
    Page("departments", "agents:departments"),
    Page("department", "agents:department", busiest(Department.objects.all(), "agents")),
    Page("systems", "agents:systems"),
    Page("system", "agents:system", busiest(System.objects.all(), "roles")),
    Page("capacity", "agents:capacity"),
]


def seed_demo():
    call_command("seed_demo", stdout=io.StringIO())


# Each dataset is loaded into its own freshly migrated database.
DATASETS = {
    "small": seed_demo,
    "large": seed_large,
}
