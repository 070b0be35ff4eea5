"""Who may do what with projects. Views, templates and the admin all ask here."""

from agents.permissions import is_agent, is_facilitator


def is_on_team(user, project):
    """Lead or co-agent. Uses the prefetched co-agents of for_detail()."""
    return project.lead.user_id == user.pk or any(
        a.user_id == user.pk for a in project.co_agents.all()
    )


def can_edit_project(user, project):
    """The lead agent, the co-agents and the facilitator edit a project."""
    return user.is_authenticated and (is_facilitator(user) or is_on_team(user, project))


def can_create_project(user):
    return is_agent(user) or is_facilitator(user)


def can_add_update(user, project):
    """Agents comment on any project through updates; the facilitator too."""
    return is_agent(user) or is_facilitator(user)


def can_choose_lead(user):
    return is_facilitator(user)


def can_record_idea(user):
    return is_agent(user) or is_facilitator(user)


def can_edit_idea(user, idea):
    return user.is_authenticated and (idea.recorded_by_id == user.pk or is_facilitator(user))


def can_see_strategy(user):
    """The strategy page is made for the facilitator and the managers, and the agents read
    it too. It adds up project figures that everyone signed in reads on the project list
    already and names no person, so nobody signed in is kept from it."""
    return user.is_authenticated
