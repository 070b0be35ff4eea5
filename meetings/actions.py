"""Follow-up actions as HTML list items, written here rather than by a template loop.

An erfa-day's page lists the open actions carried over from earlier erfa-days (up to
EARLIER_ACTIONS_SHOWN) and each agenda item's actions: the template's loop with its
conditions and a date filter took some fifty steps a line. Every value is escaped as the
template would have escaped it; tests/meetings/test_actions.py holds the markup.
"""

from django import template
from django.utils.safestring import mark_safe

from agentnet import dates
from agentnet.markup import escaped, link

register = template.Library()


@register.filter
def action_items(actions):
    """{{ actions|action_items }}: an <li> per action, each a dict as meetings.views reads
    them: its text, owner's name ("" for none) and deadline (or None); ✓ before one that is
    done; and, for one from an earlier erfa-day, a link to it (meeting_url, meeting_date)."""
    lines = []
    for action in actions:
        line = ["<li>✓ " if action.get("done") else "<li>", escaped(action["text"])]
        if action["owner"]:
            line.append(f" – {escaped(action['owner'])}")
        if action["deadline"]:
            line.append(f", {_short(action['deadline'])}")
        if action.get("meeting_url"):
            line.append(f" ({link(action['meeting_url'], _short(action['meeting_date']))})")
        line.append("</li>")
        lines.append("".join(line))
    return mark_safe("".join(lines))  # noqa: S308 - every value above is escaped


def _short(day):
    return escaped(dates.date(day, "SHORT_DATE_FORMAT"))
