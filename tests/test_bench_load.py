"""The benchmark's load driver and budgets (bench/load.py, bench/report.py), against a tiny
server on 127.0.0.1; the interpreter it names (bench/run.py) and the comparison of two
(bench/interpreters.py)."""

import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench import load, report


class Handler(BaseHTTPRequestHandler):
    seen_cookies = []

    def do_GET(self):
        self.seen_cookies.append(self.headers.get("Cookie", ""))
        body = b"<p>ok</p>"
        self.send_response(200 if self.path != "/broken" else 500)
        self.send_header("Set-Cookie", "csrftoken=abc; Path=/")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def port():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def phase(seconds, pause=None, targets=(("a", "/a"), ("b", "/b"))):
    return {"name": "p", "users": 2, "seconds": seconds, "targets": [list(t) for t in targets],
            **({"pause": pause} if pause else {})}


def test_users_who_pause_ask_for_fewer_pages_and_keep_their_cookies(port):
    Handler.seen_cookies = []
    busy = load.run_phase(port, "sessionid", ["s1", "s2"], phase(0.5), 10_000)
    paced = load.run_phase(port, "sessionid", ["s1", "s2"], phase(1.0, [0.3, 0.4]), 10_000)

    # Two users, each pausing at least 0.3 s in a second: at most 4 pages each.
    assert 2 <= paced["requests"] <= 8
    assert busy["requests"] > 4 * paced["requests"]
    assert paced["errors"] == busy["errors"] == 0
    assert set(paced["pages"]) == {"a", "b"}
    assert any("csrftoken=abc" in c and "sessionid=s" in c for c in Handler.seen_cookies)


def test_an_answer_other_than_200_is_an_error(port):
    result = load.run_phase(port, "sessionid", ["s"], phase(0.3, targets=[("x", "/broken")]), 5)

    assert result["requests"] == 5
    assert result["errors"] == 5 and result["error_kinds"] == {"500": 5}


def test_both_load_runs_have_a_p95_budget_of_their_own():
    def pages(p95):
        return {"pages": {"home": {"p95_ms": p95, "errors": 0}}}

    in_process = {"queries": 5, "queries_per_round": [5], "round_medians_ms": [10.0, 20.0, 10.0]}
    # A slow spell in the second round falls on both of its sides: the ratio stays 1.2.
    large = {**in_process, "round_medians_ms": [12.0, 60.0, 12.0]}
    results = {
        "datasets": {"small": {"pages": {"home": in_process}},
                     "large": {"pages": {"home": large}}},
        "load": {"phases": {"people": pages(40.0), "mix": pages(300.0)},
                 "workers": [{"pid": 1, "peak_rss_mib": 80.0}]},
    }

    verdicts = {(c["budget"], c["subject"]): c["pass"] for c in report.evaluate(results)}

    assert verdicts[("p95_people", "home")] is True
    assert verdicts[("p95", "home")] is False
    assert verdicts[("slowdown", "home")] is True
    assert report.paired_slowdown(in_process, large) == pytest.approx(1.2)
    assert set(report.BUDGETS) == {budget for budget, _subject in verdicts}


def test_a_phase_says_where_the_cpu_went(port):
    result = load.run_phase(port, "sessionid", ["s"], phase(0.3), 10_000)

    # The driver itself did work; the database (none here) is reported all the same.
    assert result["driver_cpu_cores"] > 0
    assert result["database_cpu_cores"] >= 0


def test_cpu_time_of_a_process_that_ended_stays_with_the_one_that_reaped_it():
    # As PostgreSQL's server reaps a connection's process: the database's CPU time over a
    # phase in which connections end is not pulled below zero by the ones that are gone.
    busy = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass"
    own_before = load.cpu_seconds([os.getpid()])
    with_reaped_before = load.cpu_seconds([os.getpid()], reaped=True)
    subprocess.run([sys.executable, "-c", busy], check=True)  # noqa: S603 - our own interpreter

    assert load.cpu_seconds([os.getpid()], reaped=True) - with_reaped_before >= 0.25
    assert load.cpu_seconds([os.getpid()]) - own_before < 0.2


def test_the_report_says_what_a_missed_no_pause_budget_would_ask():
    people = {"rps": 6.0, "worker_cpu_cores": 0.2}
    mix = {"rps": 100.0, "p95_ms": 300.0, "worker_cpu_cores": 1.5,
           "worker_cpu_ms_per_request": 15.0, "database_cpu_cores": 0.3,
           "driver_cpu_cores": 0.1, "machine_busy_cores": 1.9}
    settings = {"users": 20}

    missed = report.cpu_paragraph(people, mix, settings, 2)
    met = report.cpu_paragraph(people, {**mix, "p95_ms": 140.0}, settings, 2)
    # All pages together within the budget, but not the slowest one.
    one_page = report.cpu_paragraph(
        people, {**mix, "p95_ms": 140.0, "pages": {"a": {"p95_ms": 120.0},
                                                   "b": {"p95_ms": 300.0}}}, settings, 2
    )

    assert "PostgreSQL 0.30 and the load driver 0.10" in missed
    # 20 in flight at 100 req/s wait 300 ms; 150 ms asks for twice the throughput.
    assert "about 200 requests/s instead of 100" in missed
    assert "at most 10.0 ms of the machine's CPU per request" in missed
    assert "against 19.0 ms now" in missed
    assert "asks for" not in met
    assert "about 200 requests/s instead of 100" in one_page


def test_the_report_gives_the_machine_speed_as_the_ceiling_views_cost():
    def ceiling(ms):
        return {"worker_cpu_ms_per_request": ms}

    load = {"phases": {"ceiling:a": ceiling(1.0), "ceiling:b": ceiling(2.5),
                       "ceiling:c": ceiling(1.2), "alone:a": ceiling(9.0)}}

    assert report.machine_speed(load, ["a", "b", "c"]).startswith(
        "the ceiling view (below) cost 1.2 ms of the workers' CPU per request"
    )
    assert report.machine_speed({"phases": {}}, ["a"]) == "not measured"


def test_the_report_names_the_interpreter_and_how_it_was_built(monkeypatch):
    from bench import run

    monkeypatch.setattr(run.sysconfig, "get_config_var",
                        lambda name: "'--prefix=/opt/py' '--with-lto=full' '--enable-shared'")
    build = run.python_build()
    assert build["configure"] == ["--with-lto", "--enable-shared"]

    text = report.python_build({**build, "executable": "/opt/py/bin/python3.13"})
    assert text.startswith("`/opt/py/bin/python3.13`; ")
    assert "profile-guided optimisation (`--enable-optimizations`): no" in text
    assert "link-time optimisation (`--with-lto`): yes" in text
    assert "shared libpython (`--enable-shared`): yes" in text
    # A run written before the build was recorded still renders.
    assert report.python_build(None) == "not recorded"


def test_interpreters_alternate_which_goes_first_and_compare_all_pages(monkeypatch):
    from bench import interpreters

    calls = []
    costs = {"plain": {"a": 10.0, "b": 30.0}, "optimised": {"a": 8.0, "b": 24.0}}

    def measure(python, out, requests):
        calls.append(python)
        return costs[python]

    monkeypatch.setattr(interpreters, "measure", measure)
    runs, ratios = interpreters.compare("plain", "optimised", pairs=3, requests=1)

    assert calls == ["plain", "optimised", "optimised", "plain", "plain", "optimised"]
    assert ratios == [pytest.approx(0.8)] * 3
    assert runs["plain"] == [costs["plain"]] * 3
