"""The load driver: signed-in users requesting pages from the benchmark's gunicorn server.

A separate process from the server, started by bench.run with a plan (JSON):
``python -m bench.load plan.json result.json``. Each phase runs `users` threads for at most
`seconds` (and at most `max_requests` requests in all); each thread is one signed-in user who
requests the phase's pages in turn (a page only one person may see with that person's
session, a public page with none) and keeps the cookies the server sets, as a browser
would. Without a `pause` there is none between a response and the next request (a closed
loop, like `wrk -c USERS`: as many requests in flight as users); with `pause: [low, high]`
each user waits a random time in that range (seconds) before the next page, as a person
reading it would. Only 127.0.0.1 is ever contacted.

Standard library only, so the benchmark needs nothing beyond the project's requirements.
"""

import http.client
import itertools
import json
import os
import random
import statistics
import sys
import threading
import time
from http.cookies import CookieError, SimpleCookie
from pathlib import Path

from bench.stats import summary_ms

HOST = "127.0.0.1"
TIMEOUT = 30
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids, *, reaped=False):
    """CPU time (user + system) the given processes have used so far; with reaped, also that
    of their children that have ended and been waited for."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
        if reaped:
            total += int(fields[13]) + int(fields[14])
    return total / TICK


def database_cpu_seconds():
    """CPU time the PostgreSQL server has used so far. Its processes are listed anew each
    time, and the server process counts the connections' processes it has reaped: a
    connection that ends between two readings moves its time from one to the other rather
    than taking it away."""
    return cpu_seconds(database_pids(), reaped=True)


def database_pids():
    """The PostgreSQL server's processes (the benchmark's database runs on this machine)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def machine_busy_seconds():
    """CPU time all cores of the machine have spent on anything but idling and I/O wait."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(values[:8]) - values[3] - values[4]) / TICK


def _request(port, path, jar):
    """One GET on a new connection (gunicorn's sync workers close each one after the
    response). Returns (status or error name, bytes)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
    try:
        cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
        conn.request("GET", path, headers={"Cookie": cookie, "Accept-Language": "da"})
        response = conn.getresponse()
        body = response.read()
        for header in response.msg.get_all("Set-Cookie") or []:
            try:
                parsed = SimpleCookie(header)
            except CookieError:
                continue
            for name, morsel in parsed.items():
                if morsel["max-age"] == "0":
                    jar.pop(name, None)
                else:
                    jar[name] = morsel.value
        return response.status, len(body)
    except (OSError, http.client.HTTPException) as error:
        return type(error).__name__, 0
    finally:
        conn.close()


def run_phase(port, cookie_name, sessions, phase, max_requests, worker_pids=()):
    targets = phase["targets"]
    users = phase["users"]
    samples = [[] for _ in range(users)]  # per user: (page, status, seconds, bytes)
    budget = itertools.count()  # next() is atomic under the GIL: a shared request count
    start = time.perf_counter()
    stop_at = start + phase["seconds"]

    pause = phase.get("pause")

    def user(i):
        own = {cookie_name: sessions[i % len(sessions)]}
        # The same pauses on every run: each user draws from a generator of its own.
        pauses = random.Random(i)  # noqa: S311 - think times, not secrets
        # A page only its viewer may see comes with the viewer's session ("": a public page,
        # no session), in a cookie jar of its own.
        jars = {}
        # Users start at different pages, so every page is requested all through the phase.
        for k in itertools.count(i):
            if time.perf_counter() >= stop_at or next(budget) >= max_requests:
                return
            page, path, *session = targets[k % len(targets)]
            if session:
                jar = jars.setdefault(
                    page, {cookie_name: session[0]} if session[0] else {}
                )
            else:
                jar = own
            t0 = time.perf_counter()
            status, size = _request(port, path, jar)
            samples[i].append((page, status, time.perf_counter() - t0, size))
            if pause:
                time.sleep(min(pauses.uniform(*pause), max(0.0, stop_at - time.perf_counter())))

    threads = [threading.Thread(target=user, args=(i,), daemon=True) for i in range(users)]
    # Where the machine's CPU goes: the workers, the database, this driver, the rest.
    driver = [os.getpid()]
    workers_before, machine_before = cpu_seconds(worker_pids), machine_busy_seconds()
    database_before, driver_before = database_cpu_seconds(), cpu_seconds(driver)
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    worker_cpu = cpu_seconds(worker_pids) - workers_before
    database_cpu = database_cpu_seconds() - database_before
    driver_cpu = cpu_seconds(driver) - driver_before
    flat = [s for user_samples in samples for s in user_samples]
    result = {
        "users": users,
        "seconds": elapsed,
        **_stats(flat, elapsed),
        # How much CPU the workers got, and how busy the whole machine was meanwhile: on a
        # shared machine the first is what the throughput really bought.
        "worker_cpu_cores": worker_cpu / elapsed,
        "worker_cpu_ms_per_request": 1000 * worker_cpu / len(flat) if flat else 0.0,
        "database_cpu_cores": database_cpu / elapsed,
        "driver_cpu_cores": driver_cpu / elapsed,
        "machine_busy_cores": (machine_busy_seconds() - machine_before) / elapsed,
        "pages": {},
    }
    for page in dict.fromkeys(t[0] for t in targets):
        result["pages"][page] = _stats([s for s in flat if s[0] == page], elapsed)
    return result


def _stats(samples, elapsed):
    errors = {}
    for _page, status, _seconds, _size in samples:
        if status != 200:
            errors[str(status)] = errors.get(str(status), 0) + 1
    return {
        "requests": len(samples),
        "rps": len(samples) / elapsed,
        "errors": sum(errors.values()),
        "error_kinds": errors,
        **summary_ms([s[2] for s in samples]),
        "bytes": round(statistics.fmean([s[3] for s in samples])) if samples else 0,
    }


def main(argv=None):
    plan_path, out_path = (argv or sys.argv[1:])[:2]
    with open(plan_path, encoding="utf-8") as f:
        plan = json.load(f)
    results = {}
    for phase in plan["phases"]:
        result = run_phase(
            plan["port"], plan["cookie_name"], plan["sessions"], phase, plan["max_requests"],
            plan.get("worker_pids", ()),
        )
        results[phase["name"]] = result
        print(
            f"[load] {phase['name']:<22} {result['rps']:7.1f} req/s  "
            f"median {result['median_ms']:6.1f} ms  p95 {result['p95_ms']:6.1f} ms  "
            f"errors {result['errors']}  workers' CPU {result['worker_cpu_ms_per_request']:.1f} "
            f"ms/request",
            flush=True,
        )
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump({"phases": results}, f, indent=1)


if __name__ == "__main__":
    main()
