"""The round's departments as HTML, written here rather than by the template engine.

An erfa-day's round lists every department, the projects with news and each update: some
120 lines, which the template's loops, conditions and variables took a third of the
erfa-day's page to write. Every value is escaped as the template would have escaped it
(the standard library's html.escape, which Django's escape also uses); tests/meetings
holds the page's text and markup.
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from agentnet.markup import link
from projects.models import ProjectUpdate

register = template.Library()

HEADINGS = {"h2", "h3", "h4", "h5", "h6"}


@register.filter
def departments(round, heading="h4"):
    """{{ round|departments:"h4" }}: each department of a round compiled by
    meetings.services.compile_round, under a heading of that level, with its projects and
    their updates, problems and updates brought to the erfa-day in bold."""
    if heading not in HEADINGS:
        raise ValueError(f"not a heading below the page's title: {heading!r}")
    # Translated outside the f-strings, where makemessages finds them.
    for_erfa, nothing_new = escape(_("For the erfa-day")), escape(_("Nothing new."))
    badge = f' <span class="badge badge-erfa">{for_erfa}</span>'
    nothing = f'<p class="text-body-secondary mb-1">{nothing_new}</p>'
    parts = []
    for department in round["departments"]:
        parts.append(f'<{heading} class="h6 mt-3 mb-1">{escape(department["name"])}</{heading}>')
        if not department["projects"]:
            parts.append(nothing)
            continue
        parts.append("<ul>")
        for project in department["projects"]:
            parts.append(
                f'<li>{link(project["url"], project["title"])}'
                f' ({escape(project["lead"])})<ul>'
            )
            for update in project["updates"]:
                label = escape(update["kind_label"])
                if update["kind"] == ProjectUpdate.Kind.PROBLEM or update["for_erfa"]:
                    label = f"<strong>{label}</strong>"
                parts.append(
                    f'<li class="round-{escape(update["kind"])}">{label}'
                    f'{badge if update["for_erfa"] else ""}, {escape(update["date"])}:'
                    f' {escape(update["text"])}</li>'
                )
            parts.append("</ul></li>")
        parts.append("</ul>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
