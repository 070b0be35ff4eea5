"""Dates and times as the pages show them, each formatted once.

Django's `date` and `time` filters look up the language's format and split the format
string with a regular expression on every call, about 10 µs each: a project's page shows
some forty dates and an erfa-day's some eighty, a twentieth of the page's time. What they
return depends only on the value, its time zone, the format and the language, so the
result is kept (a few thousand of them, least recently used first out).

The filters here take the place of Django's own in every template (the `builtins` of the
TEMPLATES setting) and return exactly what Django's would (tests/test_dates.py); Python
code that formats a date for a page calls them too.
"""

from functools import lru_cache

from django import template
from django.template import defaultfilters
from django.utils.translation import get_language

register = template.Library()

FORMATTERS = {"date": defaultfilters.date, "time": defaultfilters.time}


@lru_cache(maxsize=4096)
def _remembered(kind, value, tzinfo, format, language):
    # `tzinfo` and `language` are part of the key only: two aware datetimes of the same
    # instant are equal whatever their zone, and the formatter reads the active language.
    return FORMATTERS[kind](value, format)


def _formatted(kind, value, format):
    try:
        return _remembered(kind, value, getattr(value, "tzinfo", None), format, get_language())
    except TypeError:  # a value that cannot be a key: formatted every time
        return FORMATTERS[kind](value, format)


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    """Django's `date` filter, remembered."""
    return _formatted("date", value, arg)


@register.filter(expects_localtime=True, is_safe=False)
def time(value, arg=None):
    """Django's `time` filter, remembered."""
    return _formatted("time", value, arg)
