"""The footer's language buttons switch the whole page, and keep the visitor where they were."""

import re

from playwright.sync_api import expect

from tests.browser.helpers import sign_in


def test_visitor_switches_to_english_and_back_to_danish(page, demo_network):
    sign_in(page, "karina")
    page.goto("/netvaerk/kapacitet/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "da")
    danish_title = page.title()

    page.locator("footer").get_by_role("button", name="English").click()

    expect(html).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/netvaerk/kapacitet/$"))
    expect(page.locator("footer button[value=en]")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("footer button[value=da]")).to_have_attribute("aria-pressed", "false")

    page.locator("footer").get_by_role("button", name="Dansk").click()

    expect(html).to_have_attribute("lang", "da")
    expect(page).to_have_url(re.compile(r"/netvaerk/kapacitet/$"))
    expect(page.locator("footer button[value=da]")).to_have_attribute("aria-pressed", "true")
    assert page.title() == danish_title


def test_language_can_be_chosen_before_signing_in(page, demo_network):
    page.goto("/log-ind/")

    page.locator("footer").get_by_role("button", name="English").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/log-ind/$"))
