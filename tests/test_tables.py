"""agentnet.tables: table rows written at once, escaped as the template would escape them."""

from django.template import engines
from django.utils.html import format_html

from agentnet.tables import table_rows


def test_rows_with_a_header_cell_escaped_safe_and_empty_cells():
    badge = format_html('<span class="badge">{}</span>', "I brug")
    rows = [("Skole & SFO", badge, "01.02.2026", None, '<script>"x"</script>'), ("Jura", "", 0)]

    assert table_rows(rows) == (
        '<tr><th scope="row">Skole &amp; SFO</th><td><span class="badge">I brug</span></td>'
        "<td>01.02.2026</td><td>–</td><td>&lt;script&gt;&quot;x&quot;&lt;/script&gt;</td></tr>"
        '<tr><th scope="row">Jura</th><td>–</td><td>0</td></tr>'
    )


def test_what_empty_cells_show_is_escaped_too():
    assert table_rows([("a", None)], "<none>") == (
        '<tr><th scope="row">a</th><td>&lt;none&gt;</td></tr>'
    )


def test_same_text_as_the_template_would_write():
    rows = [("Ældre & Sundhed", "Kaj O'Neill", "1 < 2")]
    template = engines["django"].from_string(
        "{% for a, b, c in rows %}<tr><th scope=\"row\">{{ a }}</th><td>{{ b }}</td>"
        "<td>{{ c }}</td></tr>{% endfor %}|{% load tables %}{{ rows|table_rows }}"
    )
    by_loop, by_filter = template.render({"rows": rows}).split("|")
    assert by_loop == by_filter


def test_a_cell_with_a_class_of_its_own():
    assert table_rows([("Anna", ("25 %", "text-end"), (None, "text-end"))]) == (
        '<tr><th scope="row">Anna</th><td class="text-end">25 %</td>'
        '<td class="text-end">–</td></tr>'
    )
