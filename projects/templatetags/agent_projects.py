"""The projects an agent leads or works on, for the agent's page.

The agent's page belongs to agents, which knows nothing of projects; projects lends it
this list through the template, so that the apps import only downward."""

from django import template

from projects.models import Project

register = template.Library()

AGENT_PROJECTS_SHOWN = 20


@register.inclusion_tag("projects/_agent_projects.html")
def agent_projects(agent):
    projects = Project.objects.of_agent(agent.pk).order_by("-last_activity_at")
    return {"agent": agent, "projects": projects[:AGENT_PROJECTS_SHOWN]}
