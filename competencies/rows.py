"""The rows of a manager's list of their agents' assessments, written at once: the
template's loop took some 270 function calls a row. The rows are the same HTML as the loop
wrote (agentnet.tables writes the cells)."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from agentnet.markup import escaped, link
from agentnet.tables import table_rows
from competencies.models import Assessment

register = template.Library()


@register.filter
def assessment_rows(assessments):
    """{{ assessments|assessment_rows }}: for each assessment, the agent (linked to the
    assessment once the agent has sent it) and their department, the MUS round, and the
    status, marked while the agent has not sent it yet."""
    not_sent = _("not sent yet")  # outside the f-string, where makemessages finds it
    not_sent = f' <small>({escaped(not_sent)})</small>'
    rows = []
    for assessment in assessments:
        agent = assessment.agent
        draft = assessment.status == Assessment.Status.DRAFT
        name = escaped(agent.user) if draft else link(assessment.get_absolute_url(), agent.user)
        rows.append((
            mark_safe(  # noqa: S308 - escaped here
                f'{name}<br><small class="fw-normal">{escaped(agent.department)}</small>'
            ),
            assessment.round,
            mark_safe(  # noqa: S308 - escaped here
                escaped(assessment.get_status_display()) + (not_sent if draft else "")
            ),
        ))
    return table_rows(rows)
