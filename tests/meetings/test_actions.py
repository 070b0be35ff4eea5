"""meetings.actions: follow-up actions as list items, every value escaped."""

from datetime import date

from django.utils import translation

from meetings.actions import action_items


def test_an_agenda_items_actions_done_or_not_with_owner_and_deadline():
    actions = [
        {"text": "Send <skabelonen>", "owner": "Kaj O'Neill", "deadline": date(2026, 12, 3),
         "done": True},
        {"text": "Ring til IT & Digitalisering", "owner": "", "deadline": None, "done": False},
    ]

    with translation.override("da"):
        html = action_items(actions)

    assert html == (
        "<li>✓ Send &lt;skabelonen&gt; – Kaj O&#x27;Neill, 03.12.2026</li>"
        "<li>Ring til IT &amp; Digitalisering</li>"
    )


def test_an_action_from_an_earlier_erfa_day_links_to_it():
    actions = [
        {"text": "Del skabelonen", "owner": "Åse Ørnbøl", "deadline": date(2026, 3, 26),
         "meeting_url": "/erfa-dage/39/?a=1&b=2", "meeting_date": date(2026, 3, 5)},
    ]

    with translation.override("en"):
        html = action_items(actions)

    assert html == (
        '<li>Del skabelonen – Åse Ørnbøl, 03/26/2026'
        ' (<a href="/erfa-dage/39/?a=1&amp;b=2">03/05/2026</a>)</li>'
    )


def test_no_actions_no_items():
    assert action_items([]) == ""
