"""Who may do what in the network app. Views, templates and the admin all ask here."""

from agents.models import FACILITATOR, MANAGER


def roles_of(user):
    """Which of FACILITATOR and MANAGER the user has, by their groups (User.access)."""
    if not user.is_authenticated:
        return frozenset()
    return user.access.roles


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


def is_agent(user):
    """Whether the user has an agent profile (active or not)."""
    return agent_of(user) is not None


def agent_of(user):
    """The user's agent profile or None, read with their roles (User.access)."""
    if not user.is_authenticated:
        return None
    return user.access.agent


def can_hand_over_roles(user):
    """Moving all of a person's roles to someone else: the facilitator only."""
    return is_facilitator(user)


def can_see_new_users(user):
    """The list of people new by single sign-on, to make agents of: the facilitator's."""
    return is_facilitator(user)


def can_see_kitos_runs(user):
    """How the sync with KITOS went, and whom it could not find: the facilitator's."""
    return is_facilitator(user)
