"""agentnet.dates: the date and time filters return what Django's own return, in every
language and time zone, though each result is kept; templates use them without a {% load %}."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.template import defaultfilters, engines
from django.utils import timezone, translation

from agentnet import dates

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
REYKJAVIK = ZoneInfo("Atlantic/Reykjavik")  # UTC all year

VALUES = [
    date(2026, 11, 28),
    date(2026, 2, 1),
    datetime(2026, 3, 29, 0, 30, tzinfo=UTC),  # the night the clocks go forward
    datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # the night they go back
    datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
    datetime(2026, 7, 1, 9, 5),  # naive
    time(8, 30),
]
FORMATS = [None, "SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT", "DATE_FORMAT", "l j. F Y", "H:i T"]


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize("zone", [COPENHAGEN, REYKJAVIK])
def test_same_as_django(language, zone):
    with translation.override(language), timezone.override(zone):
        for value in VALUES:
            local = timezone.localtime(value) if isinstance(value, datetime) and (
                timezone.is_aware(value)
            ) else value
            for fmt in FORMATS:
                for ours, django in ((dates.date, defaultfilters.date),
                                     (dates.time, defaultfilters.time)):
                    # Twice: formatted, then kept.
                    for _ in range(2):
                        assert _outcome(ours, local, fmt) == _outcome(django, local, fmt)


def _outcome(formatter, value, fmt):
    """The text, or the kind of error (a date with a time's format, say)."""
    try:
        return formatter(value, fmt)
    except (TypeError, AttributeError) as error:
        return type(error)


def test_a_kept_result_follows_the_language():
    day = date(2026, 5, 14)
    with translation.override("da"):
        assert dates.date(day, "j. F Y") == "14. maj 2026"
    with translation.override("en"):
        assert dates.date(day, "j. F Y") == "14. May 2026"
    with translation.override("da"):
        assert dates.date(day, "SHORT_DATE_FORMAT") == "14.05.2026"


def test_the_same_instant_in_two_zones_is_two_results():
    instant = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    assert dates.time(instant.astimezone(COPENHAGEN), "H:i") == "14:00"
    assert dates.time(instant.astimezone(REYKJAVIK), "H:i") == "12:00"


def test_empty_and_odd_values_as_django():
    for value in (None, "", "not a date", 42, ["unhashable"]):
        assert dates.date(value, "SHORT_DATE_FORMAT") == defaultfilters.date(
            value, "SHORT_DATE_FORMAT"
        )
        assert dates.time(value, "H:i") == defaultfilters.time(value, "H:i")


def test_templates_use_them_without_loading():
    template = engines["django"].from_string(
        '{{ day|date:"SHORT_DATE_FORMAT" }} {{ moment|time:"H:i" }}'
    )
    dates._remembered.cache_clear()
    with translation.override("da"), timezone.override(COPENHAGEN):
        rendered = template.render(
            {"day": date(2026, 1, 2), "moment": datetime(2026, 1, 2, 8, 15, tzinfo=UTC)}
        )
    assert rendered == "02.01.2026 09:15"
    # The aware time was turned into local time before the filter, as with Django's.
    assert dates._remembered.cache_info().currsize == 2
