"""An agent who has forgotten the password chooses a new one through the link in a mail."""

import re

from playwright.sync_api import expect

from agents.models import User
from tests.browser.helpers import assert_accessible, sign_in

NEW_PASSWORD = "Kaffe-og-kage-2027"


def test_agent_chooses_a_new_password_by_the_link_in_the_mail(page, demo_network, mailoutbox):
    mette = User.objects.get(username="mette")
    page.goto("/log-ind/")

    page.get_by_role("link", name="Glemt din adgangskode, eller aldrig fået en?").click()
    page.get_by_label("E-mail").fill(mette.email.upper())
    page.get_by_role("button", name="Send linket").click()

    expect(page.locator("h1")).to_have_text("Se i din indbakke")
    [message] = mailoutbox
    assert message.to == [mette.email]
    # The mail links to the portal's address (DJANGO_SITE_URL); here that is the test server.
    link = re.search(r"https?://\S+?(/log-ind/ny/\S+/)", message.body).group(1)

    page.goto(link)
    expect(page.locator("h1")).to_have_text("Vælg en ny adgangskode")
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD + "!")
    page.get_by_role("button", name="Gem adgangskoden").click()

    repeated = page.locator("#id_new_password2")
    expect(repeated).to_have_attribute("aria-invalid", "true")
    expect(page.locator("main [role=alert]")).to_contain_text("Adgangskoden blev ikke ændret")
    assert_accessible(page)

    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    repeated.fill(NEW_PASSWORD)
    page.get_by_role("button", name="Gem adgangskoden").click()

    expect(page.locator("h1")).to_have_text("Adgangskoden er gemt")
    page.get_by_role("link", name="Log ind").last.click()
    sign_in(page, "mette", NEW_PASSWORD)
    expect(page.locator("header")).to_contain_text("Log ud (Mette Skovgaard)")
