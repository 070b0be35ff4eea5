"""Who may do what with erfa-days."""

from django.utils import timezone

from agents.permissions import is_agent, is_facilitator
from meetings.models import Meeting

# A given-up mail is shown and sent again while the erfa-day is ahead and published, or
# cancelled (the cancellation must still reach whoever would come).
MAILS_RESENT_WHEN = (Meeting.Status.PUBLISHED, Meeting.Status.CANCELLED)


def can_manage_meetings(user):
    """Build agendas, publish, cancel, write minutes: the facilitator only."""
    return is_facilitator(user)


def can_see_meeting(user, meeting):
    return meeting.is_visible_to_agents or can_manage_meetings(user)


def can_download_material(user, item):
    """An item's material is for whoever may see its erfa-day."""
    return can_see_meeting(user, item.meeting)


def can_download_calendar(user, meeting):
    """An erfa-day's calendar file, for whoever may see it once it is published: a draft
    may still move, and nobody is invited to it."""
    return meeting.is_visible_to_agents and can_see_meeting(user, meeting)


def can_answer(user, meeting):
    """Agents answer the invitation for themselves while the erfa-day is ahead."""
    return is_agent(user) and meeting.status == meeting.Status.PUBLISHED


def can_propose_topic(user):
    return is_agent(user) or is_facilitator(user)


def can_tick_action(user, action):
    return action.owner_id == user.pk or is_facilitator(user)


def can_resend_mails(user, meeting):
    """The facilitator sees the erfa-day's mails that could not be sent, and sends them
    again, while it is ahead."""
    return (
        can_manage_meetings(user)
        and meeting.status in MAILS_RESENT_WHEN
        and meeting.date >= timezone.localdate()
    )
