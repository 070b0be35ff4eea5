"""The budgets, and docs/performance.md written from a run's figures."""

import statistics

MAX_QUERIES = 15
MAX_SLOWDOWN = 1.5  # large-dataset median server time against the small one
# Below this the small dataset's median is not compared as it is: a page that takes a few
# hundred microseconds would fail the 1.5x budget on scheduler and GC noise alone.
FLOOR_MS = 1.0
MAX_LOAD_ERRORS = 0
MAX_P95_MS = 150
MAX_RSS_MIB = 200

BUDGETS = {
    "queries_same": "same query count on small and large",
    "queries_max": f"queries per page ≤ {MAX_QUERIES}",
    "slowdown": f"median server time, large ≤ {MAX_SLOWDOWN} × small (floor {FLOOR_MS} ms)",
    "errors": f"errors under load = {MAX_LOAD_ERRORS}",
    "p95_people": f"p95 latency under load, users pausing between pages ≤ {MAX_P95_MS} ms",
    "p95": f"p95 latency under load, no pause (a request in flight per user) ≤ {MAX_P95_MS} ms",
    "rss": f"peak RSS per gunicorn worker ≤ {MAX_RSS_MIB} MiB",
}


def _check(budget, subject, value, ok):
    return {"budget": budget, "subject": subject, "value": value, "pass": bool(ok)}


def slowdown(small_ms, large_ms):
    return large_ms / max(small_ms, FLOOR_MS)


def paired_slowdown(small_page, large_page):
    """The median over rounds of the large median against the small median measured just
    before it (seconds apart): a slower spell of the machine falls on both sides of a ratio
    instead of on one dataset's pooled samples."""
    pairs = zip(small_page["round_medians_ms"], large_page["round_medians_ms"], strict=True)
    return statistics.median(slowdown(s, lg) for s, lg in pairs)


def evaluate_in_process(results):
    """The budgets of the in-process part: queries and server time."""
    checks = []
    small = results["datasets"]["small"]["pages"]
    large = results["datasets"]["large"]["pages"]
    for page in large:
        qs, ql = small[page]["queries"], large[page]["queries"]
        # Every round of both datasets must agree, not only the highest counts.
        counts = {*small[page]["queries_per_round"], *large[page]["queries_per_round"]}
        checks.append(_check("queries_same", page, f"{qs} / {ql}", len(counts) == 1))
        checks.append(_check("queries_max", page, max(qs, ql), max(qs, ql) <= MAX_QUERIES))
        ratio = paired_slowdown(small[page], large[page])
        checks.append(_check("slowdown", page, round(ratio, 2), ratio <= MAX_SLOWDOWN))
    return checks


def evaluate(results):
    checks = evaluate_in_process(results)
    load = results["load"]
    for label, errors in load_errors(load).items():
        checks.append(_check("errors", label, errors, errors <= MAX_LOAD_ERRORS))
    for budget, phase in (("p95_people", "people"), ("p95", "mix")):
        for page, figures in load["phases"][phase]["pages"].items():
            p95 = figures["p95_ms"]
            checks.append(_check(budget, page, round(p95, 1), p95 <= MAX_P95_MS))
    for worker in load["workers"]:
        rss = worker["peak_rss_mib"]
        checks.append(_check("rss", f"worker {worker['pid']}", round(rss, 1), rss <= MAX_RSS_MIB))
    return checks


def load_errors(load):
    """Errors per page (and per ceiling) over every load phase, the warm-up included."""
    errors = {}
    for phase in load["phases"].values():
        for label, figures in phase["pages"].items():
            errors[label] = errors.get(label, 0) + figures["errors"]
    return errors


def _verdict(ok):
    return "pass" if ok else "**FAIL**"


def _thousands(number):
    return f"{number:,}".replace(",", " ")


def cpu_paragraph(people, mix, settings, cores):
    """Where the cores went in the two load runs, and what the no-pause budget would ask."""
    text = (
        f"\nWith people pausing, the server answered {people['rps']:.1f} requests/s and the "
        f"workers used {people['worker_cpu_cores']:.2f} CPU cores. Without pauses, the "
        f"gunicorn workers used {mix['worker_cpu_cores']:.2f} CPU cores "
        f"({mix['worker_cpu_ms_per_request']:.1f} ms of CPU per request), PostgreSQL "
        f"{mix.get('database_cpu_cores', 0):.2f} and the load driver "
        f"{mix.get('driver_cpu_cores', 0):.2f}, while the machine as a whole kept "
        f"{mix['machine_busy_cores']:.2f} of its {cores} cores busy."
    )
    # The slowest page's p95 (or all pages', where the pages are not given).
    worst = max([p["p95_ms"] for p in mix.get("pages", {}).values()] or [mix["p95_ms"]])
    if worst <= MAX_P95_MS or not mix["rps"]:
        return text + "\n"
    # Closed loop: latency = users / throughput, so the budget asks for this throughput.
    needed = mix["rps"] * worst / MAX_P95_MS
    return text + (
        f" With {settings['users']} requests always in flight, a p95 of {MAX_P95_MS} ms "
        f"for every page asks for about {needed:.0f} requests/s instead of "
        f"{mix['rps']:.0f}: at most {1000 * cores / needed:.1f} ms of the machine's CPU per "
        f"request for workers, database and driver together, against "
        f"{1000 * mix['machine_busy_cores'] / mix['rps']:.1f} ms now.\n"
    )


# The configure options of CPython that decide its speed, as the report names them.
BUILD_OPTIONS = [
    ("profile-guided optimisation", "--enable-optimizations"),
    ("link-time optimisation", "--with-lto"),
    ("shared libpython", "--enable-shared"),
]


def python_build(build):
    """The interpreter's path and whether it was built with the optimisations a server's
    Python has (bench.run.python_build)."""
    if not build:
        return "not recorded"
    said = [
        f"{what} (`{option}`): {'yes' if option in build['configure'] else 'no'}"
        for what, option in BUILD_OPTIONS
    ]
    return f"`{build['executable']}`; " + ", ".join(said)


def machine_speed(load, pages):
    """The ceiling view's CPU time per request in the workers, median over the pages: the
    same work on every run, so it tells how fast the machine was while it was measured."""
    costs = [
        load["phases"][f"ceiling:{page}"]["worker_cpu_ms_per_request"]
        for page in pages
        if f"ceiling:{page}" in load["phases"]
    ]
    if not costs:
        return "not measured"
    return (
        f"the ceiling view (below) cost {statistics.median(costs):.1f} ms of the workers' CPU "
        "per request, median over the pages: the same work on every run, so a machine half "
        "as fast shows twice this, and about twice every time in this report"
    )


def _table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def markdown(results):
    checks = results["budgets"]
    by_key = {(c["budget"], c["subject"]): c for c in checks}
    m = results["machine"]
    s = results["settings"]
    small = results["datasets"]["small"]
    large = results["datasets"]["large"]
    load = results["load"]
    mix = load["phases"]["mix"]
    out = [
        "# Performance\n\n",
        "Written by `make bench` from the figures of its last run; do not edit by hand, run it "
        "again (see *How it is measured* below). All figures are also in "
        "[performance.json](performance.json).\n\n",
        f"Overall: {'every budget passes' if results['pass'] else '**some budgets fail**'}.\n\n",
        "## Budgets\n\n",
    ]
    rows = []
    for key, text in BUDGETS.items():
        mine = [c for c in checks if c["budget"] == key]
        failed = [f"{c['subject']} ({c['value']})" for c in mine if not c["pass"]]
        rows.append([text, f"{len(mine) - len(failed)} of {len(mine)}",
                     _verdict(not failed), ", ".join(failed) or "–"])
    out.append(_table(["budget", "met", "verdict", "missed by"], rows))
    out.append(
        "\n`make test` holds the first two on any machine (tests/test_bench_pages.py): the "
        "same pages on a network and on one with four times its projects and three times its "
        "agents make the same number of queries, at most 15, and at most 1.5 times the Python "
        "function calls.\n"
    )

    out.append("\n## Machine and run\n\n")
    out.append(_table(["", ""], [
        ["date", results["date"]],
        ["command", f"`{results['command']}`"],
        ["run time", f"{results['run_seconds']:.0f} s"],
        ["load average (1 min): start, before the load test, end",
         " / ".join(str(results["loadavg"][k][0]) for k in ("start", "before_load", "end"))],
        ["speed of the machine", machine_speed(load, large["pages"])],
        ["nproc", m["nproc"]],
        ["memory", f"{m['memory_gib']} GiB"],
        ["CPU", m["cpu_model"]],
        ["OS", m["os"]],
        ["Python", m["python"]],
        ["Python build", python_build(m.get("python_build"))],
        ["Django", m["django"]],
        ["PostgreSQL", m["postgresql"]],
        ["gunicorn", m["gunicorn"]],
        ["psycopg2", m["psycopg2"]],
    ]))

    out.append("\n## Datasets\n\n")
    models = sorted(set(small["rows"]) | set(large["rows"]))
    out.append(_table(
        ["table", "small", "large"],
        [[name, small["rows"].get(name, 0), large["rows"].get(name, 0)] for name in models
         if small["rows"].get(name) or large["rows"].get(name)]
        + [["seeding time", f"{small['seed_seconds']:.2f} s", f"{large['seed_seconds']:.2f} s"],
           ["then VACUUM ANALYZE", f"{small.get('vacuum_seconds', 0):.2f} s",
            f"{large.get('vacuum_seconds', 0):.2f} s"]],
    ))
    out.append("\nThe large dataset's seeding steps (bulk inserts, `python manage.py "
               "seed_large`):\n\n")
    out.append(_table(
        ["step", "rows", "seconds"],
        [[st["step"], st["rows"], f"{st['seconds']:.3f}"] for st in large["seed_steps"]],
    ))

    out.append("\n## Pages in process: SQL queries and server time\n\n")
    out.append(
        f"{s['rounds']} rounds of {s['requests_per_page']} timed requests per page and dataset "
        f"(after {s['warmup_requests']} warm-up requests), alternating one by one between the "
        "small and the large dataset, signed in as the page's viewer; times in ms. *Calls* are "
        "the Python function calls of one request (counted by cProfile): unlike a time, the "
        "same on a busy machine and an idle one, so a change in a page's cost shows between "
        "runs.\n\n"
    )
    rows = []
    for page, lp in large["pages"].items():
        sp = small["pages"][page]
        floor = " (floor)" if min(sp["round_medians_ms"]) < FLOOR_MS else ""
        rows.append([
            f"`{page}`", lp["url"], lp.get("viewer", "facilitator"), sp["queries"],
            lp["queries"],
            f"{sp['median_ms']:.2f}", f"{sp['p95_ms']:.2f}",
            f"{lp['median_ms']:.2f}", f"{lp['p95_ms']:.2f}",
            f"{paired_slowdown(sp, lp):.2f}{floor}",
            f"{sp['cpu_median_ms']:.2f}", f"{lp['cpu_median_ms']:.2f}",
            _thousands(sp.get("calls", 0)), _thousands(lp.get("calls", 0)),
            _thousands(lp["bytes"]),
            _verdict(by_key[("queries_same", page)]["pass"]
                     and by_key[("queries_max", page)]["pass"]),
            _verdict(by_key[("slowdown", page)]["pass"]),
        ])
    out.append(_table(
        ["page", "URL (large)", "viewer", "queries small", "queries large", "median small",
         "p95 small", "median large", "p95 large", "large / small", "CPU median small",
         "CPU median large", "calls small", "calls large", "bytes (large)",
         "queries", "time"],
        rows,
    ))
    out.append(explain_section(large.get("explain", [])))

    people = load["phases"]["people"]
    low, high = s["pause"]
    out.append(f"\n## Under load: {s['users']} users, gunicorn with {s['workers']} workers, "
               "large dataset\n\n")
    out.append(
        "Every user requests the pages in turn (a mix of all pages), in two runs: "
        f"*people*, {s['people_seconds']:g} s in which each user pauses {low:g} to {high:g} s "
        "between pages (a person reading a page takes longer), and *no pause*, "
        f"{s['mix_seconds']:g} s in which each user asks for the next page as soon as the "
        f"last one has come, so {s['users']} requests are always in flight for "
        f"{s['workers']} workers (the server's capacity; latency ≈ {s['users']} ÷ "
        "throughput). Latency in ms, errors over every load phase.\n\n"
    )
    errors = load_errors(load)
    rows = []
    for page, f in people["pages"].items():
        g = mix["pages"][page]
        rows.append([
            f"`{page}`", f["requests"], f"{f['median_ms']:.1f}", f"{f['p95_ms']:.1f}",
            _verdict(by_key[("p95_people", page)]["pass"]), g["requests"], f"{g['rps']:.1f}",
            f"{g['median_ms']:.1f}", f"{g['p95_ms']:.1f}", _verdict(by_key[("p95", page)]["pass"]),
            errors.get(page, 0),
        ])
    rows.append([
        "**all**", people["requests"], f"{people['median_ms']:.1f}",
        f"{people['p95_ms']:.1f}", "", mix["requests"], f"{mix['rps']:.1f}",
        f"{mix['median_ms']:.1f}", f"{mix['p95_ms']:.1f}", "", sum(errors.values()),
    ])
    out.append(_table(
        ["page", "people: requests", "median", "p95", "verdict", "no pause: requests", "req/s",
         "median", "p95", "verdict", "errors"],
        rows,
    ))
    out.append(cpu_paragraph(people, mix, s, m["nproc"]))

    out.append("\n## Throughput against the ceiling\n\n")
    out.append(
        f"Each page alone for {s['alone_seconds']:g} s at {s['users']} users, then the "
        "ceiling (a bare view returning a prebuilt HTML string of the page's size, through "
        "the same middleware) for as long; the ratio is the page's req/s over the "
        "ceiling's. *Workers' CPU* is the gunicorn workers' CPU time per request: on a busy "
        "machine req/s shifts with what the other work leaves over, and the ratio by CPU "
        "(the ceiling's CPU per request over the page's) does not.\n\n"
    )
    rows = []
    for page in large["pages"]:
        alone = load["phases"][f"alone:{page}"]
        ceiling = load["phases"][f"ceiling:{page}"]
        page_cpu = alone["worker_cpu_ms_per_request"]
        ceiling_cpu = ceiling["worker_cpu_ms_per_request"]
        rows.append([
            f"`{page}`", _thousands(alone["bytes"]), f"{alone['rps']:.1f}",
            f"{alone['median_ms']:.1f}", f"{ceiling['rps']:.1f}", f"{ceiling['median_ms']:.1f}",
            f"{alone['rps'] / ceiling['rps']:.2f}" if ceiling["rps"] else "–",
            f"{page_cpu:.1f}", f"{ceiling_cpu:.1f}",
            f"{ceiling_cpu / page_cpu:.2f}" if page_cpu else "–",
            f"{alone['machine_busy_cores']:.2f}",
        ])
    out.append(_table(
        ["page", "bytes", "page req/s", "page median ms", "ceiling req/s",
         "ceiling median ms", "ratio", "page workers' CPU ms/req",
         "ceiling workers' CPU ms/req", "ratio by CPU", "machine busy cores (page)"],
        rows,
    ))

    out.append("\n## gunicorn workers\n\n")
    out.append(_table(
        ["worker pid", "peak RSS (VmHWM), MiB", "RSS at the end, MiB", "verdict"],
        [[w["pid"], f"{w['peak_rss_mib']:.1f}", f"{w['rss_mib']:.1f}",
          _verdict(w["peak_rss_mib"] <= MAX_RSS_MIB)] for w in load["workers"]],
    ))

    out.append(METHOD.format(floor=FLOOR_MS, slowdown=MAX_SLOWDOWN, pause_low=s["pause"][0],
                             pause_high=s["pause"][1], **s))
    return "".join(out)


def explain_section(plans):
    """The project list's filters and sorts as PostgreSQL ran them on the large dataset."""
    if not plans:
        return ""
    out = [
        "\n## The project list's filters and sorts: EXPLAIN ANALYZE, large dataset\n\n",
        "Each filter and sort the list offers, as the page runs it: the count and the first "
        "page (with the lead agent, user and department joined), the fastest of three runs; "
        "scans outermost first, with the rows each returned. bench/explain.py lists the "
        "variants.\n\n",
    ]
    rows = [
        [p["variant"], f"`{p['query']}`" if p["query"] else "–",
         "; ".join(p["count"]["scans"]), f"{p['count']['execution_ms']:.2f}",
         "; ".join(p["page"]["scans"]), f"{p['page']['execution_ms']:.2f}", p["note"] or "–"]
        for p in plans
    ]
    out.append(_table(
        ["filter or sort", "query", "count: scans", "count ms", "first page: scans",
         "first page ms", "why"],
        rows,
    ))
    out.append(PLANS)
    return "".join(out)


PLANS = """
What the plans showed, and what was done about it (projects/migrations/0005):

- **Sorted by target date, sorted by status.** Without an index in the sort's own order,
  PostgreSQL read every project (for the status, every project of the first status, each
  joined to its lead) and sorted them to show 25. B-trees on (target_date, -id) and
  (status, -id) let it stop after the first page.
- **Title contains.** `icontains` is `UPPER(title) LIKE '%…%'`, which a B-tree cannot answer:
  every title was read. A trigram GIN index on `UPPER(title)` (pg_trgm) finds a rare word
  directly; for a word in many titles the planner still prefers reading the title index,
  which costs about as much as the matches it has to count anyway.
- **Agent.** `Project.objects.of_agent()` asked for lead OR co-agent across the co-agents
  join and then DISTINCT: no index can serve that OR, so both tables were read whole, on the
  agent filter and on the agent pages (`agent`, `home`). It now takes the lead's projects
  UNION the co-agent's projects, two indexed look-ups, and the projects by primary key.
- **Status, department, type, system, goal, stale, title sort, default.** Indexes that
  existed (the many-to-many tables' foreign keys, status and last activity, title) already
  served them.

Elsewhere: the search ranks only the `CANDIDATES` newest matches of each kind
(projects/search.py; ranking reads each match's stored vector, migration 0007) and picks
them ordered by `pk + 0`, so that the GIN index finds the matches instead of a backwards
walk of the primary key that tests the vector of every row it passes; for the updates it
looks among the `RECENT` newest first (a UNION ALL that PostgreSQL stops reading at the
LIMIT), so a common word no longer reads its thousands of matches; its five statements are
written out in SQL and read only the columns a hit shows (the ORM took longer to build them
than PostgreSQL to answer); the round of an erfa-day is bounded (`ROUND_SIZE`,
meetings/services.py) and takes its turns per department from each department's newest
updates alone: an update carries its lead's department, and PostgreSQL reads each
department's first turns from two partial indexes on (department, time) with a LATERAL join
(meetings/turns.py, projects/migrations/0008) rather than every update since the previous
erfa-day, about 3,000 on the large network; the calendar feed
covers the last year and what is ahead; the feed and the lists of erfa-days no longer read
each erfa-day's frozen round.

In Python, where the *calls* column showed the time going: the round's departments, a
project's rollout table and the rows of the lists (projects, agents, departments, systems,
capacity, a manager's assessments) are written in one pass (meetings/rounds.py,
agentnet/tables.py, the apps' rows.py) rather than by a template loop of a dozen variables
a row; fields and links are escaped without format_html's check for lazy text
(agentnet/markup.py); dates are formatted once per
value and language (agentnet/dates.py); a project's latest updates are read as columns; the
calendar feed is written once per version of its erfa-days (meetings/calendar.py).

Building a queryset and compiling it to SQL took more Python time than PostgreSQL took to
answer most of the pages' queries (about 1.5 ms for the round, 0.1–0.8 ms for a simple
one). The queries a page makes on every view whatever is asked (an erfa-day with its items,
its round and who is coming; a project with its lists; an assessment with its ratings; an
agent's, a department's and a system's page; the roles and names beside the lists) are
`Prepared` (agentnet/prepared.py): built once per connection and shape with a `Param` for
each value, compiled, and from then on only run, their rows made into tuples or model
objects as the ORM makes them. Lists whose query depends on the filters chosen are still
built by the ORM.

The coverage heatmap counts every sent self-assessment of the round by department,
competency and level: some 2,000 ratings on the large network, about 2 ms of PostgreSQL
however the query is written (joined, by LATERAL, with covering indexes: all alike), a page
about the whole network. Its counts are kept in each worker for the round's version of them
(`MusRound.coverage_version`, new when an assessment of the round is sent or an agent
changes department) and at most ten minutes (competencies/services.py): the warm-up counts,
the timed requests read the kept counts and make one query fewer.
"""


METHOD = """
## How it is measured

- **Databases.** `make bench` creates its own PostgreSQL databases (`agentnet_bench_<pid>_*`,
  migrated once and copied per dataset) and drops them at the end. *small* is
  `seed_demo`; *large* is `seed_large` (bench/seed.py, bulk inserts), each by a process
  of its own that measures nothing. Each is then
  `VACUUM ANALYZE`d, as autovacuum would treat a live database: planner statistics,
  the visibility map, and the GIN indexes' pending entries merged.
- **In process.** DEBUG off, a connection to each dataset's database kept open. Django's
  test Client, signed in as the page's viewer (the facilitator; a manager for their team and
  their agent's assessment; no one for the calendar feed) with a real session, so every
  request reads the session (from the session cache) and the user with their roles as in
  production. In each of
  {rounds} rounds (a process each), page by page: on each dataset {warmup_requests} warm-up
  requests and one request under `CaptureQueriesContext` that counts every SQL query (the
  counts of all rounds must agree); then {requests_per_page} requests per dataset timed with
  `perf_counter` around `Client.get` (middleware, view and templates, no network),
  alternating one by one between the small and the large dataset: this shared machine's
  speed drifts from second to second, and alternating gives both datasets the same
  machine. Median and p95 (nearest rank) are over the pooled samples. The budget's ratio is
  the median, over the rounds, of each round's large median against its small median.
  *CPU median* is the benchmark process's own CPU time per request, for information: it
  leaves out PostgreSQL's part.
  A detail page shows the object with the most related rows (its worst case).
- **Floor.** The budget compares the large median with {slowdown} × the small median, but
  with the small median taken as at least {floor} ms: below that, timer, scheduler and
  garbage-collector noise would decide the result. Pages where the floor was used are
  marked "(floor)".
- **Under load.** gunicorn with {workers} sync workers on 127.0.0.1 and a free port,
  `DJANGO_DEBUG=False`, `DJANGO_ALLOWED_HOSTS=127.0.0.1`, the production static storage
  after `collectstatic` into var/static, and `DJANGO_ROOT_URLCONF=bench.urls` (the site's
  URLs plus the ceiling view). The driver (bench/load.py, standard library) is a separate
  process with {users} threads, each a signed-in user with their own session (the
  facilitator and agents, created in the database as the login view would; signing in
  through the form would cost a deliberately slow password hash per user); a page only one
  person may see (a manager's team, an assessment, the heatmap) is requested with that
  person's session, the calendar feed with none. Each request
  uses a new connection (sync workers close it) and carries the cookies the server has set.
  In the *people* run each user pauses a random {pause_low:g} to {pause_high:g} s after
  each page (the same pauses on every run); in the *no pause* run it is a closed loop:
  {users} requests are always in flight for {workers} workers, so latency includes
  waiting for a worker (median latency ≈ {users} ÷ throughput). Driver, gunicorn and
  PostgreSQL share the machine's cores. A {warmup_seconds:g} s warm-up mix runs first. An
  error is any answer other than 200 (a redirect to the sign-in page counts) or a failed
  connection.
- **A busy machine.** The load average is recorded at the start, before the load test and at
  the end; above nproc, other processes shared the CPU and every time is higher than on an
  idle machine (the query counts are not affected).
- **Memory.** VmHWM (peak resident set) of each worker from /proc/PID/status after all load
  phases, in MiB.
- **Adding a page.** One line in `PAGES` in bench/pages.py; its data, a step in
  `STEPS` in bench/seed.py.
"""
