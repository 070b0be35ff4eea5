"""Known vulnerabilities of the pinned dependencies, from the package index's project data.

`make audit` (pip-audit) asks the package index for the advisories of each pinned *release*.
Where only the index's project-level data can be reached, this does the same for every pin
that is the project's latest release, whose advisories that data lists:

    python scripts/audit_latest.py requirements.txt [--dev requirements-dev.txt]

It fails on any advisory, and on a runtime pin it could not audit (one behind its latest
release: update it, or audit where the per-release data can be reached). A development pin
it could not audit is reported but does not fail: those tools never run in production.
Standard library only.
"""

import argparse
import json
import os
import re
import sys
import urllib.request

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)")
# The package index's JSON data for one project (the index pip installs from by default);
# AUDIT_INDEX_URL names another that answers the same API.
PROJECT_URL = os.environ.get("AUDIT_INDEX_URL", "https://pypi.org/pypi") + "/{name}/json"


def pins(path):
    """(name, version) of every `name==version` line; `-r` includes are not followed."""
    with open(path, encoding="utf-8") as f:
        return [m.groups() for line in f if (m := PIN.match(line.strip()))]


def fetch(name):
    url = PROJECT_URL.format(name=name)
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - fixed https URL
        return json.load(response)


def audit(runtime, dev=(), fetch=fetch, out=sys.stdout):
    """Prints what it found; returns the exit status (0: nothing known, 1: look)."""
    failed = False
    for kind, requirements in (("runtime", runtime), ("development", dev)):
        for name, version in requirements:
            project = fetch(name)
            latest = project["info"]["version"]
            if latest != version:
                print(f"NOT AUDITED ({kind}): {name} {version}, latest is {latest}", file=out)
                failed |= kind == "runtime"
                continue
            for advisory in project.get("vulnerabilities") or []:
                fixed = ", ".join(advisory.get("fixed_in") or []) or "no fix yet"
                aliases = ", ".join(advisory.get("aliases") or [])
                print(f"VULNERABLE: {name} {version}: {advisory.get('id')} ({aliases}); "
                      f"fixed in {fixed}", file=out)
                failed = True
    if not failed:
        print(f"No known vulnerabilities in {len(runtime) + len(dev)} pinned releases.", file=out)
    return int(failed)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("requirements", nargs="+")
    parser.add_argument("--dev", action="append", default=[])
    args = parser.parse_args(argv)
    runtime = [pin for path in args.requirements for pin in pins(path)]
    dev = [pin for path in args.dev for pin in pins(path) if pin not in runtime]
    return audit(runtime, dev)


if __name__ == "__main__":
    sys.exit(main())
