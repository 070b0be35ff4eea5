"""The MUS cycle: rounds, sending, reviewing, closing, and the network's coverage."""

from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Subquery
from django.utils import timezone

from agentnet.prepared import Prepared, id_param
from agents.models import DEPARTMENT_NAMES, Agent
from competencies.models import (
    NOT_RELEVANT,
    Assessment,
    AuditEntry,
    Competency,
    DevelopmentGoal,
    Level,
    MusRound,
    Rating,
)

# Network figures hide any group smaller than this.
MIN_GROUP = 3


def audit(user, assessment, action, detail=""):
    AuditEntry.objects.create(user=user, assessment=assessment, action=action, detail=detail)


@transaction.atomic
def open_round(*, year, framework):
    """A draft assessment for every active agent; unfinished goals from last year carry over.
    Seven queries however many agents the network has."""
    mus_round = MusRound.objects.create(year=year, framework=framework)
    competencies = list(Competency.objects.filter(area__framework=framework).only("pk"))
    assessments = Assessment.objects.bulk_create(
        Assessment(agent_id=agent_id, round=mus_round, framework=framework)
        # In the agents' order, by name, as they are listed.
        for agent_id in Agent.objects.active().values_list("pk", flat=True)
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
    assessment.status = Assessment.Status.SENT
    assessment.sent_at = timezone.now()
    assessment.save(update_fields=["status", "sent_at"])
    audit(by, assessment, "sent")


@transaction.atomic
def close(assessment, *, by):
    assessment.status = Assessment.Status.CLOSED
    assessment.closed_at = timezone.now()
    assessment.save(update_fields=["status", "closed_at"])
    audit(by, assessment, "closed")


def previous_levels(assessment):
    """Last year's levels by competency name (frameworks change; names carry over): one
    query, the agent's latest earlier assessment found inside it."""
    last = (
        Assessment.objects.filter(
            agent_id=assessment.agent_id, round__year__lt=assessment.round.year
        )
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

    The database counts (one grouped query, by department, competency and level): the page
    reads a few thousand groups at most, not every rating of the round."""
    groups = COVERAGE_GROUPS.rows(round=mus_round.pk)
    totals = defaultdict(lambda: defaultdict(int))
    # department: competency: [sum, count] of the relevant levels
    by_department = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for department_id, competency_id, level, count in groups:
        totals[competency_id][level] += count
        if level != NOT_RELEVANT:
            cell = by_department[department_id][competency_id]
            cell[0] += level * count
            cell[1] += count
    competencies = FRAMEWORK_COMPETENCIES.objects(framework=mus_round.framework_id)
    levels = FRAMEWORK_LEVELS.objects(framework=mus_round.framework_id)
    rows = []
    for competency in competencies:
        counts = totals[competency.pk]
        answered = sum(counts.values())
        cells = [
            _hide_small(counts.get(level.value, 0)) if answered >= MIN_GROUP else None
            for level in levels
        ]
        rows.append({"competency": competency, "cells": cells, "answered": answered})
    competency_ids = [competency.pk for competency in competencies]
    departments = []
    for department_id, name in DEPARTMENT_NAMES.rows():
        sums = by_department[department_id]
        cells = []
        for competency_id in competency_ids:
            total, count = sums.get(competency_id, (0, 0))
            cells.append(round(total / count, 1) if count >= MIN_GROUP else None)
        departments.append({"department": name, "cells": cells})
    return {"levels": levels, "rows": rows, "competencies": competencies,
            "departments": departments}


# The heatmap reads these on every view: compiled once (agentnet/prepared.py).
COVERAGE_GROUPS = Prepared(
    Rating,
    lambda: Rating.objects.filter(assessment__round_id=id_param("round"))
    .exclude(assessment__status=Assessment.Status.DRAFT)
    .exclude(self_level__isnull=True)
    .order_by()
    .values_list("assessment__agent__department_id", "competency_id", "self_level")
    .annotate(n=Count("pk")),
)
FRAMEWORK_COMPETENCIES = Prepared(
    Competency,
    lambda: Competency.objects.filter(
        area__framework_id=id_param("framework")
    ).select_related("area"),
)
FRAMEWORK_LEVELS = Prepared(
    Level,
    lambda: Level.objects.filter(framework_id=id_param("framework")),
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
