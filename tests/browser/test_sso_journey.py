"""An agent signs in with their work account through the identity provider's own page, and
signs out of both. The provider is a real OpenID Connect provider on localhost
(tests/oidc.py); the page's CSP must let the sign-in and sign-out forms go on to it."""

import re

from playwright.sync_api import expect

from tests import factories
from tests.browser.helpers import assert_accessible
from tests.oidc import person


def test_an_agent_signs_in_with_the_work_account_and_signs_out_of_both(
    page, context, transactional_db, sso
):
    mette = factories.AgentFactory(
        user__username="mette", user__first_name="Mette", user__last_name="Skovgaard",
        user__email="mette.skovgaard@kommune.dk",
    ).user
    sso.set_person("entra-mette", person("mette.skovgaard@kommune.dk"))
    # The provider's pages ask a CDN for their style sheet; nothing here leaves the machine.
    context.route(
        re.compile(r"^https://"),
        lambda route: route.fulfill(status=200, content_type="text/css", body=""),
    )

    page.goto("/netvaerk/")
    expect(page).to_have_url(re.compile(r"/log-ind/\?next="))
    assert_accessible(page)
    page.get_by_role("button", name="Log ind med din arbejdskonto").click()

    # The identity provider's page: the person says who they are there.
    expect(page).to_have_url(re.compile(rf"^{re.escape(sso.url)}/oauth2/authorize"))
    page.get_by_role("textbox", name="Subject").fill("entra-mette")
    page.get_by_role("button", name="Authorize", exact=True).click()

    expect(page).to_have_url(re.compile(r"/netvaerk/$"))
    expect(page.locator("header")).to_contain_text("Log ud (Mette Skovgaard)")
    assert mette.social_auth.get().uid == "entra-mette"

    page.get_by_role("button", name="Log ud (Mette Skovgaard)").click()
    # The provider ends its session too, and sends the browser back to sign-in.
    expect(page).to_have_url(re.compile(rf"^{re.escape(sso.url)}/oauth2/end_session"))
    page.get_by_role("button", name="End session").click()
    expect(page).to_have_url(re.compile(r"/log-ind/$"))
    expect(page.get_by_role("button", name="Log ind med din arbejdskonto")).to_be_visible()
