"""The benchmark's open-loop load generator (bench/load.py): it sends on schedule whatever the
answers, counts latency from the moment a request was due, and stays bounded."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench import load

TARGETS = {"a": {"path": "/a", "cookie": "sessionid=s1", "weight": 3},
           "b": {"path": "/b", "cookie": "", "weight": 1}}


def slow_server(seconds, sent):
    """A stand-in for the server: notes when each request left, answers after `seconds`."""

    def request(port, path, cookie):
        sent.append(time.perf_counter())
        time.sleep(seconds)
        return 200

    return request


def test_requests_leave_on_schedule_however_slow_the_answers():
    sent = []
    # Each answer takes ten times the interval: a closed loop would send a tenth as many.
    result = load.open_loop(0, TARGETS, 50, 1.0, request=slow_server(0.2, sent))

    assert result["requests"] == 50 and result["errors"] == 0
    # The i-th request left about i / 50 s after the first (threads start with some jitter).
    lags = [abs(at - sent[0] - i / 50) for i, at in enumerate(sorted(sent))]
    assert max(lags) < 0.25
    # Latency is the answer's time, not the schedule's.
    assert 195 <= result["median_ms"] < 500


def test_waiting_for_a_free_thread_counts_in_the_latency():
    sent = []
    # One request at a time, each 50 ms, asked for every 25 ms: a queue builds up.
    result = load.open_loop(0, TARGETS, 40, 0.5, request=slow_server(0.05, sent), in_flight=1)

    assert result["requests"] == 20
    # The last request was due at 0.475 s and answered at 20 × 50 ms = 1 s at the earliest:
    # counted from when it was sent, it would have taken 50 ms.
    assert result["max_ms"] >= 500
    assert result["p95_ms"] > 400
    assert not load.holds(result)


def test_a_run_is_bounded_in_time(monkeypatch):
    monkeypatch.setattr(load, "TIMEOUT", 0.1)
    started = time.perf_counter()
    result = load.open_loop(0, TARGETS, 20, 0.5, request=slow_server(0.2, []), in_flight=1)

    # Requests still waiting 0.1 s after the schedule's end are not sent, and are errors.
    assert time.perf_counter() - started < 1.3
    assert result["requests"] == 10
    assert 0 < result["error_kinds"]["not sent"] < 10


def test_the_mix_follows_the_weights_and_is_the_same_on_every_run():
    plan = load.schedule({"a": 3, "b": 1}, 100, 100)

    pages = [page for _at, page in plan]
    assert len(plan) == 10_000 and plan[1][0] == pytest.approx(0.01)
    assert pages.count("a") / len(pages) == pytest.approx(0.75, abs=0.02)
    assert plan == load.schedule({"a": 3, "b": 1}, 100, 100)


@pytest.mark.parametrize(("values", "p", "expected"), [
    (list(range(1, 101)), 95, 95),
    (list(range(20, 0, -1)), 95, 19),
    (list(range(1, 101)), 50, 50),
    ([7.0], 95, 7.0),
    ([], 95, 0.0),
])
def test_p95_is_the_nearest_rank(values, p, expected):
    assert load.percentile(values, p) == expected


def test_headroom_is_the_last_step_before_the_first_that_misses():
    p95 = {50: 40.0, 100: 90.0, 150: 149.0, 200: 151.0, 250: 30.0}
    asked = []

    def run(rate):
        asked.append(rate)
        return {"rate": rate, "requests": rate, "p95_ms": p95[rate], "errors": 0}

    steps, best = load.headroom(run, range(50, 251, 50))

    assert best == 150
    assert asked == [50, 100, 150, 200]  # it stops at the first that misses
    assert [s["p95_ms"] for s in steps] == [40.0, 90.0, 149.0, 151.0]


def test_a_step_with_an_error_misses_and_none_held_when_the_first_misses():
    def run(rate):
        return {"rate": rate, "requests": 1, "p95_ms": 10.0, "errors": 1}

    assert load.headroom(run, [50, 100]) == ([{"rate": 50, "requests": 1, "p95_ms": 10.0,
                                               "errors": 1}], None)


class Handler(BaseHTTPRequestHandler):
    seen = []

    def do_GET(self):
        self.seen.append((self.path, self.headers.get("Cookie")))
        self.send_response(500 if self.path == "/b" else 200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


def test_requests_carry_the_pages_session_and_other_answers_than_200_are_errors():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        result = load.open_loop(server.server_address[1], TARGETS, 40, 0.5)
    finally:
        server.shutdown()
        server.server_close()

    assert ("/a", "sessionid=s1") in Handler.seen and ("/b", None) in Handler.seen
    assert result["pages"]["a"]["errors"] == 0
    assert result["errors"] == result["pages"]["b"]["requests"] > 0
    assert result["error_kinds"] == {"500": result["errors"]}
