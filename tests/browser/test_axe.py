"""axe-core on every page, in Danish and English: zero WCAG 2.1 A/AA violations.

A new page joins with one line in PAGES. When axe finds something, fix the markup or the CSS;
do not switch rules off.
"""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.helpers import Visit, axe_violations, log_in, obj, set_language

METTE = obj("agents.Agent", user__username="mette")
KARINA = obj("agents.Agent", user__username="karina")

# Every page, as the user who would look at it (None: not signed in), on the demo network.
PAGES = [
    Visit("login", "login"),
    Visit("accessibility", "accessibility"),
    Visit("accessibility-signed-in", "accessibility", user="mette"),
    Visit("home-agent", "home", user="mette"),
    Visit("home-facilitator", "home", user="lise"),
    Visit("home-manager", "home", user="henrik"),
    Visit("directory", "agents:directory", user="mette"),
    Visit("directory-search", "agents:directory", query="q=skov", user="mette"),
    Visit("directory-no-match", "agents:directory", query="q=zzzz", user="mette"),
    Visit("directory-bad-filter", "agents:directory", query="department=999999", user="mette"),
    Visit("agent-own", "agents:agent", [METTE], user="mette"),
    Visit("agent-other", "agents:agent", [KARINA], user="mette"),
    Visit("agent-edit-own", "agents:edit", [METTE], user="mette"),
    Visit("agent-edit-facilitator", "agents:edit", [METTE], user="lise"),
    Visit("my-profile", "agents:my_profile", user="mette"),
    Visit("departments", "agents:departments", user="mette"),
    Visit("department", "agents:department",
         [obj("agents.Department", name="Jobcenter og Beskæftigelse")], user="mette"),
    Visit("department-no-agent", "agents:department",
         [obj("agents.Department", name="Byggeri og Ejendomme")], user="mette"),
    Visit("systems", "agents:systems", user="mette"),
    Visit("systems-search", "agents:systems", query="q=netcompany", user="mette"),
    Visit("system", "agents:system", [obj("agents.System", name="RPA-platform")], user="mette"),
    Visit("capacity", "agents:capacity", user="mette"),
    Visit("projects", "projects:index", user="mette"),
    Visit("meetings", "meetings:index", user="mette"),
    Visit("competencies", "competencies:index", user="mette"),
]
LANGUAGES = ["da", "en"]


@pytest.mark.parametrize("target", PAGES, ids=[target.id for target in PAGES])
def test_page_has_no_wcag_violations_in_danish_and_english(
    page, context, live_server, demo_network, target
):
    if target.user:
        log_in(context, target.user, live_server.url)
    url = target.url()

    # Both languages in one test, so the demo network is loaded once for the two.
    found = []
    for language in LANGUAGES:
        set_language(context, language, live_server.url)
        response = page.goto(url)

        assert response.ok, f"{url} answered {response.status}"
        if target.user:
            assert urlsplit(page.url).path != reverse("login"), f"{url} sent the user to sign in"
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("h1")).to_have_count(1)
        found += [f"[{language}] {line}" for line in axe_violations(page)]

    assert not found, f"axe found WCAG 2.1 A/AA violations on {url}:\n" + "\n".join(found)
