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
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from agentnet import digest

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
            Redirect("mail_choices"),
            Redirect("mail_choices"),
            Redirect("mail_choices"),
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
    # People new by single sign-on, to make agents of: the facilitator's list.
    "agents:new_users": Case(
        expect=(LOGIN, 403, 403, 403, 200, 403),
        shows="Nye brugere",
    ),
    # Single sign-on starts before signing in; with OIDC_* unset (as here) it is not there
    # for anyone. tests/agents/test_sso.py walks it against a provider.
    "social:begin": Case(
        expect=(404, 404, 404, 404, 404, 404),
        method="post",
        kwargs={"backend": "oidc"},
    ),
    "social:complete": Case(
        expect=(404, 404, 404, 404, 404, 404),
        kwargs={"backend": "oidc"},
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
    # The strategy page adds up what the project list shows everyone signed in.
    "strategy:overview": Case(
        expect=(LOGIN, 200, 200, 200, 200, 200),
        shows='id="benefit-heading"',
    ),
    "strategy:xlsx": Case(
        expect=(LOGIN, 200, 200, 200, 200, 200),
        shows="xl/worksheets/",
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
    # Publishing, cancelling and marking as held cannot be undone: each asks first (a page
    # with a box to tick) and acts on a POST with the box ticked. The world's erfa-day is
    # ahead, so marking it as held is refused with a message on its page.
    "meetings:publish": Case(
        expect=(LOGIN, 404, 404, 404, Redirect("meetings:detail", "draft"), 404),
        pk="draft",
        method="post",
        data={"confirm": "on"},
    ),
    "meetings:cancel": Case(
        expect=(LOGIN, 403, 403, 403, Redirect("meetings:detail", "meeting"), 403),
        pk="meeting",
        method="post",
        data={"confirm": "on"},
    ),
    "meetings:held": Case(
        expect=(LOGIN, 403, 403, 403, Redirect("meetings:detail", "meeting"), 403),
        pk="meeting",
        method="post",
        data={"confirm": "on"},
    ),
    # An erfa-day's calendar file: for everyone who may see it.
    "meetings:ics": Case(
        expect=(LOGIN, 200, 200, 200, 200, 200),
        shows="Robotter i praksis",
        pk="meeting",
    ),
    # The erfa-day's mails that could not be sent: the facilitator sends them again.
    "meetings:resend_mails": Case(
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
    # Personnel data: anyone but a manager gets a 404.
    "competencies:team_profiles": Case(
        expect=(LOGIN, 404, 404, 200, 404, 404),
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
    "my_data": Case(
        expect=(LOGIN, 200, 200, 404, 404, 404),
        shows='"profile"',
    ),
    # Everyone chooses their own mails; the digest's link stops one person's digest without
    # signing in (its signature is the key; a GET only asks).
    "mail_choices": Case(
        expect=(LOGIN, 200, 200, 200, 200, 200),
        shows='name="weekly_summary"',
    ),
    "unsubscribe": Case(
        expect=(200, 200, 200, 200, 200, 200),
        shows='name="csrfmiddlewaretoken"',
        kwargs={"token": lambda w: digest.unsubscribe_token(w.users["agent"])},
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
    "social:begin", "social:complete", "unsubscribe",
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
        # A spreadsheet is not text, but the names of its parts are legible in it.
        html = response.content.decode(errors="replace")
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


# The facilitator through the admin: she keeps the network's people up to date, but rights
# (admin access, superuser status, groups, permissions) and passwords are a superuser's, and
# she makes nobody's manager herself.

RIGHTS = ("is_superuser", "is_staff", "groups", "user_permissions")


def test_the_facilitators_user_form_has_no_rights_and_a_post_of_them_changes_nothing(world):
    from django.contrib.auth.models import Group, Permission

    from tests.admin_forms import shown_data

    facilitator, agent = world.users["facilitator"], world.users["agent"]
    client = _client_for(facilitator)
    for user in (facilitator, agent):
        url = reverse("admin:agents_user_change", args=[user.pk])
        page = client.get(url)
        html = page.content.decode()
        for field in RIGHTS:
            assert f'name="{field}"' not in html, field
        assert reverse("admin:auth_user_password_change", args=[user.pk]) not in html

        groups = set(user.groups.all())
        posted = client.post(url, {
            **shown_data(page), "first_name": "Ny",
            "is_superuser": "on", "is_staff": "on",
            "groups": [str(group.pk) for group in Group.objects.all()],
            "user_permissions": [str(Permission.objects.get(codename="delete_user").pk)],
        })

        assert posted.status_code == 302
        user.refresh_from_db()
        assert user.first_name == "Ny"
        assert not user.is_superuser and not user.user_permissions.exists()
        assert user.is_staff == (user == facilitator)
        assert set(user.groups.all()) == groups


def test_only_a_superuser_sets_another_persons_password_in_the_admin(world):
    from tests.factories import UserFactory

    agent = world.users["agent"]
    url = reverse("admin:auth_user_password_change", args=[agent.pk])
    before = agent.password

    facilitator = _client_for(world.users["facilitator"])
    refused = facilitator.post(url, {"password1": "Ny-kode-2027x", "password2": "Ny-kode-2027x",
                                     "usable_password": "true"})
    agent.refresh_from_db()
    assert refused.status_code == 403 and agent.password == before
    assert facilitator.get(url).status_code == 403

    admin = _client_for(UserFactory(username="root", is_staff=True, is_superuser=True))
    assert 'name="password1"' in admin.get(url).content.decode()


def test_the_facilitator_neither_changes_a_superuser_nor_deletes_anyone(world):
    from tests.factories import UserFactory

    root = UserFactory(username="root", is_staff=True, is_superuser=True, email="r@example.org")
    client = _client_for(world.users["facilitator"])

    client.post(reverse("admin:agents_user_change", args=[root.pk]),
                {"username": "root", "first_name": "X", "email": "lise@example.org"})
    deleted = client.post(reverse("admin:agents_user_delete", args=[world.users["agent"].pk]),
                          {"post": "yes"})

    root.refresh_from_db()
    assert root.email == "r@example.org" and root.first_name != "X"
    assert deleted.status_code == 403
    assert type(world.users["agent"]).objects.filter(pk=world.users["agent"].pk).exists()


def test_the_facilitator_cannot_redirect_a_persons_password_mail(world):
    from tests.admin_forms import shown_data

    agent = world.users["agent"]
    client = _client_for(world.users["facilitator"])
    url = reverse("admin:agents_user_change", args=[agent.pk])

    posted = client.post(url, {**shown_data(client.get(url)), "first_name": "Ny",
                               "email": "lise@example.org"})

    assert posted.status_code == 302
    agent.refresh_from_db()
    assert (agent.first_name, agent.email) == ("Ny", "mette@example.org")


def test_the_facilitator_cannot_redirect_the_first_password_mail_of_an_imported_manager(world):
    from tests.admin_forms import shown_data

    manager = world.users["manager"]
    manager.await_first_password()
    manager.save()
    client = _client_for(world.users["facilitator"])
    url = reverse("admin:agents_user_change", args=[manager.pk])

    client.post(url, {**shown_data(client.get(url)), "email": "lise@example.org"})
    client.post(reverse("password_reset"), {"email": "lise@example.org"})

    manager.refresh_from_db()
    assert manager.email != "lise@example.org"
    assert not any(manager.username in m.body for m in mail.outbox)


def test_the_facilitator_adds_a_person_without_choosing_their_password(world):
    client = _client_for(world.users["facilitator"])

    page = client.get(reverse("admin:agents_user_add"))
    client.post(reverse("admin:agents_user_add"), {
        "username": "ny", "first_name": "Ny", "last_name": "Person", "email": "ny@example.org",
        "usable_password": "true", "password1": "Kendt-kode-2027", "password2": "Kendt-kode-2027",
        "agent-TOTAL_FORMS": "0", "agent-INITIAL_FORMS": "0",
        "system_roles-TOTAL_FORMS": "0", "system_roles-INITIAL_FORMS": "0",
    })

    assert 'name="password1"' not in page.content.decode()
    person = type(world.users["agent"]).objects.get(username="ny")
    assert person.awaits_first_password and not person.check_password("Kendt-kode-2027")


def test_the_facilitator_cannot_make_herself_a_manager_in_the_admin(world):
    from django.contrib.auth.models import Group

    from agents.permissions import MANAGER
    from tests.admin_forms import shown_data

    facilitator = world.users["facilitator"]
    facilitator.groups.add(Group.objects.get(name=MANAGER))
    agent = world.agent
    client = _client_for(facilitator)
    url = reverse("admin:agents_agent_change", args=[agent.pk])

    response = client.post(url, {**shown_data(client.get(url)), "manager": facilitator.pk})

    html = response.content.decode()
    assert response.status_code == 200
    at = html.index('id="id_manager_error"')
    error = html[at - 200:at + 300]
    assert "Du kan ikke gøre dig selv til nogens leder" in error
    agent.refresh_from_db()
    assert agent.manager == world.users["manager"]


def test_the_facilitators_group_may_not_delete_users():
    from django.contrib.auth.models import Group

    from agents.permissions import FACILITATOR

    rights = set(Group.objects.get(name=FACILITATOR).permissions.values_list("codename", flat=True))
    assert "delete_user" not in rights
    assert {"add_user", "change_user", "view_user", "view_managerchange"} <= rights
