"""What the facilitator's pages ask the browser to load exists: every stylesheet, script and
image, and an icon that is a file (the HTML validator refuses a data: URL there). A page that
names no icon makes the browser ask for /favicon.ico, which answers 404."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from tests.test_permission_matrix import PERMISSIONS, ROLES, reverse_case

pytestmark = pytest.mark.django_db


class Resources(HTMLParser):
    """The addresses a page makes the browser load, and those of its icons."""

    def __init__(self):
        super().__init__()
        self.loaded, self.icons = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("href"):
            self.loaded.append(attrs["href"])
            if "icon" in (attrs.get("rel") or "").split():
                self.icons.append(attrs["href"])
        elif tag in ("script", "img") and attrs.get("src"):
            self.loaded.append(attrs["src"])


def _missing(client, page_url, html):
    resources = Resources()
    resources.feed(html)
    problems = []
    if not resources.icons:
        problems.append("no <link rel=icon>: the browser asks for /favicon.ico")
    problems += [f"a data: icon {href[:30]}…" for href in resources.icons
                 if href.startswith("data:")]
    for href in dict.fromkeys(resources.loaded):
        if href.startswith("data:"):
            continue
        path = urlsplit(href).path
        if path.startswith(settings.STATIC_URL):
            found = finders.find(path.removeprefix(settings.STATIC_URL))
        else:
            found = client.get(href).status_code == 200
        if not found:
            problems.append(f"{href} does not exist")
    return [f"{page_url}: {problem}" for problem in problems]


FACILITATOR = ROLES.index("facilitator")
FACILITATOR_PAGES = sorted(
    name for name, case in PERMISSIONS.items()
    if case.method == "get" and case.expect[FACILITATOR] == 200
)


@pytest.fixture
def facilitator_browser(world):
    client = Client()
    client.force_login(world.users["facilitator"])
    return client


@pytest.mark.parametrize("name", FACILITATOR_PAGES)
def test_what_a_page_of_the_facilitators_loads_exists(name, world, facilitator_browser):
    url = reverse_case(name, PERMISSIONS[name], world)
    response = facilitator_browser.get(url)
    if not response["Content-Type"].startswith("text/html"):
        return  # a download: the browser shows no page of ours

    assert not _missing(facilitator_browser, url, response.content.decode())


def test_what_the_administration_loads_exists(world, facilitator_browser):
    index = facilitator_browser.get(reverse("admin:index"))
    pages = [reverse("admin:index")] + [
        model["admin_url"] for app in index.context["app_list"] for model in app["models"]
    ]
    assert len(pages) > 3

    problems = []
    for url in pages:
        problems += _missing(facilitator_browser, url, facilitator_browser.get(url).text)

    assert not problems, "\n".join(problems)


def test_the_error_pages_name_their_icon(client, agent):
    client.force_login(agent.user)

    not_found = client.get("/findes-ikke/")
    bad_request = client.get(reverse("login"), HTTP_HOST="evil.example.com")

    assert not _missing(client, "404", not_found.content.decode())
    assert not _missing(client, "400", bad_request.content.decode())
