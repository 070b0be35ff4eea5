"""What the benchmark measures: the datasets and the pages.

A new page joins with one line in PAGES; a detail page names how to pick the object it shows
(busiest(): the one with the most related rows, the page's worst case), and a page that only
some people may see names who views it (viewer; the facilitator by default). A new kind of
data joins the large dataset as a step in bench/seed.py.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass

from django.core.management import call_command
from django.db.models import Count, Exists, OuterRef
from django.urls import reverse

from agents.models import Agent, Department, System, User
from agents.permissions import FACILITATOR, MANAGER
from bench.seed import seed_large
from competencies.models import Assessment, MusRound
from meetings.models import AgendaItem, CalendarFeed, Meeting
from projects.models import Project, Rollout

FACILITATOR_ROLE = "facilitator"
PUBLIC = "no sign-in"


@dataclass(frozen=True)
class Page:
    name: str  # the page's label in the results
    url_name: str  # as given to reverse()
    pick: Callable | None = None  # returns the object that a detail page shows
    query: str = ""  # a query string, e.g. "q=an" for a search
    arg: str = "pk"  # the picked object's attribute that the URL takes
    # Who views the page: a role for the report and a function returning that user (given
    # the picked object, if any); PUBLIC for a page without sign-in.
    role: str = FACILITATOR_ROLE
    viewer: Callable | None = None
    # Only the viewer may see the page: under load, every user requests it with the viewer's
    # session (the other pages with their own).
    only_viewer: bool = False
    # The URL's argument is a secret (a calendar token): the documents show "<token>".
    secret: bool = False

    def target(self):
        """The object a detail page shows (None for a list): pick() runs a query over the
        dataset, so callers that need it more than once pass it on."""
        return self.pick() if self.pick else None

    def url(self, target=None, *, shown=False):
        if self.pick and target is None:
            target = self.pick()
        args = [getattr(target, self.arg)] if self.pick else []
        url = reverse(self.url_name, args=args)
        if shown and self.secret:
            url = url.replace(str(args[0]), "<token>")
        return f"{url}?{self.query}" if self.query else url

    def user(self, target=None):
        """The user to sign in as: None for a public page."""
        if self.role == PUBLIC:
            return None
        if self.viewer is None:
            return facilitator()
        if not self.pick:
            return self.viewer()
        return self.viewer(target if target is not None else self.pick())


def busiest(queryset, relation):
    """The object with the most rows behind `relation`: the detail page's worst case."""

    def pick():
        return queryset.annotate(bench_rows=Count(relation)).order_by("-bench_rows", "pk").first()

    return pick


def facilitator():
    return User.objects.filter(groups__name=FACILITATOR).order_by("pk").first()


def project_with_rollout():
    """The project with the most updates among those rolled out to departments."""
    rolled_out = Project.objects.filter(Exists(Rollout.objects.filter(project=OuterRef("pk"))))
    return busiest(rolled_out, "updates")()


def next_erfa_day():
    """The next published erfa-day with the round on its agenda."""
    return (
        Meeting.objects.upcoming()
        .filter(status=Meeting.Status.PUBLISHED, items__kind=AgendaItem.Kind.ROUND)
        .order_by("date", "pk")
        .first()
    )


def calendar_feed():
    """The facilitator's calendar address, made as the settings page makes it."""
    return CalendarFeed.objects.get_or_create(user=facilitator())[0]


manager_with_most_agents = busiest(User.objects.filter(groups__name=MANAGER), "managed_agents")


def latest_round():
    return MusRound.objects.order_by("-year").first()


def reviewed_assessment():
    """An assessment of the latest round that the manager is reviewing (the manager's form
    with last year's levels beside it: the page's worst case)."""
    return (
        Assessment.objects.filter(round=latest_round(), status=Assessment.Status.REVIEWED)
        .annotate(bench_rows=Count("ratings", distinct=True) + Count("goals", distinct=True))
        .order_by("-bench_rows", "pk")
        .first()
    )


PAGES = [
    Page("home", "home"),
    Page("directory", "agents:directory"),
    Page("agent", "agents:agent", busiest(Agent.objects.active(), "user__system_roles")),
    # The facilitator hands over the roles of the agent who leads the most projects.
    Page("handover", "agents:handover",
         busiest(User.objects.filter(agent__is_active=True), "agent__led_projects"),
         only_viewer=True),
    Page("departments", "agents:departments"),
    Page("department", "agents:department", busiest(Department.objects.all(), "agents")),
    Page("systems", "agents:systems"),
    Page("system", "agents:system", busiest(System.objects.all(), "roles")),
    Page("capacity", "agents:capacity"),
    Page("projects", "projects:index"),
    Page("project", "projects:detail", project_with_rollout),
    Page("search", "projects:search", query="q=robot"),
    Page("erfa_day", "meetings:detail", next_erfa_day),
    Page("feed", "meetings:feed", calendar_feed, arg="token", role=PUBLIC, secret=True),
    Page("team", "competencies:team", role="manager", viewer=manager_with_most_agents,
         only_viewer=True),
    Page("assessment", "competencies:assessment", reviewed_assessment, role="manager",
         viewer=lambda assessment: assessment.agent.manager, only_viewer=True),
    Page("heatmap", "competencies:heatmap", latest_round, only_viewer=True),
]


def seed_demo():
    call_command("seed_demo", stdout=io.StringIO())


# Each dataset is loaded into its own freshly migrated database.
DATASETS = {
    "small": seed_demo,
    "large": seed_large,
}
