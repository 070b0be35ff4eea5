from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db.models import Max
from django.utils import timezone

from agents.models import Agent, Department, Location, System, SystemRole, User
from agents.permissions import FACILITATOR, MANAGER
from bench import seed
from bench.seed import PASSWORD, Counts, SeedError, seed_network
from competencies.models import Assessment, MusRound, Rating
from meetings.models import AgendaItem, Attendance, Meeting
from projects.models import Idea, Project, ProjectUpdate, Rollout

pytestmark = pytest.mark.django_db

SMALL = Counts(
    departments=10, towns=3, agents=12, managers=2, it_contacts=2, systems=4,
    superusers_per_system=2, projects=20, project_updates=200, rollouts=30, ideas=5,
    meetings=12, meetings_ahead=3, speakers=2, mus_rounds=2, assessments=8,
)


def test_the_seed_makes_the_counted_rows():
    steps = seed_network(SMALL)

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
    assert [step for step, _rows, _seconds in steps] == [s.__name__ for s in seed.STEPS]


def test_the_seed_leaves_a_tenth_of_departments_without_agents():
    seed_network(SMALL)

    assert Department.objects.exclude(agents__isnull=False).count() == 1


def test_every_seeded_user_shares_one_password_hash_that_signs_in():
    seed_network(SMALL)

    assert User.objects.values("password").distinct().count() == 1
    facilitator = User.objects.get(groups__name=FACILITATOR)
    assert facilitator.is_staff and facilitator.agent
    assert facilitator.check_password(PASSWORD)


def test_python_m_bench_seed_refuses_a_filled_database(department):
    with pytest.raises(SystemExit, match="empty database"):
        seed.main(["--small"])


def test_the_seed_refuses_a_database_with_departments(department):
    with pytest.raises(SeedError):
        seed_network(SMALL)


def test_the_seed_makes_projects_with_updates_rollouts_and_ideas():
    seed_network(SMALL)

    assert Project.objects.count() == 20
    assert ProjectUpdate.objects.count() == 200
    assert Rollout.objects.count() == 30
    assert Idea.objects.count() == 5
    assert Project.objects.filter(types__isnull=True).count() == 0
    assert not Project.objects.filter(lead__is_active=False).exists()
    # Several statuses, and every update within the last year.
    assert Project.objects.values("status").distinct().count() > 2
    oldest = ProjectUpdate.objects.order_by("created_at").first().created_at
    assert timezone.now() - oldest < timedelta(days=366)


def test_each_project_was_last_active_at_its_newest_update():
    seed_network(SMALL)

    for project in Project.objects.annotate(newest=Max("updates__created_at")):
        if project.newest:
            assert project.last_activity_at == project.newest


def test_the_seed_makes_erfa_days_with_a_round_and_attendance():
    seed_network(SMALL)

    today = timezone.localdate()
    assert Meeting.objects.count() == 12
    assert Meeting.objects.filter(date__gte=today).count() == 3
    nearest = Meeting.objects.filter(date__gte=today).order_by("date").first()
    assert nearest.status == Meeting.Status.PUBLISHED
    assert nearest.items.filter(kind=AgendaItem.Kind.ROUND).count() == 1
    assert nearest.attendances.count() == Agent.objects.active().count()
    held = Meeting.objects.filter(status=Meeting.Status.HELD)
    assert held.exists() and not held.filter(round_snapshot__isnull=True).exists()
    assert Attendance.objects.filter(meeting__in=held).exists()
    assert AgendaItem.objects.count() == 12 * 6


def test_the_seed_makes_mus_rounds_with_ratings_in_every_status():
    seed_network(SMALL)

    assert MusRound.objects.count() == 2
    assert Assessment.objects.count() == 2 * 8
    assert Rating.objects.count() == 2 * 8 * 10  # the demo profile has ten competencies
    latest = MusRound.objects.order_by("-year").first()
    assert set(latest.assessments.values_list("status", flat=True)) == {
        "draft", "sent", "reviewed", "closed"
    }
    assert not Assessment.objects.filter(agent__manager=None).exists()


def test_seeded_answers_have_their_time_and_open_invitations_none():
    seed_network(SMALL)

    answered = Attendance.objects.exclude(response="invited")
    assert not answered.filter(answered_at__isnull=True, meeting__status="published").exists()
    assert not Attendance.objects.filter(response="invited", answered_at__isnull=False).exists()
    assert Attendance.objects.filter(response="invited").exists()
