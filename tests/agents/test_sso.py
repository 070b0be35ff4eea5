"""Single sign-on against a real OpenID Connect provider on localhost (tests/oidc.py)."""

import runpy
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse
from social_django.models import UserSocialAuth

from agents.models import ManagerChange, RoleChange, User
from tests import factories
from tests.factories import TEST_PASSWORD
from tests.oidc import callback_path, person, sign_in, start

pytestmark = pytest.mark.django_db

SETTINGS_FILE = Path(django_settings.BASE_DIR) / "agentnet" / "settings.py"


def signed_in_user(client):
    """Who the client's session belongs to, or None."""
    pk = client.session.get(SESSION_KEY)
    return User.objects.get(pk=pk) if pk else None


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def mette(db):
    return factories.AgentFactory(
        user__username="mette", user__first_name="Mette", user__last_name="Skovgaard",
        user__email="mette.skovgaard@kommune.dk",
    ).user


# Matching people


def test_an_existing_user_is_matched_by_verified_email_whatever_its_case(client, sso, mette):
    response = sign_in(client, sso, "entra-mette", person("Mette.Skovgaard@KOMMUNE.dk"))

    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert signed_in_user(client) == mette
    assert UserSocialAuth.objects.get(provider="oidc", uid="entra-mette").user == mette
    page = client.get(reverse("home")).content.decode()
    assert "Mette Skovgaard" in page
    # No second user was made for her.
    assert User.objects.filter(email__iexact="mette.skovgaard@kommune.dk").count() == 1


def test_a_changed_email_at_the_provider_keeps_the_same_person(client, sso, mette):
    sign_in(client, sso, "entra-mette", person("mette.skovgaard@kommune.dk"))
    client.post(reverse("logout"))

    later = Client()
    sign_in(later, sso, "entra-mette", person("mette.s.jensen@kommune.dk", family_name="Jensen"))

    assert signed_in_user(later) == mette
    mette.refresh_from_db()
    assert mette.email == "mette.s.jensen@kommune.dk"
    assert mette.last_name == "Jensen"
    assert User.objects.count() == 1


def test_an_unverified_email_does_not_take_over_an_existing_user(client, sso, mette):
    response = sign_in(
        client, sso, "someone", person("mette.skovgaard@kommune.dk", email_verified=False)
    )

    assert signed_in_user(client) is None
    assert response["Location"] == reverse("login")
    assert messages_of(response) == [
        "Din arbejdskonto kunne ikke knyttes til din bruger i AgentNet. Kontakt facilitatoren."
    ]
    assert not UserSocialAuth.objects.exists()


def test_a_second_work_account_with_the_same_address_does_not_take_over(client, sso, mette):
    sign_in(client, sso, "entra-mette", person("mette.skovgaard@kommune.dk"))
    client.post(reverse("logout"))

    other = Client()
    response = sign_in(other, sso, "entra-other", person("mette.skovgaard@kommune.dk"))

    assert signed_in_user(other) is None
    assert "Kontakt facilitatoren" in messages_of(response)[0]
    assert list(UserSocialAuth.objects.values_list("uid", flat=True)) == ["entra-mette"]


def test_who_was_signed_in_in_the_browser_before_does_not_matter(client, sso, mette):
    """The provider's person is signed in, and their work account is linked to them, not to
    the user who had signed in with a password in the same browser."""
    other = factories.UserFactory(username="anden", email="anden@kommune.dk")
    client.force_login(other)

    sign_in(client, sso, "entra-mette", person("mette.skovgaard@kommune.dk"))

    assert signed_in_user(client) == mette
    assert UserSocialAuth.objects.get(uid="entra-mette").user == mette


def test_a_new_person_becomes_a_plain_user_whom_the_facilitator_sees(
    client, sso, facilitator, django_assert_num_queries
):
    response = sign_in(
        client, sso, "entra-new",
        person("jonas.holm@kommune.dk", given_name="Jonas", family_name="Holm", name="Jonas Holm"),
        next_url=reverse("projects:index"),
    )

    jonas = signed_in_user(client)
    assert response["Location"] == reverse("projects:index")
    assert (jonas.first_name, jonas.last_name, jonas.email) == ("Jonas", "Holm",
                                                                 "jonas.holm@kommune.dk")
    assert not hasattr(jonas, "agent")
    assert not jonas.groups.exists() and not jonas.is_staff
    assert not jonas.has_usable_password()

    boss = Client()
    boss.force_login(facilitator)
    url = reverse("agents:new_users")
    # The user of the session and their roles, the count, the page, its people's groups.
    with django_assert_num_queries(5):
        page = boss.get(url).content.decode()
    assert "Nye brugere" in page
    assert "Jonas Holm" in page and "jonas.holm@kommune.dk" in page
    assert f"{reverse('admin:agents_agent_add')}?user={jonas.pk}" in page
    # The facilitator's start page says that someone waits, and links to the list.
    home = boss.get(reverse("home"))
    assert (
        "1 person, der er ny via sin arbejdskonto, er endnu ikke agent", url
    ) in home.context["waiting"]


def test_the_list_of_new_users_holds_no_agents_and_no_password_users(
    client, sso, mette, facilitator
):
    factories.UserFactory(username="kun-adgangskode", first_name="Kurt", last_name="Kode")
    sign_in(client, sso, "entra-mette", person("mette.skovgaard@kommune.dk"))
    client.force_login(facilitator)

    page = client.get(reverse("agents:new_users")).content.decode()

    assert "Mette" not in page and "Kurt" not in page
    assert "Ingen nye har logget ind med en arbejdskonto." in page


def test_only_the_facilitator_sees_the_new_users(client, agent, plain_user):
    for user in (agent.user, plain_user):
        client.force_login(user)
        assert client.get(reverse("agents:new_users")).status_code == 403


def test_a_deactivated_user_is_refused_with_a_danish_message(client, sso, mette):
    mette.is_active = False
    mette.save()

    response = sign_in(client, sso, "entra-mette", person("mette.skovgaard@kommune.dk"))

    assert signed_in_user(client) is None
    assert messages_of(response) == [
        "Din bruger i AgentNet er deaktiveret. Kontakt facilitatoren, hvis det er en fejl."
    ]


def test_a_user_deactivated_after_signing_in_is_signed_out(client, sso, mette):
    sign_in(client, sso, "entra-mette", person("mette.skovgaard@kommune.dk"))
    User.objects.filter(pk=mette.pk).update(is_active=False)

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_account_the_provider_says_is_closed_is_refused(client, sso, mette):
    response = sign_in(
        client, sso, "entra-mette",
        person("mette.skovgaard@kommune.dk", account_enabled=False),
    )

    assert signed_in_user(client) is None
    assert messages_of(response) == [
        "Din arbejdskonto er lukket, så du kan ikke logge ind. Kontakt IT-afdelingen."
    ]


def test_a_sign_in_the_provider_refuses_is_refused_here(client, sso, mette):
    response = sign_in(client, sso, "entra-mette", deny=True)

    assert signed_in_user(client) is None
    assert "blev afbrudt eller afvist" in messages_of(response)[0]


# What the library checks, shown against the provider


def test_the_request_to_the_provider_carries_state_nonce_and_pkce(client, sso):
    query = parse_qs(urlsplit(start(client)).query)

    assert query["client_id"] == ["agentnet-test"]
    assert query["redirect_uri"] == ["http://testserver/log-ind/sso/retur/oidc/"]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["state"][0]) >= 32 and len(query["nonce"][0]) >= 32
    assert query["scope"] == ["openid profile email"]


@pytest.mark.parametrize(
    "bad_claim",
    [
        pytest.param({"aud": "another-application"}, id="wrong audience"),
        pytest.param({"exp": int(time.time()) - 3600}, id="expired"),
        pytest.param({"iss": "https://login.example.org/other-tenant/v2.0"}, id="wrong issuer"),
    ],
)
def test_an_id_token_that_is_not_for_us_is_refused(client, sso, mette, bad_claim):
    response = sign_in(
        client, sso, "entra-mette", person("mette.skovgaard@kommune.dk", **bad_claim)
    )

    assert signed_in_user(client) is None
    assert response["Location"] == reverse("login")
    assert "kunne ikke godkendes" in messages_of(response)[0]
    assert not UserSocialAuth.objects.exists()


def test_a_replayed_answer_from_the_provider_is_refused(client, sso, mette):
    sso.set_person("entra-mette", person("mette.skovgaard@kommune.dk"))
    back = callback_path(sso.authorize(start(client), "entra-mette"))
    client.get(back)
    assert signed_in_user(client) == mette
    client.post(reverse("logout"))

    response = client.get(back)

    assert signed_in_user(client) is None
    assert messages_of(response) == ["Log-ind var udløbet eller allerede brugt. Prøv igen."]


def test_an_answer_started_in_another_browser_is_refused(client, sso, mette):
    """Login CSRF: an attacker's answer from the provider, sent to the victim's browser."""
    sso.set_person("attacker", person("attacker@kommune.dk"))
    attackers = callback_path(sso.authorize(start(Client()), "attacker"))

    start(client)  # the victim has a sign-in of their own under way
    response = client.get(attackers)

    assert signed_in_user(client) is None
    assert "udløbet eller allerede brugt" in messages_of(response)[0]


# Signing out


def test_signing_out_ends_the_session_at_the_provider_too(client, sso, mette):
    sign_in(client, sso, "entra-mette", person("mette.skovgaard@kommune.dk"))
    id_token = UserSocialAuth.objects.get(user=mette).extra_data["id_token"]

    response = client.post(reverse("logout"))

    assert signed_in_user(client) is None
    where = urlsplit(response["Location"])
    assert f"{where.scheme}://{where.netloc}{where.path}" == f"{sso.url}/oauth2/end_session"
    query = parse_qs(where.query)
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == ["http://testserver/log-ind/"]
    assert query["client_id"] == ["agentnet-test"]


def test_a_password_session_signs_out_as_before_when_sso_is_on(client, sso, mette):
    client.post(reverse("login"), {"username": "mette", "password": TEST_PASSWORD})
    assert signed_in_user(client) == mette

    response = client.post(reverse("logout"))

    assert response["Location"] == reverse("login")
    assert signed_in_user(client) is None


# The sign-in page and the password form


def test_without_sso_the_sign_in_page_and_the_password_form_are_as_before(client, mette):
    page = client.get(reverse("login")).content.decode()
    assert "arbejdskonto" not in page
    assert 'name="password"' in page

    response = client.post(reverse("login"), {"username": "mette", "password": TEST_PASSWORD})

    assert response["Location"] == reverse("home")
    assert signed_in_user(client) == mette
    # And nobody can start a single sign-on.
    assert client.post(reverse("social:begin", args=["oidc"])).status_code == 404
    assert client.get(reverse("social:complete", args=["oidc"])).status_code == 404


def test_with_sso_the_work_account_comes_first_and_the_password_form_still_works(
    client, sso, mette
):
    page = client.get(reverse("login")).content.decode()

    assert page.index("Log ind med din arbejdskonto") < page.index('name="password"')
    assert f'action="{reverse("social:begin", args=["oidc"])}"' in page
    response = client.post(reverse("login"), {"username": "mette", "password": TEST_PASSWORD})
    assert signed_in_user(client) == mette and response["Location"] == reverse("home")


def test_sso_only_hides_the_password_form_and_lets_only_superusers_use_it(
    client, sso, settings, mette
):
    settings.SSO_ONLY = True
    admin = factories.UserFactory(username="admin", is_superuser=True, is_staff=True)

    page = client.get(reverse("login")).content.decode()
    assert "Log ind med din arbejdskonto" in page and 'name="password"' not in page

    response = client.post(reverse("login"), {"username": "mette", "password": TEST_PASSWORD})
    assert signed_in_user(client) is None
    assert "Log ind med din arbejdskonto." in response.content.decode()

    client.post(reverse("login"), {"username": "admin", "password": TEST_PASSWORD})
    assert signed_in_user(client) == admin


def test_django_axes_still_throttles_the_password_form_with_sso_on(client, sso, mette):
    for _attempt in range(django_settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "mette", "password": "wrong"})

    response = client.post(reverse("login"), {"username": "mette", "password": TEST_PASSWORD})

    assert signed_in_user(client) is None
    assert response.status_code == 429


# Settings from the environment


def settings_with(monkeypatch, **environment):
    for name in ("OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "SSO_ONLY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


def test_without_oidc_settings_nothing_changes(monkeypatch):
    loaded = settings_with(monkeypatch)

    assert loaded["SSO_ENABLED"] is False
    assert loaded["SECURE_CSP"]["form-action"] == ["'self'"]
    assert "agents.sso.WorkAccount" not in loaded["AUTHENTICATION_BACKENDS"]


def test_the_issuers_host_may_receive_forms_only_when_sso_is_configured(monkeypatch):
    loaded = settings_with(
        monkeypatch,
        OIDC_ISSUER="https://login.microsoftonline.com/1f2e3d4c-aaaa-bbbb-cccc-1234567890ab/v2.0/",
        OIDC_CLIENT_ID="app", OIDC_CLIENT_SECRET="secret",
    )

    assert loaded["SECURE_CSP"]["form-action"] == ["'self'", "https://login.microsoftonline.com"]
    assert loaded["AUTHENTICATION_BACKENDS"][-1] == "agents.sso.WorkAccount"
    assert loaded["SOCIAL_AUTH_OIDC_ID_TOKEN_ISSUER"] == (
        "https://login.microsoftonline.com/1f2e3d4c-aaaa-bbbb-cccc-1234567890ab/v2.0"
    )


@pytest.mark.parametrize(
    "issuer",
    [
        "https://login.microsoftonline.com/common/v2.0",
        "https://login.microsoftonline.com/organizations/v2.0",
        "http://adfs.kommune.dk/adfs",
    ],
)
def test_a_shared_or_unencrypted_issuer_is_refused_at_start(monkeypatch, issuer):
    with pytest.raises(ImproperlyConfigured):
        settings_with(monkeypatch, OIDC_ISSUER=issuer, OIDC_CLIENT_ID="a", OIDC_CLIENT_SECRET="b")


def test_sso_with_the_csp_sends_the_issuer_in_form_action(client, sso):
    header = client.get(reverse("login"))["Content-Security-Policy"]

    assert f"form-action 'self' {sso.url}" in header


def test_a_provider_that_does_not_answer_gives_a_message_not_an_error(client, sso, settings):
    settings.SOCIAL_AUTH_OIDC_OIDC_ENDPOINT = "http://127.0.0.1:9"

    response = client.post(reverse("social:begin", args=["oidc"]))

    assert response["Location"] == reverse("login")
    assert messages_of(response) == [
        "Din arbejdskontos log-ind-tjeneste svarer ikke. Prøv igen senere."
    ]


# Roles from the identity provider


def role_changes(user):
    return list(
        RoleChange.objects.filter(user=user).order_by("pk").values_list("role", "added", "how")
    )


def groups_of(user):
    return set(user.groups.values_list("name", flat=True))


def test_app_roles_in_the_token_give_the_groups_and_are_logged(client, sso, mette):
    sign_in(client, sso, "entra-mette",
            person("mette.skovgaard@kommune.dk", roles=["Facilitator", "Leder", "Revisor"]))

    mette.refresh_from_db()
    assert groups_of(mette) == {"Facilitator", "Leder"}
    # The facilitator works in the admin too.
    assert mette.is_staff
    assert role_changes(mette) == [("Facilitator", True, "sso"), ("Leder", True, "sso")]
    assert "Nye brugere" in client.get(reverse("agents:new_users")).content.decode()


def test_a_role_taken_away_at_the_provider_is_taken_away_at_the_next_sign_in(
    client, sso, mette
):
    sign_in(client, sso, "entra-mette",
            person("mette.skovgaard@kommune.dk", roles=["Facilitator", "Leder"]))
    client.post(reverse("logout"))

    again = Client()
    sign_in(again, sso, "entra-mette", person("mette.skovgaard@kommune.dk", roles=["Leder"]))

    mette.refresh_from_db()
    assert groups_of(mette) == {"Leder"}
    assert not mette.is_staff
    assert role_changes(mette)[-1] == ("Facilitator", False, "sso")
    assert again.get(reverse("agents:new_users")).status_code == 403


def test_no_roles_claim_means_no_roles_and_other_groups_stay(client, sso, mette):
    """Entra leaves the claim out for a person without app roles."""
    other = Group.objects.create(name="Redaktører")
    mette.groups.add(Group.objects.get(name="Leder"), other)

    sign_in(client, sso, "entra-mette", person("mette.skovgaard@kommune.dk"))

    assert groups_of(mette) == {"Redaktører"}
    assert role_changes(mette) == [("Leder", False, "sso")]


def test_the_same_roles_again_change_and_log_nothing(client, sso, mette):
    mette.groups.add(Group.objects.get(name="Leder"))

    sign_in(client, sso, "entra-mette", person("mette.skovgaard@kommune.dk", roles=["Leder"]))

    assert groups_of(mette) == {"Leder"}
    assert role_changes(mette) == []


def test_an_empty_roles_claim_setting_leaves_the_groups_to_agentnet(client, sso, settings,
                                                                     mette):
    settings.OIDC_ROLES_CLAIM = ""
    mette.groups.add(Group.objects.get(name="Facilitator"))

    sign_in(client, sso, "entra-mette", person("mette.skovgaard@kommune.dk", roles=["Leder"]))

    assert groups_of(mette) == {"Facilitator"}
    assert role_changes(mette) == []


def test_the_roles_claim_can_be_named(client, sso, settings, mette):
    settings.OIDC_ROLES_CLAIM = "agentnet_roles"

    sign_in(client, sso, "entra-mette",
            person("mette.skovgaard@kommune.dk", agentnet_roles="Leder", roles=["Facilitator"]))

    assert groups_of(mette) == {"Leder"}


def test_the_facilitator_reads_the_changes_of_role_in_the_admin(client, sso, mette, facilitator):
    sign_in(Client(), sso, "entra-mette",
            person("mette.skovgaard@kommune.dk", roles=["Leder"]))
    client.force_login(facilitator)

    page = client.get(reverse("admin:agents_rolechange_changelist")).content.decode()

    assert "Mette Skovgaard" in page and "Leder" in page
    assert client.get(reverse("admin:agents_rolechange_add")).status_code == 403


# The manager from HR's data


@pytest.fixture
def hr_managers(settings, sso):
    settings.OIDC_MANAGER_CLAIM = "manager_email"
    return sso


@pytest.fixture
def henrik(db):
    return factories.ManagerFactory(username="henrik", first_name="Henrik",
                                    last_name="Mølgaard", email="henrik.molgaard@kommune.dk")


def test_the_manager_claim_sets_the_agents_manager_logs_it_and_tells_the_agent(
    client, hr_managers, mette, henrik, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(client, hr_managers, "entra-mette",
                person("mette.skovgaard@kommune.dk", manager_email="Henrik.Molgaard@kommune.dk"))

    mette.agent.refresh_from_db()
    assert mette.agent.manager == henrik
    change = ManagerChange.objects.get()
    assert (change.agent, change.previous, change.new, change.changed_by, change.how) == (
        mette.agent, None, henrik, None, "sso"
    )
    [mail] = mailoutbox
    assert mail.to == ["mette.skovgaard@kommune.dk"] and "Henrik Mølgaard" in mail.subject


def test_a_new_manager_in_hr_data_replaces_the_old_at_the_next_sign_in(
    client, hr_managers, mette, henrik
):
    mette.agent.manager = henrik
    mette.agent.save()
    lise = factories.ManagerFactory(username="lise", email="lise@kommune.dk")

    sign_in(client, hr_managers, "entra-mette",
            person("mette.skovgaard@kommune.dk", manager_email="lise@kommune.dk"))

    mette.agent.refresh_from_db()
    assert mette.agent.manager == lise
    assert list(ManagerChange.objects.values_list("previous", "new")) == [(henrik.pk, lise.pk)]


def test_the_same_manager_again_changes_and_logs_nothing(client, hr_managers, mette, henrik):
    mette.agent.manager = henrik
    mette.agent.save()

    sign_in(client, hr_managers, "entra-mette",
            person("mette.skovgaard@kommune.dk", manager_email="henrik.molgaard@kommune.dk"))

    assert not ManagerChange.objects.exists()


def test_a_manager_agentnet_does_not_know_leaves_the_manager_as_it_was(
    client, hr_managers, mette, henrik
):
    mette.agent.manager = henrik
    mette.agent.save()

    sign_in(client, hr_managers, "entra-mette",
            person("mette.skovgaard@kommune.dk", manager_email="ukendt@kommune.dk"))

    mette.agent.refresh_from_db()
    assert signed_in_user(client) == mette
    assert mette.agent.manager == henrik and not ManagerChange.objects.exists()


def test_without_the_manager_setting_the_claim_is_ignored(client, sso, mette, henrik):
    sign_in(client, sso, "entra-mette",
            person("mette.skovgaard@kommune.dk", manager_email="henrik.molgaard@kommune.dk"))

    mette.agent.refresh_from_db()
    assert mette.agent.manager is None


def test_with_managers_from_hr_the_facilitators_form_does_not_set_them(
    client, hr_managers, mette, henrik, facilitator
):
    client.force_login(facilitator)
    url = reverse("agents:edit", args=[mette.agent.pk])

    page = client.get(url).content.decode()
    response = client.post(url, {
        "first_name": "Mette", "last_name": "Skovgaard", "title": "Digital agent",
        "location": mette.agent.location_id, "time_share": 50,
        "department": mette.agent.department_id, "manager": henrik.pk, "is_active": "on",
    })

    assert "Sættes fra HR-data, når agenten logger ind med sin arbejdskonto." in page
    assert response.status_code == 302, response.content.decode()
    mette.agent.refresh_from_db()
    # The rest of the form is saved; the manager is not.
    assert mette.agent.title == "Digital agent"
    assert mette.agent.manager is None


# The admin


def test_the_admin_shows_who_signs_in_with_the_work_account_and_when_last(
    client, sso, mette, facilitator
):
    factories.UserFactory(username="kun-adgangskode", first_name="Kurt", last_name="Kode")
    sign_in(Client(), sso, "entra-mette", person("mette.skovgaard@kommune.dk"))
    last = UserSocialAuth.objects.get(user=mette).modified
    client.force_login(facilitator)

    response = client.get(reverse("admin:agents_user_changelist"))

    page = response.content.decode()
    assert "Arbejdskonto" in page and "Seneste log-ind med arbejdskonto" in page
    rows = {user.username: user for user in response.context["cl"].result_list}
    assert rows["mette"].last_sso == last and rows["kun-adgangskode"].last_sso is None


def test_the_address_of_someone_with_a_work_account_is_the_providers(
    client, sso, facilitator
):
    sign_in(Client(), sso, "entra-new", person("jonas@kommune.dk", given_name="Jonas"))
    jonas = User.objects.get(email="jonas@kommune.dk")
    client.force_login(facilitator)

    page = client.get(reverse("admin:agents_user_change", args=[jonas.pk])).content.decode()

    assert 'name="email"' not in page and "jonas@kommune.dk" in page


def test_with_managers_from_hr_the_admin_shows_the_manager_read_only(
    client, hr_managers, mette, henrik
):
    admin = factories.UserFactory(username="admin", is_superuser=True, is_staff=True)
    client.force_login(admin)

    page = client.get(reverse("admin:agents_agent_change", args=[mette.agent.pk]))

    assert page.status_code == 200
    assert "Sættes fra HR-data" in page.content.decode()


def test_make_an_agent_opens_the_admins_agent_form_with_the_person_chosen(
    client, sso, facilitator
):
    sign_in(Client(), sso, "entra-new", person("jonas@kommune.dk", given_name="Jonas",
                                               family_name="Holm"))
    jonas = User.objects.get(email="jonas@kommune.dk")
    client.force_login(facilitator)

    response = client.get(reverse("admin:agents_agent_add"), {"user": jonas.pk})

    assert response.status_code == 200
    assert f'<option value="{jonas.pk}" selected>Jonas Holm</option>' in response.content.decode()
