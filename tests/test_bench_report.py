"""The benchmark's budgets judged right (bench/report.py), and the report showing two commits
side by side."""

import pytest

from bench import report


def page(small_ms, large_ms, small_queries=8, large_queries=8):
    return {"role": "facilitator", "weight": 10,
            "small": {"queries": small_queries, "median_ms": small_ms, "url": "/x/", "bytes": 1},
            "large": {"queries": large_queries, "median_ms": large_ms, "url": "/x/", "bytes": 1}}


def side(pages, p95=80.0, errors=0, rss=(120.0, 130.0)):
    mix = {"requests": 3000, "median_ms": 20.0, "p95_ms": p95, "errors": errors}
    return {"commit": "abc1234 A change", "pages": pages,
            "load": {**mix, "pages": {"home": mix}},
            "steps": [{"rate": 50, "requests": 500, "p95_ms": p95, "errors": errors}],
            "headroom": 50, "rss_mib": list(rss),
            "datasets": {d: {"seconds": 1.0, "rows": {"agents.Agent": 3}}
                         for d in ("small", "large")}}


def failed(figures):
    return {(c["budget"], c["subject"]) for c in report.evaluate(figures) if not c["pass"]}


def test_a_page_within_every_budget_passes():
    assert failed(side({"home": page(10.0, 14.9)})) == set()


@pytest.mark.parametrize(("small_ms", "large_ms", "ok"), [
    (0.5, 2.9, True),  # below the floor: compared with 1.5 × 2 ms
    (0.5, 3.1, False),
    (1.9, 1.95, True),  # under 2 ms on both
    (20.0, 30.0, True),
    (20.0, 30.2, False),
])
def test_large_against_small_takes_the_small_median_as_at_least_the_floor(
        small_ms, large_ms, ok):
    assert (("slowdown", "home") not in failed(side({"home": page(small_ms, large_ms)}))) is ok


def test_a_page_over_40_ms_on_the_large_dataset_misses_even_at_the_same_speed():
    assert failed(side({"home": page(40.5, 40.5)})) == {("median", "home")}


def test_query_counts_must_agree_and_stay_at_most_15():
    checks = failed(side({"a": page(5, 5, 8, 9), "b": page(5, 5, 16, 16), "c": page(5, 5, 15, 15)}))

    assert checks == {("queries_same", "a"), ("queries_max", "b")}


def test_the_digest_must_make_as_many_queries_on_the_large_dataset_as_on_the_small():
    def digest(small, large):
        return {**side({}), "digest": {"small": {"queries": small, "people": 40},
                                       "large": {"queries": large, "people": 300}}}

    assert failed(digest(12, 12)) == set()
    assert failed(digest(12, 13)) == {("digest_queries", "digest")}
    assert "| queries (small / large) | 12 / 13 |" in report.markdown({
        "date": "2025-01-01", "command": "python -m bench", "machine": "2 cores",
        "loadavg": [1.0, 1.0], "run_seconds": 60,
        "settings": {"requests": 60, "warmup": 5, "rate": 50, "seconds": 60,
                     "warmup_seconds": 10, "step": 50, "step_seconds": 20, "workers": 2},
        "sides": {"after": {**digest(12, 13), "checks": [], "pass": False}},
    })


def test_load_misses_on_its_p95_an_error_or_a_worker_over_200_mib():
    assert failed(side({}, p95=150.0)) == set()
    assert failed(side({}, p95=150.1)) == {("p95", "page mix")}
    assert failed(side({}, errors=1)) == {("errors", "page mix")}
    assert failed(side({}, rss=(120.0, 200.5))) == {("rss", "worker 2")}


def test_the_report_shows_both_commits_side_by_side():
    after = side({"home": page(5.0, 6.0)})
    before = {**side({"home": page(9.0, 30.0)}, p95=300.0), "commit": "2cfe345 Before",
              "headroom": None}
    for figures in (after, before):
        figures["checks"] = report.evaluate(figures)
        figures["pass"] = all(c["pass"] for c in figures["checks"])
    results = {"date": "2025-01-01", "command": "python -m bench --before 2cfe345",
               "machine": "2 cores", "loadavg": [1.0, 1.2], "run_seconds": 60,
               "settings": {"requests": 60, "warmup": 5, "rate": 50, "seconds": 60,
                            "warmup_seconds": 10, "step": 50, "step_seconds": 20,
                            "workers": 2},
               "sides": {"after": after, "before": before}}

    text = report.markdown(results)

    assert "every budget passes" in text
    assert "| budget | after | before |" in text
    assert "pass: 1 of 1 | **FAIL**: 0 of 1; missed by page mix (300.0)" in text
    assert "| `home` | /x/ | facilitator | 10 | 8 / 8 | 5.00 | 6.00 | 1.20 | 8 / 8 | 9.00 | " \
           "30.00 | 3.33 |" in text
    assert "| headroom (requests/s) | 50 | below the first step |" in text
