"""meetings.turns: which updates the round brings. The rule is written out once more here,
plainly, and the query must agree with it on networks busy and quiet."""

import random
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from meetings import turns
from projects.models import ProjectUpdate
from tests import factories

SINCE = timezone.make_aware(datetime(2027, 2, 4, 9))
UNTIL = timezone.make_aware(datetime(2027, 3, 4, 9))


def expected(since, until, size):
    """The rule, in Python: the texts of the updates the round brings, oldest first."""
    in_period = [u for u in ProjectUpdate.objects.all() if since <= u.created_at < until]
    by_department = {}
    for update in in_period:
        by_department.setdefault(update.project.lead.department_id, []).append(update)
    numbered = []
    for updates in by_department.values():
        updates.sort(key=lambda u: (not _urgent(u), -u.created_at.timestamp(), -u.pk))
        numbered += [(turn, u) for turn, u in enumerate(updates, start=1)]
    numbered.sort(key=lambda t: (t[0], not _urgent(t[1]), -t[1].created_at.timestamp(), -t[1].pk))
    chosen = sorted((u for _turn, u in numbered[:size]), key=lambda u: (u.created_at, u.pk))
    return [u.text for u in chosen]


def _urgent(update):
    return update.kind == "problem" or update.for_erfa


def network(rng, *, departments, active, updates, same_moment=False):
    """`departments` departments, the first `active` with a project each and `updates`
    updates spread over them at random; some before and after the period."""
    leads = []
    for index in range(departments):
        agent = factories.AgentFactory(department=factories.DepartmentFactory(name=f"D{index}"))
        leads.append(agent)
    projects = [factories.ProjectFactory(lead=lead) for lead in leads[:active]]
    rows = []
    span = (UNTIL - SINCE).total_seconds()
    for number in range(updates):
        project = rng.choice(projects)
        if same_moment:
            moment = SINCE + timedelta(days=rng.choice([1, 2]))
        else:
            moment = SINCE + timedelta(seconds=rng.uniform(-0.2, 1.2) * span)
        rows.append(
            ProjectUpdate(
                project=project, lead_department_id=project.lead.department_id,
                kind=rng.choice(["progress", "progress", "problem", "milestone", "decision"]),
                for_erfa=rng.random() < 0.15, text=f"u{number}", created_at=moment,
            )
        )
    ProjectUpdate.objects.bulk_create(rows)


def brought(size):
    """The texts of the updates the round brings."""
    return [update.text for update in turns.round_updates(SINCE, UNTIL, size)]


@pytest.mark.parametrize(
    ("departments", "active", "updates", "size"),
    [
        (6, 6, 90, 8),  # busy: each department's first turns fill the round
        (6, 2, 40, 10),  # two departments with news: they take the rest of the round
        (8, 1, 30, 8),  # one department brings the whole round
        (5, 5, 4, 8),  # fewer updates than the round holds
        (3, 3, 0, 8),  # a month without news
        (12, 9, 200, 12),  # more departments than turns a department gets
    ],
)
def test_the_round_brings_what_the_rule_says(db, departments, active, updates, size):
    rng = random.Random(f"{departments}-{active}-{updates}-{size}")
    network(rng, departments=departments, active=active, updates=updates)

    want = expected(SINCE, UNTIL, size)

    assert len(want) == min(size, ProjectUpdate.objects.filter(
        created_at__gte=SINCE, created_at__lt=UNTIL).count())
    assert brought(size) == want


def test_updates_written_at_the_same_moment_are_taken_newest_row_first(db):
    network(random.Random(7), departments=3, active=3, updates=40, same_moment=True)

    want = expected(SINCE, UNTIL, 9)

    assert brought(9) == want


def test_the_period_includes_its_start_and_not_its_end(db):
    project = factories.ProjectFactory()
    for text, moment in [("start", SINCE), ("end", UNTIL), ("before", SINCE - timedelta(1))]:
        factories.ProjectUpdateFactory(project=project, text=text, created_at=moment)

    assert brought(8) == ["start"]


def test_urgent_updates_come_first_within_a_department(db):
    project = factories.ProjectFactory()
    old_problem = factories.ProjectUpdateFactory(
        project=project, kind="problem", text="gammelt problem",
        created_at=SINCE + timedelta(days=1),
    )
    flagged = factories.ProjectUpdateFactory(
        project=project, for_erfa=True, text="til erfa-dagen", created_at=SINCE + timedelta(2),
    )
    for day in range(3, 10):
        factories.ProjectUpdateFactory(
            project=project, text=f"dag {day}", created_at=SINCE + timedelta(days=day)
        )

    # The three first in the department's turn, listed oldest first.
    assert brought(3) == [old_problem.text, flagged.text, "dag 9"]
