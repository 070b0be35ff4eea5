"""The facilitator hands all of a leaving agent's roles to a successor in one step."""

import re

from playwright.sync_api import expect

from agents.models import Agent, SystemRole
from projects.models import Project, Rollout
from tests.browser.helpers import assert_accessible, sign_in


def test_facilitator_hands_a_leaving_agents_roles_to_a_successor(page, demo_network):
    morten = Agent.objects.get(user__username="morten")
    peter = Agent.objects.get(user__username="peter")
    led = list(Project.objects.filter(lead=morten, status__in=Project.OPEN_STATUSES))
    sign_in(page, "lise")

    page.goto(morten.get_absolute_url())
    page.get_by_role("link", name="Overdrag roller").click()

    expect(page).to_have_url(re.compile(rf"/netvaerk/personer/{morten.user_id}/overdrag/$"))
    expect(page.locator("h1")).to_have_text("Overdrag roller fra Morten Fisker")
    parts = page.locator("input[name=parts]")
    expect(parts).to_have_count(4)
    for index in range(4):
        expect(parts.nth(index)).to_be_checked()
    # A manager who is no agent cannot take over projects: said beside the field.
    page.get_by_label("Overdrag til").select_option(label="Henrik Mølgaard")
    page.get_by_label("Personen stopper: luk agentprofilen og adgangen til at logge ind").check()
    page.get_by_role("button", name="Overdrag", exact=True).click()

    successor = page.locator("#id_successor")
    expect(successor).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_successor_error")).to_contain_text("ikke en aktiv agent")
    expect(page.locator("main [role=alert]")).to_contain_text("Intet blev ændret")
    assert_accessible(page)
    assert SystemRole.objects.filter(user=morten.user).exists()

    successor.select_option(label=f"Peter Thygesen ({peter.department})")
    page.get_by_role("button", name="Overdrag", exact=True).click()

    expect(page.locator("main .messages .alert-success").first).to_contain_text(
        "Overdraget til Peter Thygesen"
    )
    expect(page.locator("main")).to_contain_text("Morten Fisker har ingen roller at overdrage.")
    expect(page.locator("main .badge")).to_have_text("Ikke længere aktiv i netværket")

    page.goto(peter.get_absolute_url())
    for project in led:
        expect(page.locator("main")).to_contain_text(project.title)
    assert not SystemRole.objects.filter(user=morten.user).exists()
    assert not Rollout.objects.filter(
        contact=morten.user, project__status__in=Project.OPEN_STATUSES
    ).exists()
    morten.refresh_from_db()
    assert not morten.is_active
