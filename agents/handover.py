"""Handing all of a person's roles to someone else when they leave: one screen for the
facilitator instead of an edit per row in the admin (DESIGN.md: what OS2kitos's users asked
for).

Each app hands over its own records. An app that holds something a person can hand over
has a module `handover.py` that registers it here (the network's own parts are at the end
of this module); AgentsConfig.ready() imports those modules, as the admin finds admin.py.
This app stands below the others and does not know their records."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from agents import services
from agents.models import Agent, ManagerChange, SystemRole, User


@dataclass(frozen=True)
class Part:
    """Something a person can hold, as the page lists it and the form offers it."""

    key: str
    label: str
    # Where the page lists it: the network's own roles first, the agents they manage last.
    position: int
    # What the person holds now, as a queryset with what its lines show.
    held: object
    # The template of its lines; it is given the records as `held`.
    template: str
    # Projects are led and helped with by agents: a successor without an active agent
    # profile cannot take them.
    needs_agent: bool = False


class Contribution:
    """An app's parts, and how it hands them over. Subclass it in the app's handover.py and
    decorate the subclass with @register."""

    parts = ()

    def hand_over(self, person, successor, chosen, *, by):
        """Give `successor` what `person` holds of the chosen parts (keys of this app's
        parts), inside the hand-over's transaction. Returns {key: how many moved}."""
        raise NotImplementedError


_contributions = []


def register(contribution_class):
    _contributions.append(contribution_class())
    return contribution_class


class _Parts:
    """Every app's parts, by key, in the page's order."""

    def _all(self):
        parts = (part for contribution in _contributions for part in contribution.parts)
        return {part.key: part for part in sorted(parts, key=lambda part: part.position)}

    def __iter__(self):
        return iter(self._all())

    def __getitem__(self, key):
        return self._all()[key]

    def __contains__(self, key):
        return key in self._all()

    def values(self):
        return self._all().values()


PARTS = _Parts()


@dataclass
class Holding:
    part: Part
    held: list

    # The page names the first of what a part holds and counts the rest: a lead of 80
    # projects hands them all over, but nobody reads 80 lines to decide it.
    SHOWN = 25

    def __len__(self):
        return len(self.held)

    @property
    def shown(self):
        return self.held[: self.SHOWN]

    @property
    def more(self):
        return max(len(self.held) - self.SHOWN, 0)


class Holdings(list):
    """What a person holds now, part by part in the page's order: a query per part,
    whoever the person is."""

    def counts(self):
        return {holding.part.key: len(holding) for holding in self}

    def nonempty(self):
        return [holding for holding in self if holding.held]


def holdings_of(person):
    return Holdings(Holding(part, list(part.held(person))) for part in PARTS.values())


@transaction.atomic
def hand_over(person, successor, parts, *, by, leaves=False):
    """Give `successor` what `person` holds of `parts` (keys), as it is now: each app moves
    its own records. Returns {part: how many moved}. Projects need a successor with an agent
    profile; the form checks that first."""
    moved = {}
    chosen = set(parts)
    for contribution in sorted(_contributions, key=lambda c: min(p.position for p in c.parts)):
        mine = [part.key for part in contribution.parts if part.key in chosen]
        if mine:
            moved.update(contribution.hand_over(person, successor, mine, by=by))
    if leaves:
        # Someone who leaves no longer signs in; their user stays, so the history that
        # names them (projects, minutes, assessments) keeps its people.
        Agent.objects.filter(user=person).update(is_active=False)
        User.objects.filter(pk=person.pk).update(is_active=False)
    return {key: moved[key] for key in PARTS if key in moved}


# The network's own parts.

SYSTEM_ROLES = "system_roles"
MANAGED_AGENTS = "managed_agents"


@register
class NetworkHandOver(Contribution):
    parts = (
        Part(
            SYSTEM_ROLES, _("Roles for systems"), 10,
            held=lambda person: SystemRole.objects.filter(user=person)
            .select_related("system").order_by("system__name", "role"),
            template="agents/_handover.html#system_roles",
        ),
        Part(
            MANAGED_AGENTS, _("Manager of agents"), 90,
            held=lambda person: Agent.objects.active().filter(manager=person)
            .select_related("user"),
            template="agents/_handover.html#managed_agents",
        ),
    )

    def hand_over(self, person, successor, chosen, *, by):
        moved = {}
        if SYSTEM_ROLES in chosen:
            moved[SYSTEM_ROLES] = _move_system_roles(person, successor)
        if MANAGED_AGENTS in chosen:
            moved[MANAGED_AGENTS] = _move_managed_agents(person, successor, by=by)
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


def _move_managed_agents(person, successor, *, by):
    # A successor who was one of the person's agents does not become their own manager.
    # Each agent's change is kept and mailed to them (the form refuses `by` as successor).
    agents = (
        Agent.objects.active().filter(manager=person).exclude(user=successor)
        .select_related("user")
    )
    return sum(
        services.change_manager(agent, successor, by=by, how=ManagerChange.How.HAND_OVER)
        is not None
        for agent in agents
    )
