"""The security promises of the deployment: settings, CSP, CSRF, login throttling, error pages
and cookies."""

import json
import os
import re
import secrets
import subprocess
import sys
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.db import OperationalError, connection
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from tests.factories import TEST_PASSWORD
from tests.test_permission_matrix import (
    PERMISSIONS,
    ROLES,
    _client_for,
    reverse_case,
)

pytestmark = pytest.mark.django_db

BASE_DIR = django_settings.BASE_DIR
# What a deployment must say; HTTPS is on without being asked for.
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "False",
    "DJANGO_ALLOWED_HOSTS": "agentnet.example.dk",
    "DJANGO_SITE_URL": "https://agentnet.example.dk",
    # A deployment must send mail (invitations, MUS); without a host Django's check
    # rightly refuses the console backend (mail.E001).
    "DJANGO_EMAIL_HOST": "smtp.example.dk",
}


def _manage(*args, env, tmp_path):
    """Run manage.py in a fresh interpreter, so settings.py reads `env` from scratch."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    # Not the shared development database: a concurrent writer locking it makes SQLite's
    # JSON probe fail, and the check then reports JSONField as unsupported (fields.E180).
    clean.setdefault("DATABASE_URL", f"sqlite:///{tmp_path / 'check.sqlite3'}")
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _production_env():
    return {**PRODUCTION_ENV, "DJANGO_SECRET_KEY": secrets.token_urlsafe(64)[:60]}


def _danish(text):
    """The Danish version of one of our strings, HTML-escaped as a template prints it."""
    with translation.override("da"):
        danish = translation.gettext(text)
    assert danish != text, f"{text!r} has no Danish translation"
    return escape(danish)


def _signed_in(client):
    return "_auth_user_id" in client.session


# (a) Deployment checks ----------------------------------------------------------------------


def test_deploy_check_passes_with_production_settings(tmp_path):
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", env=_production_env(), tmp_path=tmp_path
    )

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output and "security.W" not in output


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_SITE_URL"])
def test_production_refuses_to_start_without_its_key_or_its_address(missing, tmp_path):
    env = {name: value for name, value in _production_env().items() if name != missing}

    result = _manage("check", env=env, tmp_path=tmp_path)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{missing} must be set when DJANGO_DEBUG is False" in result.stderr


def test_the_application_server_is_production_unless_told_otherwise(tmp_path):
    # gunicorn imports agentnet.wsgi: without DJANGO_DEBUG it must not start on the
    # development key.
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "-c", "import agentnet.wsgi"],
        cwd=BASE_DIR, env=clean, capture_output=True, text=True, timeout=120, check=False,
    )

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_https_is_off_only_when_said(tmp_path):
    script = "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.HTTPS)"

    said_off = _manage(
        "shell", "-c", script, env={**_production_env(), "DJANGO_HTTPS": "False"},
        tmp_path=tmp_path,
    )
    unsaid = _manage("shell", "-c", script, env=_production_env(), tmp_path=tmp_path)

    # The last line: the shell first says what it imported.
    assert said_off.stdout.splitlines()[-1] == "False False", said_off.stderr
    assert unsaid.stdout.splitlines()[-1] == "True True", unsaid.stderr


def test_deploy_check_fails_without_production_settings(tmp_path):
    # Proves the check above can fail: development defaults are not fit to deploy.
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env={}, tmp_path=tmp_path)

    output = result.stdout + result.stderr
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W009", "security.W012",
                    "security.W016"):
        assert warning in output


# (b) Content Security Policy ----------------------------------------------------------------

SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
NONCE_ATTR = re.compile(r'\snonce="([^"]*)"')
HEADER_NONCE = re.compile(r"'nonce-([^']+)'")
# What a strict CSP blocks; a page relying on it would break in the browser.
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)


def _assert_strict_csp(response, where):
    policy = response.get("Content-Security-Policy")
    assert policy, f"{where}: no Content-Security-Policy header"
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, where
    directives = {}
    for part in policy.split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = value
    assert directives.get("object-src") == "'none'", where
    assert directives.get("frame-ancestors") == "'none'", where
    # A spreadsheet is not text; what it holds is read as far as it decodes.
    html = response.content.decode(errors="replace")
    scripts = SCRIPT_TAG.findall(html)
    header_nonces = HEADER_NONCE.findall(directives.get("script-src", ""))
    if scripts:
        assert len(header_nonces) == 1, f"{where}: script-src has no nonce: {policy}"
    for tag in scripts:
        nonces = NONCE_ATTR.findall(tag)
        assert nonces == header_nonces, f"{where}: {tag} does not carry the header's nonce"
    assert not INLINE_HANDLER.search(html), f"{where}: inline event handler"
    assert not INLINE_STYLE.search(html), f"{where}: inline style"
    return header_nonces


def _pages_from_the_permission_table():
    """Every GET page of the permission table, with the first role that may see it."""
    for name, case in sorted(PERMISSIONS.items()):
        if case.method == "get" and 200 in case.expect:
            yield name, ROLES[case.expect.index(200)]


@pytest.mark.parametrize(("name", "role"), list(_pages_from_the_permission_table()))
def test_every_page_has_a_strict_csp_whose_nonce_is_on_its_scripts(name, role, world):
    case = PERMISSIONS[name]
    client = _client_for(world.users[role])
    url = reverse_case(name, case, world)

    first = client.get(url)
    second = client.get(url)

    assert first.status_code == 200
    first_nonces = _assert_strict_csp(first, url)
    second_nonces = _assert_strict_csp(second, url)
    # Downloads (CSV, calendar) and stand-alone pages (print) carry the policy too but load
    # no script; every page built on base.html loads Bootstrap's with the nonce.
    if "base.html" in {t.name for t in first.templates}:
        assert first_nonces, f"{url} loads no script with a nonce"
        assert first_nonces != second_nonces, "the nonce must be new for every response"


def test_error_and_lockout_pages_have_a_strict_csp(agent_client, other_agent):
    forbidden = agent_client.get(reverse("agents:edit", args=[other_agent.pk]))
    missing = agent_client.get("/findes-ikke/")

    assert forbidden.status_code == 403 and missing.status_code == 404
    assert _assert_strict_csp(forbidden, "403")
    assert _assert_strict_csp(missing, "404")


def test_static_files_and_the_redirect_to_https_carry_the_csp_too(settings):
    settings.WHITENOISE_USE_FINDERS = True  # served as in production, without collectstatic
    static_file = Client().get(f"{settings.STATIC_URL}css/agentnet.css")
    settings.SECURE_SSL_REDIRECT = True
    redirect = Client().get(reverse("login"))

    assert static_file.status_code == 200 and b".site-header" in b"".join(static_file)
    assert redirect.status_code == 301 and redirect["Location"].startswith("https://")
    for response in (static_file, redirect):
        policy = response.get("Content-Security-Policy", "")
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy


def test_pages_send_the_other_hardening_headers(agent_client):
    response = agent_client.get(reverse("agents:directory"))

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


# (c) CSRF -----------------------------------------------------------------------------------


def test_profile_post_without_csrf_token_is_refused(agent):
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent.user)
    url = reverse("agents:edit", args=[agent.pk])
    post = {"first_name": "Hacked", "last_name": "X", "title": "Hacked", "phone": "",
            "location": agent.location_id, "time_share": "1", "bio": ""}

    refused = client.post(url, post)

    assert refused.status_code == 403
    agent.refresh_from_db()
    assert agent.title != "Hacked" and agent.user.first_name != "Hacked"

    # The same post with the form's token is accepted, so the refusal was the token's doing.
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(url).text)[1]
    accepted = client.post(url, {**post, "csrfmiddlewaretoken": token})

    assert accepted.status_code == 302
    agent.refresh_from_db()
    assert agent.title == "Hacked"


def test_sign_in_without_csrf_token_is_refused(agent):
    client = Client(enforce_csrf_checks=True)

    response = _sign_in(client, TEST_PASSWORD)

    assert response.status_code == 403
    assert not _signed_in(client)


# (d) Login throttling -----------------------------------------------------------------------

LOCKED_OUT = "Too many failed sign-in attempts"


def _sign_in(client, password, username="mette", **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def test_wrong_passwords_lock_the_user_name_out_until_the_cool_off(agent, other_agent):
    client = Client()
    limit = django_settings.AXES_FAILURE_LIMIT
    assert limit == 5

    refused = [_sign_in(client, "forkert-kodeord") for _ in range(limit - 1)]
    last_wrong = _sign_in(client, "forkert-kodeord")
    correct_while_locked = _sign_in(client, TEST_PASSWORD)

    for response in refused:
        assert response.status_code == 200 and response.context["form"].non_field_errors()
    # The fifth failure reaches the limit: that answer is already the lockout page.
    assert last_wrong.status_code == 429
    assert correct_while_locked.status_code == 429
    html = correct_while_locked.content.decode()
    assert _danish(LOCKED_OUT) in html and '<html lang="da">' in html
    assert "registration/locked_out.html" in {t.name for t in correct_while_locked.templates}
    assert not _signed_in(client)
    # The lockout is per user name and address: a colleague at the same address signs in.
    colleague = Client()
    assert _sign_in(colleague, TEST_PASSWORD, username="peter").status_code == 302
    assert _signed_in(colleague)

    # The cool-off passes.
    AccessAttempt.objects.filter(username="mette").update(
        attempt_time=F("attempt_time") - django_settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )
    after_cool_off = _sign_in(client, TEST_PASSWORD)

    assert after_cool_off.status_code == 302
    assert after_cool_off["Location"] == reverse("home")
    assert _signed_in(client)
    assert not AccessAttempt.objects.filter(username="mette").exists()


PROXY = "10.0.0.1"


def _behind_proxy(forwarded_for):
    """A browser whose requests reach the portal through the reverse proxy."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


def test_behind_the_proxy_one_client_guessing_does_not_lock_out_another(agent, settings):
    settings.BEHIND_PROXY = True
    settings.PROXY_COUNT = 1
    guesser = _behind_proxy("10.20.0.7")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(guesser, "forkert-kodeord")

    guesser_again = _sign_in(guesser, TEST_PASSWORD)
    # Writing another address in front of the one the proxy adds changes nothing.
    forger = _behind_proxy("203.0.113.9, 10.20.0.7")
    forged = _sign_in(forger, TEST_PASSWORD)
    # Mette herself, at her own desk, behind the same proxy.
    mette = _behind_proxy("10.20.0.8")
    signed_in = _sign_in(mette, TEST_PASSWORD)

    assert guesser_again.status_code == 429 and not _signed_in(guesser)
    assert forged.status_code == 429 and not _signed_in(forger)
    assert signed_in.status_code == 302 and _signed_in(mette)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.20.0.7"}


def test_without_a_proxy_a_forged_forwarded_for_does_not_escape_the_lockout(agent, settings):
    assert settings.BEHIND_PROXY is False
    for number in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(_behind_proxy(f"10.30.0.{number}"), "forkert-kodeord")

    last = _behind_proxy("10.30.0.99")
    response = _sign_in(last, TEST_PASSWORD)

    assert response.status_code == 429
    assert not _signed_in(last)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {PROXY}


# (e) Error pages ----------------------------------------------------------------------------


def test_a_bad_request_page_is_ours_and_danish(client):
    # A host the portal does not answer for is one bad request Django refuses.
    response = client.get(reverse("login"), HTTP_HOST="evil.example.com")

    assert response.status_code == 400
    assert "400.html" in {t.name for t in response.templates}
    html = response.content.decode()
    assert _danish("The request could not be read") in html and '<html lang="da">' in html
    _assert_strict_csp(response, "400")


def test_a_refused_csrf_check_shows_our_danish_page(agent):
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent.user)

    response = client.post(reverse("agents:edit", args=[agent.pk]), {"title": "Ny"})

    assert response.status_code == 403
    assert "403_csrf.html" in {t.name for t in response.templates}
    html = response.content.decode()
    assert _danish("The form has expired") in html and '<html lang="da">' in html
    # The page is the portal's own, with its menu: the reader can go on from it.
    assert reverse("agents:directory") in html
    agent.refresh_from_db()
    assert agent.title != "Ny"


def test_forbidden_page_is_ours_and_danish(agent_client, other_agent):
    response = agent_client.get(reverse("agents:edit", args=[other_agent.pk]))

    assert response.status_code == 403
    assert "403.html" in {t.name for t in response.templates}
    html = response.content.decode()
    assert _danish("You may not do that") in html and '<html lang="da">' in html


@pytest.mark.parametrize("path", ["/netvaerk/agenter/999999/", "/findes-ikke/"])
def test_not_found_page_is_ours_and_danish(path, agent_client):
    response = agent_client.get(path)

    assert response.status_code == 404
    assert "404.html" in {t.name for t in response.templates}
    html = response.content.decode()
    assert _danish("The page was not found") in html and '<html lang="da">' in html


def test_database_going_away_mid_request_gives_our_500_page_without_details(agent_client):
    client = agent_client
    client.raise_request_exception = False

    def database_gone(execute, sql, params, many, context):
        # The session and the user load; the page's own query finds the database gone.
        if '"agents_agent"' in sql:
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(database_gone):
        response = client.get(reverse("agents:directory"))

    assert response.status_code == 500
    assert "500.html" in {t.name for t in response.templates}
    html = response.content.decode()
    assert _danish("Something went wrong") in html and '<html lang="da">' in html
    for leak in ("Traceback", "OperationalError", "server closed", "agents_agent", "SELECT"):
        assert leak not in html
    _assert_strict_csp(response, "500")
    # With the database back, the same page works again.
    assert "Mette Skovgaard" in client.get(reverse("agents:directory")).content.decode()


# (f) Cookies --------------------------------------------------------------------------------


def test_session_cookie_is_http_only_and_same_site(agent):
    client = Client()

    response = _sign_in(client, TEST_PASSWORD)

    cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert cookie.value and cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


PRODUCTION_COOKIE_SETTINGS = [
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE",
    "LANGUAGE_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
]


def test_with_https_settings_every_cookie_is_secure(agent, settings, tmp_path):
    # What settings.py makes of DJANGO_HTTPS=True, read in a fresh interpreter ...
    script = (
        "import json; from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {PRODUCTION_COOKIE_SETTINGS!r}}}))"
    )
    result = _manage("shell", "-c", script, env=_production_env(), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    production = json.loads(result.stdout.strip().splitlines()[-1])
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SECURE"] is True
    # ... applied here, where a browser signs in over HTTPS.
    for name, value in production.items():
        setattr(settings, name, value)
    client = Client()

    plain_http = client.get(reverse("login"))
    page = client.get(reverse("login"), secure=True)
    signed_in = _sign_in(client, TEST_PASSWORD, secure=True)
    language = client.post(reverse("set_language"), {"language": "en", "next": "/"}, secure=True)

    assert plain_http.status_code == 301
    assert plain_http["Location"].startswith("https://")
    assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert _signed_in(client)
    session = signed_in.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] is True and session["httponly"] is True
    assert page.cookies[settings.CSRF_COOKIE_NAME]["secure"] is True
    assert language.cookies[settings.LANGUAGE_COOKIE_NAME]["secure"] is True


# (g) Sessions -------------------------------------------------------------------------------


def test_a_sign_out_ends_the_session_for_every_worker(agent, settings, tmp_path):
    """Sessions are read from the cache before the database, so the cache must be one that
    every worker process reads: with one per process, a sign-out on one worker would leave
    the session open on the others. Another interpreter plays the other worker."""
    env = {"DJANGO_CACHE_DIR": settings.CACHES["sessions"]["LOCATION"]}

    def other_worker_sees(key):
        script = (
            "from django.conf import settings as s; from django.core.cache import caches; "
            "from django.contrib.sessions.backends.cached_db import SessionStore; "
            f"print(caches[s.SESSION_CACHE_ALIAS].get(SessionStore({key!r}).cache_key) "
            "is not None)"
        )
        result = _manage("shell", "-c", script, env=env, tmp_path=tmp_path)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip().splitlines()[-1] == "True"

    client = Client()
    _sign_in(client, TEST_PASSWORD)
    key = client.session.session_key
    seen_while_signed_in = other_worker_sees(key)
    client.post(reverse("logout"))

    assert seen_while_signed_in
    assert not other_worker_sees(key)
    assert not _signed_in(client)
