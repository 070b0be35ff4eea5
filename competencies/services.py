"""The MUS cycle: rounds, sending, reviewing, closing, and the network's coverage."""

from collections import defaultdict

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from agents.models import Agent, Department, Location
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
# The heatmap's counts are kept at most this many seconds (see coverage()).
COVERAGE_KEPT = 10 * 60


def audit(user, assessment, action, detail=""):
    AuditEntry.objects.create(user=user, assessment=assessment, action=action, detail=detail)


@transaction.atomic
def open_round(*, year, framework):
    """A draft assessment for every active agent; unfinished goals from last year carry over.
    Seven queries however many agents the network has."""
    mus_round = MusRound.objects.create(year=year, framework=framework)
    _start_assessments(mus_round, Agent.objects.active().values_list("pk", "manager_id"))
    return mus_round


def include_late_joiners():
    """An agent who became active while a round is open gets their draft in it, as if they
    had been there when it opened. Called where the rounds' pages load (the competency
    pages, a round's status): two queries when nobody is missing."""
    for mus_round in MusRound.objects.open():
        missing = Agent.objects.active().exclude(assessments__round=mus_round)
        if missing.exists():
            _include(mus_round, missing)


@transaction.atomic
def _include(mus_round, missing):
    # Two page loads at once wait for each other here; the second finds nobody missing.
    MusRound.objects.select_for_update().filter(pk=mus_round.pk).first()
    _start_assessments(mus_round, list(missing.values_list("pk", "manager_id")))


def _start_assessments(mus_round, agents):
    """Drafts with an empty rating per competency for `agents` ((agent id, manager id)
    pairs), with their unfinished goals of the year before carried over."""
    framework_id, year = mus_round.framework_id, mus_round.year
    competencies = list(Competency.objects.filter(area__framework_id=framework_id).only("pk"))
    assessments = Assessment.objects.bulk_create(
        Assessment(agent_id=agent_id, manager_id=manager_id, round=mus_round,
                   framework_id=framework_id)
        # In the agents' order, by name, as they are listed.
        for agent_id, manager_id in agents
    )
    Rating.objects.bulk_create(
        Rating(assessment=assessment, competency=competency)
        for assessment in assessments
        for competency in competencies
    )
    new = {assessment.agent_id: assessment for assessment in assessments}
    # Only goals that were agreed carry over: those of a closed talk, or carried into last
    # year's in turn. A goal the manager wrote into a review that never closed is the
    # manager's unfinished part, which the agent does not see.
    unfinished = DevelopmentGoal.objects.filter(
        Q(assessment__status=Assessment.Status.CLOSED) | Q(carried_from__isnull=False),
        assessment__round__year=year - 1,
        assessment__agent_id__in=new,
        status__in=[DevelopmentGoal.Status.OPEN, DevelopmentGoal.Status.RUNNING],
    ).select_related("assessment", "competency__area").order_by("pk")
    DevelopmentGoal.objects.bulk_create(
        DevelopmentGoal(
            assessment=new[goal.assessment.agent_id], text=goal.text, action=goal.action,
            deadline=goal.deadline, status=goal.status, carried_from=goal,
            course_id=goal.course_id,
            # A competency of another framework does not carry over; the goal does.
            competency=goal.competency
            if goal.competency and goal.competency.area.framework_id == framework_id
            else None,
        )
        for goal in unfinished
    )


def move_open_reviews(sender, *, agent, manager, **kwargs):
    """A new manager takes over the agent's reviews that are not closed yet, so a talk in
    progress is not left with someone who no longer leads the agent (or has left). Closed
    assessments stay with the manager of their round: a new manager does not read earlier
    years' reviews and private notes."""
    Assessment.objects.filter(agent=agent).exclude(status=Assessment.Status.CLOSED).update(
        manager=manager
    )


@transaction.atomic
def send_to_manager(assessment, *, by):
    """From now on the assessment is its manager's: the agent's manager of today."""
    assessment.status = Assessment.Status.SENT
    assessment.sent_at = timezone.now()
    (assessment.manager_id, assessment.coverage_department_id,
     assessment.coverage_location_id) = Agent.objects.values_list(
        "manager_id", "department_id", "location_id"
    ).get(pk=assessment.agent_id)
    assessment.save(update_fields=["status", "sent_at", "manager", "coverage_department",
                                   "coverage_location"])
    let_into_coverage(assessment.round_id, assessment.coverage_department_id,
                      location_id=assessment.coverage_location_id)
    audit(by, assessment, "sent")


def let_into_coverage(round_id, department_id, *, location_id=None):
    """Let the department's, and the town's, sent self-assessments waiting outside the
    coverage into it, once there are at least MIN_GROUP of them (see coverage())."""
    # Sends of one round wait for each other here, so no two let in the same batch in part.
    MusRound.objects.select_for_update().filter(pk=round_id).first()
    sent = Assessment.objects.filter(round_id=round_id).exclude(
        status=Assessment.Status.DRAFT
    )
    changed = False
    waiting = sent.filter(coverage_department_id=department_id, in_coverage=False)
    if department_id and waiting.count() >= MIN_GROUP:
        changed = bool(waiting.update(in_coverage=True))
    waiting = sent.filter(coverage_location_id=location_id, in_town_coverage=False)
    if location_id and waiting.count() >= MIN_GROUP:
        changed = bool(waiting.update(in_town_coverage=True)) or changed
    if changed:
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


def team_profiles(agents):
    """Agents × competencies: the agreed levels (the manager's, of a closed talk) of each
    agent's assessment in `agent.latest_closed` (latest_closed_with()). Returns the
    competency names, in the newest profile's order, and a row per agent with their
    assessment (or None) and levels. One query whatever the team's size."""
    wanted = [agent.latest_closed for agent in agents if agent.latest_closed]
    assessments = {
        assessment.agent_id: assessment
        for assessment in Assessment.objects.filter(pk__in=wanted)
        .select_related("round")
        .prefetch_related(Prefetch("ratings", queryset=Rating.objects.in_framework_order()))
    } if wanted else {}
    names = []
    for assessment in sorted(assessments.values(), key=lambda a: -a.round.year):
        for rating in assessment.ratings.all():
            if rating.competency.name not in names:
                names.append(rating.competency.name)
    rows = []
    for agent in agents:
        assessment = assessments.get(agent.pk)
        levels = (
            {r.competency.name: r.manager_level for r in assessment.ratings.all()}
            if assessment else {}
        )
        rows.append({"agent": agent, "assessment": assessment,
                     "levels": [levels.get(name) for name in names]})
    return names, rows


def latest_closed_with(manager):
    """For annotating agents: the pk of their latest closed assessment of which `manager` was
    the manager of the round. A new manager does not read earlier managers' reviews."""
    return Subquery(
        Assessment.objects.filter(
            agent=OuterRef("pk"), manager=manager, status=Assessment.Status.CLOSED
        ).order_by("-round__year").values("pk")[:1]
    )


def coverage(mus_round):
    """How many agents stand at each level of each competency (self-assessed, sent or later)
    in the whole network, and the average level per town and per department. Counts and
    averages of fewer than MIN_GROUP are returned as None.

    No one's answers may be read off by comparing two views: hiding small groups is not
    enough, since the map before and after one person sends would differ by exactly their
    levels. So the map moves on in batches: a sent self-assessment is counted, under the
    town it was sent from, only once at least MIN_GROUP of that town's are waiting, and
    then they all come in together (let_into_coverage()); the network's counts and the
    towns' averages are those batches. The departments' averages move the same way in
    batches of one department (in_coverage). Self-assessments are final once sent and the
    town and department are kept, so any two views of a table differ by whole batches of
    at least MIN_GROUP people of one town (or one department).

    The counts (_coverage_counts()) are kept in the cache for each version of the round's
    coverage (MusRound.coverage_version) and at most COVERAGE_KEPT seconds: the version
    changes with what is counted; the time bounds how long a change made around the
    application (a person deleted in the admin, say) can go unseen."""
    competencies = list(Competency.objects.of_framework(mus_round.framework_id))
    levels = list(Level.objects.filter(framework_id=mus_round.framework_id))
    values = [level.value for level in levels]
    levels_key = "-".join(map(str, values))
    key = f"coverage-counts:v2:{mus_round.pk}:{mus_round.coverage_version}:{levels_key}"
    counts = cache.get_or_set(
        key, lambda: _coverage_counts(mus_round.pk, values), timeout=COVERAGE_KEPT
    )
    answered = defaultdict(int)
    at_level = defaultdict(lambda: [0] * len(values))
    for row in counts["towns"]:
        competency_id = row["competency"]
        answered[competency_id] += row["answered"]
        sums = at_level[competency_id]
        for index, value in enumerate(values):
            sums[index] += row[f"at_{value}"]
    rows = []
    for competency in competencies:
        enough = answered[competency.pk] >= MIN_GROUP
        cells = [_hide_small(n) if enough else None for n in at_level[competency.pk]]
        rows.append({"competency": competency, "cells": cells, "answered": answered[competency.pk]})
    return {
        "levels": levels, "rows": rows, "competencies": competencies,
        "towns": _averages(counts["towns"], Location, competencies),
        "departments": _averages(counts["departments"], Department, competencies),
    }


def _averages(counts, model, competencies):
    """A row per department or town (`model`), in name order: its average relevant level per
    competency where at least MIN_GROUP gave one, else None; `shown` if any is not None."""
    averages = {
        (row["group"], row["competency"]): round(row["total"] / row["relevant"], 1)
        for row in counts if row["relevant"] >= MIN_GROUP
    }
    groups = []
    for pk, name in model.objects.order_by("name").values_list("pk", "name"):
        cells = [averages.get((pk, c.pk)) for c in competencies]
        groups.append({"department": name, "name": name, "cells": cells,
                       "shown": any(cell is not None for cell in cells)})
    return groups


def _coverage_counts(round_id, values):
    """Per town and competency, the self-assessed ratings of the round's assessments let into
    the town coverage: how many answered, how many as relevant to their role, the sum of the
    relevant levels, and how many at each level in `values`; and per department the same
    for the department coverage. Two grouped queries: some hundreds of rows, not every
    rating of the round."""
    relevant = ~Q(self_level=NOT_RELEVANT)
    ratings = Rating.objects.filter(assessment__round_id=round_id, self_level__isnull=False)
    sums = {
        "answered": Count("pk"),
        "relevant": Count("pk", filter=relevant),
        "total": Coalesce(Sum("self_level", filter=relevant), 0),
    }
    return {
        "towns": list(
            ratings.filter(assessment__in_town_coverage=True)
            .values("competency", group=F("assessment__coverage_location"))
            .annotate(
                **sums,
                **{f"at_{value}": Count("pk", filter=Q(self_level=value)) for value in values},
            )
            .order_by()
        ),
        "departments": list(
            ratings.filter(assessment__in_coverage=True)
            .values("competency", group=F("assessment__coverage_department"))
            .annotate(**sums)
            .order_by()
        ),
    }


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
