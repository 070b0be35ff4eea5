"""A manager reads the strategy page for one goal and prints it for the steering group."""


from playwright.sync_api import expect

from projects.models import Project
from tests.browser.helpers import assert_accessible, sign_in

GOAL = "Automatisering af rutineopgaver"


def test_manager_filters_the_strategy_by_goal_and_prints_it(page, demo_network):
    sign_in(page, "henrik")

    menu = page.get_by_role("navigation", name="Hovedmenu")
    menu.get_by_role("link", name="Strategi og gevinster").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Strategi og gevinster")
    expect(menu.get_by_role("link", name="Strategi og gevinster")).to_have_attribute(
        "aria-current", "page"
    )
    page.get_by_label("Strategimål", exact=True).select_option(label=f"{GOAL} (2024–2027)")
    page.get_by_role("button", name="Vis").click()

    expect(page.locator("main .lead")).to_contain_text(f"Strategimål: {GOAL}")
    benefit = page.locator("section[aria-labelledby=benefit-heading]")
    # The demo records no realised benefit: the page says so in words.
    expect(benefit).to_contain_text("Intet projekt har endnu en realiseret gevinst.")
    chart = benefit.get_by_role("img", name="Sparede timer om året efter strategimål")
    expect(chart).to_be_visible()
    assert_accessible(page)

    # The figure's link lists as many projects as the figure counts.
    count = benefit.locator("dd a").first
    counted = count.inner_text()
    count.click()
    expect(page.get_by_role("status")).to_contain_text(f"{counted} projekt")
    expect(page.locator("main .alert-info")).to_contain_text("tæller med i gevinsten")
    page.go_back()

    # Printed: no menu and no filter, the period and the date stay, a section per page.
    page.emulate_media(media="print")
    expect(page.locator("header.site-header")).to_be_hidden()
    expect(page.get_by_role("search", name="Filtrér tallene")).to_be_hidden()
    expect(page.locator(".strategy-printed")).to_be_visible()
    expect(page.locator("main .lead")).to_contain_text(GOAL)
    breaks = page.locator("section.strategy-section").evaluate_all(
        "sections => sections.map(s => getComputedStyle(s).breakBefore)"
    )
    assert breaks == ["auto", "page", "page", "page"]
    assert Project.objects.filter(goals__title=GOAL).exists()
