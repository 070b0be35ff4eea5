"""Hostile input never breaks a page, and a refused form never changes what is stored.

Property-based: hypothesis sends random, huge (up to 1 MB), unicode, NUL, HTML/JS and
SQL-looking values to every GET page that takes query parameters and to every form.
"""

from urllib.parse import quote_from_bytes, urlencode

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from agents import handover
from agents.forms import DepartmentFilterForm, DirectorySearchForm, SystemSearchForm
from agents.models import Agent, User
from competencies.forms import TeamFilterForm
from meetings.forms import ArchiveSearchForm
from projects.forms import IdeaFilterForm, PortfolioFilterForm, SearchForm
from tests.test_permission_matrix import PERMISSIONS, reverse_case

pytestmark = pytest.mark.django_db

# Sized so the whole file runs in about 20 s; raise max_examples locally to dig deeper.
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Run once per page, so fewer examples each.
FUZZ_PER_PAGE = settings(FUZZ, max_examples=12)

# Values that have broken web applications before.
NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "%00",
    "\r\n",
    "<script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "javascript:alert(1)",
    "{{ 7|add:7 }}{% debug %}",
    "' OR '1'='1",
    "1; DROP TABLE agents_agent; --",
    "1 UNION SELECT password FROM agents_user",
    "%",
    "_",
    "\\",
    "../../../../etc/passwd",
    "-1",
    "0",
    "1.5",
    "1e309",
    "NaN",
    "9" * 30,
    "-" + "9" * 30,
    "9" * 5000,
    "\u202egnp.exe",
    "\ufeff",
    "Ærø Åbenrå øl",
    "😀👩🏽‍💻",
    "𝕬𝖌𝖊𝖓𝖙",
    "١٢",
    "１２",
]

# Any character a browser can send (lone surrogates cannot be encoded as UTF-8).
characters = st.characters(codec="utf-8")


def _huge(chunk, size):
    """A value of about `size` bytes (at most 1 MB) made of repeated `chunk`."""
    return chunk * max(1, size // len(chunk.encode()))


huge = st.builds(
    _huge,
    st.sampled_from(["a", "ø", "\x00", "<b>", "😀", "9", "' OR 1=1 -- "]),
    st.integers(min_value=1_000, max_value=1_000_000),
)
values = st.one_of(
    st.text(characters, max_size=300),
    st.sampled_from(NASTY),
    huge,
    st.integers().map(str),
)

# The GET pages that read query parameters, and the parameters they read: the fields of
# their filter forms (so a new filter is fuzzed without touching this file) and the page.
QUERY_PAGES = {
    "agents:directory": [*DirectorySearchForm.base_fields, "page"],
    "agents:systems": [*SystemSearchForm.base_fields, "page"],
    "agents:departments": [*DepartmentFilterForm.base_fields, "page"],
    "projects:index": [*PortfolioFilterForm.base_fields, "page"],
    "projects:export": [*PortfolioFilterForm.base_fields],
    "projects:mine": ["page"],
    "projects:ideas": [*IdeaFilterForm.base_fields, "page"],
    "projects:goals": ["page"],
    "projects:goal": ["page"],
    "projects:search": [*SearchForm.base_fields],
    "meetings:index": ["page"],
    "meetings:archive": [*ArchiveSearchForm.base_fields, "page"],
    "meetings:proposals": ["page"],
    "meetings:print": ["view"],
    "competencies:team": [*TeamFilterForm.base_fields, "page"],
}
# Pages only the facilitator or a manager may see; the rest are fuzzed as an agent.
FACILITATOR_PAGES = {"meetings:proposals"}
MANAGER_PAGES = {"competencies:team"}
# Refused input is a 200 with form errors or a 400; anything else is a bug.
TOLERATED = {200, 400}


def _get(client, name, world, **extra):
    return client.get(reverse_case(name, PERMISSIONS[name], world), **extra)


def _reader(name, world):
    if name in FACILITATOR_PAGES:
        return world.users["facilitator"]
    if name in MANAGER_PAGES:
        return world.users["manager"]
    return world.agent.user


def _short(sent):
    """The input, cut short: a 1 MB value would drown the failure message."""
    return repr(sent)[:300]


def _has_nul(query_string):
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in QueryDict(query_string).lists()
    )


def _assert_page_or_refusal(response, sent):
    query = sent if isinstance(sent, str) else urlencode(sent)
    if _has_nul(query):
        # No address holds a NUL (agentnet/middleware.py).
        assert response.status_code == 404, _short(sent)
        return
    assert response.status_code in TOLERATED, _short(sent)
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        assert b"</html>" in response.content


def _stored(agent):
    """Everything the profile forms can change, as the database holds it now."""
    row = Agent.objects.select_related("user").get(pk=agent.pk)
    fields = ["title", "phone", "location_id", "time_share", "bio", "department_id",
              "manager_id", "is_active"]
    return {
        **{name: getattr(row, name) for name in fields},
        "first_name": row.user.first_name,
        "last_name": row.user.last_name,
    }


def _form_errors(response):
    return response.context["form"].errors if response.context else None


@pytest.mark.parametrize("name", sorted(QUERY_PAGES))
@FUZZ_PER_PAGE
@given(data=st.data())
def test_hostile_query_parameters_never_break_a_list_page(name, data, client, world):
    client.force_login(_reader(name, world))
    params = data.draw(st.dictionaries(st.sampled_from(QUERY_PAGES[name]), values, min_size=1))

    response = _get(client, name, world, data=params)

    _assert_page_or_refusal(response, params)


@pytest.mark.parametrize("name", sorted(QUERY_PAGES))
@FUZZ_PER_PAGE
@given(raw=st.binary(max_size=200), encoded=st.booleans())
def test_undecodable_query_strings_never_break_a_list_page(name, raw, encoded, client, world):
    # Bytes that are not UTF-8, sent percent-encoded or raw as a browser never would.
    client.force_login(_reader(name, world))
    query = quote_from_bytes(raw) if encoded else raw.decode("latin-1")
    params = "&".join(f"{param}={query}" for param in QUERY_PAGES[name])

    response = _get(client, name, world, QUERY_STRING=params)

    _assert_page_or_refusal(response, params)


GET_PAGES = sorted(name for name, case in PERMISSIONS.items() if case.method == "get")


@pytest.mark.parametrize("name", GET_PAGES)
def test_a_nul_in_any_address_or_query_value_is_a_404(name, client, world):
    # PostgreSQL refuses NUL in text: a value reaching a query would be a 500 there.
    url = reverse_case(name, PERMISSIONS[name], world)
    hostile = [
        f"{url}%00",
        f"{url.rstrip('/')}%00/",
        f"{url}?q=%00",
        f"{url}?page=1&view=a%00b",
        f"{url}?%00=1",
    ]

    for signed_in in (None, world.users["facilitator"], world.agent.user):
        if signed_in:
            client.force_login(signed_in)
        for address in hostile:
            response = client.get(address)

            assert response.status_code == 404, (address, signed_in)
            assert "404.html" in {t.name for t in response.templates}


def test_a_calendar_address_with_a_nul_is_a_404_for_anyone(client):
    response = client.get("/erfa-dage/kalender/%00.ics")

    assert response.status_code == 404
    assert "404.html" in {t.name for t in response.templates}


def test_a_session_cookie_with_a_nul_is_no_session(client, agent):
    # A browser never sends one; Django reads the octal escape of a quoted cookie as NUL.
    client.cookies[django_settings.SESSION_COOKIE_NAME] = "abcdefghij\x00klmnop"

    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()


@pytest.mark.parametrize("name", ["agents:agent", "agents:edit", "agents:department",
                                  "agents:system", "agents:handover"])
@FUZZ_PER_PAGE
@given(pk=st.integers(min_value=0, max_value=10**40))
def test_any_number_in_an_address_is_a_page_or_a_404(name, pk, facilitator_client):
    response = facilitator_client.get(reverse(name, args=[pk]))

    assert response.status_code in {200, 404}
    if response.status_code == 404:
        assert "404.html" in {t.name for t in response.templates}


def _profile_fields(assignment):
    """A profile POST: a few fields hostile (or left out), the rest as the form accepts them,
    so that both the refused and the saved path are walked."""
    valid = {
        "first_name": st.sampled_from(["Mette", "Anne-Sofie", "Ærø"]),
        "last_name": st.sampled_from(["Skovgaard", "Ølgod"]),
        "title": st.sampled_from(["Digitaliseringskonsulent", "RPA-udvikler"]),
        "phone": st.sampled_from(["", "+45 96 74 00 00", "12345678"]),
        "location": st.just("VALID"),
        "time_share": st.integers(0, 100).map(str),
        "bio": st.text(characters, max_size=200),
    }
    if assignment:
        valid |= {
            "department": st.just("VALID"),
            "manager": st.sampled_from(["", "VALID"]),
            "is_active": st.sampled_from(["on", ""]),
        }

    @st.composite
    def post(draw):
        hostile = draw(st.sets(st.sampled_from(sorted(valid)), max_size=3))
        return {
            name: draw(st.one_of(values, st.none()) if name in hostile else strategy)
            for name, strategy in valid.items()
        }

    return post()


def _fill_valid(post, agent, manager):
    real = {"location": agent.location_id, "department": agent.department_id,
            "manager": manager.pk}
    return {
        name: real[name] if value == "VALID" else value
        for name, value in post.items()
        if value is not None
    }


def _assert_post_refused_or_saved(response, before, post, agent):
    after = _stored(agent)
    event(f"HTTP {response.status_code}")  # shown by --hypothesis-show-statistics
    assert response.status_code in {200, 302, 400}, _short(post)
    if response.status_code == 302:
        # Saved: what is stored is what was sent, without surrounding spaces.
        for name in ("first_name", "last_name", "title", "bio", "phone"):
            assert after[name] == str(post.get(name, "")).strip()
        assert response["Location"] == reverse("agents:agent", args=[agent.pk])
    else:
        if response.status_code == 200:
            assert _form_errors(response), "a 200 answer to a POST must show the form's errors"
        assert after == before


@FUZZ
@given(post=_profile_fields(assignment=False))
def test_hostile_profile_edit_by_the_agent_is_refused_or_saved_whole(
    post, agent_client, agent, manager
):
    data = _fill_valid(post, agent, manager)
    before = _stored(agent)

    response = agent_client.post(reverse("agents:edit", args=[agent.pk]), data)

    _assert_post_refused_or_saved(response, before, data, agent)


@FUZZ
@given(post=_profile_fields(assignment=True))
def test_hostile_profile_edit_by_the_facilitator_is_refused_or_saved_whole(
    post, facilitator_client, agent, manager
):
    data = _fill_valid(post, agent, manager)
    before = _stored(agent)

    response = facilitator_client.post(reverse("agents:edit", args=[agent.pk]), data)

    _assert_post_refused_or_saved(response, before, data, agent)


def test_a_refused_profile_edit_keeps_every_stored_value(agent_client, agent):
    # The deterministic case of the properties above: one bad field, nothing saved.
    before = _stored(agent)
    post = {"first_name": "Ny", "last_name": "Navn", "title": "Ny titel", "phone": "",
            "location": agent.location_id, "time_share": "101", "bio": "Ny bio"}

    response = agent_client.post(reverse("agents:edit", args=[agent.pk]), post)

    assert "time_share" in _form_errors(response)
    assert _stored(agent) == before


def _held(agent):
    return handover.holdings_of(agent.user).counts(), Agent.objects.get(pk=agent.pk).is_active


@FUZZ
@given(
    successor=st.one_of(st.none(), st.just("VALID"), values),
    parts=st.lists(st.one_of(st.sampled_from(list(handover.PARTS)), values), max_size=4),
    leaves=st.one_of(st.none(), st.just("on"), values),
)
def test_hostile_hand_over_is_refused_or_done_whole(
    successor, parts, leaves, facilitator_client, world
):
    agent = world.agent
    post = {"parts": parts}
    if successor is not None:
        post["successor"] = world.other_agent.user.pk if successor == "VALID" else successor
    if leaves is not None:
        post["leaves"] = leaves
    # Every example starts from the same holdings.
    with transaction.atomic():
        before = _held(agent)
        response = facilitator_client.post(reverse("agents:handover", args=[agent.user.pk]), post)
        after = _held(agent)
        transaction.set_rollback(True)

    event(f"HTTP {response.status_code}")
    assert response.status_code in {200, 302, 400}, _short(post)
    if response.status_code == 302:
        assert after != before, "a hand-over that was accepted must have done something"
    else:
        if response.status_code == 200:
            assert _form_errors(response), "a 200 answer to a POST must show the form's errors"
        assert after == before


@FUZZ
@given(
    username=st.one_of(st.just("mette"), values),
    password=values,
    next_url=st.one_of(st.none(), values),
)
# Longer than the 255 characters django-axes stores for a failed attempt (PostgreSQL: 500).
@example(username="a" * 1000, password="forkert", next_url=None)
@example(username="mette", password="forkert\x00", next_url="/\x00<script>")
def test_hostile_sign_in_never_breaks_and_never_signs_in(username, password, next_url, agent):
    client = Client()
    before = User.objects.values("password", "last_login").get(pk=agent.user.pk)
    post = {"username": username, "password": password}
    if next_url is not None:
        post["next"] = next_url

    response = client.post(reverse("login"), post)

    # 429 is the lockout page after too many wrong passwords for one user name.
    assert response.status_code in {200, 400, 429}, _short(post)
    assert "_auth_user_id" not in client.session
    assert User.objects.values("password", "last_login").get(pk=agent.user.pk) == before


# Stored XSS: what an agent writes about themselves is shown escaped on every page.
XSS = {
    "title": "<script>alert(1)</script>",
    "bio": "<script>alert(2)</script>",
    "first_name": "<img src=x onerror=alert(3)>",
}
ESCAPED = {
    "title": "&lt;script&gt;alert(1)&lt;/script&gt;",
    "bio": "&lt;script&gt;alert(2)&lt;/script&gt;",
    "first_name": "&lt;img src=x onerror=alert(3)&gt;",
}
# The pages that show the agent, and which of the fields each one shows.
PAGES_SHOWING_THE_AGENT = {
    "agents:agent": ["title", "bio", "first_name"],
    "agents:directory": ["title", "first_name"],
    "agents:department": ["title", "first_name"],
    "agents:departments": ["first_name"],
    "agents:systems": ["first_name"],
    "agents:system": ["first_name"],
    "projects:index": ["first_name"],
    "projects:detail": ["first_name"],
    "home": ["first_name"],
}


@pytest.mark.parametrize("name", sorted(PAGES_SHOWING_THE_AGENT))
def test_script_saved_in_the_profile_is_shown_escaped(name, client, world):
    agent = world.agent
    client.force_login(agent.user)
    saved = client.post(
        reverse("agents:edit", args=[agent.pk]),
        {**XSS, "last_name": "Skovgaard", "phone": "", "location": agent.location_id,
         "time_share": "50"},
    )
    assert saved.status_code == 302
    # Another agent looks at the page (the start page greets its own reader): the payload
    # must reach them as text only.
    client.force_login(agent.user if name == "home" else world.other_agent.user)

    html = _get(client, name, world).content.decode()

    for field in PAGES_SHOWING_THE_AGENT[name]:
        assert ESCAPED[field] in html, f"{field} is not shown on {name}"
    for payload in XSS.values():
        assert payload not in html
