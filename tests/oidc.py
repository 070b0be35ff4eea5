"""A real OpenID Connect provider on localhost for the single sign-on tests.

oidc-provider-mock runs in a thread of the test process: discovery, its own signing key
(JWKS), authorization with state, nonce and PKCE, the token and user-info endpoints and an
end-session endpoint, as Entra ID has them. A test says who the person is
(`provider.set_person(sub, claims)`), and `sign_in` walks the browser's way through it with
Django's test client: the button, the provider's authorization, the redirect back.

The fixtures `provider` and `sso` are tests/conftest.py's.
"""

import logging
from urllib.parse import urlsplit

import pytest
import requests
from django.urls import reverse
from django.utils.csp import CSP
from oidc_provider_mock import run_server_in_thread

CLIENT_ID = "agentnet-test"
CLIENT_SECRET = "agentnet-test-secret"


class Provider:
    def __init__(self, url):
        self.url = url

    def set_person(self, sub, claims):
        """The claims the provider puts in the ID token and its user-info answer for `sub`.
        Claims such as aud, iss and exp replace the provider's own (a bad token)."""
        response = requests.put(f"{self.url}/users/{sub}", json=claims, timeout=10)
        response.raise_for_status()

    def authorize(self, authorize_url, sub, *, deny=False):
        """The person's answer on the provider's page: the address it sends the browser
        back to (our redirect URI with code and state, or with an error)."""
        data = {"action": "deny"} if deny else {"sub": sub}
        response = requests.post(authorize_url, data=data, allow_redirects=False, timeout=10)
        assert response.status_code == 302, response.text
        return response.headers["Location"]


@pytest.fixture(scope="session")
def provider():
    # The provider's server logs every request it answers.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with run_server_in_thread() as server:
        yield Provider(f"http://localhost:{server.server_port}")


@pytest.fixture
def sso(settings, provider):
    """Single sign-on on, as agentnet/settings.py turns it on from OIDC_* (the settings are
    read per request, so the test may change them)."""
    settings.SSO_ENABLED = True
    settings.SSO_ONLY = False
    settings.OIDC_ISSUER = provider.url
    settings.OIDC_ROLES_CLAIM = "roles"
    settings.OIDC_MANAGER_CLAIM = ""
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "agents.sso.WorkAccount"]
    settings.SOCIAL_AUTH_OIDC_OIDC_ENDPOINT = provider.url
    settings.SOCIAL_AUTH_OIDC_ID_TOKEN_ISSUER = provider.url
    settings.SOCIAL_AUTH_OIDC_KEY = CLIENT_ID
    settings.SOCIAL_AUTH_OIDC_SECRET = CLIENT_SECRET
    settings.SECURE_CSP = {
        **settings.SECURE_CSP, "form-action": [CSP.SELF, provider.url],
    }
    return provider


def start(client, next_url=None):
    """Presses "Log ind med din arbejdskonto": the provider's authorization address."""
    response = client.post(
        reverse("social:begin", args=["oidc"]), {"next": next_url} if next_url else {}
    )
    assert response.status_code == 302, response.content.decode()
    return response["Location"]


def callback_path(location):
    """The redirect back to AgentNet as the test client requests it (path and query)."""
    parts = urlsplit(location)
    return f"{parts.path}?{parts.query}"


def sign_in(client, provider, sub, claims=None, *, next_url=None, deny=False):
    """The whole way: button, provider, back. Returns AgentNet's answer to the callback."""
    if claims is not None:
        provider.set_person(sub, claims)
    back = provider.authorize(start(client, next_url), sub, deny=deny)
    return client.get(callback_path(back))


def person(email, **claims):
    """The claims of a person of the municipality, e-mail verified unless said otherwise."""
    return {
        "email": email,
        "email_verified": True,
        "given_name": "Mette",
        "family_name": "Skovgaard",
        "name": "Mette Skovgaard",
        **claims,
    }
