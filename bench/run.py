"""`make bench`: the whole benchmark, from empty databases to docs/performance.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python -m bench [--before COMMIT]

DATABASE_URL names a PostgreSQL server, and a database to connect to while the benchmark
creates and drops its own (agentnet_bench_<pid>_*). For this tree, and with --before for an
earlier commit too (in a temporary git worktree, with this bench/ in place of its own), it
migrates and seeds a small and a large dataset (python -m bench seed), measures every page in
process on both (python -m bench pages), then serves the large one with gunicorn and loads it
open-loop (bench.load): a warm-up, the budget's rate, the headroom steps. It judges the budgets
(bench.report), writes docs/performance.md and .json with both commits side by side, and exits
with status 1 when a budget of this tree is missed. --quick does all of it on small networks
and short runs (to try the benchmark itself) and writes to var/bench-quick/ instead.
"""

import argparse
import json
import os
import secrets
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from psycopg2 import sql

from bench import load, report

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
SECRET_KEY = secrets.token_urlsafe(50)


class Databases:
    """The benchmark's own databases on the server DATABASE_URL names; dropped at the end."""

    def __init__(self, base_url, prefix):
        self.base = urlsplit(base_url)
        if self.base.scheme not in {"postgres", "postgresql"}:
            raise SystemExit("DATABASE_URL must name a PostgreSQL server (postgres://…).")
        self.prefix, self.created = prefix, []

    def url(self, name):
        return urlunsplit(self.base._replace(path=f"/{name}"))

    def execute(self, statement):
        conn = psycopg2.connect(self.url(self.base.path.lstrip("/") or "postgres"))
        conn.autocommit = True
        try:
            with conn.cursor() as cursor:
                cursor.execute(statement)
                return cursor.fetchone() if cursor.description else None
        finally:
            conn.close()

    def create(self, suffix, template=None):
        name = f"{self.prefix}_{suffix}"
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        self.execute(statement)
        self.created.append(name)
        return name

    def drop_all(self):
        for name in reversed(self.created):
            self.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))
        self.created.clear()


class Side:
    """One commit's tree, measured: this one ("after") or an earlier one ("before")."""

    def __init__(self, name, tree, tmp):
        self.name, self.tree = name, tree
        self.cache = tmp / f"{name}-cache"
        self.figures = {"commit": describe(tree)}

    def env(self, database_url):
        env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_DEBUG": "False",
               "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "DJANGO_CACHE_DIR": str(self.cache),
               # Production settings want a key and the portal's address: the run's own, one
               # for every process, so that sessions made by one are read by the others.
               "DJANGO_SECRET_KEY": SECRET_KEY, "DJANGO_SITE_URL": "http://127.0.0.1",
               "DJANGO_HTTPS": "False", "DJANGO_SETTINGS_MODULE": "agentnet.settings",
               "PYTHONUNBUFFERED": "1"}
        # Plain HTTP on 127.0.0.1 and each worker's own cache, for both commits alike.
        for name in ("DJANGO_BEHIND_PROXY", "DJANGO_ROOT_URLCONF", "REDIS_URL"):
            env.pop(name, None)
        return env

    def python(self, *args, database_url, timeout=3600):
        print(f"== [{self.name}] python {shlex.join(args)}", flush=True)
        subprocess.run([sys.executable, *args], cwd=self.tree, env=self.env(database_url),  # noqa: S603 - our own interpreter and modules
                       check=True, timeout=timeout)


def git(*args, cwd=ROOT):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,  # noqa: S603, S607 - git on our own repository
                          text=True).stdout.strip()


def describe(tree):
    said = git("log", "-1", "--format=%h %s", cwd=tree)
    changed = git("status", "--porcelain", "--untracked-files=no", cwd=tree)
    return said + (" (with uncommitted changes)" if changed else "")


def check_out(commit, tmp):
    """The commit in a temporary worktree, with this benchmark in place of its own."""
    tree = tmp / "before"
    git("worktree", "add", "--detach", str(tree), commit)
    shutil.rmtree(tree / "bench", ignore_errors=True)
    shutil.copytree(ROOT / "bench", tree / "bench",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (tree / "var").mkdir(exist_ok=True)
    return tree


def prepare(side, databases, large_counts):
    """A migrated database per dataset, seeded; static files collected."""
    template = databases.create(f"{side.name}_template")
    side.python("manage.py", "migrate", "--no-input", "-v0", database_url=databases.url(template))
    side.python("manage.py", "collectstatic", "--no-input", "-v0",
                database_url=databases.url(template))
    side.databases, side.figures["datasets"] = {}, {}
    for dataset, counts in (("small", ["--small"]), ("large", large_counts)):
        name = databases.create(f"{side.name}_{dataset}", template)
        out = side.cache.parent / f"{side.name}-{dataset}-seed.json"
        side.python("-m", "bench", "seed", *counts, "--out", str(out),
                    database_url=databases.url(name))
        side.databases[dataset] = name
        side.figures["datasets"][dataset] = json.loads(out.read_text())


def measure_pages(side, databases, args):
    out = side.cache.parent / f"{side.name}-pages.json"
    side.python("-m", "bench", "pages", "--requests", str(args.requests),
                "--warmup", str(args.warmup), "--out", str(out),
                *(f"--database={d}={n}" for d, n in side.databases.items()),
                database_url=databases.url(side.databases["large"]))
    measured = json.loads(out.read_text())
    side.figures["pages"] = measured["pages"]
    if all(measured["digest"].values()):
        side.figures["digest"] = measured["digest"]
    return {page: {**target, "weight": measured["pages"][page]["weight"]}
            for page, target in measured["sessions"].items()}


def measure_load(side, databases, targets, args):
    env = side.env(databases.url(side.databases["large"]))
    server = load.Server(sys.executable, side.tree, env, WORKERS,
                         side.cache.parent / f"{side.name}-gunicorn.log")
    try:
        server.wait_ready()
        for page, target in targets.items():
            status = load.get(server.port, target["path"], target["cookie"])
            if status != 200:
                raise SystemExit(f"[{side.name}] {page}: {target['path']} answered {status} on "
                                 f"gunicorn; its log:\n{server.log_tail()}")

        def run(rate, seconds, label):
            result = load.open_loop(server.port, targets, rate, seconds)
            print(f"== [{side.name}] {label}: {rate:g} requests/s for {seconds:g} s: median "
                  f"{result['median_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms, errors "
                  f"{result['errors']}", flush=True)
            return result

        run(args.rate, args.warmup_seconds, "warm-up")
        side.figures["load"] = run(args.rate, args.seconds, "load")
        rates = range(args.rate, args.max_rate + 1, args.step)
        side.figures["steps"], side.figures["headroom"] = load.headroom(
            lambda rate: run(rate, args.step_seconds, "headroom step"), rates)
        side.figures["rss_mib"] = server.peak_rss_mib()
    finally:
        server.stop()


def machine(databases):
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "unknown CPU")
    memory = int(Path("/proc/meminfo").read_text().split()[1]) / 1024**2
    postgresql = databases.execute("SHOW server_version")[0]
    return (f"{len(os.sched_getaffinity(0))} cores ({cpu}), {memory:.1f} GiB; Python "
            f"{sys.version.split()[0]}, Django {version('Django')}, PostgreSQL {postgresql}, "
            f"gunicorn {version('gunicorn')}")


def loadavg():
    return float(Path("/proc/loadavg").read_text().split()[0])


# Each setting: (what it is, its value, its value with --quick).
SETTINGS = {
    "requests": ("timed requests per page and dataset", 60, 3),
    "warmup": ("untimed requests per page and dataset, first", 5, 1),
    "rate": ("requests/s under load", 50, 10),
    "seconds": ("seconds at that rate", 60.0, 3.0),
    "warmup_seconds": ("seconds at that rate before, not counted", 10.0, 1.0),
    "step": ("headroom: requests/s more at each step", 50, 10),
    "step_seconds": ("headroom: seconds of each step", 20.0, 1.0),
    "max_rate": ("headroom: the last step's rate", 1000, 20),
}


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", metavar="COMMIT", help="also measure this commit")
    parser.add_argument("--quick", action="store_true",
                        help="small networks and short runs; writes to var/bench-quick/")
    for key, (what, full, quick) in SETTINGS.items():
        parser.add_argument(f"--{key.replace('_', '-')}", type=type(full),
                            help=f"{what} ({full}; --quick: {quick})")
    parser.add_argument("--out-dir", type=Path, help="docs/ (--quick: var/bench-quick/)")
    args = parser.parse_args(argv)
    for key, (_what, full, quick) in SETTINGS.items():
        if getattr(args, key) is None:
            setattr(args, key, quick if args.quick else full)
    args.out_dir = args.out_dir or ROOT / ("var/bench-quick" if args.quick else "docs")
    return args


def main(argv=None):
    args = parse(argv)
    base_url = os.environ.get("DATABASE_URL")
    if not base_url:
        raise SystemExit("Set DATABASE_URL to a PostgreSQL server, e.g. "
                         "postgres://postgres@127.0.0.1:5432/postgres")
    started = time.monotonic()
    # The large network; --quick: the small one with twice its projects.
    large_counts = ["--small", "--projects", "600", "--project-updates", "6000"] if args.quick \
        else []
    databases = Databases(base_url, f"agentnet_bench_{os.getpid()}")
    tmp = Path(tempfile.mkdtemp(prefix="agentnet-bench-"))
    sides = [Side("after", ROOT, tmp)]
    results = {"date": datetime.now().astimezone().isoformat(timespec="seconds"),
               "command": "python -m bench " + shlex.join(argv or sys.argv[1:]),
               "settings": {**{k: v for k, v in vars(args).items() if k != "out_dir"},
                            "workers": WORKERS},
               "loadavg": [loadavg()]}
    try:
        results["machine"] = machine(databases)
        if args.before:
            sides.append(Side("before", check_out(args.before, tmp), tmp))
        for side in sides:
            prepare(side, databases, large_counts)
        targets = {side.name: measure_pages(side, databases, args) for side in sides}
        for side in sides:
            measure_load(side, databases, targets[side.name], args)
    finally:
        databases.drop_all()
        if args.before and (tmp / "before").exists():
            git("worktree", "remove", "--force", str(tmp / "before"))
        shutil.rmtree(tmp, ignore_errors=True)
    results["loadavg"].append(loadavg())
    results["run_seconds"] = time.monotonic() - started
    results["sides"] = {}
    for side in sides:
        side.figures["checks"] = report.evaluate(side.figures)
        side.figures["pass"] = all(c["pass"] for c in side.figures["checks"])
        results["sides"][side.name] = side.figures
    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / "performance.json").write_text(
        json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (args.out_dir / "performance.md").write_text(report.markdown(results), encoding="utf-8")
    print(f"== Done in {results['run_seconds']:.0f} s: {args.out_dir / 'performance.md'}")
    failed = [c for c in sides[0].figures["checks"] if not c["pass"]]
    for check in failed:
        print(f"   FAIL {check['budget']}: {check['subject']} = {check['value']}")
    sys.exit(1 if failed else 0)
