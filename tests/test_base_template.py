"""The parts every page shares (templates/base.html): drawn once per worker and kept, yet
right for each person, section and language, with what differs per request drawn anew."""

import re

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

ADMIN_LINK = f'href="{reverse("admin:index")}"'


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_administration_link_follows_the_person_not_the_first_page_drawn(
    agent, facilitator
):
    facilitator.is_staff = True
    facilitator.save()
    url = reverse("agents:directory")

    staff_page = signed_in(facilitator).get(url).content.decode()
    agent_page = signed_in(agent.user).get(url).content.decode()
    staff_again = signed_in(facilitator).get(url).content.decode()

    assert ADMIN_LINK in staff_page
    assert ADMIN_LINK not in agent_page
    assert ADMIN_LINK in staff_again


def test_the_current_section_is_marked_on_each_page(agent_client):
    sections = [reverse("agents:directory"), reverse("projects:index")]
    for url in sections:
        current = re.findall(
            r'href="([^"]+)" aria-current="page"', agent_client.get(url).content.decode()
        )
        assert url in current
        assert not set(sections) - {url} & set(current), url


def test_the_password_page_is_marked_in_the_menu_and_no_other_page_is(agent_client):
    password = reverse("password_change")
    on_password = agent_client.get(password).content.decode()
    on_profile = agent_client.get(reverse("agents:my_profile")).content.decode()

    assert f'href="{password}" aria-current="page"' in on_password
    assert f'href="{password}" aria-current="page"' not in on_profile


def test_the_menu_and_footer_are_in_the_language_chosen(agent_client):
    danish = agent_client.get(reverse("home")).content.decode()
    agent_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = agent_client.get(reverse("home")).content.decode()

    assert "Netværket" in danish and "Tilgængelighedserklæring" in danish
    assert "The network" in english and "Accessibility statement" in english
    assert "Netværket" not in english
    assert '<html lang="en">' in english


def test_what_differs_per_request_is_drawn_for_each_request(agent, agent_client):
    first = agent_client.get(reverse("home"))
    second = agent_client.get(reverse("agents:directory"))
    nonce = re.compile(r'nonce="([^"]+)"')
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    following = re.compile(r'name="next" value="([^"]+)"')

    html_first, html_second = first.content.decode(), second.content.decode()
    assert nonce.search(html_first)[1] != nonce.search(html_second)[1]
    assert token.search(html_first)[1] != token.search(html_second)[1]
    assert following.search(html_first)[1] == reverse("home")
    assert following.search(html_second)[1] == reverse("agents:directory")
    assert f"Log ud ({agent.user.get_full_name()})" in html_second


def test_the_kept_tabs_mark_the_page_they_are_shown_on(agent_client):
    tabs = {
        "agents": ["agents:directory", "agents:departments", "agents:systems"],
        "projects": ["projects:index", "projects:search"],
    }
    for names in tabs.values():
        urls = [reverse(name) for name in names]
        for url in urls:
            html = agent_client.get(url).content.decode()
            for other in urls:
                # The tabs mark theirs "active" (the main menu marks the section).
                marked = f'class="nav-link active" href="{other}"' in html
                assert marked == (other == url), (url, other)
