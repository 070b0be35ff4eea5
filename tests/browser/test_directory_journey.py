"""Sign in and find who to ask: directory, agent, system."""

import re

from playwright.sync_api import expect

from agents.models import Department
from tests.browser.helpers import expect_signed_in_as, sign_in


def test_agent_signs_in_filters_the_directory_and_finds_a_systems_superusers(
    page, demo_network
):
    # Not signed in: the directory sends the visitor to the sign-in page, and back afterwards.
    page.goto("/netvaerk/")
    expect(page).to_have_url(re.compile(r"/log-ind/\?next=/netvaerk/$"))

    sign_in(page, "mette")

    expect(page).to_have_url(re.compile(r"/netvaerk/$"))
    expect_signed_in_as(page, "Mette Skovgaard")
    names = page.locator("main table tbody th a")
    expect(names).to_have_count(24)

    jobcenter = Department.objects.get(name="Jobcenter og Beskæftigelse")
    page.locator("#id_department").select_option(label=jobcenter.name)
    page.locator("form[role=search] button[type=submit]").click()

    expect(page).to_have_url(re.compile(rf"[?&]department={jobcenter.pk}(&|$)"))
    expect(names).to_have_text(["Lars Hedegaard", "Mette Skovgaard", "Peter Thygesen"])
    expect(page.locator("#id_department")).to_have_value(str(jobcenter.pk))

    names.filter(has_text="Mette Skovgaard").click()

    expect(page.locator("h1")).to_have_text("Mette Skovgaard")
    expect(page.locator("main dl").first).to_contain_text(jobcenter.name)
    systems = page.locator("section[aria-labelledby=systems-heading] li a")
    expect(systems).to_have_text(["Momentum", "RPA-platform", "SMS-service"])

    systems.filter(has_text="RPA-platform").click()

    expect(page).to_have_url(re.compile(r"/netvaerk/systemer/\d+/$"))
    expect(page.locator("h1")).to_have_text("RPA-platform")
    superusers = page.locator("section[aria-labelledby=superusers-heading] li")
    expect(superusers).to_have_count(2)
    expect(superusers.nth(0)).to_contain_text("Jesper Bak")
    expect(superusers.nth(1)).to_contain_text("Mette Skovgaard")
    expect(superusers.get_by_role("link", name="Mette Skovgaard")).to_have_attribute(
        "href", re.compile(r"^/netvaerk/agenter/\d+/$")
    )


def test_agent_finds_the_staff_departments_and_their_agents(page, demo_network):
    staff = list(
        Department.objects.filter(kind=Department.Kind.STAFF)
        .order_by("name")
        .values_list("name", flat=True)
    )
    sign_in(page, "mette")
    page.goto("/netvaerk/afdelinger/")

    filters = page.get_by_role("search", name="Filtrér afdelinger")
    filters.get_by_label("Type").select_option(label="Stabsområde")
    filters.get_by_role("button", name="Filtrér").click()

    expect(page).to_have_url(re.compile(r"[?&]kind=stab(&|$)"))
    expect(page.locator("main table tbody th a")).to_have_text(staff)
    personnel = [name for name in staff if "personale" in name.lower()]
    assert personnel
    filters.get_by_label("Navn").fill("personale")
    filters.get_by_role("button", name="Filtrér").click()
    expect(page.locator("main table tbody th a")).to_have_text(personnel)
    filters.get_by_role("link", name="Nulstil").click()
    expect(page).to_have_url(re.compile(r"/netvaerk/afdelinger/$"))
