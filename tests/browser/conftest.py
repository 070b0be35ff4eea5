"""Real-browser tests: Playwright drives Debian's Chromium against Django's live server.

One Chromium per test session (per xdist worker), a fresh browser context per test. A test
fails on any JavaScript console error, uncaught exception, CSP violation or server error
that the browser saw, even when its own assertions pass.

A new test asks for `page` (and `demo_network` for the demo data) and uses the helpers in
tests/browser/helpers.py: `sign_in` through the form, `log_in` by cookie, `assert_accessible`,
`tab_to`. Every test in this folder gets the `browser` marker; without Chromium they are
skipped, and under CI=true they fail instead.
"""

import io
import os
import shutil
import sqlite3
import threading
import warnings
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections

# Playwright's sync API keeps an event loop running in the test thread; Django's async-safety
# check would then refuse every database query the test makes. The queries stay synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MISSING_CHROMIUM = "Chromium not found: apt-get install chromium"
HERE = Path(__file__).resolve().parent

# Reports CSP violations to the test. Playwright injects it through the DevTools protocol,
# so it is not an inline script and the page's CSP does not apply to it.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline code"}`
    + ` in ${event.sourceFile || event.documentURI}:${event.lineNumber}`
  );
});
"""


def find_chromium():
    if Path(CHROMIUM_PATH).exists():
        return CHROMIUM_PATH
    return shutil.which("chromium")


def in_ci():
    return os.environ.get("CI", "").lower() == "true"


def pytest_collection_modifyitems(config, items):
    ours = [item for item in items if HERE in item.path.parents]
    for item in ours:
        item.add_marker(pytest.mark.browser)
    if not ours or find_chromium() or in_ci():
        return  # in CI the `playwright` fixture fails them instead
    # Said in the warnings summary too, so `make test` shows why the tests did not run.
    warnings.warn(
        pytest.PytestWarning(f"{len(ours)} browser tests skipped. {MISSING_CHROMIUM}"),
        stacklevel=1,
    )
    for item in ours:
        item.add_marker(pytest.mark.skip(reason=MISSING_CHROMIUM))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fail the test if the browser saw a problem, even when the test's own assertions passed."""
    problems = item.funcargs.get("browser_problems")
    try:
        result = yield
    except BaseException:
        if problems:
            item.add_report_section("call", "browser problems", "\n".join(problems))
        raise
    if problems:
        pytest.fail("The browser reported problems:\n  " + "\n  ".join(problems), pytrace=False)
    return result


@pytest.fixture(scope="session")
def playwright(django_db_setup):
    if find_chromium() is None:
        if in_ci():
            # CI must never pass by skipping the browser tests.
            pytest.fail(f"{MISSING_CHROMIUM} (CI=true: browser tests may not be skipped)",
                        pytrace=False)
        pytest.skip(MISSING_CHROMIUM)
    from playwright.sync_api import sync_playwright

    serialized = {
        connection.alias: connection._test_serialized_contents
        for connection in connections.all()
        if hasattr(connection, "_test_serialized_contents")
    }
    with sync_playwright() as playwright:
        # With Playwright's event loop running in this thread, Django keeps its connections per
        # context instead of per thread, so the tests get new connection objects. They need the
        # copy of the migrated data that serialized rollback restores after each flush.
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright, live_server):
    """One Chromium per worker.

    It asks for the live server so that it is closed before the server stops: the server's
    request threads must be done with the browser's connections while they may still use the
    database connection the server shares with the tests.
    """
    browser = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(timeout=5)


@pytest.fixture
def browser_problems():
    """What went wrong in the browser during the test; non-empty fails the test."""
    return []


@pytest.fixture
def context(browser, live_server, django_db_serialized_rollback, browser_problems):
    """A fresh browser context (cookies, storage) per test, watched for problems.

    The live server needs a transactional database, whose flush after each test also removes
    what migrations put there (the Facilitator and Leder groups and their permissions);
    serialized rollback restores it before the next test.
    """
    context = browser.new_context(
        base_url=live_server.url, locale="da-DK", timezone_id="Europe/Copenhagen"
    )
    context.set_default_timeout(10_000)

    def on_console(message):
        # CSP violations, failed loads and console.error calls all arrive as type "error".
        if message.type == "error":
            where = message.location.get("url")
            browser_problems.append(
                f"console error: {message.text}" + (f" ({where})" if where else "")
            )

    def on_response(response):
        if response.status >= 500:
            browser_problems.append(f"server error {response.status}: {response.url}")

    context.on("console", on_console)
    context.on(
        "weberror",
        lambda error: browser_problems.append(
            f"page error: {error.error.name}: {error.error.message}"
        ),
    )
    context.on("response", on_response)
    context.expose_function(
        "reportCspViolation", lambda text: browser_problems.append(f"CSP violation: {text}")
    )
    context.add_init_script(script=CSP_LISTENER)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


# Per worker process: the SQLite database right after the first `seed_demo`.
_demo_snapshot = {}


@pytest.fixture
def demo_network(transactional_db):
    """The demo network of `seed_demo`: agents, departments, systems, projects, ...

    Seeding takes a good second and grows with every app's demo data, while each test starts
    from an empty database. On SQLite the seeded database is copied once per worker with
    SQLite's backup API and copied back for the following tests, in milliseconds. The copy
    replaces the whole database, so ask for this fixture before any that add data of their own.
    """
    connection = connections["default"]
    if connection.vendor != "sqlite":
        call_command("seed_demo", stdout=io.StringIO())
        return
    connection.ensure_connection()
    if "default" in _demo_snapshot:
        _demo_snapshot["default"].backup(connection.connection)
        return
    call_command("seed_demo", stdout=io.StringIO())
    snapshot = sqlite3.connect(":memory:", check_same_thread=False)
    connection.connection.backup(snapshot)
    _demo_snapshot["default"] = snapshot
