"""Who gets what on every URL of the project, in one table.

The test walks the URL resolver, so a new URL pattern fails here until someone writes down,
in PERMISSIONS below, what each role gets on it. Anonymous visitors are sent to the sign-in
page everywhere except on the few pages that are public on purpose.
"""

from collections.abc import Callable
from typing import NamedTuple
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "agent", "other_agent", "manager", "facilitator", "plain_user")

# Outcomes besides a plain status code.
LOGIN = "redirect to /log-ind/?next=<url>"
ADMIN_LOGIN = "redirect to the admin's sign-in with ?next=<url>"


class Redirect(NamedTuple):
    """A redirect to a named URL; `owner` names the dataset object whose pk fills it.
    `to` may also be a function of the dataset that returns the address."""

    to: str | Callable
    owner: str | None = None


class Case(NamedTuple):
    # One outcome per role, in the order of ROLES.
    expect: tuple
    # What a 200 response must contain; "{url}" is replaced by the requested path.
    shows: str = ""
    # Which dataset object fills <int:pk>, if the pattern has one.
    pk: str | None = None
    method: str = "get"
    # POST data; a value may be a function of the dataset.
    data: dict | None = None
    # Other URL arguments; a value may be a function of the dataset.
    kwargs: dict | None = None


# The pages the Django admin generates itself are the admin's business; our own admin
# view (the CSV import) is in the table.
OWN_ADMIN_VIEWS = {"admin:agents_agent_import"}

PERMISSIONS = {
    # expect=(anonymous, agent, other_agent, manager, facilitator, plain_user)
    "home": Case(
        expect=(LOGIN, 200, 200, 200, 200, 200),
        shows='class="stat-figure',
    ),
    "login": Case(
        expect=(200, 200, 200, 200, 200, 200),
        shows='name="password"',
    ),
    # Django's LogoutView is POST-only; signing out sends everyone back to sign-in.
    "logout": Case(
        expect=(
            LOGIN, Redirect("login"), Redirect("login"),
            Redirect("login"), Redirect("login"), Redirect("login"),
        ),
        method="post",
    ),
    # A forgotten password (or none yet): asked for and chosen before signing in.
    "password_reset": Case(
        expect=(200, 200, 200, 200, 200, 200),
        shows='name="email"',
    ),
    "password_reset_done": Case(
        expect=(200, 200, 200, 200, 200, 200),
        shows="Se i din indbakke",
    ),
    # A made-up link: the page says it cannot be used and offers a new one.
    "password_reset_confirm": Case(
        expect=(200, 200, 200, 200, 200, 200),
        shows='href="/log-ind/glemt/"',
        kwargs={"uidb64": "MQ", "token": "abc-123"},
    ),
    "password_reset_complete": Case(
        expect=(200, 200, 200, 200, 200, 200),
        shows="Adgangskoden er gemt",
    ),
    # Everyone signed in changes their own password.
    "password_change": Case(
        expect=(LOGIN, 200, 200, 200, 200, 200),
        shows='name="old_password"',
    ),
    "password_change_done": Case(
        expect=(LOGIN, 200, 200, 200, 200, 200),
        shows="Adgangskoden er skiftet",
    ),
    # The language can be chosen before signing in.
    "set_language": Case(
        expect=(
            Redirect("agents:directory"), Redirect("agents:directory"),
            Redirect("agents:directory"), Redirect("agents:directory"),
            Redirect("agents:directory"), Redirect("agents:directory"),
        ),
        method="post",
        data={"language": "en", "next": "/netvaerk/"},
    ),
    # Public by law.
    "accessibility": Case(
        expect=(200, 200, 200, 200, 200, 200),
        shows="(WCAG) 2.1",
    ),
    "agents:directory": Case(
        expect=(LOGIN, 200, 200, 200, 200, 200),
        shows="Mette Skovgaard",
    ),
    "agents:agent": Case(
        expect=(LOGIN, 200, 200, 200, 200, 200),
        shows="Mette Skovgaard",
        pk="agent",
    ),
    # The agent's own profile: the agent and the facilitator edit it, nobody else.
    "agents:edit": Case(
        expect=(LOGIN, 200, 403, 403, 200, 403),
        shows='name="bio"',
        pk="agent",
    ),
    "agents:my_profile": Case(
        expect=(
            LOGIN,
            Redirect("agents:edit", "agent"),
            Redirect("agents:edit", "other_agent"),
            Redirect("home"),
            Redirect("home"),
            Redirect("home"),
        ),
    ),
    # Handing a person's roles to a successor: the facilitator only.
    "agents:handover": Case(
        expect=(LOGIN, 403, 403, 403, 200, 403),
        shows='name="successor"',
        pk="person",
    ),
    "agents:departments": Case(
        expect=(LOGIN, 200, 200, 200, 200, 200),
        shows="Jobcenter",
    ),
    "agents:department": Case(
        expect=(LOGIN, 200, 200, 200, 200, 200),
        shows="Mette Skovgaard",
        pk="department",
    ),
    "agents:systems": Case(
        expect=(LOGIN, 200, 200, 200, 200, 200),
        shows="Momentum",
    ),
    "agents:system": Case(
        expect=(LOGIN, 200, 200, 200, 200, 200),
        shows="Mette Skovgaard",
        pk="system",
    ),
    "agents:capacity": Case(
        expect=(LOGIN, 200, 200, 200, 200, 200),
        shows="Borgerservice",
    ),
    # Projects: everyone signed in reads; the lead, co-agents and the facilitator edit;
    # agents and the facilitator create projects, record ideas and comment by updates.
    "projects:index": Case(
        expect=(LOGIN, 200, 200, 200, 200, 200),
        shows="Robot til ydelsesrefusion",
    ),
    "projects:export": Case(
        expect=(LOGIN, 200, 200, 200, 200, 200),
        shows="Robot til ydelsesrefusion",
        kwargs={"fmt": "csv"},
    ),
    "projects:mine": Case(
        expect=(LOGIN, 200, 200, 200, 200, 200),
        shows='href="{url}" aria-current="page"',
    ),
    "projects:create": Case(
        expect=(LOGIN, 200, 200, 403, 200, 403),
        shows='name="title"',
    ),
    "projects:detail": Case(
        expect=(LOGIN, 200, 200, 200, 200, 200),
        shows="Robot til ydelsesrefusion",
        pk="project",
    ),
    "projects:edit": Case(
        expect=(LOGIN, 200, 403, 403, 200, 403),
        shows='name="title"',
        pk="project",
    ),
    "projects:add_update": Case(
        expect=(
            LOGIN, Redirect("projects:detail", "project"),
            Redirect("projects:detail", "project"), 403,
            Redirect("projects:detail", "project"), 403,
        ),
        pk="project",
        method="post",
        data={"kind": "progress", "text": "Robotten kører nu i test."},
    ),
    "projects:rollout": Case(
        expect=(LOGIN, 200, 403, 403, 200, 403),
        shows="Jobcenter",
        pk="project",
    ),
    "projects:rollouts": Case(
        expect=(LOGIN, 200, 200, 200, 200, 200),
        shows='href="{url}" aria-current="page"',
    ),
    "projects:ideas": Case(
        expect=(LOGIN, 200, 200, 200, 200, 200),
        shows="blanketter kunne udfylde sig selv",
    ),
    "projects:idea_create": Case(
        expect=(LOGIN, 200, 200, 403, 200, 403),
        shows='name="text"',
    ),
    "projects:idea": Case(
        expect=(LOGIN, 200, 200, 200, 200, 200),
        shows="blanketter kunne udfylde sig selv",
        pk="idea",
    ),
    # The one who recorded the idea edits it, and the facilitator.
    "projects:idea_edit": Case(
        expect=(LOGIN, 200, 403, 403, 200, 403),
        shows='name="text"',
        pk="idea",
    ),
    "projects:goals": Case(
        expect=(LOGIN, 200, 200, 200, 200, 200),
        shows="Digital velfærd",
    ),
    "projects:goal": Case(
        expect=(LOGIN, 200, 200, 200, 200, 200),
        shows="Robot til ydelsesrefusion",
        pk="goal",
    ),
    "projects:search": Case(
        expect=(LOGIN, 200, 200, 200, 200, 200),
        shows='href="{url}" aria-current="page"',
    ),
    # Erfa-days: everyone signed in reads published ones; a draft exists only for the
    # facilitator (404 for the rest); agents answer and propose; the facilitator does the rest.
    "meetings:index": Case(
        expect=(LOGIN, 200, 200, 200, 200, 200),
        shows="Robotter i praksis",
    ),
    "meetings:archive": Case(
        expect=(LOGIN, 200, 200, 200, 200, 200),
        shows='name="q"',
    ),
    "meetings:create": Case(
        expect=(LOGIN, 403, 403, 403, 200, 403),
        shows='name="date"',
    ),
    "meetings:series": Case(
        expect=(LOGIN, 403, 403, 403, 200, 403),
        shows='name="first_month"',
    ),
    "meetings:detail": Case(
        expect=(LOGIN, 200, 200, 200, 200, 200),
        shows="Robotter i praksis",
        pk="meeting",
    ),
    "meetings:print": Case(
        expect=(LOGIN, 200, 200, 200, 200, 200),
        shows="Runden",
        pk="meeting",
    ),
    "meetings:edit": Case(
        expect=(LOGIN, 403, 403, 403, 200, 403),
        shows='name="theme"',
        pk="meeting",
    ),
    "meetings:item_create": Case(
        expect=(LOGIN, 403, 403, 403, 200, 403),
        shows='name="title"',
        pk="meeting",
    ),
    "meetings:standard_agenda": Case(
        expect=(LOGIN, 403, 403, 403, Redirect("meetings:detail", "meeting"), 403),
        pk="meeting",
        method="post",
    ),
    "meetings:publish": Case(
        expect=(LOGIN, 404, 404, 404, Redirect("meetings:detail", "draft"), 404),
        pk="draft",
        method="post",
    ),
    "meetings:cancel": Case(
        expect=(LOGIN, 403, 403, 403, Redirect("meetings:detail", "meeting"), 403),
        pk="meeting",
        method="post",
    ),
    "meetings:held": Case(
        expect=(LOGIN, 403, 403, 403, Redirect("meetings:detail", "meeting"), 403),
        pk="meeting",
        method="post",
    ),
    # Only agents are invited, so only agents answer.
    "meetings:answer": Case(
        expect=(
            LOGIN, Redirect("meetings:detail", "meeting"), Redirect("meetings:detail", "meeting"),
            403, 403, 403,
        ),
        pk="meeting",
        method="post",
        data={"response": "coming"},
    ),
    "meetings:attendance": Case(
        expect=(LOGIN, 403, 403, 403, 200, 403),
        shows="Robotter i praksis",
        pk="meeting",
    ),
    "meetings:item_edit": Case(
        expect=(LOGIN, 403, 403, 403, 200, 403),
        shows='value="Runden"',
        pk="item",
    ),
    "meetings:item_delete": Case(
        expect=(LOGIN, 403, 403, 403, Redirect("meetings:detail", "meeting"), 403),
        pk="item",
        method="post",
    ),
    "meetings:item_move": Case(
        expect=(
            LOGIN, 403, 403, 403,
            Redirect(lambda w: f"{w.meeting.get_absolute_url()}#item-{w.item.pk}"), 403,
        ),
        pk="item",
        method="post",
        data={"direction": "up"},
    ),
    "meetings:item_minutes": Case(
        expect=(LOGIN, 403, 403, 403, 200, 403),
        shows="Runden",
        pk="item",
    ),
    # The world's item has no file: 404 for everyone signed in. Who gets a file, and how, is
    # in tests/meetings/test_material.py.
    "meetings:material": Case(
        expect=(LOGIN, 404, 404, 404, 404, 404),
        pk="item",
    ),
    # The owner of an action ticks it off, and the facilitator.
    "meetings:action_done": Case(
        expect=(LOGIN, Redirect("meetings:index"), 403, 403, Redirect("meetings:index"), 403),
        pk="action",
        method="post",
    ),
    "meetings:proposals": Case(
        expect=(LOGIN, 403, 403, 403, 200, 403),
        shows="Chatbots",
    ),
    "meetings:propose": Case(
        expect=(LOGIN, 200, 200, 403, 200, 403),
        shows='name="title"',
    ),
    "meetings:proposal_place": Case(
        expect=(LOGIN, 403, 403, 403, Redirect("meetings:detail", "meeting"), 403),
        pk="proposal",
        method="post",
        data={"meeting": lambda w: w.meeting.pk},
    ),
    "meetings:proposal_park": Case(
        expect=(LOGIN, 403, 403, 403, Redirect("meetings:proposals"), 403),
        pk="proposal",
        method="post",
    ),
    "meetings:speaker_create": Case(
        expect=(LOGIN, 403, 403, 403, 200, 403),
        shows='name="organisation"',
    ),
    "meetings:feed_settings": Case(
        expect=(LOGIN, 200, 200, 200, 200, 200),
        shows=".ics",
    ),
    # Calendar programs cannot sign in: the secret token in the address is the key.
    "meetings:feed": Case(
        expect=(200, 200, 200, 200, 200, 200),
        shows="Robotter i praksis",
        kwargs={"token": lambda w: w.feed.token},
    ),
    # Competencies. An assessment is personnel data: only the agent and, once it is sent,
    # the agent's manager see it; for everyone else it does not exist (404) - the
    # facilitator included, who sees who has sent, never what they answered.
    "competencies:index": Case(
        expect=(LOGIN, 200, 200, 200, 200, 200),
        shows='href="{url}" aria-current="page"',
    ),
    "competencies:framework": Case(
        expect=(LOGIN, 200, 200, 200, 200, 200),
        shows="Forandringsledelse",
        pk="framework",
    ),
    "competencies:assessment": Case(
        expect=(LOGIN, 200, 404, 200, 404, 404),
        shows="Forandringsledelse",
        pk="assessment",
    ),
    # A draft: not even the manager sees it yet.
    "competencies:mus_pack": Case(
        expect=(LOGIN, 200, 404, 404, 404, 404),
        shows="Forandringsledelse",
        pk="draft_assessment",
    ),
    "competencies:team": Case(
        expect=(LOGIN, 403, 403, 200, 403, 403),
        shows="Mette Skovgaard",
    ),
    "competencies:rounds": Case(
        expect=(LOGIN, 403, 403, 403, 200, 403),
        shows=str(timezone.localdate().year),
    ),
    "competencies:round": Case(
        expect=(LOGIN, 403, 403, 403, 200, 403),
        shows="Mette Skovgaard",
        pk="mus_round",
    ),
    "competencies:heatmap": Case(
        expect=(LOGIN, 403, 403, 403, 200, 403),
        shows="Forandringsledelse",
        pk="mus_round",
    ),
    "competencies:courses": Case(
        expect=(LOGIN, 200, 200, 200, 200, 200),
        shows="Ledelse af digitale forandringer",
    ),
    # The right of access: an agent downloads what the portal holds about them.
    "competencies:my_data": Case(
        expect=(LOGIN, 200, 200, 404, 404, 404),
        shows='"profile"',
    ),
    # LoginRequiredMiddleware sends anonymous visitors to the portal's sign-in (as on the
    # admin's model pages); the admin sends signed-in users who are not staff to its own.
    "admin:agents_agent_import": Case(
        expect=(LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, ADMIN_LOGIN),
        shows='name="file"',
    ),
}

# Reachable without signing in, on purpose; everything else sends anonymous visitors to sign-in.
# The calendar feed is public by design (STYLE.md): its secret token is the key.
PUBLIC = {
    "login", "set_language", "accessibility", "meetings:feed", "password_reset",
    "password_reset_done", "password_reset_confirm", "password_reset_complete",
}


def _url_patterns(patterns=None, namespace=None, prefix=""):
    """(name, route) of every URL pattern, through includes, as the resolver sees them."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace])) or None
            yield from _url_patterns(pattern.url_patterns, inner, route)
        elif pattern.name is None:
            yield f"<unnamed pattern {route}>", route
        else:
            yield ":".join(filter(None, [namespace, pattern.name])), route


def _is_skipped(name, route):
    static_prefixes = tuple(
        url.lstrip("/") for url in (settings.STATIC_URL, settings.MEDIA_URL) if url
    )
    if route.lstrip("^").startswith(static_prefixes):
        return True
    in_admin = name.startswith("admin:") or route.lstrip("^").startswith("admin/")
    return in_admin and name not in OWN_ADMIN_VIEWS


def _names_to_check():
    in_resolver = [name for name, route in _url_patterns() if not _is_skipped(name, route)]
    # Entries for URLs that no longer exist are reported too, so the table stays true.
    return sorted(set(in_resolver) | set(PERMISSIONS))


def _resolve(value, world):
    return value(world) if callable(value) else value


def reverse_case(name, case, world):
    kwargs = {key: _resolve(value, world) for key, value in (case.kwargs or {}).items()}
    if case.pk:
        kwargs["pk"] = getattr(world, case.pk).pk
    return reverse(name, kwargs=kwargs)


def _post_data(case, world):
    return {key: _resolve(value, world) for key, value in (case.data or {}).items()}


def _client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _expected_redirect(outcome, url, world):
    if outcome == LOGIN:
        return f"{reverse('login')}?{urlencode({'next': url}, safe='/')}"
    if outcome == ADMIN_LOGIN:
        return f"{reverse('admin:login')}?{urlencode({'next': url}, safe='/')}"
    if callable(outcome.to):
        return outcome.to(world)
    args = [getattr(world, outcome.owner).pk] if outcome.owner else []
    return reverse(outcome.to, args=args)


def _mismatch(case, outcome, url, response, world):
    """A description of how the response differs from the expected outcome, or None."""
    got = f"got {response.status_code} {response.get('Location', '')}".rstrip()
    if isinstance(outcome, int):
        if response.status_code != outcome:
            return f"expected {outcome}, {got}"
        html = response.content.decode()
        if outcome == 200 and case.shows.format(url=url) not in html:
            return f"200 but the page lacks {case.shows.format(url=url)!r}"
        templates = {t.name for t in response.templates}
        if outcome in (403, 404) and f"{outcome}.html" not in templates:
            return f"{outcome} without our {outcome}.html page"
        return None
    expected = _expected_redirect(outcome, url, world)
    if response.status_code != 302 or response["Location"] != expected:
        return f"expected a redirect to {expected}, {got}"
    return None


@pytest.mark.parametrize("name", _names_to_check())
def test_every_url_gives_each_role_what_the_table_says(name, world):
    if name not in PERMISSIONS:
        pytest.fail(f"add {name} to the permission table in {__name__}.PERMISSIONS")
    if name not in {n for n, route in _url_patterns() if not _is_skipped(n, route)}:
        pytest.fail(f"{name} is in the permission table but no longer a URL: remove it")
    case = PERMISSIONS[name]
    assert len(case.expect) == len(ROLES), f"{name}: one outcome per role in {ROLES}"
    if name not in PUBLIC:
        assert case.expect[0] == LOGIN, f"{name} must send anonymous visitors to sign-in"
    url = reverse_case(name, case, world)

    problems = []
    for role, outcome in zip(ROLES, case.expect, strict=True):
        # Each role meets the same data: what one role's POST changes is rolled back.
        with transaction.atomic():
            client = _client_for(world.users[role])
            response = getattr(client, case.method)(url, _post_data(case, world))
            problem = _mismatch(case, outcome, url, response, world)
            transaction.set_rollback(True)
        if problem:
            problems.append(f"{role}: {problem}")

    assert not problems, f"{case.method.upper()} {url} ({name}):\n" + "\n".join(problems)
