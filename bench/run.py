"""`make bench`: the whole benchmark, from empty databases to docs/performance.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python -m bench.run

DATABASE_URL names the PostgreSQL server, and a database to connect to while the benchmark
creates and drops its own (agentnet_bench_<pid>_*); nothing is written to that one.

1. Migrates a template database once and copies it for each dataset.
2. Seeds each dataset (bench.pages.DATASETS, a process of its own) and measures every page
   in process (bench.measure): SQL queries and server time through the test Client, in
   rounds of one process each, page by page, the timed requests alternating between the
   datasets one by one. The last round of
   the large dataset also EXPLAIN ANALYZEs the project list's filters and sorts
   (bench.explain).
3. Serves the large dataset with gunicorn (2 workers, DEBUG off, the production static
   storage after collectstatic into var/static) and drives it from another process
   (bench.load): a mix of all pages without pauses, the mix again with each user pausing
   between pages as a person would, then each page alone and the bare ceiling view of the
   same size alone. Reads each worker's peak RSS.
4. Checks the budgets (bench.report) and writes docs/performance.md and .json.

Exits with status 1 when a budget is missed (the documents are written all the same).
"""

import argparse
import json
import os
import platform
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
from datetime import datetime
from http.client import HTTPConnection
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from psycopg2 import sql

from bench import ceiling_path, report
from bench.stats import summary_ms

ROOT = Path(__file__).resolve().parent.parent
# Must match bench.pages.DATASETS (this process does not load Django).
DATASETS = ["small", "large"]
LOAD_DATASET = "large"
WORKERS = 2


class Databases:
    """The benchmark's own databases on the server DATABASE_URL names; dropped at the end."""

    def __init__(self, base_url, prefix):
        self.base = urlsplit(base_url)
        if self.base.scheme not in {"postgres", "postgresql"}:
            raise SystemExit("DATABASE_URL must name a PostgreSQL server (postgres://…).")
        self.prefix = prefix
        self.created = []

    def _connect(self):
        conn = psycopg2.connect(self.url(self.base.path.lstrip("/") or "postgres"))
        conn.autocommit = True
        return conn

    def url(self, name):
        return urlunsplit(self.base._replace(path=f"/{name}"))

    def server_version(self):
        conn = self._connect()
        try:
            cursor = conn.cursor()
            cursor.execute("SHOW server_version")
            return cursor.fetchone()[0]
        finally:
            conn.close()

    def create(self, suffix, template=None):
        name = f"{self.prefix}_{suffix}"
        query = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            query += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        conn = self._connect()
        try:
            conn.cursor().execute(query)
        finally:
            conn.close()
        self.created.append(name)
        return name

    def drop_all(self):
        conn = self._connect()
        try:
            for name in reversed(self.created):
                conn.cursor().execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(name)
                    )
                )
        finally:
            conn.close()
        self.created.clear()


# One key for every process of a run: sessions made by one are read by the others.
BENCH_SECRET_KEY = secrets.token_urlsafe(50)


def django_env(database_url, **extra):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "agentnet.settings",
        "DJANGO_DEBUG": "False",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        # Production settings want a key and the portal's address; these are the bench's own.
        "DJANGO_SECRET_KEY": BENCH_SECRET_KEY,
        "DJANGO_SITE_URL": "http://127.0.0.1",
        # Plain HTTP on 127.0.0.1.
        "DJANGO_HTTPS": "False",
        "PYTHONUNBUFFERED": "1",
    }
    # The normal URLconf unless the server asks for bench.urls.
    for name in ("DJANGO_BEHIND_PROXY", "DJANGO_ROOT_URLCONF"):
        env.pop(name, None)
    env.update(extra)
    return env


def python(*args, env, timeout=600):
    subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=True, timeout=timeout)  # noqa: S603 - our own interpreter and modules


def loadavg():
    """The 1, 5 and 15 minute load averages: above nproc, other work shared the CPU."""
    return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, path, cookie=""):
    conn = HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


class Server:
    """gunicorn serving the load dataset through bench.urls."""

    def __init__(self, env, log_path):
        self.port = free_port()
        self.log_path = log_path
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and gunicorn
            [
                sys.executable, "-m", "gunicorn", "agentnet.wsgi",
                "--workers", str(WORKERS),
                "--bind", f"127.0.0.1:{self.port}",
                "--error-logfile", str(log_path),
                "--log-level", "warning",
            ],
            cwd=ROOT,
            env={**env, "DJANGO_ROOT_URLCONF": "bench.urls"},
        )

    def wait_ready(self, seconds=60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if get(self.port, "/log-ind/")[0] == 200 and len(self.worker_pids()) == WORKERS:
                    return
            except OSError:
                pass
            time.sleep(0.25)
        raise SystemExit(f"gunicorn did not start; its log:\n{self.log_tail()}")

    def log_tail(self):
        try:
            return "\n".join(self.log_path.read_text().splitlines()[-30:])
        except OSError:
            return "(no log)"

    def worker_pids(self):
        master = self.process.pid
        try:
            children = Path(f"/proc/{master}/task/{master}/children").read_text()
            return [int(pid) for pid in children.split()]
        except OSError:
            pids = []
            for stat in Path("/proc").glob("[0-9]*/stat"):
                try:
                    fields = stat.read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == master:
                    pids.append(int(stat.parent.name))
            return pids

    def memory(self):
        """Peak (VmHWM) and current (VmRSS) resident memory of each worker, in MiB."""
        workers = []
        for pid in self.worker_pids():
            status = dict(
                line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
            )
            workers.append(
                {
                    "pid": pid,
                    "peak_rss_mib": int(status["VmHWM"].split()[0]) / 1024,
                    "rss_mib": int(status["VmRSS"].split()[0]) / 1024,
                }
            )
        return workers

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def load_phases(pages, args, page_sessions=None):
    """Warm-up, the mix without and with pauses, then each page alone and its ceiling alone,
    alternately.

    A target is [label, path] (requested with the user's own session) or [label, path,
    session] for a page only its viewer may see ("" for a public page: no session)."""
    page_sessions = page_sessions or {}

    def target(name, page):
        if name in page_sessions:
            return [name, page["path"], page_sessions[name]]
        return [name, page["path"]]

    mix = [target(name, page) for name, page in pages.items()]
    phases = [
        {"name": "warmup", "users": args.users, "seconds": args.warmup_seconds, "targets": mix},
        {"name": "mix", "users": args.users, "seconds": args.mix_seconds, "targets": mix},
        {"name": "people", "users": args.users, "seconds": args.people_seconds,
         "pause": [args.pause_min, args.pause_max], "targets": mix},
    ]
    for name, page in pages.items():
        phases.append(
            {"name": f"alone:{name}", "users": args.users, "seconds": args.alone_seconds,
             "targets": [target(name, page)]}
        )
        phases.append(
            {"name": f"ceiling:{name}", "users": args.users, "seconds": args.alone_seconds,
             "targets": [[f"ceiling:{name}", ceiling_path(page["bytes"])]]}
        )
    return phases


def measure_datasets(urls, args, tmp):
    """Rounds of in-process measurement, page by page, alternating between the datasets; the
    samples are pooled, and each round's medians kept for the paired slowdown (bench.report)."""
    datasets = {}
    for name in DATASETS:
        # A process of its own, so that no measuring process carries the seeding's objects.
        print(f"== Seeding the {name} dataset", flush=True)
        out = tmp / f"{name}-seed.json"
        python("-m", "bench.measure", name, "--seed-only", "--out", str(out),
               env=django_env(urls[name]), timeout=1800)
        datasets[name] = {**json.loads(out.read_text()), "pages": {}}
    first, *others = DATASETS
    also = []
    for name in others:
        also += ["--also", f"{name}={urlsplit(urls[name]).path.lstrip('/')}"]
    for round_no in range(args.rounds):
        print(f"== In process: round {round_no + 1} of {args.rounds}, page by page, "
              f"{' then '.join(DATASETS)}", flush=True)
        out = tmp / f"round-{round_no}.json"
        options = ["--out", str(out), "--requests", str(args.requests),
                   "--warmup", str(args.warmup), *also]
        if round_no == args.rounds - 1:
            options += ["--sessions", str(args.users), "--explain",
                        "--load-dataset", LOAD_DATASET]
        python("-m", "bench.measure", first, *options, env=django_env(urls[first]))
        for name, measured in json.loads(out.read_text())["datasets"].items():
            merged = datasets[name]
            for key in ("sessions", "session_cookie_name", "page_sessions", "explain"):
                if key in measured:
                    merged[key] = measured[key]
            for page, figures in measured["pages"].items():
                pooled = merged["pages"].setdefault(
                    page,
                    {**figures, "seconds": [], "cpu_seconds": [], "queries_per_round": [],
                     "round_medians_ms": [], "errors": 0},
                )
                pooled["round_medians_ms"].append(summary_ms(figures["seconds"])["median_ms"])
                pooled["seconds"] += figures["seconds"]
                pooled["cpu_seconds"] += figures["cpu_seconds"]
                pooled["queries_per_round"].append(figures["queries"])
                pooled["queries"] = max(pooled["queries_per_round"])
                pooled["errors"] += figures["errors"]
    for dataset in datasets.values():
        for figures in dataset["pages"].values():
            figures.update(summary_ms(figures.pop("seconds")))
            figures["cpu_median_ms"] = summary_ms(figures.pop("cpu_seconds"))["median_ms"]
    return datasets


def run_load(database_url, measured, args, tmp):
    env = django_env(database_url)
    server = Server(env, tmp / "gunicorn.log")
    try:
        server.wait_ready()
        cookie_name = measured["session_cookie_name"]
        cookie = f"{cookie_name}={measured['sessions'][0]}"
        for path in ("/", ceiling_path(1000)):
            status, _body = get(server.port, path, cookie)
            if status != 200:
                raise SystemExit(f"A signed-in GET {path} answered {status}; see the log:\n"
                                 f"{server.log_tail()}")
        plan = {
            "port": server.port,
            "cookie_name": cookie_name,
            "sessions": measured["sessions"],
            "max_requests": args.max_requests,
            "phases": load_phases(measured["pages"], args, measured.get("page_sessions")),
            "worker_pids": server.worker_pids(),
        }
        plan_path, out_path = tmp / "plan.json", tmp / "load.json"
        plan_path.write_text(json.dumps(plan))
        timeout = sum(p["seconds"] for p in plan["phases"]) + 120
        python("-m", "bench.load", str(plan_path), str(out_path), env=env, timeout=timeout)
        result = json.loads(out_path.read_text())
        result["workers"] = server.memory()
        result["server_log"] = server.log_tail()
        return result
    finally:
        server.stop()


def in_process_only(results):
    """--skip-load: the in-process figures and their budgets, on the terminal only."""
    small = results["datasets"]["small"]["pages"]
    large = results["datasets"]["large"]["pages"]
    print(f"{'page':<12} {'queries':>9} {'small ms':>9} {'large ms':>9} {'ratio':>6}")
    for page, figures in large.items():
        ratio = report.paired_slowdown(small[page], figures)
        print(f"{page:<12} {small[page]['queries']:>4} /{figures['queries']:>3} "
              f"{small[page]['median_ms']:>9.2f} {figures['median_ms']:>9.2f} {ratio:>6.2f}")
    failed = [c for c in report.evaluate_in_process(results) if not c["pass"]]
    for check in failed:
        print(f"   FAIL {check['budget']}: {check['subject']} = {check['value']}")
    print("== In-process part only (--skip-load); docs/ left as they were.")
    sys.exit(1 if failed else 0)


def machine(databases):
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo.splitlines()
         if line.startswith("model name")),
        platform.processor() or "unknown",
    )
    meminfo = Path("/proc/meminfo").read_text().split()
    return {
        "nproc": len(os.sched_getaffinity(0)),  # what nproc prints
        "memory_gib": round(int(meminfo[meminfo.index("MemTotal:") + 1]) / 1024**2, 1),
        "cpu_model": model,
        "os": platform.platform(),
        "python": platform.python_version(),
        "python_build": python_build(),
        "django": version("Django"),
        "postgresql": databases.server_version(),
        "gunicorn": version("gunicorn"),
        "psycopg2": version("psycopg2-binary"),
    }


def python_build():
    """The interpreter that served the pages and the configure options that decide its speed:
    CPython built without profile-guided and link-time optimisation (pyenv's default) spends
    more CPU on every request than a distribution's build (docs/deployment.md)."""
    options = sysconfig.get_config_var("CONFIG_ARGS") or ""
    return {
        "executable": os.path.realpath(sys.executable),
        "configure": [option for _what, option in report.BUILD_OPTIONS if option in options],
    }


def command(base_url):
    safe = urlsplit(base_url)
    if safe.password:
        safe = safe._replace(netloc=safe.netloc.replace(f":{safe.password}@", ":***@"))
    run = f"DATABASE_URL={urlunsplit(safe)} python -m bench.run"
    if len(sys.argv) > 1:
        run += " " + shlex.join(sys.argv[1:])
    if not os.environ.get("MAKELEVEL"):
        return run
    interpreter = os.environ.get("BENCH_PYTHON")
    return f"make bench{f' BENCH_PYTHON={interpreter}' if interpreter else ''} ({run})"


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m bench.run",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--rounds", type=int, default=5, help="in-process rounds per dataset")
    parser.add_argument("--requests", type=int, default=15,
                        help="timed requests per page and round")
    parser.add_argument("--warmup", type=int, default=5,
                        help="untimed requests per page and round, first")
    parser.add_argument("--users", type=int, default=20, help="concurrent users under load")
    parser.add_argument("--mix-seconds", type=float, default=30,
                        help="the mix without pauses")
    parser.add_argument("--people-seconds", type=float, default=90,
                        help="the mix with each user pausing between pages")
    parser.add_argument("--pause-min", type=float, default=1.0, help="seconds")
    parser.add_argument("--pause-max", type=float, default=5.0, help="seconds")
    parser.add_argument("--alone-seconds", type=float, default=4)
    parser.add_argument("--warmup-seconds", type=float, default=5)
    parser.add_argument("--max-requests", type=int, default=200_000, help="per load phase")
    parser.add_argument("--out-dir", type=Path, default=ROOT / "docs")
    parser.add_argument(
        "--skip-load", action="store_true",
        help="only the in-process part: print its figures and budgets, skip gunicorn and the "
        "load test, and leave docs/ alone (they always describe a whole run)",
    )
    args = parser.parse_args(argv)
    base_url = os.environ.get("DATABASE_URL")
    if not base_url:
        raise SystemExit("Set DATABASE_URL to a PostgreSQL server, e.g. "
                         "postgres://postgres@127.0.0.1:5432/postgres")

    started = time.monotonic()
    databases = Databases(base_url, f"agentnet_bench_{os.getpid()}")
    tmp = Path(tempfile.mkdtemp(prefix="agentnet-bench-"))
    results = {
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": command(base_url),
        "settings": {
            "rounds": args.rounds,
            "requests_per_page": args.requests,
            "warmup_requests": args.warmup,
            "users": args.users,
            "mix_seconds": args.mix_seconds,
            "people_seconds": args.people_seconds,
            "pause": [args.pause_min, args.pause_max],
            "alone_seconds": args.alone_seconds,
            "warmup_seconds": args.warmup_seconds,
            "workers": WORKERS,
        },
        "datasets": {},
        "loadavg": {"start": loadavg()},
    }
    if results["loadavg"]["start"][0] > len(os.sched_getaffinity(0)):
        print(f"Note: the machine is busy (load average {results['loadavg']['start'][0]}); "
              "the times will be higher than on an idle machine.", flush=True)
    try:
        results["machine"] = machine(databases)
        template = databases.create("template")
        print("== Migrating", flush=True)
        python("manage.py", "migrate", "--no-input", "-v0", env=django_env(databases.url(template)))
        print("== collectstatic into var/static (the production static storage)", flush=True)
        python("manage.py", "collectstatic", "--no-input", "-v0",
               env=django_env(databases.url(template)))
        urls = {name: databases.url(databases.create(name, template)) for name in DATASETS}
        results["datasets"] = measure_datasets(urls, args, tmp)
        if args.skip_load:
            return in_process_only(results)
        print(f"== Under load: {LOAD_DATASET} dataset, gunicorn with {WORKERS} workers",
              flush=True)
        results["loadavg"]["before_load"] = loadavg()
        results["load"] = run_load(urls[LOAD_DATASET], results["datasets"][LOAD_DATASET],
                                   args, tmp)
    finally:
        databases.drop_all()
        shutil.rmtree(tmp, ignore_errors=True)
    results["loadavg"]["end"] = loadavg()
    for measured in results["datasets"].values():
        measured.pop("sessions", None)
        measured.pop("page_sessions", None)
        for figures in measured["pages"].values():
            figures.pop("path", None)  # a calendar token, say: the documents show "url"
    results["run_seconds"] = time.monotonic() - started

    checks = report.evaluate(results)
    results["budgets"] = checks
    results["pass"] = all(c["pass"] for c in checks)
    args.out_dir.mkdir(exist_ok=True)
    (args.out_dir / "performance.json").write_text(
        json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (args.out_dir / "performance.md").write_text(report.markdown(results), encoding="utf-8")
    print(f"== Done in {results['run_seconds']:.0f} s: {args.out_dir / 'performance.md'}")
    failed = [c for c in checks if not c["pass"]]
    for check in failed:
        print(f"   FAIL {check['budget']}: {check['subject']} = {check['value']}")
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
