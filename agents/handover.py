"""Handing all of a person's roles to someone else when they leave: their roles for systems,
the open projects they lead or help with, their rollout contacts, open follow-up actions and
the agents they manage. One screen for the facilitator instead of an edit per row in the
admin (DESIGN.md: what OS2kitos's users asked for)."""

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agentnet import dates
from agentnet.links import url_of
from agentnet.markup import escaped, link
from agentnet.prepared import by_id
from agents import services
from agents.models import NAME_COLUMNS, Agent, ManagerChange, SystemRole, User, name_columns
from meetings.models import Action, Meeting
from projects import history
from projects import services as project_services
from projects.models import Project, ProjectChange, ProjectUpdate, Rollout

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
    """What a person holds now, part by part: six queries whoever the person is. Each part
    is a list of the page's lines (<li> elements, every value escaped), read as columns
    rather than as model objects."""

    system_roles: list
    led_projects: list
    co_projects: list
    rollouts: list
    actions: list
    managed_agents: list

    def counts(self):
        return {part: len(getattr(self, part)) for part in PARTS}


def holdings_of(person):
    roles = _labels(SystemRole.Role)
    project_statuses = _labels(Project.Status)
    rollout_statuses = _labels(Rollout.Status)
    return Holdings(
        system_roles=[
            _line(link(url_of("agents:system", pk), name), f": {escaped(roles[role])}",
                  f" ({escaped(note)})" if note else "")
            for pk, name, role, note in SYSTEM_ROLES_HELD.rows(person=person.pk)
        ],
        led_projects=_project_lines(LED_PROJECTS_HELD.rows(person=person.pk), project_statuses),
        co_projects=_project_lines(CO_PROJECTS_HELD.rows(person=person.pk), project_statuses),
        rollouts=[
            _line(link(url_of("projects:detail", pk), title), f": {escaped(department)}",
                  f" ({escaped(rollout_statuses[status])})")
            for pk, title, department, status in ROLLOUTS_HELD.rows(person=person.pk)
        ],
        actions=[
            _line(escaped(text), " · ",
                  link(url_of("meetings:detail", meeting), Meeting.name_of(day, theme)),
                  _deadline(deadline))
            for text, meeting, day, theme, deadline in ACTIONS_HELD.rows(person=person.pk)
        ],
        managed_agents=[
            _line(link(url_of("agents:agent", pk), User.name_of(*name)))
            for pk, *name in AGENTS_MANAGED.rows(person=person.pk)
        ],
    )


def _open_projects(**lookup):
    return (
        Project.objects.filter(status__in=Project.OPEN_STATUSES, **lookup)
        .order_by("title", "pk")
        .values_list("pk", "title", "status")
    )


# What a person holds, each read by their id by a query compiled once.
SYSTEM_ROLES_HELD = by_id(
    "person",
    SystemRole,
    lambda person: SystemRole.objects.filter(user_id=person)
    .order_by("system__name", "role")
    .values_list("system_id", "system__name", "role", "note"),
)
LED_PROJECTS_HELD = by_id(
    "person", Project, lambda person: _open_projects(lead__user_id=person)
)
CO_PROJECTS_HELD = by_id(
    "person", Project, lambda person: _open_projects(co_agents__user_id=person)
)
ROLLOUTS_HELD = by_id(
    "person",
    Rollout,
    lambda person: Rollout.objects.filter(
        contact_id=person, project__status__in=Project.OPEN_STATUSES
    )
    .order_by("project__title", "department__name")
    .values_list("project_id", "project__title", "department__name", "status"),
)
ACTIONS_HELD = by_id(
    "person",
    Action,
    lambda person: Action.objects.filter(owner_id=person, done=False)
    .order_by("deadline", "pk")
    .values_list("text", "item__meeting_id", "item__meeting__date", "item__meeting__theme",
                 "deadline"),
)
AGENTS_MANAGED = by_id(
    "person",
    Agent,
    lambda person: Agent.objects.active()
    .filter(manager_id=person)
    .values_list("pk", *name_columns("user")),
)


def _project_lines(rows, statuses):
    return [
        _line(link(url_of("projects:detail", pk), title), f" ({escaped(statuses[status])})")
        for pk, title, status in rows
    ]


def _labels(choices):
    """{value: label in lower case} in the active language."""
    return {value: str(label).lower() for value, label in choices.choices}


def _deadline(day):
    if day is None:
        return ""
    return " · " + escaped(_("deadline %(date)s") % {"date": dates.date(day, "SHORT_DATE_FORMAT")})


def _line(*parts):
    return mark_safe(f"<li>{''.join(parts)}</li>")  # noqa: S308 - the parts are escaped


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
        # Each agent's change is kept and mailed to them (the form refuses `by` as successor).
        agents = (
            Agent.objects.active().filter(manager=person).exclude(user=successor)
            .select_related("user")
        )
        moved[MANAGED_AGENTS] = sum(
            services.change_manager(agent, successor, by=by, how=ManagerChange.How.HAND_OVER)
            is not None
            for agent in agents
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
        # Someone who leaves no longer signs in; their user stays, so the history that
        # names them (projects, minutes, assessments) keeps its people.
        Agent.objects.filter(user=person).update(is_active=False)
        User.objects.filter(pk=person.pk).update(is_active=False)
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
