"""Who may do what in the network app. Views, templates and the admin all ask here."""

from django.core.exceptions import ObjectDoesNotExist

from agentnet.prepared import by_pk
from agents.models import Agent

FACILITATOR = "Facilitator"
MANAGER = "Leder"


# The groups that give a role in AgentNet.
ROLES = (FACILITATOR, MANAGER)


def roles_of(user):
    """Which of ROLES the user has, by their groups: read once per request, with the user
    itself where the sign-in backend read it (agents/backends.py), and kept on the user."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_agentnet_roles", None)
    if cached is None:
        cached = frozenset(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        user._agentnet_roles = cached
    return cached


def is_facilitator(user):
    return FACILITATOR in roles_of(user)


def is_manager(user):
    return MANAGER in roles_of(user)


def can_manage_network(user):
    """Departments, towns, systems, roles and agents' assignments are the facilitator's."""
    return is_facilitator(user)


def can_edit_agent(user, agent):
    """An agent edits their own profile; the facilitator edits everyone's."""
    return user.is_authenticated and (agent.user_id == user.pk or is_facilitator(user))


def can_edit_agent_assignment(user, agent):
    """Department, manager and active status are set by the facilitator only."""
    return is_facilitator(user)


# What a user read otherwise than by the sign-in backend carries: nothing known yet.
_UNKNOWN = object()


def is_agent(user):
    """Whether the user has an agent profile (active or not). The sign-in backend reads
    this with the user (agents/backends.py), so asking costs no query."""
    if not user.is_authenticated:
        return False
    known = getattr(user, "_agentnet_agent_id", _UNKNOWN)
    return agent_of(user) is not None if known is _UNKNOWN else known is not None


def agent_of(user):
    """The user's agent profile or None, fetched once per request (and not at all for a
    user that the sign-in backend read without one)."""
    if not user.is_authenticated:
        return None
    known = getattr(user, "_agentnet_agent_id", _UNKNOWN)
    if known is None:
        return None
    if not hasattr(user, "_agentnet_agent"):
        if known is _UNKNOWN:
            # The reverse one-to-one: a look-up by the unique user id, without the join and
            # sort that Agent's default ordering (by the user's name) would add.
            try:
                user._agentnet_agent = user.agent
            except ObjectDoesNotExist:
                user._agentnet_agent = None
        else:
            # By the id the backend read, with a query compiled once; it may have gone since.
            agent = _AGENT.one(pk=known)
            if agent is not None:
                agent.user = user
            user._agentnet_agent = agent
    return user._agentnet_agent


_AGENT = by_pk(Agent)


def can_hand_over_roles(user):
    """Moving all of a person's roles to someone else: the facilitator only."""
    return is_facilitator(user)
