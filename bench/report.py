"""The budgets, judged on a run's figures, and docs/performance.md written from them."""

from bench.load import MAX_P95_MS

MAX_QUERIES = 15
MAX_MEDIAN_MS = 40  # large dataset, in process
MAX_SLOWDOWN = 1.5  # large against small
# Below this a small dataset's median is taken as this: a page of a millisecond would fail
# the ratio on the timer's and the scheduler's noise alone.
FLOOR_MS = 2.0
MAX_RSS_MIB = 200

BUDGETS = {
    "queries_same": "queries per page the same on the small and the large dataset",
    "queries_max": f"queries per page ≤ {MAX_QUERIES}",
    "digest_queries": "queries of the daily digest for everyone the same on the small and "
                      "the large dataset",
    "median": f"median server time per page, large dataset ≤ {MAX_MEDIAN_MS} ms",
    "slowdown": f"median server time, large ≤ {MAX_SLOWDOWN} × small (floor {FLOOR_MS:g} ms)",
    "p95": f"open-loop load, p95 latency of the page mix ≤ {MAX_P95_MS} ms",
    "errors": "open-loop load, errors = 0",
    "rss": f"peak RSS per gunicorn worker ≤ {MAX_RSS_MIB} MiB",
}


def slowdown(small_ms, large_ms):
    return large_ms / max(small_ms, FLOOR_MS)


def _check(budget, subject, value, ok):
    return {"budget": budget, "subject": subject, "value": value, "pass": bool(ok)}


def evaluate(side):
    """Every budget's verdict on one commit's figures."""
    checks = []
    for page, f in side["pages"].items():
        small, large = f["small"], f["large"]
        checks.append(_check("queries_same", page, f"{small['queries']} / {large['queries']}",
                             small["queries"] == large["queries"]))
        most = max(small["queries"], large["queries"])
        checks.append(_check("queries_max", page, most, most <= MAX_QUERIES))
        checks.append(_check("median", page, round(large["median_ms"], 2),
                             large["median_ms"] <= MAX_MEDIAN_MS))
        ratio = slowdown(small["median_ms"], large["median_ms"])
        checks.append(_check("slowdown", page, round(ratio, 2), ratio <= MAX_SLOWDOWN))
    if "digest" in side:
        small, large = side["digest"]["small"], side["digest"]["large"]
        checks.append(_check("digest_queries", "digest", f"{small['queries']} / "
                             f"{large['queries']}", small["queries"] == large["queries"]))
    load = side["load"]
    checks.append(_check("p95", "page mix", round(load["p95_ms"], 1), load["p95_ms"] <= MAX_P95_MS))
    checks.append(_check("errors", "page mix", load["errors"], load["errors"] == 0))
    for i, rss in enumerate(side["rss_mib"], start=1):
        checks.append(_check("rss", f"worker {i}", round(rss, 1), rss <= MAX_RSS_MIB))
    return checks


def _verdict(ok):
    return "pass" if ok else "**FAIL**"


def _table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _budget_cell(checks, key):
    mine = [c for c in checks if c["budget"] == key]
    missed = [f"{c['subject']} ({c['value']})" for c in mine if not c["pass"]]
    return f"{_verdict(not missed)}: {len(mine) - len(missed)} of {len(mine)}" + (
        f"; missed by {', '.join(missed)}" if missed else "")


def markdown(results):
    sides = results["sides"]
    names = list(sides)  # "after", then "before" if it was measured
    after = sides["after"]
    s = results["settings"]
    out = [
        "# Performance\n\n",
        "Written by `make bench` from its last run; do not edit by hand, run it again. All "
        "figures are also in [performance.json](performance.json).\n\n",
        f"Overall: {'every budget passes' if after['pass'] else '**some budgets fail**'}"
        f" on {after['commit']}.\n\n",
    ]
    out.append(_table(["", ""], [
        ["date", results["date"]],
        ["command", f"`{results['command']}`"],
        *[[f"commit ({name})", sides[name]["commit"]] for name in names],
        ["machine", results["machine"]],
        ["load average (1 min) at start and end",
         " / ".join(str(x) for x in results["loadavg"])],
        ["run time", f"{results['run_seconds']:.0f} s"],
    ]))

    out.append("\n## Budgets\n\n")
    out.append(_table(["budget", *names],
                      [[text, *(_budget_cell(sides[n]["checks"], key) for n in names)]
                       for key, text in BUDGETS.items()]))

    out.append("\n## Pages in process: queries and median server time (ms)\n\n")
    out.append(
        f"Django's test Client, signed in as the page's viewer, {s['requests']} timed requests "
        f"per page and dataset after {s['warmup']} warm-up requests, alternating one by one "
        "between the small and the large dataset (middleware, view and templates; no "
        "network). The ratio is large ÷ small, the small median taken as at least "
        f"{FLOOR_MS:g} ms.\n\n")
    header = ["page", "URL (large)", "viewer", "weight"]
    for n in names:
        header += [f"queries {n}", f"small {n}", f"large {n}", f"ratio {n}"]
    rows = []
    for page, f in after["pages"].items():
        row = [f"`{page}`", f["large"]["url"], f["role"], f["weight"]]
        for n in names:
            g = sides[n]["pages"].get(page)
            if g is None:
                row += ["–"] * 4
                continue
            sm, lg = g["small"], g["large"]
            row += [f"{sm['queries']} / {lg['queries']}", f"{sm['median_ms']:.2f}",
                    f"{lg['median_ms']:.2f}", f"{slowdown(sm['median_ms'], lg['median_ms']):.2f}"]
        rows.append(row)
    out.append(_table(header, rows))

    out.append("\n## The daily digest: queries of one run for everyone\n\n")
    out.append(
        "`send_digests` for the coming Monday (the facilitator's weekly summary included) on "
        "each dataset, rolled back. It must not make a query per person.\n\n")
    out.append(_table(["", *names], [
        [label, *(" / ".join(str(sides[n]["digest"][d][key]) for d in ("small", "large"))
                  if "digest" in sides[n] else "–" for n in names)]
        for label, key in (("queries (small / large)", "queries"),
                           ("people mailed (small / large)", "people"))
    ]))

    out.append(f"\n## Open-loop load: {s['rate']:g} requests/s for {s['seconds']:g} s, "
               f"gunicorn with {s['workers']} workers, large dataset\n\n")
    out.append(
        "One request every 1/rate seconds whatever the server answers, each page drawn by its "
        "weight (the table above: out of 100 requests), each with its viewer's session; "
        "latency counts from the moment a request was due, so waiting for a worker shows. "
        f"A {s['warmup_seconds']:g} s warm-up at the same rate comes first. Latency in ms.\n\n")
    header = ["page"]
    for n in names:
        header += [f"requests {n}", f"median {n}", f"p95 {n}", f"errors {n}"]
    rows = []
    for page in [*after["load"]["pages"], None]:
        row = [f"`{page}`" if page else "**page mix**"]
        for n in names:
            g = sides[n]["load"] if page is None else sides[n]["load"]["pages"].get(page)
            row += ([g["requests"], f"{g['median_ms']:.1f}", f"{g['p95_ms']:.1f}", g["errors"]]
                    if g else ["–"] * 4)
        rows.append(row)
    out.append(_table(header, rows))

    out.append("\n## Headroom: the highest rate that still holds p95 ≤ "
               f"{MAX_P95_MS} ms\n\n")
    out.append(
        f"The same mix, {s['step_seconds']:g} s at each rate, stepping up by {s['step']:g} "
        "requests/s and stopping at the first step that misses the p95 or has an error.\n\n")
    out.append(_table(["", *names], [
        ["headroom (requests/s)", *(sides[n]["headroom"] or "below the first step"
                                    for n in names)],
        ["steps (rate: p95 ms, errors)",
         *("; ".join(f"{st['rate']:g}: {st['p95_ms']:.0f}, {st['errors']}"
                     for st in sides[n]["steps"]) for n in names)],
        ["peak RSS per worker (MiB)",
         *(", ".join(f"{rss:.0f}" for rss in sides[n]["rss_mib"]) for n in names)],
    ]))

    out.append("\n## Datasets\n\n")
    counts = after["datasets"]
    out.append(_table(["table", "small", "large"], [
        [model, counts["small"]["rows"].get(model, 0), rows]
        for model, rows in counts["large"]["rows"].items() if rows
    ] + [["seeding time", *(f"{counts[d]['seconds']:.1f} s" for d in ("small", "large"))]]))
    out.append(METHOD)
    return "".join(out)


METHOD = """
## How it is measured

- **Databases.** Throwaway PostgreSQL databases (`agentnet_bench_<pid>_*`, dropped at the
  end), migrated by each commit's own code, filled by `python -m bench seed` (bench/seed.py;
  `--small` for the small network) and `VACUUM ANALYZE`d as autovacuum would a live database.
- **Before and after.** `--before COMMIT` checks that commit out in a temporary git worktree
  with this bench/ in place of its own, and measures it the same way in the same run.
- **In process.** DEBUG off, each dataset's connection kept open and its cache entries apart;
  a detail page shows the object with the most related rows (its worst case).
- **Under load.** gunicorn with sync workers on 127.0.0.1, DEBUG off, the production static
  storage. The generator (bench/load.py) shares the cores with gunicorn and PostgreSQL. An
  error is any answer but 200 or a failed connection. Peak RSS is each worker's VmHWM.
- **A busy machine.** Above the number of cores, the load average says other work shared the
  CPU: every time is higher than on an idle machine (the query counts are not affected).
"""
