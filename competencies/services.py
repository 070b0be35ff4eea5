"""The MUS cycle: rounds, sending, reviewing, closing, and the network's coverage."""

from collections import defaultdict

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Subquery
from django.utils import timezone

from agentnet.prepared import by_id
from agents.models import DEPARTMENT_NAMES, Agent
from competencies.models import (
    FRAMEWORK_LEVELS,
    NOT_RELEVANT,
    Assessment,
    AuditEntry,
    Competency,
    DevelopmentGoal,
    MusRound,
    Rating,
)

# Network figures hide any group smaller than this.
MIN_GROUP = 3
# The heatmap's counts are kept at most this many seconds (see coverage()).
COVERAGE_KEPT = 10 * 60


def audit(user, assessment, action, detail=""):
    AuditEntry.objects.create(user=user, assessment=assessment, action=action, detail=detail)


@transaction.atomic
def open_round(*, year, framework):
    """A draft assessment for every active agent; unfinished goals from last year carry over.
    Seven queries however many agents the network has."""
    mus_round = MusRound.objects.create(year=year, framework=framework)
    competencies = list(Competency.objects.filter(area__framework=framework).only("pk"))
    assessments = Assessment.objects.bulk_create(
        Assessment(agent_id=agent_id, manager_id=manager_id, round=mus_round,
                   framework=framework)
        # In the agents' order, by name, as they are listed.
        for agent_id, manager_id in Agent.objects.active().values_list("pk", "manager_id")
    )
    Rating.objects.bulk_create(
        Rating(assessment=assessment, competency=competency)
        for assessment in assessments
        for competency in competencies
    )
    new = {assessment.agent_id: assessment for assessment in assessments}
    unfinished = DevelopmentGoal.objects.filter(
        assessment__round__year=year - 1,
        assessment__agent_id__in=new,
        status__in=[DevelopmentGoal.Status.OPEN, DevelopmentGoal.Status.RUNNING],
    ).select_related("assessment", "competency__area").order_by("pk")
    DevelopmentGoal.objects.bulk_create(
        DevelopmentGoal(
            assessment=new[goal.assessment.agent_id], text=goal.text, action=goal.action,
            deadline=goal.deadline, status=goal.status, carried_from=goal,
            # A competency of another framework does not carry over; the goal does.
            competency=goal.competency
            if goal.competency and goal.competency.area.framework_id == framework.pk
            else None,
        )
        for goal in unfinished
    )
    return mus_round


@transaction.atomic
def send_to_manager(assessment, *, by):
    """From now on the assessment is its manager's: the agent's manager of today."""
    assessment.status = Assessment.Status.SENT
    assessment.sent_at = timezone.now()
    assessment.manager_id, assessment.coverage_department_id = Agent.objects.values_list(
        "manager_id", "department_id"
    ).get(pk=assessment.agent_id)
    assessment.save(update_fields=["status", "sent_at", "manager", "coverage_department"])
    let_into_coverage(assessment.round_id, assessment.coverage_department_id)
    audit(by, assessment, "sent")


def let_into_coverage(round_id, department_id):
    """Let the department's sent self-assessments waiting outside the heatmap into it, once
    there are at least MIN_GROUP of them (see coverage())."""
    # Sends of one round wait for each other here, so no two let in the same batch in part.
    MusRound.objects.select_for_update().filter(pk=round_id).first()
    waiting = Assessment.objects.filter(
        round_id=round_id, coverage_department_id=department_id, in_coverage=False
    ).exclude(status=Assessment.Status.DRAFT)
    if waiting.count() >= MIN_GROUP:
        waiting.update(in_coverage=True)
        MusRound.objects.filter(pk=round_id).coverage_changed()


@transaction.atomic
def close(assessment, *, by):
    assessment.status = Assessment.Status.CLOSED
    assessment.closed_at = timezone.now()
    assessment.save(update_fields=["status", "closed_at"])
    audit(by, assessment, "closed")


def previous_levels(assessment, *, role):
    """Last year's levels by competency name (frameworks change; names carry over): one
    query, the agent's latest earlier assessment found inside it. Only a closed one: a
    review never finished is not shown to the agent, this year or later; and for the
    manager only one of their own rounds: a new manager does not read earlier reviews."""
    earlier = Assessment.objects.filter(
        agent_id=assessment.agent_id, round__year__lt=assessment.round.year,
        status=Assessment.Status.CLOSED,
    )
    if role == "manager":
        earlier = earlier.filter(manager_id=assessment.manager_id)
    last = (
        earlier
        .order_by("-round__year")
        .values("pk")[:1]
    )
    rows = Rating.objects.filter(assessment=Subquery(last)).values_list(
        "competency__name", "self_level", "manager_level"
    )
    return {name: (self_level, manager_level) for name, self_level, manager_level in rows}


def coverage(mus_round):
    """How many agents stand at each level of each competency (self-assessed, sent or later),
    in total and per department. Counts below MIN_GROUP are returned as None.

    No one's answers may be read off by comparing two views: hiding small groups is not
    enough, since the map before and after one person sends would differ by exactly their
    levels. So the map moves on in batches: a sent self-assessment is counted, under the
    department it was sent from, only once at least MIN_GROUP of that department's are
    waiting, and then they all come in together (let_into_coverage()). Self-assessments
    are final once sent and the department is kept, so any two views differ by whole
    batches of at least MIN_GROUP people of one department.

    The database counts, in one query: per department and competency, the ratings and how
    many stand at each level; some hundreds of rows, not every rating of the round. They are
    kept in the cache for each version of the round's coverage (MusRound.coverage_version)
    and at most COVERAGE_KEPT seconds: the version changes with what is counted; the time
    bounds how long a change made around the application (a person deleted in the admin,
    say) can go unseen."""
    competencies = FRAMEWORK_COMPETENCIES.objects(framework=mus_round.framework_id)
    levels = FRAMEWORK_LEVELS.objects(framework=mus_round.framework_id)
    values = tuple(level.value for level in levels)
    answered = defaultdict(int)
    at_level = defaultdict(lambda: [0] * len(values))
    averages = {}
    key = f"coverage:{mus_round.pk}:{mus_round.coverage_version}:{'-'.join(map(str, values))}"
    counts = cache.get_or_set(
        key, lambda: _coverage_counts(mus_round.pk, values), timeout=COVERAGE_KEPT
    )
    for department_id, competency_id, count, relevant, total, *by_level in counts:
        answered[competency_id] += count
        sums = at_level[competency_id]
        for index, number in enumerate(by_level):
            sums[index] += number
        if relevant >= MIN_GROUP:
            averages[department_id, competency_id] = round(total / relevant, 1)
    rows = []
    for competency in competencies:
        enough = answered[competency.pk] >= MIN_GROUP
        cells = [_hide_small(n) if enough else None for n in at_level[competency.pk]]
        rows.append({"competency": competency, "cells": cells, "answered": answered[competency.pk]})
    competency_ids = [competency.pk for competency in competencies]
    departments = [
        {"department": name, "cells": [averages.get((pk, c)) for c in competency_ids]}
        for pk, name in DEPARTMENT_NAMES.rows()
    ]
    return {"levels": levels, "rows": rows, "competencies": competencies,
            "departments": departments}


def _coverage_counts(round_id, values):
    """The rows of _coverage_sql() for a round."""
    with connection.cursor() as cursor:
        cursor.execute(
            _coverage_sql(values),
            {"round": round_id, "not_relevant": NOT_RELEVANT},
        )
        return tuple(cursor.fetchall())


def _coverage_sql(values):
    """SQL: per department and competency, the self-assessed ratings of the round's
    assessments let into the heatmap: how many, how many relevant, the sum of the
    relevant levels, and how many at each level in `values`. Written out rather than built
    by the ORM, whose conversion of every count of every row cost more than the counting."""
    relevant = "CASE WHEN r.self_level <> %(not_relevant)s THEN {} ELSE 0 END"
    at_level = "".join(
        f", SUM(CASE WHEN r.self_level = {int(value)} THEN 1 ELSE 0 END)" for value in values
    )
    return f"""SELECT s.coverage_department_id, r.competency_id, COUNT(*),
            SUM({relevant.format(1)}), SUM({relevant.format("r.self_level")}){at_level}
        FROM competencies_rating r
        JOIN competencies_assessment s ON s.id = r.assessment_id
        WHERE s.round_id = %(round)s AND s.in_coverage AND r.self_level IS NOT NULL
        GROUP BY s.coverage_department_id, r.competency_id"""  # noqa: S608 - integers


# The heatmap reads these on every view: compiled once (agentnet/prepared.py).
FRAMEWORK_COMPETENCIES = by_id(
    "framework",
    Competency,
    lambda framework: Competency.objects.filter(area__framework_id=framework).select_related(
        "area"
    ),
)


def _hide_small(count):
    return count if count == 0 or count >= MIN_GROUP else None


def weak_competencies(coverage_data, *, threshold=2):
    """Competencies where few agents stand at `threshold` or above: candidates for talks."""
    weak = []
    for row in coverage_data["rows"]:
        if row["answered"] < MIN_GROUP:
            continue
        high = sum(
            (c or 0) for c, level in zip(row["cells"], coverage_data["levels"], strict=True)
            if level.value >= threshold + 1
        )
        if high * 2 < row["answered"]:
            weak.append(row["competency"])
    return weak
