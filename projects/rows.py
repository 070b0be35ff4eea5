"""The rows of a list of projects (the project list, a strategy goal's page), written at
once: the template's loop took some 440 function calls a row, more than a third of the
project list's time. The rows are the same HTML as projects/_status.html and the loop
wrote (agentnet.tables writes the cells)."""

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from agentnet import dates
from agentnet.markup import escaped, link
from agentnet.tables import table_rows

register = template.Library()


@register.filter
def project_rows(projects):
    """{{ projects|project_rows }}: for each project of a list read by
    Project.objects.for_list() and given its names by with_name_lists(), its title linked
    to its page, its status (and whether it is stale), its lead agent, the departments it
    serves, its types and the day of its last activity."""
    stale = _("Stale")  # outside the f-string, where makemessages finds it
    stale = f' <span class="badge badge-stale">{escaped(stale)}</span>'
    rows = []
    for project in projects:
        status = (
            f'<span class="badge status-{escaped(project.status)}">'
            f"{escaped(project.get_status_display())}</span>{stale if project.is_stale else ''}"
        )
        rows.append((
            link(project.get_absolute_url(), project.title),
            mark_safe(status),  # noqa: S308 - escaped here
            str(project.lead.user),
            ", ".join(str(department) for department in project.department_list),
            ", ".join(str(kind) for kind in project.type_list),
            dates.date(timezone.localtime(project.last_activity_at), "SHORT_DATE_FORMAT"),
        ))
    return table_rows(rows)
