"""agents.backends: the signed-in user is read by a statement compiled once, and is the
same user the ORM would read; who may be signed in is unchanged."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group
from django.urls import reverse

from agents import permissions
from agents.backends import Backend
from agents.models import User
from tests import factories

# What the backend keeps on the user beside its fields.
KEPT = ("_state", "_agentnet_roles", "_agentnet_agent_id")


def _fields(user):
    return {k: v for k, v in vars(user).items() if k not in KEPT}


def test_the_same_user_as_the_orm_reads(facilitator, django_assert_num_queries):
    facilitator.first_name, facilitator.last_name = "Åse", "Ørnbøl"
    facilitator.last_login = facilitator.date_joined
    facilitator.save()

    with django_assert_num_queries(1):
        user = Backend().get_user(str(facilitator.pk))

    expected = User.objects.get(pk=facilitator.pk)
    # Converted as the ORM converts: aware times, booleans, on SQLite as on PostgreSQL.
    assert type(user) is User and _fields(user) == _fields(expected)
    assert user.last_login.tzinfo is not None and user.is_active is True
    assert user._state.adding is False and user._state.db == "default"


def test_the_roles_come_with_the_user(facilitator, agent, django_assert_num_queries):
    """Which roles a user has is read in the same statement: asking costs no query."""
    manager = factories.ManagerFactory()
    other = factories.UserFactory()
    other.groups.add(Group.objects.create(name="Redaktion"))

    with django_assert_num_queries(4):
        users = [Backend().get_user(u.pk) for u in (facilitator, manager, agent.user, other)]
        found = [(permissions.is_facilitator(u), permissions.is_manager(u)) for u in users]

    assert found == [(True, False), (False, True), (False, False), (False, False)]
    # Read otherwise (by the ORM), a user's roles cost one query, once.
    user = User.objects.get(pk=manager.pk)
    with django_assert_num_queries(1):
        assert permissions.is_manager(user) and not permissions.is_facilitator(user)


def test_whether_the_user_is_an_agent_comes_with_the_user(
    facilitator, agent, django_assert_num_queries
):
    """The permission checks that ask whether someone is an agent cost no query; the profile
    itself costs one, and none for someone without one."""
    with django_assert_num_queries(2):
        users = [Backend().get_user(u.pk) for u in (facilitator, agent.user)]
        found = [permissions.is_agent(u) for u in users]
        assert permissions.agent_of(users[0]) is None

    assert found == [False, True]
    with django_assert_num_queries(1):
        assert permissions.agent_of(users[1]) == agent
        assert permissions.agent_of(users[1]) == agent
    # Read otherwise (by the ORM), the same answers, with a query for each user, once.
    others = list(User.objects.filter(pk__in=[facilitator.pk, agent.user.pk]).order_by("pk"))
    with django_assert_num_queries(2):
        assert sorted(permissions.is_agent(u) for u in others for _ in "ab") == [
            False, False, True, True
        ]


@pytest.mark.parametrize("user_id", [10**9, "not a number", "", None])
def test_no_user_for_an_unknown_or_malformed_id(user_id, db):
    assert Backend().get_user(user_id) is None


def test_an_inactive_user_is_no_one(agent):
    agent.user.is_active = False
    agent.user.save()

    assert Backend().get_user(agent.user.pk) is None


def test_signing_in_by_the_form_and_being_signed_out_when_deactivated(client, db):
    user = factories.UserFactory(username="bente")
    user.set_password("et langt kodeord 42")
    user.save()

    response = client.post(
        reverse("login"), {"username": "bente", "password": "et langt kodeord 42"}
    )

    assert response.status_code == 302
    assert client.session[BACKEND_SESSION_KEY] == "agents.backends.Backend"
    assert client.session[SESSION_KEY] == str(user.pk)
    assert client.get(reverse("home")).status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_a_changed_password_ends_other_sessions(client, db):
    user = factories.UserFactory()
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 200

    user.set_password("et helt nyt kodeord 42")
    user.save()

    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))
