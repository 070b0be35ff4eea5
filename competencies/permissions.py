"""Assessments are personnel data: only the agent and the manager of that round see them.

Anyone else asking for an assessment gets a 404, so its existence is not revealed."""

from django.http import Http404

from agents.permissions import is_agent, is_facilitator, is_manager


def role_in(user, assessment):
    """"agent", "manager" or None for this user and this assessment."""
    if assessment.agent.user_id == user.pk:
        return "agent"
    if assessment.manager_id == user.pk and assessment.status != "draft":
        return "manager"
    return None


def check_can_see(user, assessment):
    role = role_in(user, assessment)
    if role is None:
        raise Http404
    return role


def sees_review(role, assessment):
    """The manager's part (levels, comments, summary, the goals and courses agreed) reaches
    the agent only once the assessment is closed: never a review still being written."""
    return role == "manager" or assessment.status == "closed"


def agent_may_edit(assessment):
    return assessment.status == "draft"


def manager_may_edit(assessment):
    return assessment.status in ("sent", "reviewed")


def can_manage_rounds(user):
    """Open MUS rounds, see who has sent (not what), and the network's coverage."""
    return is_facilitator(user)


def can_see_team(user):
    return is_manager(user)


def has_own_assessments(user):
    return is_agent(user)
