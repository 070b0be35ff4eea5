"""Links to an object's page, for lists that show hundreds of them.

`reverse()` walks the URL resolver on every call (about 30 µs): on a page listing 40
departments with their agents, that was a fifth of the page's time. The address of a
view that takes one id differs between ids only in the id, so the rest is reversed once
per view, URLconf and script prefix, and kept. The site's addresses are the same in every
language and no request sets a URLconf of its own (tests/test_links.py holds both true).
"""

from functools import lru_cache

from django import template
from django.conf import settings
from django.urls import get_script_prefix, reverse
from django.utils.safestring import mark_safe

from agentnet.markup import link

register = template.Library()

MARK = 987654321987  # stands for the id while the address is reversed


@lru_cache(maxsize=512)
def _around_id(view_name, urlconf, prefix):
    # `prefix` is part of the key only: reverse() reads it itself.
    url = reverse(view_name, urlconf=urlconf, args=[MARK])
    head, mark, tail = url.partition(str(MARK))
    if not mark or str(MARK) in tail:
        raise ValueError(f"{view_name} does not take its id as one path segment")
    return head, tail


def url_of(view_name, pk):
    """reverse(view_name, args=[pk]) for a view that takes an integer id."""
    head, tail = _around_id(view_name, settings.ROOT_URLCONF, get_script_prefix())
    return f"{head}{int(pk)}{tail}"


@register.filter
def links(items, empty="–"):
    """{{ objects|links }}: each object as a link to its page (get_absolute_url(), named by
    str()), separated by commas; `empty` when there are none. Items may also be (address,
    name) pairs. Written once here instead of a {% for %} with a {% if not forloop.last %}
    in each list, which took the template engine a dozen steps per name."""
    pairs = [
        item if isinstance(item, tuple) else (item.get_absolute_url(), str(item))
        for item in items
    ]
    if not pairs:
        return empty
    # Escaped here rather than by format_html_join, whose lazy-text checks took longer
    # than the escaping on a list of departments with their agents.
    return mark_safe(  # noqa: S308 - every address and name is escaped
        ", ".join(link(url, name) for url, name in pairs)
    )
