import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from agents.models import Agent, Department, Location, System, SystemRole, User
from agents.permissions import FACILITATOR, MANAGER
from bench.seed import PASSWORD, Counts, SeedError, seed_large

pytestmark = pytest.mark.django_db

SMALL = Counts(
    departments=10, towns=3, agents=12, managers=2, it_contacts=2, systems=4,
    superusers_per_system=2,
)


def test_seed_large_makes_the_counted_rows():
    report = seed_large(SMALL)

    assert Department.objects.count() == 10
    assert Department.objects.filter(parent=None).count() == 1
    assert Location.objects.count() == 3
    assert Agent.objects.count() == 12
    assert Group.objects.get(name=MANAGER).user_set.count() == 2
    assert System.objects.count() == 4
    roles = SystemRole.objects
    assert roles.filter(role=SystemRole.Role.IT_CONTACT).count() == 4
    # One fewer, as many and one more than the average, in turn.
    assert roles.filter(role=SystemRole.Role.SUPERUSER).count() == 1 + 2 + 3 + 1
    assert not roles.filter(role=SystemRole.Role.SUPERUSER, user__agent__is_active=False).exists()
    assert report.rows == sum(rows for _step, rows, _seconds in report.steps)


def test_seed_large_leaves_a_tenth_of_departments_without_agents():
    seed_large(SMALL)

    assert Department.objects.exclude(agents__isnull=False).count() == 1


def test_every_seeded_user_shares_one_password_hash_that_signs_in():
    seed_large(SMALL)

    assert User.objects.values("password").distinct().count() == 1
    facilitator = User.objects.get(groups__name=FACILITATOR)
    assert facilitator.is_staff and facilitator.agent
    assert facilitator.check_password(PASSWORD)


def test_seed_large_command_takes_the_counts_and_refuses_a_filled_database():
    call_command("seed_large", agents=5, departments=3, towns=2, managers=1, systems=2,
                 it_contacts=1, superusers_per_system=1, stdout=io.StringIO())

    assert Agent.objects.count() == 5
    with pytest.raises(CommandError):
        call_command("seed_large", agents=5)


def test_seed_large_refuses_a_database_with_departments(department):
    with pytest.raises(SeedError):
        seed_large(SMALL)
