"""Choosing a password: a forgotten one (or none yet) by a link in a mail, and one's own."""

import re

import pytest
from django.conf import settings
from django.tasks import task_backends
from django.test import Client
from django.urls import reverse

from agents.models import User
from tests import factories
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Kaffe-og-kage-2027"
LINK = re.compile(r"https?://[^/\s]+(/log-ind/ny/[^\s]+/)")


def ask_for_link(client, email):
    return client.post(reverse("password_reset"), {"email": email})


def link_in(message):
    return LINK.search(message.body).group(1)


def choose(client, link, password, repeated=None):
    """Open the link as a person would (it moves on to a set-password address) and post."""
    opened = client.get(link, follow=True)
    address = opened.redirect_chain[-1][0] if opened.redirect_chain else link
    return client.post(
        address, {"new_password1": password, "new_password2": repeated or password}
    )


def signs_in(username, password):
    return User.objects.get(username=username).check_password(password)


def test_the_sign_in_page_offers_a_new_password(client):
    html = client.get(reverse("login")).content.decode()

    assert f'href="{reverse("password_reset")}"' in html
    assert "Glemt din adgangskode" in html


def test_a_forgotten_password_is_chosen_anew_by_the_link_in_a_danish_mail(
    client, agent, mailoutbox
):
    response = ask_for_link(client, "METTE@example.org")

    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    [message] = mailoutbox
    assert message.to == [agent.user.email]
    # The link uses the portal's own address, not the host the request named.
    assert f"{settings.SITE_URL}/log-ind/ny/" in message.body
    assert message.subject == "Vælg en ny adgangskode til AgentNet"
    assert "Hej Mette Skovgaard" in message.body
    assert "Dit brugernavn er mette." in message.body

    saved = choose(client, link_in(message), NEW_PASSWORD)

    assert saved.status_code == 302
    assert saved.url == reverse("password_reset_complete")
    assert signs_in("mette", NEW_PASSWORD)
    assert not signs_in("mette", TEST_PASSWORD)


def test_the_link_works_once(client, agent, mailoutbox):
    ask_for_link(client, agent.user.email)
    link = link_in(mailoutbox[0])
    choose(client, link, NEW_PASSWORD)

    again = client.get(link, follow=True)

    assert again.context["validlink"] is False
    assert "Linket kan ikke bruges" in again.content.decode()


def test_an_imported_agent_without_a_password_chooses_a_first_one(client, mailoutbox):
    imported = factories.UserFactory(username="anne", email="anne@example.org")
    imported.await_first_password()  # as the CSV import makes the account
    imported.save()

    ask_for_link(client, "anne@example.org")
    choose(client, link_in(mailoutbox[0]), NEW_PASSWORD)

    assert signs_in("anne", NEW_PASSWORD)


def test_an_account_whose_password_sign_in_was_switched_off_gets_no_link(client, mailoutbox):
    # The admin's "password-based authentication: disabled" (single sign-on, say).
    closed = factories.UserFactory(username="sso", email="sso@example.org")
    closed.set_unusable_password()
    closed.save()

    response = ask_for_link(client, "sso@example.org")

    assert response.url == reverse("password_reset_done")
    assert mailoutbox == []


def test_a_new_password_lifts_a_lockout_from_wrong_guesses(client, agent, mailoutbox):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "mette", "password": "forkert"})
    assert client.post(
        reverse("login"), {"username": "mette", "password": TEST_PASSWORD}
    ).status_code == 429

    ask_for_link(client, agent.user.email)
    choose(client, link_in(mailoutbox[0]), NEW_PASSWORD)
    signed_in = client.post(reverse("login"), {"username": "mette", "password": NEW_PASSWORD})

    assert signed_in.status_code == 302


def test_one_link_per_account_in_ten_minutes_however_often_it_is_asked_for(
    client, agent, mailoutbox
):
    first = ask_for_link(client, agent.user.email)
    again = ask_for_link(client, agent.user.email)

    # The form answers as before, so it does not tell that a link went out a moment ago.
    assert first.url == again.url == reverse("password_reset_done")
    done = client.get(again.url).content.decode()
    assert "højst ét link hvert 10. minut" in done
    assert len(mailoutbox) == 1
    sent_at = User.objects.get(pk=agent.user.pk).reset_mailed_at
    assert sent_at is not None

    User.objects.filter(pk=agent.user.pk).update(
        reset_mailed_at=sent_at - User.RESET_MAIL_INTERVAL
    )
    ask_for_link(client, agent.user.email)

    assert len(mailoutbox) == 2
    # Both links work until one of them is used.
    choose(client, link_in(mailoutbox[0]), NEW_PASSWORD)
    assert signs_in("mette", NEW_PASSWORD)


def test_the_mail_is_queued_not_sent_during_the_request(client, agent, mailoutbox, settings):
    """With a worker sending the queue, the answer takes as long for a known address as for
    an unknown one."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}

    ask_for_link(client, agent.user.email)

    assert mailoutbox == []
    [queued] = task_backends["default"].results
    subject, body, to_email = queued.args
    assert subject == "Vælg en ny adgangskode til AgentNet"
    assert to_email == agent.user.email
    assert LINK.search(body)


def test_the_admin_shows_when_the_last_link_was_sent(client, agent, mailoutbox):
    ask_for_link(client, agent.user.email)
    admin = factories.UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)

    page = client.get(reverse("admin:agents_user_change", args=[agent.user.pk]))

    assert "Link til adgangskode sidst sendt" in page.content.decode()
    assert page.context["adminform"].form.instance.reset_mailed_at is not None


@pytest.mark.parametrize("email", ["nobody@example.org", "gone@example.org"])
def test_an_unknown_or_closed_account_gets_no_mail_and_the_page_does_not_tell(
    client, mailoutbox, email
):
    factories.UserFactory(username="gone", email="gone@example.org", is_active=False)

    response = ask_for_link(client, email)

    assert response.url == reverse("password_reset_done")
    assert mailoutbox == []


def test_a_look_alike_address_gets_no_link(client, mailoutbox):
    factories.UserFactory(username="mike", email="mike@example.org")

    # PostgreSQL's case-insensitive match takes the dotless "ı" for an "i"; the form does not.
    ask_for_link(client, "m\u0131ke@example.org")

    assert mailoutbox == []


@pytest.mark.parametrize(
    ("email", "message"),
    [("", "Dette felt er påkrævet."), ("ikke en adresse", "Indtast en gyldig e-mail-adresse.")],
)
def test_a_bad_address_is_explained_beside_the_field(client, mailoutbox, email, message):
    response = ask_for_link(client, email)

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [message]
    assert "Intet blev sendt" in response.content.decode()
    assert mailoutbox == []


def test_a_weak_or_mistyped_new_password_is_refused_beside_the_field(client, agent, mailoutbox):
    ask_for_link(client, agent.user.email)
    link = link_in(mailoutbox[0])

    weak = choose(client, link, "12345678")
    mistyped = choose(client, link, NEW_PASSWORD, repeated=NEW_PASSWORD + "x")

    assert "Denne adgangskode er for almindelig." in weak.context["form"].errors["new_password2"]
    assert mistyped.context["form"].errors["new_password2"] == [
        "De to adgangskoder var ikke identiske."
    ]
    assert signs_in("mette", TEST_PASSWORD)


def test_the_pages_promise_what_the_link_does():
    # The pages and the mail say "three days": Django's default, kept on purpose.
    assert settings.PASSWORD_RESET_TIMEOUT == 3 * 24 * 60 * 60


def test_a_signed_in_person_changes_their_own_password(agent_client, agent):
    page = agent_client.get(reverse("home")).content.decode()
    assert f'href="{reverse("password_change")}"' in page

    wrong = agent_client.post(
        reverse("password_change"),
        {"old_password": "forkert", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert "old_password" in wrong.context["form"].errors
    assert "Adgangskoden blev ikke ændret" in wrong.content.decode()

    changed = agent_client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": NEW_PASSWORD,
         "new_password2": NEW_PASSWORD},
    )

    assert changed.url == reverse("password_change_done")
    # Still signed in here, with the new password from now on.
    assert agent_client.get(reverse("home")).status_code == 200
    assert signs_in("mette", NEW_PASSWORD)


def test_guessing_the_current_password_ends_the_session(agent_client, agent):
    wrong = {"old_password": "forkert", "new_password1": NEW_PASSWORD,
             "new_password2": NEW_PASSWORD}
    tries = [agent_client.post(reverse("password_change"), wrong)
             for _ in range(settings.AXES_FAILURE_LIMIT)]

    assert all(t.status_code == 200 for t in tries[:-1])
    assert tries[-1].url == reverse("login")
    followed = agent_client.get(tries[-1].url)
    assert "for mange gange" in followed.content.decode()
    assert agent_client.get(reverse("home")).status_code == 302  # signed out
    assert signs_in("mette", TEST_PASSWORD)


def test_the_count_of_wrong_guesses_starts_again_after_a_change(agent_client, agent):
    wrong = {"old_password": "forkert", "new_password1": NEW_PASSWORD,
             "new_password2": NEW_PASSWORD}
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        agent_client.post(reverse("password_change"), wrong)
    agent_client.post(reverse("password_change"), {**wrong, "old_password": TEST_PASSWORD})

    again = agent_client.post(reverse("password_change"), {**wrong, "new_password1": "x"})

    assert again.status_code == 200


def test_the_password_pages_run_a_fixed_number_of_queries(agent_client, django_assert_num_queries):
    # Asking for a link, not signed in: none.
    with django_assert_num_queries(0):
        asked = Client().get(reverse("password_reset"))
    # Changing one's own: the user (the session is read from the cache).
    with django_assert_num_queries(1):
        changing = agent_client.get(reverse("password_change"))
    assert 'name="email"' in asked.content.decode()
    assert 'name="old_password"' in changing.content.decode()
