"""agentnet.links: url_of builds the same addresses as reverse(), only faster; the links filter
writes a list of links as a {% for %} would."""

import pytest
from django.template import engines
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation
from django.utils.safestring import mark_safe

from agentnet.links import links, url_of
from tests.test_permission_matrix import _url_patterns

VIEWS_BY_ID = [
    "agents:agent",
    "agents:department",
    "agents:system",
    "projects:detail",
    "projects:goal",
    "projects:idea",
    "meetings:detail",
    "competencies:framework",
    "competencies:assessment",
]


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize("view_name", VIEWS_BY_ID)
def test_same_address_as_reverse(view_name, language):
    with translation.override(language):
        for pk in (1, 42, 10**12):
            assert url_of(view_name, pk) == reverse(view_name, args=[pk])


def test_follows_the_script_prefix():
    try:
        set_script_prefix("/agentnet/")
        assert url_of("agents:agent", 7) == "/agentnet/netvaerk/agenter/7/"
    finally:
        set_script_prefix("/")
    assert url_of("agents:agent", 7) == "/netvaerk/agenter/7/"


def test_takes_only_an_integer_id():
    with pytest.raises(ValueError):
        url_of("agents:agent", "7/../../admin")
    with pytest.raises(NoReverseMatch):
        url_of("meetings:index", 7)


def test_addresses_are_the_same_in_every_language():
    """url_of keeps one address per view for all languages: true while no route is
    translated (no i18n_patterns, no gettext in a route)."""
    routes = {}
    for language in ("da", "en"):
        with translation.override(language):
            routes[language] = list(_url_patterns())
    assert routes["da"] == routes["en"]


@pytest.mark.django_db
def test_links_writes_each_object_as_a_link_and_escapes_names():
    from tests import factories

    first = factories.DepartmentFactory(name="Jobcenter & Ydelse")
    second = factories.DepartmentFactory(name="<b>IT</b>")
    template = engines["django"].from_string(
        "{% load links %}{{ departments|links }}|{{ none|links }}|{{ pairs|links }}"
    )

    html = template.render({
        "departments": [first, second], "none": [],
        "pairs": [("/a/?x=1&y=2", "Anna"), ("/b/", "Bo")],
    })

    assert html == (
        f'<a href="{first.get_absolute_url()}">Jobcenter &amp; Ydelse</a>, '
        f'<a href="{second.get_absolute_url()}">&lt;b&gt;IT&lt;/b&gt;</a>|–|'
        '<a href="/a/?x=1&amp;y=2">Anna</a>, <a href="/b/">Bo</a>'
    )
    assert links([], "none") == "none"
    # A name marked safe is written as it is, as the template would write it.
    assert links([("/c/", mark_safe("<em>C</em>"))]) == '<a href="/c/"><em>C</em></a>'
