"""The directory's rows of agents, written at once: the template's loop took some 300
function calls a row. The rows are the same HTML as the loop wrote (agentnet.tables writes
the cells)."""

from django import template
from django.utils.safestring import mark_safe

from agentnet.links import links
from agentnet.markup import escaped
from agentnet.tables import table_rows

register = template.Library()


def _link(url, name):
    return mark_safe(f'<a href="{escaped(url)}">{escaped(name)}</a>')  # noqa: S308 - escaped


@register.filter
def agent_rows(agents):
    """{{ agents|agent_rows }}: for each agent read as Agent.objects.for_list() reads them,
    their name linked to their page, job title, department linked, town, time as agent and
    the systems they are superuser of, linked."""
    return table_rows(
        (
            _link(agent.get_absolute_url(), agent.user),
            agent.title,
            _link(agent.department.get_absolute_url(), agent.department),
            agent.location,
            (f"{agent.time_share} %", "text-end"),
            links((role.system.get_absolute_url(), role.system.name)
                  for role in agent.user.superuser_roles),
        )
        for agent in agents
    )
