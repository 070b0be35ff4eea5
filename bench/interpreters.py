"""Two Python interpreters on the same pages: how much the build of CPython decides.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/agentnet_large \\
        python -m bench.interpreters .venv/bin/python var/bench-venv/bin/python --pairs 10

DATABASE_URL names a database that holds a dataset (`python manage.py migrate` then
`python -m bench.measure large --seed-only --out seed.json`). Each interpreter is the python
of a venv with the project's requirements. Each pair runs bench.measure's in-process round
once with each interpreter, the one that goes first alternating, so that the drifting speed
of a shared machine falls on both alike. It prints each page's CPU time per request (the
median of its timed requests, the median over the pairs) with both interpreters, and the
second's CPU time over the first's, summed over all pages, for each pair and their median.
"""

import argparse
import json
import os
import statistics
import subprocess
import tempfile
from pathlib import Path

from bench.run import ROOT, django_env


def measure(python, out, requests):
    """Each page's median CPU time per request, in ms, with `python`."""
    subprocess.run(  # noqa: S603 - an interpreter the user named, running our own module
        [python, "-m", "bench.measure", "large", "--requests", str(requests), "--warmup", "3",
         "--out", str(out)],
        cwd=ROOT, env=django_env(os.environ["DATABASE_URL"]), check=True,
        stdout=subprocess.DEVNULL,
    )
    pages = json.loads(out.read_text())["datasets"]["large"]["pages"]
    return {name: statistics.median(page["cpu_seconds"]) * 1000 for name, page in pages.items()}


def compare(first, second, pairs, requests):
    runs = {first: [], second: []}
    ratios = []
    with tempfile.TemporaryDirectory() as tmp:
        for pair in range(pairs):
            order = (first, second) if pair % 2 == 0 else (second, first)
            for python in order:
                runs[python].append(measure(python, Path(tmp) / "round.json", requests))
            ratio = sum(runs[second][-1].values()) / sum(runs[first][-1].values())
            ratios.append(ratio)
            print(f"pair {pair + 1}: {ratio:.3f}", flush=True)
    return runs, ratios


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.interpreters")
    parser.add_argument("first", help="the python of one venv")
    parser.add_argument("second", help="the python of another")
    parser.add_argument("--pairs", type=int, default=10)
    parser.add_argument("--requests", type=int, default=10, help="timed requests per page")
    args = parser.parse_args(argv)
    if "DATABASE_URL" not in os.environ:
        raise SystemExit("DATABASE_URL must name a database that holds a dataset.")

    runs, ratios = compare(args.first, args.second, args.pairs, args.requests)
    print(f"\n{'page':<12} {'first ms':>9} {'second ms':>10}")
    for page in runs[args.first][0]:
        first = statistics.median(run[page] for run in runs[args.first])
        second = statistics.median(run[page] for run in runs[args.second])
        print(f"{page:<12} {first:>9.2f} {second:>10.2f}")
    print(f"\nsecond / first, all pages' CPU time: median {statistics.median(ratios):.3f} "
          f"over {len(ratios)} pairs (from {min(ratios):.3f} to {max(ratios):.3f})")


if __name__ == "__main__":
    main()
