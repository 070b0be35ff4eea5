"""Table rows written at once, for tables of dozens of rows.

Each `{{ variable }}` costs the template engine some twenty steps (look-up, localisation,
escaping): a row of six cells in a {% for %} took a project's rollout across forty
departments a seventh of the page's time. The view hands over each row's cells as text,
and `table_rows` writes them, escaping as the template would have (the standard library's
html.escape, which Django's escape also uses).
"""

from django import template
from django.utils.safestring import mark_safe

from agentnet.markup import escaped

register = template.Library()


def _text(value, empty):
    return empty if value is None or value == "" else escaped(value)


def _cell(value, empty):
    """A <td>: `value`, or (value, CSS class) for a cell of its own look."""
    css = ""
    if isinstance(value, tuple):
        value, css = value
        css = f' class="{escaped(css)}"'
    return f"<td{css}>{_text(value, empty)}</td>"


@register.filter
def table_rows(rows, empty="–"):
    """{{ rows|table_rows }}: a <tr> for each sequence of cells in `rows`, the first cell a
    row header (<th scope="row">). A cell is escaped unless it is marked safe (a badge made
    with format_html, say); an empty one (None or "") shows `empty`; a cell given as
    (value, CSS class) has that class (e.g. "text-end" for a number)."""
    empty = escaped(empty)
    html = []
    for header, *cells in rows:
        html.append(f'<tr><th scope="row">{_text(header, empty)}</th>')
        html.extend(_cell(cell, empty) for cell in cells)
        html.append("</tr>")
    return mark_safe("".join(html))  # noqa: S308 - every cell is escaped or already safe
