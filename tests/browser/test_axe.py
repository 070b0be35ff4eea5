"""axe-core on every page, in Danish and English: zero WCAG 2.1 A/AA violations.

A new page joins with one line in PAGES. When axe finds something, fix the markup or the CSS;
do not switch rules off.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from projects.models import Project
from tests.browser.helpers import Visit, axe_violations, first, log_in, obj, set_language

METTE = obj("agents.Agent", user__username="mette")
KARINA = obj("agents.Agent", user__username="karina")
# Mette leads it; it has updates, co-agents, systems and goals.
RPA_PROJECT = obj("projects.Project", title="RPA til aktindsigt på beskæftigelsesområdet")
# Karina leads it; it has a rollout across ten departments.
ROLLOUT_PROJECT = obj("projects.Project", title="Digital medarbejder-indberetning i alle områder")
IDEA = first("projects.Idea", "heard_on", project__isnull=False)
GOAL = obj("projects.StrategyGoal", title="Automatisering af rutineopgaver")
# The next erfa-day: published, with the standard agenda and so a round compiled live.
NEXT_ERFA_DAY = first("meetings.Meeting", "date", status="published")
HELD_TALK = first("meetings.AgendaItem", "-meeting__date", meeting__status="held", kind="talk")
FRAMEWORK = first("competencies.Framework", "-version")
MUS_ROUND = first("competencies.MusRound", "-year")
# The demo's assessments of this year go draft, sent, reviewed, closed by agent.
METTE_DRAFT = obj("competencies.Assessment", agent__user__username="mette", status="draft")
SENT_TO_HENRIK = first(
    "competencies.Assessment", "agent__user__first_name", agent__manager__username="henrik",
    status="sent",
)
# Last year's talk of Mette with Henrik, closed: the read-only view of both parties.
METTE_CLOSED = obj("competencies.Assessment", agent__user__username="mette", status="closed")

# Every page, as the user who would look at it (None: not signed in), on the demo network.
PAGES = [
    Visit("login", "login"),
    Visit("accessibility", "accessibility"),
    Visit("password-reset", "password_reset"),
    Visit("password-reset-sent", "password_reset_done"),
    Visit("password-reset-bad-link", "password_reset_confirm", ["MQ", "abc-123"]),
    Visit("password-reset-saved", "password_reset_complete"),
    Visit("password-change", "password_change", user="mette"),
    Visit("password-changed", "password_change_done", user="mette"),
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
    Visit("handover", "agents:handover", [obj("agents.User", username="morten")], user="lise"),
    Visit("departments", "agents:departments", user="mette"),
    Visit("departments-staff", "agents:departments", query="kind=stab", user="mette"),
    Visit("departments-bad-filter", "agents:departments", query="kind=nope", user="mette"),
    Visit("department", "agents:department",
         [obj("agents.Department", name="Jobcenter og Beskæftigelse")], user="mette"),
    Visit("department-no-agent", "agents:department",
         [obj("agents.Department", name="Byggeri og Ejendomme")], user="mette"),
    Visit("systems", "agents:systems", user="mette"),
    Visit("systems-search", "agents:systems", query="q=netcompany", user="mette"),
    Visit("system", "agents:system", [obj("agents.System", name="RPA-platform")], user="mette"),
    Visit("capacity", "agents:capacity", user="mette"),
    Visit("strategy", "strategy:overview", user="henrik"),
    Visit("strategy-goal", "strategy:overview", query="period=2025", user="lise"),
    Visit("projects", "projects:index", user="mette"),
    Visit("project", "projects:detail", [RPA_PROJECT], user="mette"),
    Visit("project-new", "projects:create", user="mette"),
    Visit("project-edit", "projects:edit", [RPA_PROJECT], user="mette"),
    Visit("my-projects", "projects:mine", user="mette"),
    Visit("rollout-edit", "projects:rollout", [ROLLOUT_PROJECT], user="karina"),
    Visit("rollouts", "projects:rollouts", user="mette"),
    Visit("ideas", "projects:ideas", user="mette"),
    Visit("idea", "projects:idea", [IDEA], user="mette"),
    Visit("idea-new", "projects:idea_create", user="mette"),
    Visit("goals", "projects:goals", user="mette"),
    Visit("goal", "projects:goal", [GOAL], user="mette"),
    Visit("search", "projects:search", query="q=sms", user="mette"),
    Visit("meetings", "meetings:index", user="mette"),
    Visit("meetings-facilitator", "meetings:index", user="lise"),
    Visit("meetings-archive", "meetings:archive", user="mette"),
    Visit("meeting-facilitator", "meetings:detail", [NEXT_ERFA_DAY], user="lise"),
    Visit("meeting-agent", "meetings:detail", [NEXT_ERFA_DAY], user="mette"),
    Visit("meeting-print", "meetings:print", [NEXT_ERFA_DAY], user="mette"),
    Visit("meeting-series", "meetings:series", user="lise"),
    Visit("agenda-item-new", "meetings:item_create", [NEXT_ERFA_DAY], user="lise"),
    Visit("minutes", "meetings:item_minutes", [HELD_TALK], user="lise"),
    Visit("attendance", "meetings:attendance", [NEXT_ERFA_DAY], user="lise"),
    Visit("proposals", "meetings:proposals", user="lise"),
    Visit("calendar", "meetings:feed_settings", user="mette"),
    Visit("competencies", "competencies:index", user="mette"),
    Visit("framework", "competencies:framework", [FRAMEWORK], user="mette"),
    Visit("assessment-agent-draft", "competencies:assessment", [METTE_DRAFT], user="mette"),
    Visit("assessment-manager-sent", "competencies:assessment", [SENT_TO_HENRIK], user="henrik"),
    Visit("mus-pack", "competencies:mus_pack", [SENT_TO_HENRIK], user="henrik"),
    Visit("assessment-agent-closed", "competencies:assessment", [METTE_CLOSED], user="mette"),
    Visit("assessment-manager-closed", "competencies:assessment", [METTE_CLOSED],
          user="henrik"),
    Visit("mus-pack-closed", "competencies:mus_pack", [METTE_CLOSED], user="mette"),
    Visit("team", "competencies:team", user="henrik"),
    Visit("team-profiles", "competencies:team_profiles", user="henrik"),
    Visit("team-sent", "competencies:team", query="status=sent", user="henrik"),
    Visit("team-bad-filter", "competencies:team", query="round=999999", user="henrik"),
    Visit("rounds", "competencies:rounds", user="lise"),
    Visit("round-status", "competencies:round", [MUS_ROUND], user="lise"),
    Visit("heatmap", "competencies:heatmap", [MUS_ROUND], user="lise"),
    Visit("courses", "competencies:courses", user="mette"),
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


def test_project_form_with_errors_has_no_wcag_violations(page, context, live_server, demo_network):
    """A form sent back with errors: the errors must be tied to their fields and announced."""
    log_in(context, "mette", live_server.url)
    url = reverse("projects:create")

    found = []
    for language in LANGUAGES:
        set_language(context, language, live_server.url)
        page.goto(url)
        page.locator("#id_title").fill("Chatbot i jobcentret")
        page.locator("#id_start_date").fill("2026-03-01")
        page.locator("#id_target_date").fill("2026-02-01")
        page.locator("main form button[type=submit]").click()

        target_date = page.locator("#id_target_date")
        expect(target_date).to_have_attribute("aria-invalid", "true")
        expect(target_date).to_have_attribute(
            "aria-describedby", re.compile(r"\bid_target_date_error\b")
        )
        expect(page.locator("#id_target_date_error")).to_be_visible()
        expect(page.locator("main [role=alert]")).to_be_visible()
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("h1")).to_have_count(1)
        found += [f"[{language}] {line}" for line in axe_violations(page)]

    assert not found, f"axe found WCAG 2.1 A/AA violations on {url} with errors:\n" + "\n".join(
        found
    )
    assert not Project.objects.filter(title="Chatbot i jobcentret").exists()
