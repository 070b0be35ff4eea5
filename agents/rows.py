"""The rows of the directory of agents, the department list, the system list and the
capacity overview, written at once: the templates' loops took some 300 function calls a
row. The rows are the same HTML as the loops wrote (agentnet.tables writes the cells)."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from agentnet.links import links
from agentnet.markup import escaped, link
from agentnet.tables import table_rows

register = template.Library()


def _no_agent():
    """The badge of a department without an agent."""
    text = _("No agent")  # outside the f-string, where makemessages finds it
    return f'<span class="badge badge-missing">{escaped(text)}</span>'


@register.filter
def agent_rows(agents):
    """{{ agents|agent_rows }}: for each agent read by Agent.objects.for_list() and given
    their roles by with_superuser_roles(), their name linked to their page, job title,
    department linked, town, time as agent and the systems they are superuser of, linked."""
    return table_rows(
        (
            link(agent.get_absolute_url(), agent.user),
            agent.title,
            link(agent.department.get_absolute_url(), agent.department),
            agent.location,
            (f"{agent.time_share} %", "text-end"),
            links((role.system.get_absolute_url(), role.system.name)
                  for role in agent.user.superuser_roles),
        )
        for agent in agents
    )


@register.filter
def department_rows(departments):
    """{{ departments|department_rows }}: for each department of the department list (with
    its agent_count and shown_agents, agents/views.py), its name linked and the department
    it is part of, its kind, its number of agents and the first of them linked, or a badge
    where it has none."""
    no_agent = _no_agent()
    rows = []
    for department in departments:
        url = department.get_absolute_url()
        name = link(url, department)
        if department.parent:
            part_of = _("part of %(parent)s") % {"parent": department.parent}
            name = f'{name}<br><small class="text-body-secondary">{escaped(part_of)}</small>'
        agents = links(department.shown_agents) if department.shown_agents else no_agent
        rows.append((
            mark_safe(name),  # noqa: S308 - escaped above
            department.get_kind_display(),
            (department.agent_count, "text-end"),
            _see_all(agents, department.agent_count, len(department.shown_agents), url),
        ))
    return table_rows(rows)


def _see_all(html, count, shown, url):
    """`html` (the first `shown` of `count` people), and a link to all of them where there
    are more."""
    if count > shown:
        see_all = _("see all %(count)s") % {"count": count}
        html = f"{html} … {link(url, see_all)}"
    return mark_safe(html)  # noqa: S308 - escaped where it is made


def _names(names, count, url):
    return _see_all(", ".join(escaped(name) for name in names) or "–", count, len(names), url)


@register.filter
def system_rows(systems):
    """{{ systems|system_rows }}: for each system of the system list (with its counts and
    shown names, agents/views.py), its name linked, vendor, owning department, and the
    first of its superusers and IT contacts."""
    rows = []
    for system in systems:
        url = system.get_absolute_url()
        rows.append((
            link(url, system.name),
            system.vendor,
            system.owner_department,
            _names(system.shown_superusers, system.superuser_count, url),
            _names(system.shown_it_contacts, system.it_contact_count, url),
        ))
    return table_rows(rows)


@register.filter
def capacity_rows(departments):
    """{{ departments|capacity_rows }}: for each department of the capacity overview (with
    its agent_count and fte, agents/services.py), its name linked (marked where it has no
    agent), its number of agents and their full-time equivalents."""
    no_agent = f" {_no_agent()}"
    return table_rows(
        (
            mark_safe(  # noqa: S308 - escaped where it is made
                link(department.get_absolute_url(), department)
                + ("" if department.agent_count else no_agent)
            ),
            (department.agent_count, "text-end"),
            (floatformat(department.fte, 2), "text-end"),
        )
        for department in departments
    )
