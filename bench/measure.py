"""One round of in-process measurement: each page's SQL query count and server time through
Django's test Client, signed in as the page's viewer (the facilitator, unless
bench/pages.py names a manager, or no one for a public page).

bench.run calls it with DATABASE_URL pointing at a dataset's own, freshly migrated database,
and the other datasets' databases (on the same server) with --also; page by page, the timed
requests alternate between the datasets one by one, so that the drifting speed of a shared
machine falls on all of them alike rather than on one:

    python -m bench.measure large --seed-only --out large-seed.json   # load the dataset first
    python -m bench.measure small --also large=agentnet_bench_1_large --out round-0.json
    python -m bench.measure small --also large=… --sessions 20 --load-dataset large --out …

Seeding runs in a process of its own: the pages are then measured by processes that have not
just made a hundred thousand objects (whose garbage collector would still be walking them).

With --sessions it also signs in that many users (the facilitator, then agents) of the
--load-dataset for the load test and writes their session cookies to the output, and a
session for each page viewed by someone else ("" for a public page).
"""

import argparse
import cProfile
import json
import os
import pstats
import re
import time

from bench.stats import summary_ms

# Session keys and calendar tokens in the logged SQL are left out of the published results.
SESSION_KEY = re.compile(r"(\"(?:session_key|token)\" = )'[^']*'")

# The apps whose tables make up a dataset; counted for the report.
PROJECT_APPS = ["agents", "projects", "meetings", "competencies"]


def inspect_page(client, url, *, warmup):
    """Warm the page up, then read what does not depend on the machine's speed: its SQL
    queries, its Python function calls and its size."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code} during the warm-up.")
    # A separate request counts the queries: capturing them slows the request down.
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    # Read now: the next request clears the connection's query log.
    sql = [SESSION_KEY.sub(r"\1'…'", q["sql"]) for q in captured.captured_queries]
    # The Python function calls of one request: unlike a time, the same on a busy machine
    # and an idle one, so a change in a page's cost shows between runs.
    profile = cProfile.Profile()
    profile.runcall(client.get, url)
    return {
        "path": url,
        "bytes": len(response.content),
        "queries": len(sql),
        "calls": pstats.Stats(profile).total_calls,
        "sql": sql,
        "errors": 0,
        "seconds": [],
        "cpu_seconds": [],
    }


def time_request(client, url, figures):
    """One timed request, added to the page's figures."""
    cpu_started = time.thread_time()
    started = time.perf_counter()
    response = client.get(url)
    figures["seconds"].append(time.perf_counter() - started)
    # CPU time of this process alone: it leaves out PostgreSQL's share, and on a shared
    # machine it shifts with the CPU's speed like the wall time does.
    figures["cpu_seconds"].append(time.thread_time() - cpu_started)
    figures["errors"] += response.status_code != 200


def row_counts():
    from django.apps import apps

    counts = {}
    for label in ["auth", *PROJECT_APPS]:
        for model in apps.get_app_config(label).get_models():
            counts[model._meta.label] = model._default_manager.count()
    return counts


def sign_in(users):
    """A session per user, made the way the login view makes it; returns the cookie values."""
    from django.conf import settings
    from django.test import Client

    cookies = []
    for user in users:
        client = Client()
        client.force_login(user)
        cookies.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    return cookies


def vacuum_analyze():
    """What autovacuum does to a live database after a bulk load: the planner's statistics,
    the visibility map (index-only scans) and the GIN indexes' pending entries merged. Without
    it the first rounds would measure plans for empty tables."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return time.perf_counter() - started


def seed(dataset):
    from bench.pages import DATASETS

    started = time.perf_counter()
    report = DATASETS[dataset]()
    seconds = time.perf_counter() - started
    vacuum_seconds = vacuum_analyze()
    print(f"[{dataset}] seeded in {seconds:.2f} s, VACUUM ANALYZE {vacuum_seconds:.2f} s",
          flush=True)
    return {
        "seed_seconds": seconds,
        "vacuum_seconds": vacuum_seconds,
        "seed_steps": [
            {"step": name, "rows": rows, "seconds": step_seconds}
            for name, rows, step_seconds in getattr(report, "steps", [])
        ],
        "rows": row_counts(),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.measure")
    parser.add_argument("dataset")
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed-only", action="store_true",
                        help="load the dataset and write its figures, measure nothing")
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests per page first")
    parser.add_argument("--also", action="append", default=[], metavar="DATASET=DATABASE",
                        help="measure this dataset's database too, alternating request by request")
    parser.add_argument("--sessions", type=int, default=0)
    parser.add_argument("--load-dataset", help="the dataset --sessions and --explain are for")
    parser.add_argument("--explain", action="store_true",
                        help="EXPLAIN ANALYZE the project list's filters and sorts too")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agentnet.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, connections
    from django.test import Client

    from agents.models import Agent
    from bench.pages import PAGES, PUBLIC, facilitator

    if args.seed_only:
        with open(args.out, "w", encoding="utf-8") as out:
            json.dump({"dataset": args.dataset, **seed(args.dataset)}, out)
        return
    # A connection per dataset, each kept open (as a server's persistent connection is):
    # "default" is pointed at one or the other between requests, outside the timing.
    default = connections["default"]
    databases = {args.dataset: default}
    for also in args.also:
        name, _, database = also.partition("=")
        databases[name] = type(default)({**default.settings_dict, "NAME": database}, "default")

    def use(name):
        connections["default"] = databases[name]
        connection.ensure_connection()

    # Each dataset's pages, their viewers and signed-in clients, read from its own database.
    prepared = {}
    for name in databases:
        use(name)
        clients = {}
        rows = []
        for page in PAGES:
            target = page.target()
            user = page.user(target)
            key = user.pk if user else None
            if key not in clients:
                # The host the benchmark's server accepts; setup_test_environment() (which
                # would add "testserver") is left out because it instruments template
                # rendering and slows it down.
                clients[key] = Client(HTTP_HOST="127.0.0.1")
                if user:
                    clients[key].force_login(user)
            rows.append((page, user, page.url(target), page.url(target, shown=True),
                         clients[key]))
        prepared[name] = rows

    result = {"datasets": {name: {"pages": {}} for name in databases}}
    for index in range(len(PAGES)):
        rows = {name: prepared[name][index] for name in databases}
        figures = {}
        for name, (_page, _user, path, _shown, client) in rows.items():
            use(name)
            figures[name] = inspect_page(client, path, warmup=args.warmup)
        # The timed requests go to each dataset in turn, one by one: the machine's speed,
        # which on a shared machine drifts from second to second, is then the same for both.
        for _ in range(args.requests):
            for name, (_page, _user, path, _shown, client) in rows.items():
                use(name)
                time_request(client, path, figures[name])
        for name, (page, _user, _path, shown, _client) in rows.items():
            figures[name]["viewer"] = page.role
            # What the documents show; "path" is what the load test requests (dropped after).
            figures[name]["url"] = shown
            result["datasets"][name]["pages"][page.name] = figures[name]
            print(
                f"[{name}] {page.name:<12} {figures[name]['queries']:>3} queries  "
                f"median {summary_ms(figures[name]['seconds'])['median_ms']:7.2f} ms  "
                f"{figures[name]['bytes']:>7} bytes",
                flush=True,
            )

    if args.sessions or args.explain:
        use(args.load_dataset)
        loaded = result["datasets"][args.load_dataset]
    if args.sessions:
        first = facilitator()
        agents = (
            Agent.objects.active()
            .exclude(user=first)
            .select_related("user")
            .order_by("pk")[: args.sessions - 1]
        )
        loaded["session_cookie_name"] = settings.SESSION_COOKIE_NAME
        loaded["sessions"] = sign_in([first, *(a.user for a in agents)])
        # A page only its viewer may see is requested with the viewer's session by every
        # user of the load test; a public page with none.
        # The session of the client that measured the page is that viewer's.
        loaded["page_sessions"] = {
            page.name: client.cookies[settings.SESSION_COOKIE_NAME].value if user else ""
            for page, user, _path, _shown, client in prepared[args.load_dataset]
            if page.only_viewer or page.role == PUBLIC
        }
    if args.explain:
        from bench.explain import portfolio_plans

        loaded["explain"] = portfolio_plans()

    with open(args.out, "w", encoding="utf-8") as out:
        json.dump(result, out)


if __name__ == "__main__":
    main()
