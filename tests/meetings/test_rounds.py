"""meetings.rounds: the round's departments as HTML, every value escaped."""

import pytest
from django.utils import translation

from meetings.rounds import departments

ROUND = {
    "since": "01.11.2026",
    "capped": False,
    "departments": [
        {
            "name": "Jobcenter & Ydelse",
            "projects": [
                {
                    "title": "Sms <påmindelser>",
                    "url": "/projekter/7/",
                    "lead": "Kaj O'Neill",
                    "updates": [
                        {"kind": "problem", "kind_label": "Problem", "text": 'Kører "ikke"',
                         "for_erfa": False, "date": "20.11.2026", "author": "A"},
                        {"kind": "progress", "kind_label": "Fremdrift", "text": "<b>Godt</b>",
                         "for_erfa": True, "date": "21.11.2026", "author": "B"},
                        {"kind": "progress", "kind_label": "Fremdrift", "text": "Stille",
                         "for_erfa": False, "date": "22.11.2026", "author": "C"},
                    ],
                }
            ],
        },
        {"name": "Økonomi", "projects": []},
    ],
}


def test_departments_projects_and_updates_escaped():
    with translation.override("da"):
        html = departments(ROUND, "h3")

    assert html == (
        '<h3 class="h6 mt-3 mb-1">Jobcenter &amp; Ydelse</h3><ul>'
        '<li><a href="/projekter/7/">Sms &lt;påmindelser&gt;</a> (Kaj O&#x27;Neill)<ul>'
        '<li class="round-problem"><strong>Problem</strong>, 20.11.2026:'
        " Kører &quot;ikke&quot;</li>"
        '<li class="round-progress"><strong>Fremdrift</strong>'
        ' <span class="badge badge-erfa">Til erfa-dagen</span>, 21.11.2026:'
        " &lt;b&gt;Godt&lt;/b&gt;</li>"
        '<li class="round-progress">Fremdrift, 22.11.2026: Stille</li>'
        "</ul></li></ul>"
        '<h3 class="h6 mt-3 mb-1">Økonomi</h3>'
        '<p class="text-body-secondary mb-1">Intet nyt.</p>'
    )


def test_in_english():
    with translation.override("en"):
        html = departments(ROUND)
    assert '<h4 class="h6 mt-3 mb-1">Økonomi</h4>' in html
    assert "Nothing new." in html and "For the erfa-day" in html


@pytest.mark.parametrize("heading", ["h1", "div", "h4 onclick=x", ""])
def test_only_a_heading_below_the_title(heading):
    with pytest.raises(ValueError, match="heading"):
        departments(ROUND, heading)
