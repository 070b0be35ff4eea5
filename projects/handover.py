"""What a person hands over of the projects when they leave (agents/handover.py): the open
projects they lead or help with and their rollout contacts. Closed projects keep their
people: they are the record of who did the work. Every project that changes gets one entry
in its history."""

from collections import defaultdict

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agents.handover import Contribution, Part, register
from agents.models import Agent
from projects import history
from projects import services as project_services
from projects.models import Project, ProjectChange, ProjectUpdate, Rollout

LED_PROJECTS = "led_projects"
CO_PROJECTS = "co_projects"
ROLLOUTS = "rollouts"


def _open_projects(**lookup):
    return (
        Project.objects.filter(status__in=Project.OPEN_STATUSES, **lookup)
        .order_by("title", "pk")
        .only("pk", "title", "status")
    )


@register
class ProjectsHandOver(Contribution):
    parts = (
        Part(
            LED_PROJECTS, _("Lead agent of open projects"), 20,
            held=lambda person: _open_projects(lead__user=person),
            template="projects/_handover.html#projects", needs_agent=True,
        ),
        Part(
            CO_PROJECTS, _("Co-agent of open projects"), 30,
            held=lambda person: _open_projects(co_agents__user=person),
            template="projects/_handover.html#projects", needs_agent=True,
        ),
        Part(
            ROLLOUTS, _("Contact person in the rollout of open projects"), 40,
            held=lambda person: Rollout.objects.filter(
                contact=person, project__status__in=Project.OPEN_STATUSES
            )
            .select_related("project", "department")
            .order_by("project__title", "department__name"),
            template="projects/_handover.html#rollouts",
        ),
    )

    def hand_over(self, person, successor, chosen, *, by):
        changes = defaultdict(list)  # project id -> its history entries
        moved = {}
        if LED_PROJECTS in chosen or CO_PROJECTS in chosen:
            successor_agent = Agent.objects.get(user=successor)
            if LED_PROJECTS in chosen:
                moved[LED_PROJECTS] = _move_lead(person, successor_agent, changes)
            if CO_PROJECTS in chosen:
                moved[CO_PROJECTS] = _move_co_agent(person, successor_agent, changes)
        if ROLLOUTS in chosen:
            moved[ROLLOUTS] = _move_rollout_contacts(person, successor, changes)
        if changes:
            # Every project with an entry in its history changed, once. Its last activity
            # stays: a hand-over is no news of the work, and a stale project stays stale.
            now = timezone.now()
            project_services.mark_changed(list(changes), by=by, at=now, activity=False)
            ProjectChange.objects.bulk_create(
                ProjectChange(project_id=pk, user=by, at=now, changes=entries)
                for pk, entries in changes.items()
            )
        return moved


def _open_projects_for_update(**lookup):
    ids = (
        Project.objects.select_for_update()
        .filter(status__in=Project.OPEN_STATUSES, **lookup)
        .values_list("pk", flat=True)
    )
    return list(ids)


def _co_agent_names(project_ids):
    """{project id: the co-agents' names as the history keeps them}."""
    names = defaultdict(list)
    rows = Project.co_agents.through.objects.filter(project_id__in=project_ids).select_related(
        "agent__user"
    )
    for row in rows:
        names[row.project_id].append(str(row.agent.user))
    return {pk: history.names(names[pk]) for pk in project_ids}


def _record_co_agents(before, after, changes):
    for pk, old in before.items():
        if after[pk] != old:
            changes[pk].append(history.entry("co_agents", old, after[pk]))


def _move_lead(person, successor_agent, changes):
    ids = _open_projects_for_update(lead__user=person)
    if not ids:
        return 0
    before = _co_agent_names(ids)
    # The new lead is no longer also a co-agent of the project.
    Project.co_agents.through.objects.filter(project_id__in=ids, agent=successor_agent).delete()
    Project.objects.filter(pk__in=ids).update(lead=successor_agent)
    ProjectUpdate.objects.filter(project_id__in=ids).follow_leads()
    for pk in ids:
        changes[pk].append(history.entry("lead", str(person), str(successor_agent.user)))
    _record_co_agents(before, _co_agent_names(ids), changes)
    return len(ids)


def _move_co_agent(person, successor_agent, changes):
    ids = _open_projects_for_update(co_agents__user=person)
    if not ids:
        return 0
    before = _co_agent_names(ids)
    through = Project.co_agents.through
    through.objects.filter(project_id__in=ids, agent__user=person).delete()
    # Not where the successor already helps, nor where they lead.
    taken = set(
        Project.objects.filter(pk__in=ids)
        .filter(Q(lead=successor_agent) | Q(co_agents=successor_agent))
        .values_list("pk", flat=True)
    )
    through.objects.bulk_create(
        through(project_id=pk, agent=successor_agent) for pk in ids if pk not in taken
    )
    _record_co_agents(before, _co_agent_names(ids), changes)
    return len(ids)


def _move_rollout_contacts(person, successor, changes):
    rows = list(
        Rollout.objects.select_for_update(of=("self",))
        .filter(contact=person, project__status__in=Project.OPEN_STATUSES)
        .select_related("department")
    )
    Rollout.objects.filter(pk__in=[row.pk for row in rows]).update(contact=successor)
    for row in rows:
        changes[row.project_id].append(
            history.entry(
                history.ROLLOUT_CONTACT, str(person), str(successor),
                department=str(row.department),
            )
        )
    return len(rows)
