"""scripts/audit_latest.py: the dependency audit from the package index's project data."""

import importlib.util
import io
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("audit_latest", ROOT / "scripts/audit_latest.py")
audit_latest = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit_latest)


def project(version, *advisories):
    return {"info": {"version": version}, "vulnerabilities": list(advisories)}


def run(runtime, dev=(), **projects):
    out = io.StringIO()
    status = audit_latest.audit(runtime, dev, fetch=lambda name: projects[name], out=out)
    return status, out.getvalue()


def test_latest_releases_without_advisories_pass():
    status, text = run([("django", "6.1.3")], [("ruff", "0.17.6")],
                       django=project("6.1.3"), ruff=project("0.17.6"))

    assert status == 0
    assert "No known vulnerabilities in 2 pinned releases." in text


def test_an_advisory_fails_and_is_named():
    advisory = {"id": "PYSEC-2026-1", "aliases": ["CVE-2026-0001"], "fixed_in": ["6.1.4"]}
    status, text = run([("django", "6.1.3")], django=project("6.1.3", advisory))

    assert status == 1
    assert "VULNERABLE: django 6.1.3: PYSEC-2026-1 (CVE-2026-0001); fixed in 6.1.4" in text


@pytest.mark.parametrize(("kind", "status"), [("runtime", 1), ("development", 0)])
def test_a_pin_behind_its_latest_release_is_not_audited(kind, status):
    pins = [("django", "6.1.2")]
    runtime, dev = (pins, []) if kind == "runtime" else ([], pins)

    result, text = run(runtime, dev, django=project("6.1.3"))

    assert result == status
    assert f"NOT AUDITED ({kind}): django 6.1.2, latest is 6.1.3" in text


def test_pins_are_read_from_requirement_files(tmp_path):
    path = tmp_path / "requirements.txt"
    path.write_text(
        "-r other.txt\nDjango==6.1.3\n# comment\nfoo>=1\nbar==2.0 ; python_version>'3'\n"
    )

    assert audit_latest.pins(path) == [("Django", "6.1.3"), ("bar", "2.0")]


@pytest.mark.parametrize("path", ["README.md", ".ci/run", "Makefile", "scripts/audit_latest.py"])
def test_prose_speaks_of_the_package_index_not_its_host(path):
    text = (ROOT / path).read_text(encoding="utf-8")
    if path.endswith(".py"):
        # The address the script calls may stay in its code; its prose names no host.
        text = audit_latest.__doc__

    assert "pypi" not in text.lower()


def test_ci_falls_back_on_the_audits_own_failure_without_probing_a_host():
    ci = (ROOT / ".ci/run").read_text(encoding="utf-8")
    audit = ci[ci.index("== Dependency audit"):]

    assert "curl" not in audit and "wget" not in audit
    assert "if ! make audit" in audit and "make audit-latest" in audit
