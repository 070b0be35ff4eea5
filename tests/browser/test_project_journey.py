"""An agent starts a project and tells the network about a problem, in the Danish UI."""

import re

from playwright.sync_api import expect

from projects.models import Project
from tests.browser.helpers import assert_accessible, sign_in

TITLE = "Digital post til virksomheder i jobcentret"
PROBLEM = "Virksomhederne kan ikke se vores breve i Digital Post. Hvem har løst det?"


def test_agent_creates_a_project_and_brings_a_problem_to_the_erfa_day(page, demo_network):
    sign_in(page, "mette")

    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Projekter").click()
    page.get_by_role("link", name="Mine projekter").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("Mine projekter")
    page.get_by_role("link", name="Nyt projekt").first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Nyt projekt")
    page.get_by_label("Titel").fill(TITLE)
    page.get_by_label("Status").select_option(label="I gang")
    page.get_by_label("Betjente afdelinger").select_option(label="Jobcenter og Beskæftigelse")
    page.get_by_role("checkbox", name="Selvbetjening").check()
    page.get_by_role("button", name="Gem").click()

    expect(page.locator("main .messages")).to_contain_text("Projektet er oprettet.")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("main .lead")).to_contain_text("I gang")
    facts = page.locator("section[aria-labelledby=facts-heading]")
    expect(facts).to_contain_text("Jobcenter og Beskæftigelse")
    expect(facts).to_contain_text("Selvbetjening")
    project = Project.objects.get(title=TITLE)
    expect(page).to_have_url(re.compile(rf"/projekter/{project.pk}/$"))
    updates = page.locator("section[aria-labelledby=updates-heading]")
    expect(updates).to_contain_text("Ingen opdateringer endnu.")

    # A new project has no updates, so the form is already open.
    update_form = updates.locator("details")
    expect(update_form).to_have_attribute("open", "")
    update_form.get_by_role("radio", name="Problem").check()
    update_form.get_by_label("Opdatering").fill(PROBLEM)
    update_form.get_by_role("checkbox", name="Tag med til erfa-dagen").check()
    update_form.get_by_role("button", name="Tilføj opdatering").click()

    expect(page.locator("main .messages")).to_contain_text("Opdateringen er tilføjet.")
    expect(page).to_have_url(re.compile(rf"/projekter/{project.pk}/$"))
    timeline = updates.locator("ol.timeline > li")
    expect(timeline).to_have_count(1)
    expect(timeline).to_have_class(re.compile(r"\bkind-problem\b"))
    expect(timeline).to_contain_text("Problem")
    expect(timeline.locator(".badge-erfa")).to_have_text("Til erfa-dagen")
    expect(timeline).to_contain_text(PROBLEM)
    expect(timeline).to_contain_text("Mette Skovgaard")
    assert_accessible(page)

    project = Project.objects.get(pk=project.pk)
    assert project.lead.user.username == "mette"
    assert project.status == Project.Status.RUNNING
    assert [d.name for d in project.departments.all()] == ["Jobcenter og Beskæftigelse"]
    assert [t.name for t in project.types.all()] == ["Selvbetjening"]
    update = project.updates.get()
    assert (update.kind, update.text, update.for_erfa) == ("problem", PROBLEM, True)
    assert update.author.username == "mette"
