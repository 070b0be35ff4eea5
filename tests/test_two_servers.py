"""Two app servers (gunicorn, one worker each) on one PostgreSQL database and one Redis: what
is changed through one is seen on both at once. A sign-out ends the session on both, and a
changed heatmap and a changed calendar feed are shown by both, never an older copy that one
of them kept.

The servers share the test database that pytest-django made (the data is committed:
transaction=True) and a Redis of the test's own (Debian's redis-server on a free port). The
tests run in the PostgreSQL pass of `make test`; without redis-server they are skipped, and
under CI=true they fail instead.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.urls import reverse

from competencies import demo, services
from competencies.models import Rating
from meetings.models import CalendarFeed
from tests import factories

pytestmark = [
    pytest.mark.servers,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="two servers need one PostgreSQL database: the PostgreSQL pass runs this",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "et langt kodeord 42"
MISSING_REDIS = "redis-server not found: apt-get install redis-server"


def in_ci():
    return os.environ.get("CI", "").lower() == "true"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(ready, process, what, log, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            if ready():
                return
        except (OSError, redis.ConnectionError):
            pass
        time.sleep(0.2)
    pytest.fail(f"{what} did not start:\n{log.read_text() if log.exists() else '(no log)'}")


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    server = shutil.which("redis-server")
    if server is None:
        if in_ci():
            pytest.fail(MISSING_REDIS)
        pytest.skip(MISSING_REDIS)
    port = free_port()
    log = tmp_path_factory.mktemp("redis") / "redis.log"
    process = subprocess.Popen(  # noqa: S603 - Debian's redis-server, our arguments
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--logfile", str(log)],
    )
    url = f"redis://127.0.0.1:{port}/0"
    wait_for(lambda: redis.Redis.from_url(url).ping(), process, "redis-server", log)
    yield url
    stop(process)


@pytest.fixture(scope="module")
def servers(django_db_setup, redis_url, tmp_path_factory):
    """The ports of two gunicorn servers, one worker each, on the test database and Redis."""
    database = connection.settings_dict  # the test database, once django_db_setup made it
    host, port = database["HOST"] or "localhost", database["PORT"] or 5432
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.server_settings",
        "DATABASE_URL": (
            f"postgres://{database['USER']}:{database['PASSWORD']}@{host}:{port}/{database['NAME']}"
        ),
        # What production requires to be set: the servers run with DEBUG off.
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "DJANGO_SITE_URL": "http://127.0.0.1",
        "DJANGO_HTTPS": "False",  # plain HTTP on the loopback
        # No connection kept between requests: the test database is dropped after the run.
        "DJANGO_CONN_MAX_AGE": "0",
        "REDIS_URL": redis_url,
    }
    logs = tmp_path_factory.mktemp("gunicorn")
    started, ports = [], []
    try:
        for number in (1, 2):
            port, log = free_port(), logs / f"server{number}.log"
            process = subprocess.Popen(  # noqa: S603 - our own interpreter and gunicorn
                [sys.executable, "-m", "gunicorn", "agentnet.wsgi", "--workers", "1",
                 "--bind", f"127.0.0.1:{port}", "--error-logfile", str(log),
                 # Its default path is one per machine: two servers would take each other's.
                 "--no-control-socket"],
                cwd=ROOT, env=env,
            )
            started.append(process)
            wait_for(
                lambda port=port: Browser().get(port, reverse("login"))[0] == 200,
                process, f"gunicorn {number}", log,
            )
            ports.append(port)
        yield ports
    finally:
        for process in started:
            stop(process)


class Browser:
    """One person's browser: its cookies go to both servers, as to one site."""

    def __init__(self):
        self.cookies = {}

    def get(self, port, path):
        return self._request(port, "GET", path)

    def post(self, port, path, data):
        data = {**data, "csrfmiddlewaretoken": self.cookies["csrftoken"]}
        return self._request(port, "POST", path, urlencode(data))

    def sign_in(self, port, username):
        self.get(port, reverse("login"))
        status, location, _ = self.post(
            port, reverse("login"), {"username": username, "password": PASSWORD}
        )
        assert (status, location) == (302, reverse("home"))

    def _request(self, port, method, path, body=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        http = HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            http.request(method, path, body=body, headers=headers)
            response = http.getresponse()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    # A deleted cookie is kept: the test then shows the server refuses it.
                    if morsel.value:
                        self.cookies[name] = morsel.value
            return response.status, response.getheader("Location"), response.read().decode()
        finally:
            http.close()


def with_password(user):
    user.set_password(PASSWORD)
    user.save()
    return user


def test_a_sign_out_on_one_server_ends_the_session_on_both(servers):
    one, two = servers
    with_password(factories.UserFactory(username="bente", first_name="Bente"))
    browser = Browser()
    browser.sign_in(one, "bente")
    assert all("Bente" in browser.get(port, reverse("home"))[2] for port in (one, two))

    browser.post(one, reverse("logout"), {})

    status, location, _ = browser.get(two, reverse("home"))
    assert status == 302 and location.startswith(reverse("login"))
    assert browser.get(one, reverse("home"))[1].startswith(reverse("login"))


def per_department(page):
    """The heatmap's table of averages per department."""
    start = page.index('id="per-department-heading"')
    return page[start : page.index("</table>", start)]


def test_a_changed_heatmap_is_seen_on_both_servers(servers):
    one, two = servers
    framework = demo.framework()
    jobcenter = factories.DepartmentFactory(name="Jobcenter")
    agents = factories.AgentFactory.create_batch(6, department=jobcenter)
    mus_round = services.open_round(year=2027, framework=framework)

    def send(agent, level):
        assessment = mus_round.assessments.get(agent=agent)
        Rating.objects.filter(assessment=assessment).update(self_level=level)
        services.send_to_manager(assessment, by=agent.user)

    for agent in agents[:3]:
        send(agent, 2)
    with_password(factories.FacilitatorFactory(username="lise"))
    browser = Browser()
    browser.sign_in(one, "lise")
    url = reverse("competencies:heatmap", args=[mus_round.pk])
    before = [per_department(browser.get(port, url)[2]) for port in (one, two)]

    # The map moves on only when enough more have sent that no one's answers show.
    for agent in agents[3:]:
        send(agent, 3)

    after = [per_department(browser.get(port, url)[2]) for port in (one, two)]
    assert "2,0" in before[0] and "2,5" not in before[0]
    assert "2,5" in after[0] and after[0] == after[1]
    assert before[0] == before[1]


def test_a_changed_calendar_feed_is_seen_on_both_servers(servers):
    one, two = servers
    meeting = factories.MeetingFactory(theme="Robotter")
    token = CalendarFeed.objects.create(user=factories.UserFactory()).token
    feed = reverse("meetings:feed", args=[token])
    browser = Browser()
    before = [browser.get(port, feed)[2] for port in (one, two)]

    meeting.theme = "Chatbots"
    meeting.save()

    after = [browser.get(one, feed)[2]]
    time.sleep(1.1)  # a feed written now would carry a later DTSTAMP
    after.append(browser.get(two, feed)[2])
    assert "Robotter" in before[0] and before[0] == before[1]
    assert "Chatbots" in after[0] and "Robotter" not in after[0]
    # One server wrote this version of the feed, the other read it from the shared cache.
    assert after[0] == after[1]
