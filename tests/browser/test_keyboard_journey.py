"""The keyboard alone: Tab, Enter and Space (and typing into the focused field), no mouse."""

import re

from playwright.sync_api import expect

from agents.demo import DEMO_PASSWORD
from tests.browser.helpers import (
    describe,
    expect_signed_in_as,
    focused,
    log_in,
    tab_through,
    tab_to,
    unreached_focusables,
)


def press_tab(page):
    page.keyboard.press("Tab")
    element = focused(page)
    assert element is not None, "Tab left the page"
    assert element["indicator"], f"no visible focus indicator on {describe(element)}"
    return element


def test_agent_signs_in_and_filters_the_directory_with_the_keyboard_alone(page, demo_network):
    page.goto("/log-ind/")
    # The sign-in form puts the cursor in the user name field; Tab round to the top of the page.
    assert focused(page)["id"] == "id_username"
    tab_to(page, lambda element: element is None)

    # The skip link comes first, shows itself when focused, and takes focus to the content.
    skip = press_tab(page)
    assert "skip-link" in skip["classes"] and skip["href"] == "#main", describe(skip)
    assert skip["visible"]
    expect(page.locator(".skip-link")).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    # From the content, the form's fields and its button follow in order.
    assert press_tab(page)["id"] == "id_username"
    page.keyboard.type("mette")
    assert press_tab(page)["id"] == "id_password"
    page.keyboard.type(DEMO_PASSWORD)
    button = press_tab(page)
    assert button["tag"] == "button" and button["type"] == "submit", describe(button)
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/$"))
    expect_signed_in_as(page, "Mette Skovgaard")

    # (None: focus is outside the page, as for a moment while a page loads.)
    tab_to(page, lambda element: element is not None and element["href"] == "/netvaerk/")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/netvaerk/$"))

    # A select takes type-ahead: typing picks the first department that starts so.
    tab_to(page, lambda element: element is not None and element["id"] == "id_department")
    page.keyboard.type("Borgerservice")
    expect(page.locator("#id_department option:checked")).to_have_text("Borgerservice")
    tab_to(
        page,
        lambda element: element is not None and element["tag"] == "button"
        and element["type"] == "submit",
    )
    page.keyboard.press("Space")

    expect(page).to_have_url(re.compile(r"[?&]department=\d+"))
    names = page.locator("main table tbody th a")
    expect(names).to_have_text(["Ole Gregersen", "Pia Munk"])

    tab_to(page, lambda element: element is not None and element["text"] == "Pia Munk")
    page.keyboard.press("Enter")

    expect(page.locator("h1")).to_have_text("Pia Munk")


def test_tab_reaches_every_control_with_a_visible_focus(page, context, live_server, demo_network):
    pages = ["/log-ind/", "/tilgaengelighed/"]
    signed_in_pages = ["/", "/netvaerk/", "/netvaerk/min-profil/", "/netvaerk/kapacitet/"]

    for index, url in enumerate(pages + signed_in_pages):
        if index == len(pages):
            log_in(context, "lise", live_server.url)
        page.goto(url)

        stops = tab_through(page)

        assert stops, f"nothing on {url} takes focus"
        assert "skip-link" in stops[0]["classes"], f"the skip link is not first on {url}"
        missing = unreached_focusables(page)
        assert not missing, f"Tab never reaches these on {url}: {missing}"
