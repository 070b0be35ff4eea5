"""An agent keeps their own profile up to date, and bad input is explained beside the field."""

import re

from playwright.sync_api import expect

from agents.models import Agent
from tests.browser.helpers import assert_accessible, sign_in


def test_agent_updates_phone_and_time_share_and_is_told_when_the_share_is_too_high(
    page, demo_network
):
    mette = Agent.objects.get(user__username="mette")
    sign_in(page, "mette")

    page.locator("header a[href='/netvaerk/min-profil/']").click()

    expect(page).to_have_url(re.compile(rf"/netvaerk/agenter/{mette.pk}/rediger/$"))
    phone, time_share = page.locator("#id_phone"), page.locator("#id_time_share")
    expect(phone).to_have_value("96 74 20 02")
    expect(time_share).to_have_value("50")
    phone.fill("+45 21 43 65 87")
    time_share.fill("40")
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(rf"/netvaerk/agenter/{mette.pk}/$"))
    expect(page.locator("main .messages .alert-success")).to_be_visible()
    expect(page.locator("main a[href='tel:+4521436587']")).to_have_text("+45 21 43 65 87")
    expect(page.locator("main dl").first).to_contain_text("40 %")

    page.locator("main a[href$='/rediger/']").click()
    page.locator("#id_time_share").fill("150")
    page.locator("main form button[type=submit]").click()

    # Still on the form, with the error beside the field and tied to it for screen readers.
    expect(page).to_have_url(re.compile(rf"/netvaerk/agenter/{mette.pk}/rediger/$"))
    time_share = page.locator("#id_time_share")
    expect(time_share).to_have_value("150")
    expect(time_share).to_have_attribute("aria-invalid", "true")
    error = page.locator("#id_time_share_error")
    expect(error).to_have_class(re.compile(r"\binvalid-feedback\b"))
    expect(error).to_be_visible()
    expect(error).to_contain_text("100")
    expect(time_share).to_have_attribute("aria-describedby", re.compile(r"\bid_time_share_error\b"))
    expect(page.locator("main [role=alert]")).to_be_visible()
    assert_accessible(page)

    mette.refresh_from_db()
    assert mette.time_share == 40
    assert mette.phone == "+45 21 43 65 87"
