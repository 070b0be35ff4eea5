"""Handing all of a person's roles to someone else when they leave: their roles for systems,
the open projects they lead or help with, their rollout contacts, open follow-up actions and
the agents they manage. One screen for the facilitator instead of an edit per row in the
admin (DESIGN.md: what OS2kitos's users asked for)."""

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from agents.models import NAME_COLUMNS, Agent, SystemRole, User
from meetings.models import Action
from projects import history
from projects import services as project_services
from projects.models import Project, ProjectChange, Rollout

SYSTEM_ROLES = "system_roles"
LED_PROJECTS = "led_projects"
CO_PROJECTS = "co_projects"
ROLLOUTS = "rollouts"
ACTIONS = "actions"
MANAGED_AGENTS = "managed_agents"

# What a person can hold, in the order the page shows it.
PARTS = {
    SYSTEM_ROLES: gettext_lazy("Roles for systems"),
    LED_PROJECTS: gettext_lazy("Lead agent of open projects"),
    CO_PROJECTS: gettext_lazy("Co-agent of open projects"),
    ROLLOUTS: gettext_lazy("Contact person in the rollout of open projects"),
    ACTIONS: gettext_lazy("Open follow-up actions from erfa-days"),
    MANAGED_AGENTS: gettext_lazy("Manager of agents"),
}
# The parts that only an agent can take over.
PROJECT_PARTS = {LED_PROJECTS, CO_PROJECTS}


@dataclass
class Holdings:
    """What a person holds now, part by part: six queries whoever the person is."""

    system_roles: list
    led_projects: list
    co_projects: list
    rollouts: list
    actions: list
    managed_agents: list

    def counts(self):
        return {part: len(getattr(self, part)) for part in PARTS}


def holdings_of(person):
    open_projects = Project.objects.filter(status__in=Project.OPEN_STATUSES).only(
        "title", "status"
    )
    return Holdings(
        system_roles=list(
            SystemRole.objects.filter(user=person)
            .select_related("system")
            .order_by("system__name", "role")
        ),
        led_projects=list(open_projects.filter(lead__user=person).order_by("title", "pk")),
        co_projects=list(open_projects.filter(co_agents__user=person).order_by("title", "pk")),
        rollouts=list(
            Rollout.objects.filter(contact=person, project__status__in=Project.OPEN_STATUSES)
            .select_related("project", "department")
            .order_by("project__title", "department__name")
        ),
        actions=list(
            Action.objects.filter(owner=person, done=False)
            .select_related("item__meeting")
            .order_by("deadline", "pk")
        ),
        managed_agents=list(
            Agent.objects.active().filter(manager=person).select_related("user")
        ),
    )


@transaction.atomic
def hand_over(person, successor, parts, *, by, leaves=False):
    """Give `successor` what `person` holds of `parts`, as it is now, and write each project's
    change to its history. Returns {part: how many moved}. Projects need a successor with an
    agent profile; the form checks that first."""
    now = timezone.now()
    changes = defaultdict(list)  # project id -> its history entries
    moved = {}
    if SYSTEM_ROLES in parts:
        moved[SYSTEM_ROLES] = _move_system_roles(person, successor)
    if PROJECT_PARTS & set(parts):
        successor_agent = Agent.objects.get(user=successor)
        if LED_PROJECTS in parts:
            moved[LED_PROJECTS] = _move_lead(person, successor_agent, changes)
        if CO_PROJECTS in parts:
            moved[CO_PROJECTS] = _move_co_agent(person, successor_agent, changes)
    if ROLLOUTS in parts:
        moved[ROLLOUTS] = _move_rollout_contacts(person, successor, changes)
    if ACTIONS in parts:
        moved[ACTIONS] = Action.objects.filter(owner=person, done=False).update(owner=successor)
    if MANAGED_AGENTS in parts:
        # A successor who was one of the person's agents does not become their own manager.
        moved[MANAGED_AGENTS] = (
            Agent.objects.active().filter(manager=person).exclude(user=successor)
            .update(manager=successor)
        )
    if changes:
        # Every project with an entry in its history changed, once. Its last activity stays:
        # a hand-over is no news of the work, and a stale project stays marked stale.
        project_services.mark_changed(list(changes), by=by, at=now, activity=False)
        ProjectChange.objects.bulk_create(
            ProjectChange(project_id=pk, user=by, at=now, changes=entries)
            for pk, entries in changes.items()
        )
    if leaves:
        Agent.objects.filter(user=person).update(is_active=False)
    return moved


def _move_system_roles(person, successor):
    roles = SystemRole.objects.filter(user=person)
    count = roles.count()
    # Where the successor already holds the same role for the system, the person's row goes.
    held = SystemRole.objects.filter(
        user=successor, system=OuterRef("system"), role=OuterRef("role")
    )
    roles.filter(Exists(held)).delete()
    roles.update(user=successor)
    return count


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
    rows = Project.co_agents.through.objects.filter(project_id__in=project_ids).values_list(
        "project_id", *(f"agent__{column}" for column in NAME_COLUMNS)
    )
    for project_id, *name in rows:
        names[project_id].append(User.name_of(*name))
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
