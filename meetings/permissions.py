"""Who may do what with erfa-days."""

from agents.permissions import agent_of, is_facilitator


def can_manage_meetings(user):
    """Build agendas, publish, cancel, write minutes: the facilitator only."""
    return is_facilitator(user)


def can_see_meeting(user, meeting):
    return meeting.is_visible_to_agents or can_manage_meetings(user)


def can_answer(user, meeting):
    """Agents answer the invitation for themselves while the erfa-day is ahead."""
    return agent_of(user) is not None and meeting.status == meeting.Status.PUBLISHED


def can_propose_topic(user):
    return agent_of(user) is not None or is_facilitator(user)


def can_tick_action(user, action):
    return action.owner_id == user.pk or is_facilitator(user)
