"""Who is signed in, and what they may act as: the roles their groups give and their agent
profile, read together once per request."""

from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group
from django.urls import reverse

from agents import permissions
from agents.models import User
from tests import factories


def test_roles_and_agent_profile_are_one_query(
    facilitator, agent, django_assert_num_queries
):
    manager = factories.ManagerFactory()
    other = factories.UserFactory()
    other.groups.add(Group.objects.create(name="Redaktion"))
    users = list(User.objects.filter(pk__in=[facilitator.pk, manager.pk, agent.user.pk, other.pk]))
    by_pk = {user.pk: user for user in users}

    with django_assert_num_queries(4):
        found = [
            (
                permissions.is_facilitator(by_pk[pk]),
                permissions.is_manager(by_pk[pk]),
                permissions.agent_of(by_pk[pk]),
                permissions.is_agent(by_pk[pk]),
            )
            for pk in (facilitator.pk, manager.pk, agent.user.pk, other.pk)
            for _ in range(2)  # asked twice, read once
        ]

    assert found[::2] == [
        (True, False, None, False),
        (False, True, None, False),
        (False, False, agent, True),
        (False, False, None, False),
    ]
    # The profile knows its user without asking for it again.
    with django_assert_num_queries(0):
        assert permissions.agent_of(by_pk[agent.user.pk]).user is by_pk[agent.user.pk]


def test_signing_in_by_the_form_and_being_signed_out_when_deactivated(client, db):
    user = factories.UserFactory(username="bente", first_name="Bente")
    user.set_password("et langt kodeord 42")
    user.save()

    response = client.post(
        reverse("login"), {"username": "bente", "password": "et langt kodeord 42"}
    )

    assert response["Location"] == reverse("home")
    assert client.session[SESSION_KEY] == str(user.pk)
    assert "Bente" in client.get(reverse("home")).text
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_a_changed_password_ends_other_sessions(client, db):
    user = factories.UserFactory(first_name="Bente")
    client.force_login(user)
    assert "Bente" in client.get(reverse("home")).text

    user.set_password("et helt nyt kodeord 42")
    user.save()

    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))
