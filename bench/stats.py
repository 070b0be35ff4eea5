"""Small statistics shared by the in-process measurement and the load driver."""

import math
import statistics


def percentile(samples, p):
    """Nearest-rank percentile: always a value that was actually measured."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def summary_ms(seconds):
    ms = [s * 1000 for s in seconds] or [0.0]
    return {
        "n": len(seconds),
        "median_ms": statistics.median(ms),
        "p95_ms": percentile(ms, 95),
        "p99_ms": percentile(ms, 99),
        "mean_ms": statistics.fmean(ms),
        "max_ms": max(ms),
    }
