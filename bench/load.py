"""Open-loop load on gunicorn: requests sent at a fixed arrival rate, whatever the answers.

People do not wait for each other: the next one asks for a page when they do, not when the
server has answered the last one. So the requests go out on a schedule (one each 1/rate
seconds, the page drawn by its weight), each from a thread of a bounded pool, and a request's
latency counts from the moment it was due: when the server, or the pool, falls behind, the
waiting shows in the latency instead of slowing the schedule down. Only 127.0.0.1 is ever
contacted, and a run is bounded in requests and in time: a request not sent within TIMEOUT of
the schedule's end is not sent (and counts as an error).

Standard library only: it runs in the benchmark's own process, which does not load Django.
"""

import http.client
import math
import random
import signal
import socket
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HOST = "127.0.0.1"
TIMEOUT = 10  # seconds for one request
IN_FLIGHT = 100  # threads, at most that many requests at once
MAX_P95_MS = 150


def percentile(values, p):
    """Nearest rank: the smallest value with at least p % of the values at or below it."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def schedule(weights, rate, seconds, *, seed=0):
    """(seconds after the start, page) of every request: evenly spaced, pages drawn by
    weight, the same on every run."""
    count = int(rate * seconds)
    rng = random.Random(seed)  # noqa: S311 - a page mix, not a secret
    pages = rng.choices(list(weights), weights=list(weights.values()), k=count)
    return [(i / rate, page) for i, page in enumerate(pages)]


def get(port, path, cookie):
    """One GET on a new connection (sync workers close it): the status, or the error's name."""
    conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException) as error:
        return type(error).__name__
    finally:
        conn.close()


def open_loop(port, targets, rate, seconds, *, request=get, in_flight=IN_FLIGHT,
              max_requests=100_000):
    """Send the schedule's requests to targets ({page: {path, cookie, weight}}) and return
    the figures. `request` is get() but for the tests."""
    plan = schedule({name: t["weight"] for name, t in targets.items()}, rate, seconds)
    plan = plan[:max_requests]
    samples = [None] * len(plan)
    start = time.perf_counter() + 0.01
    give_up = start + seconds + TIMEOUT

    def send(i, due, page):
        if time.perf_counter() > give_up:
            samples[i] = (page, "not sent", time.perf_counter() - due)
            return
        status = request(port, targets[page]["path"], targets[page]["cookie"])
        samples[i] = (page, status, time.perf_counter() - due)

    late = 0.0  # how far behind the schedule the sender itself fell, at most
    with ThreadPoolExecutor(in_flight) as pool:
        for i, (offset, page) in enumerate(plan):
            due = start + offset
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            else:
                late = max(late, -wait)
            pool.submit(send, i, due, page)
    result = summary(samples, seconds)
    result.update(rate=rate, sender_late_ms=late * 1000)
    result["pages"] = {
        page: summary([s for s in samples if s[0] == page], seconds) for page in targets
    }
    return result


def summary(samples, seconds):
    ms = [s[2] * 1000 for s in samples]
    errors = {}
    for _page, status, _seconds in samples:
        if status != 200:
            errors[str(status)] = errors.get(str(status), 0) + 1
    return {
        "requests": len(samples),
        "rps": len(samples) / seconds if seconds else 0.0,
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "median_ms": percentile(ms, 50),
        "p95_ms": percentile(ms, 95),
        "max_ms": max(ms, default=0.0),
    }


def holds(result):
    return result["errors"] == 0 and result["p95_ms"] <= MAX_P95_MS


def headroom(run, rates):
    """Step the rate up until the first step that misses p95 ≤ MAX_P95_MS or has an error:
    the steps, and the highest rate that held (None if the first did not)."""
    steps, best = [], None
    for rate in rates:
        result = run(rate)
        steps.append({key: result[key] for key in ("rate", "requests", "p95_ms", "errors")})
        if not holds(result):
            break
        best = rate
    return steps, best


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """gunicorn serving one tree's site with sync workers, on 127.0.0.1 and a free port."""

    def __init__(self, python, tree, env, workers, log_path):
        self.port = free_port()
        self.workers = workers
        self.log_path = log_path
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and gunicorn
            [python, "-m", "gunicorn", "agentnet.wsgi", "--workers", str(workers),
             "--bind", f"{HOST}:{self.port}", "--error-logfile", str(log_path),
             "--log-level", "warning"],
            cwd=tree, env=env,
        )

    def wait_ready(self, seconds=60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and self.process.poll() is None:
            if get(self.port, "/log-ind/", "") == 200 and len(self.worker_pids()) == self.workers:
                return
            time.sleep(0.25)
        raise SystemExit(f"gunicorn did not start; its log:\n{self.log_tail()}")

    def log_tail(self):
        try:
            return "\n".join(self.log_path.read_text().splitlines()[-30:])
        except OSError:
            return "(no log)"

    def worker_pids(self):
        pid = self.process.pid
        try:
            return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except OSError:
            return []

    def peak_rss_mib(self):
        """Each worker's peak resident memory (VmHWM), in MiB."""
        peaks = []
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        return peaks

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
