"""The pages the benchmark measures, by URL, and their SQL queries and server time in process.

    python -m bench pages --database small=<database> --database large=<database> --out x.json

Each page is requested through Django's test Client, signed in as its viewer, on each dataset's
database (on the server DATABASE_URL names): warm-up requests, one whose SQL queries are
counted, then timed requests alternating one by one between the datasets, so that the drifting
speed of a shared machine falls on all alike. The output also holds a session cookie for each
page's viewer on the last dataset, for the load test. A page joins with one line in PAGES.
Beside the pages, the queries of one run of the daily digest for everyone on each dataset.
"""

import argparse
import cProfile
import json
import pstats
import statistics
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import connection, connections, transaction
from django.db.models import Count, Exists, OuterRef
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve
from django.utils import timezone

from agents.models import Agent, Department, System, User
from agents.permissions import FACILITATOR, MANAGER
from competencies.models import Assessment, MusRound
from meetings.models import AgendaItem, CalendarFeed, Meeting
from projects.models import Project, Rollout

try:
    from agentnet.digest import send_digests
except ImportError:  # a commit from before the daily digest, measured with --before
    send_digests = None

NOBODY = "nobody"  # a public page: no session


def busiest(queryset, relation):
    """The object with the most rows behind `relation`: a detail page's worst case."""
    return lambda: queryset.annotate(n=Count(relation)).order_by("-n", "pk").first()


def facilitator(_target=None):
    return User.objects.filter(groups__name=FACILITATOR).order_by("pk").first()


def project_with_rollout():
    """The project with the most updates among those rolled out to departments."""
    return busiest(Project.objects.filter(Exists(Rollout.objects.filter(project=OuterRef("pk")))),
                   "updates")()


def next_erfa_day():
    """The next published erfa-day with the round on its agenda."""
    return (
        Meeting.objects.filter(date__gte=timezone.localdate(), status=Meeting.Status.PUBLISHED,
                               items__kind=AgendaItem.Kind.ROUND)
        .order_by("date", "pk")
        .first()
    )


def reviewed_assessment():
    """An assessment of the latest round that its manager is reviewing: the manager's form
    with last year's levels beside it, the page's worst case."""
    latest = MusRound.objects.order_by("-year").first()
    return (
        Assessment.objects.filter(round=latest, status=Assessment.Status.REVIEWED)
        .annotate(n=Count("ratings", distinct=True) + Count("goals", distinct=True))
        .order_by("-n", "pk")
        .first()
    )


@dataclass(frozen=True)
class Page:
    name: str
    url: str  # "{}" stands for the picked object's `arg`
    weight: int  # of every 100 requests under load, how many are for this page
    pick: object = None  # returns the object a detail page shows
    arg: str = "pk"
    viewer: object = facilitator  # returns the user who views it, given the picked object
    role: str = "facilitator"  # the viewer, as the report names them

    def path(self, target):
        return self.url.format(getattr(target, self.arg)) if self.pick else self.url


# The weights say what people ask for: the front page and the projects most; an erfa-day's
# page and the calendar feed around each erfa-day; the directory's pages now and then; a
# manager's pages, the heatmap and the strategy page rarely. They add up to 100.
PAGES = [
    Page("home", "/", 17),
    Page("projects", "/projekter/", 12),
    Page("project", "/projekter/{}/", 16, project_with_rollout),
    Page("search", "/projekter/soeg/?q=robot", 8),
    Page("erfa_day", "/erfa-dage/{}/", 8, next_erfa_day),
    Page("feed", "/erfa-dage/kalender/{}.ics", 6,
         lambda: CalendarFeed.objects.get_or_create(user=facilitator())[0], arg="token",
         viewer=lambda _target: None, role=NOBODY),
    Page("directory", "/netvaerk/", 6),
    Page("agent", "/netvaerk/agenter/{}/", 6,
         busiest(Agent.objects.filter(is_active=True), "user__system_roles")),
    Page("department", "/netvaerk/afdelinger/{}/", 3, busiest(Department.objects.all(), "agents")),
    Page("system", "/netvaerk/systemer/{}/", 3, busiest(System.objects.all(), "roles")),
    Page("departments", "/netvaerk/afdelinger/", 2),
    Page("systems", "/netvaerk/systemer/", 2),
    Page("capacity", "/netvaerk/kapacitet/", 2),
    Page("strategy", "/strategi/", 1),
    Page("assessment", "/kompetencer/vurdering/{}/", 3, reviewed_assessment,
         viewer=lambda assessment: assessment.agent.manager, role="manager"),
    Page("team", "/kompetencer/mine-medarbejdere/", 1,
         viewer=lambda _target: busiest(User.objects.filter(groups__name=MANAGER),
                                        "managed_agents")(), role="manager"),
    Page("team_profiles", "/kompetencer/mine-medarbejdere/profiler/", 1,
         viewer=lambda _target: busiest(User.objects.filter(groups__name=MANAGER),
                                        "managed_agents")(), role="manager"),
    Page("heatmap", "/kompetencer/runder/{}/daekning/", 2,
         lambda: MusRound.objects.order_by("-year").first()),
    # The facilitator hands over the roles of the agent who leads the most projects.
    Page("handover", "/netvaerk/personer/{}/overdrag/", 1,
         busiest(User.objects.filter(agent__is_active=True), "agent__led_projects")),
]


def visit(page):
    """The page's path and a client signed in as its viewer, on the current database."""
    target = page.pick() if page.pick else None
    user = page.viewer(target)
    # The host the benchmark's server accepts; setup_test_environment() (which would add
    # "testserver") is left out because it instruments template rendering.
    client = Client(HTTP_HOST="127.0.0.1")
    if user:
        client.force_login(user)
    return page.path(target), client


def inspect(client, path, *, warmup):
    """Warm the page up, then count its SQL queries (in a request of their own: capturing
    slows it down) and its bytes."""
    for _ in range(warmup):
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code} during the warm-up.")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    return {"queries": len(captured), "bytes": len(response.content)}


def python_calls(client, path):
    """The Python function calls of one request: unlike a time, the same on a busy machine
    and an idle one (tests/test_bench_pages.py compares them)."""
    profile = cProfile.Profile()
    profile.runcall(client.get, path)
    return pstats.Stats(profile).total_calls


def digest_queries():
    """The SQL queries of one run of the daily digest for everyone on the current database,
    on the coming Monday (so with the facilitator's weekly summary), rolled back so that
    nothing is remembered or mailed: the same on a small network and a large one."""
    if send_digests is None:
        return None
    today = timezone.localdate()
    monday = today + timedelta(days=7 - today.weekday())
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        people = send_digests(monday)
        transaction.set_rollback(True)
    return {"queries": len(captured), "people": people}


def _exists(url):
    try:
        resolve(url.replace("{}", "1").split("?")[0])
    except Resolver404:
        return False
    return True


def measure(databases, *, requests, warmup):
    """Every page on every dataset: {page: {url, role, weight, <dataset>: figures}}, and a
    session cookie for each page's viewer on the last dataset."""
    default = connections["default"]
    opened = {
        name: type(default)({**default.settings_dict, "NAME": database}, "default")
        for name, database in databases.items()
    }

    def use(name):
        connections["default"] = opened[name]
        # The datasets share this process: their cached entries must not be read for each
        # other's (a session, the heatmap's counts).
        for cache in caches.all():
            cache.key_prefix = name

    # An earlier commit (--before) may not have every page yet: those it has not are left out
    # of its figures and of its load, and the report shows a dash.
    pages = [page for page in PAGES if _exists(page.url)]
    for page in PAGES:
        if page not in pages:
            print(f"[all] {page.name:<12} not in this tree", flush=True)
    visits = {}
    for name in opened:
        use(name)
        visits[name] = [visit(page) for page in pages]
    results, cookies = {}, {}
    for index, page in enumerate(pages):
        figures = {}
        for name in opened:
            use(name)
            path, client = visits[name][index]
            shown = page.url.format("<token>") if page.arg == "token" else path
            figures[name] = {**inspect(client, path, warmup=warmup), "url": shown, "ms": []}
        for _ in range(requests):
            for name in opened:
                use(name)
                path, client = visits[name][index]
                started = time.perf_counter()
                status = client.get(path).status_code
                figures[name]["ms"].append((time.perf_counter() - started) * 1000)
                if status != 200:
                    raise SystemExit(f"{path} answered {status}.")
        for name, f in figures.items():
            f["median_ms"] = statistics.median(f.pop("ms"))
            print(f"[{name}] {page.name:<12} {f['queries']:>3} queries  "
                  f"median {f['median_ms']:7.2f} ms  {f['bytes']:>7} bytes", flush=True)
        results[page.name] = {"role": page.role, "weight": page.weight, **figures}
        path, client = visits[list(opened)[-1]][index]
        cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
        cookies[page.name] = {
            "path": path, "cookie": f"{cookie.key}={cookie.value}" if cookie else "",
        }
    digest = {}
    for name in opened:
        use(name)
        digest[name] = digest_queries()
        if digest[name]:
            print(f"[{name}] {'digest':<12} {digest[name]['queries']:>3} queries  "
                  f"for {digest[name]['people']} people", flush=True)
    return results, cookies, digest


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench pages")
    parser.add_argument("--database", action="append", required=True, metavar="DATASET=NAME",
                        help="a dataset's database; the last one's sessions are written out")
    parser.add_argument("--requests", type=int, default=60, help="timed, per page and dataset")
    parser.add_argument("--warmup", type=int, default=5, help="untimed, per page and dataset")
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    databases = dict(item.split("=", 1) for item in args.database)
    pages, sessions, digest = measure(databases, requests=args.requests, warmup=args.warmup)
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump({"pages": pages, "sessions": sessions, "digest": digest}, out)
