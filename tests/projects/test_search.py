"""The search page: what a hit of each kind shows, names matched as written, and (on
PostgreSQL) Danish stemming, ranking and the stored vectors with their indexes."""

from datetime import datetime

import pytest
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection, transaction
from django.db.models import F, TextField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from agents.models import Agent
from projects import search
from projects.models import Idea
from tests import factories

pytestmark = pytest.mark.django_db

postgres = connection.vendor == "postgresql"
postgres_only = pytest.mark.skipif(not postgres, reason="full-text search on PostgreSQL")


def found(response, kind):
    """The pks of the hits of one kind on the page, in the order shown."""
    (group,) = [group for group in response.context["results"] if group.kind == kind]
    return [hit.pk for hit in group.hits]


@pytest.fixture
def network(agent, other_agent):
    """One row of each kind with the word "robot" in its text, and one without."""
    department = factories.DepartmentFactory(name="Borgerservice")
    project = factories.ProjectFactory(
        title="Robot til aktindsigt", lead=agent, status="running"
    )
    factories.ProjectFactory(title="Sms-påmindelser", lead=other_agent)
    update = factories.ProjectUpdateFactory(
        project=project, text="Robotten kører nu hver nat.", author=None,
        created_at=timezone.make_aware(datetime(2026, 3, 4, 12)),
    )
    Idea.objects.create(text="En robot der svarer på mails", department=department)
    factories.SystemFactory(name="Robotplatform", vendor="Robo A/S", description="Robot")
    robot_agent = factories.AgentFactory(
        user__first_name="Rikke", user__last_name="Holm", title="Robotansvarlig",
        bio="Jeg bygger robotter.", department=department,
    )
    return {"project": project, "update": update, "agent": robot_agent}


def test_each_kind_of_hit_links_to_its_page_and_says_what_it_is(agent_client, network):
    response = agent_client.get(reverse("projects:search"), {"q": "robot"})

    page = response.content.decode()
    project, agent = network["project"], network["agent"]
    assert found(response, "projects") == [project.pk]
    assert f'<a href="{project.get_absolute_url()}">Robot til aktindsigt</a>' in page
    assert f"{project.lead.user}, i gang" in page  # the lead and the status, in Danish
    # An update links to its project; an update whose author was deleted shows a dash.
    assert f'<a href="{project.get_absolute_url()}">Robot til aktindsigt</a>: Robotten' in page
    assert "(–, 04.03.2026)" in page
    idea = Idea.objects.get()
    assert f'<a href="{idea.get_absolute_url()}">En robot der svarer på mails</a>' in page
    assert "(Borgerservice)" in page
    assert "Robotplatform</a> (Robo A/S)" in page
    assert (
        f'<a href="{agent.get_absolute_url()}">Rikke Holm</a> – Robotansvarlig, Borgerservice'
        in page
    )
    assert "Jeg bygger robotter." in page  # why the agent was found: the start of the bio
    assert "Sms-påmindelser" not in page


def test_a_project_is_shown_with_the_start_of_its_summary(agent_client, agent):
    factories.ProjectFactory(
        title="Sagsbehandling", summary="En robot henter " + "data " * 40, lead=agent
    )

    page = agent_client.get(reverse("projects:search"), {"q": "robot"}).content.decode()

    assert "En robot henter data" in page
    assert "data …" in page  # shortened to 25 words
    assert "data " * 30 not in page


def test_an_updates_words_find_it_under_its_project(agent_client, project):
    factories.ProjectUpdateFactory(project=project, text="Vi tester robotterne i jobcentret.")
    word = "robotter" if postgres else "robot"

    page = agent_client.get(reverse("projects:search"), {"q": word}).content.decode()

    assert (
        f'<a href="{project.get_absolute_url()}">{project.title}</a>: Vi tester robotterne i '
        f"jobcentret. ({project.lead.user}, {timezone.localdate():%d.%m.%Y})"
    ) in page


def test_a_long_update_is_shortened(agent_client, project):
    factories.ProjectUpdateFactory(project=project, text="Robot " + "x" * 300)

    page = agent_client.get(reverse("projects:search"), {"q": "robot"}).content.decode()

    assert f"Robot {'x' * 153}…" in page
    assert "x" * 160 not in page


@pytest.mark.parametrize("text", ["rikke", "Holm", "RIKKE holm"])
def test_an_agent_is_found_by_name_as_written(agent_client, network, text):
    response = agent_client.get(reverse("projects:search"), {"q": text})

    assert found(response, "agents") == [network["agent"].pk]


@pytest.mark.parametrize("text", ["%%", "_ikke", "R%e"])
def test_like_wildcards_in_the_text_match_only_themselves(agent_client, network, text):
    response = agent_client.get(reverse("projects:search"), {"q": text})

    assert found(response, "agents") == []


def test_an_agent_who_left_is_not_found(agent_client, network):
    Agent.objects.filter(pk=network["agent"].pk).update(is_active=False)

    response = agent_client.get(reverse("projects:search"), {"q": "Rikke"})

    assert found(response, "agents") == []
    assert "Rikke Holm" not in response.content.decode()


def test_each_kind_shows_at_most_its_limit(agent_client, agent):
    projects = factories.ProjectFactory.create_batch(search.LIMIT + 2, title="Robot", lead=agent)

    response = agent_client.get(reverse("projects:search"), {"q": "robot"})

    assert len(found(response, "projects")) == search.LIMIT
    assert f"Projekter ({search.LIMIT})" in response.content.decode()
    if not postgres:  # newest first, where nothing ranks them
        assert found(response, "projects") == [p.pk for p in reversed(projects)][:search.LIMIT]


def test_search_makes_the_same_queries_on_small_and_larger_data(
    agent_client, network, agent, django_assert_num_queries
):
    # The user, then one query per kind; on PostgreSQL one more for each kind that grows
    # (its newest matches).
    queries = 1 + len(search.KINDS) + (2 if postgres else 0)
    agent_client.get(reverse("projects:search"), {"q": "robot"})  # the session is read

    with django_assert_num_queries(queries):
        small = agent_client.get(reverse("projects:search"), {"q": "robot"})
    for _ in range(3):
        project = factories.ProjectFactory(title="Robot", lead=factories.AgentFactory())
        factories.ProjectUpdateFactory(project=project, text="Robot", author=agent.user)
        Idea.objects.create(text="Robot", department=agent.department)
        factories.SystemFactory(name=f"Robot {project.pk}", vendor="Robo")
        factories.AgentFactory(bio="Bygger robotter.")
    with django_assert_num_queries(queries):
        larger = agent_client.get(reverse("projects:search"), {"q": "robot"})

    assert all(group.hits for group in small.context["results"])
    assert len(found(larger, "projects")) == 4
    assert len(found(larger, "agents")) == 4


def test_a_hits_text_is_escaped(agent_client, agent):
    factories.ProjectFactory(title="Robot <b>fed</b> & co", lead=agent)

    page = agent_client.get(reverse("projects:search"), {"q": "robot"}).content.decode()

    assert "Robot &lt;b&gt;fed&lt;/b&gt; &amp; co</a>" in page
    assert "<b>fed</b>" not in page


def test_a_search_that_finds_nothing_says_so_per_kind(agent_client, network):
    page = agent_client.get(reverse("projects:search"), {"q": "kaffemaskine"}).content.decode()

    assert page.count("Intet fundet.") == len(search.KINDS)


@postgres_only
def test_danish_stemming_finds_inflected_forms(agent_client, agent):
    project = factories.ProjectFactory(title="Robot til bankafstemning", lead=agent)

    response = agent_client.get(reverse("projects:search"), {"q": "robotterne"})

    assert found(response, "projects") == [project.pk]
    assert f'<a href="{project.get_absolute_url()}">Robot til bankafstemning</a>' in (
        response.content.decode()
    )


@postgres_only
def test_better_matches_come_first(agent_client, agent):
    weak = factories.ProjectFactory(title="Sms", summary="Nævner en robot.", lead=agent)
    strong = factories.ProjectFactory(
        title="Robot", summary="Robot, robot og robotter.", lead=agent
    )

    response = agent_client.get(reverse("projects:search"), {"q": "robot"})

    assert found(response, "projects") == [strong.pk, weak.pk]


@postgres_only
@pytest.mark.parametrize("recent_matches", [1, 3])
def test_the_newest_matching_updates_are_ranked_whether_recent_or_older(
    agent_client, project, monkeypatch, recent_matches
):
    # Among the 4 newest updates: `recent_matches` match; before them, 3 older matches.
    monkeypatch.setattr(search, "RECENT", 4)
    monkeypatch.setattr(search, "CANDIDATES", 3)
    older = [factories.ProjectUpdateFactory(project=project, text=f"Robot {n}") for n in range(3)]
    factories.ProjectUpdateFactory.create_batch(4, project=project, text="Kaffe")
    recent = factories.ProjectUpdateFactory.create_batch(
        recent_matches, project=project, text="Robot igen"
    )
    factories.ProjectUpdateFactory.create_batch(4 - recent_matches, project=project, text="Te")

    response = agent_client.get(reverse("projects:search"), {"q": "robot"})

    expected = [*older, *recent][-3:]
    assert sorted(found(response, "updates")) == sorted(u.pk for u in expected)


@postgres_only
def test_a_changed_text_is_found_by_its_new_words(agent_client, network):
    project = network["project"]
    project.title = "Chatbot til borgerservice"
    project.save()

    response = agent_client.get(reverse("projects:search"), {"q": "chatbot"})

    assert found(response, "projects") == [project.pk]


@postgres_only
@pytest.mark.parametrize("kind", search.KINDS)
def test_each_kinds_text_search_can_ask_its_index(network, kind):
    index = {
        "projects": "project_search", "updates": "projectupdate_search", "ideas": "idea_search",
        "systems": "system_search", "agents": "agent_search",
    }[kind]
    model = search.KINDS[kind].rows().model
    query = SearchQuery("robot", search_type="websearch", config="danish")
    matches = model.objects.alias(vector=search.stored_vector(model)).filter(vector=query)

    # A test database is small enough to read whole: scans are forbidden, so the plan
    # shows whether the index can answer the text search at all.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = matches.explain()

    assert index in plan


@postgres_only
@pytest.mark.parametrize("kind", search.KINDS)
def test_each_rows_stored_vector_is_that_of_the_kinds_text(network, kind):
    model = search.KINDS[kind].rows().model
    rows = model.objects.annotate(
        stored=Cast(search.stored_vector(model), TextField()),
        expected=Cast(SearchVector(*search.KINDS[kind].fields, config="danish"), TextField()),
    )

    assert rows.exists()
    assert not rows.exclude(stored=F("expected")).exists()
