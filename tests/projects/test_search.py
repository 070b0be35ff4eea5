"""The search page: what a hit of each kind shows, names matched as written, and (on
PostgreSQL) statements that ask the full-text indexes."""

from datetime import datetime

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from agents.models import Agent
from projects import search
from projects.models import Idea
from tests import factories

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search on PostgreSQL"
)


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
    results = response.context["results"]
    project, agent = network["project"], network["agent"]
    assert [pk for pk, _line in results["projects"][1]] == [project.pk]
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
    assert "Sms-påmindelser" not in page


@pytest.mark.parametrize("text", ["rikke", "Holm", "RIKKE holm"])
def test_an_agent_is_found_by_name_as_written(agent_client, network, text):
    response = agent_client.get(reverse("projects:search"), {"q": text})

    assert [pk for pk, _line in response.context["results"]["agents"][1]] == [
        network["agent"].pk
    ]


@pytest.mark.parametrize("text", ["%%", "_ikke", "R%e"])
def test_like_wildcards_in_the_text_match_only_themselves(agent_client, network, text):
    response = agent_client.get(reverse("projects:search"), {"q": text})

    assert response.context["results"]["agents"][1] == []


def test_an_agent_who_left_is_not_found(agent_client, network):
    Agent.objects.filter(pk=network["agent"].pk).update(is_active=False)

    response = agent_client.get(reverse("projects:search"), {"q": "Rikke"})

    assert response.context["results"]["agents"][1] == []


def test_search_makes_one_query_per_kind(agent_client, network, django_assert_num_queries):
    agent_client.get(reverse("projects:search"), {"q": "robot"})  # the session is read

    # The user, then one per kind.
    with django_assert_num_queries(1 + len(search.KINDS)):
        response = agent_client.get(reverse("projects:search"), {"q": "robot"})

    assert all(hits for _label, hits in response.context["results"].values())


@postgres_only
def test_better_matches_come_first(agent):
    weak = factories.ProjectFactory(title="Sms", summary="Nævner en robot.", lead=agent)
    strong = factories.ProjectFactory(
        title="Robot", summary="Robot, robot og robotter.", lead=agent
    )

    hits = search.search("robot")["projects"][1]

    assert [pk for pk, _line in hits] == [strong.pk, weak.pk]


@postgres_only
@pytest.mark.parametrize("kind", search.KINDS)
def test_each_kinds_text_search_can_ask_its_index(network, kind):
    index = {
        "projects": "project_search", "updates": "projectupdate_search", "ideas": "idea_search",
        "systems": "system_search", "agents": "agent_search",
    }[kind]
    table = search.KINDS[kind].rows().model._meta.db_table

    # A test database is small enough to read whole: scans are forbidden, so the plan
    # shows whether the index can answer the text search at all. (Which plan a statement
    # takes on real data is in docs/performance.md.)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            f"EXPLAIN SELECT m.id FROM {table} m WHERE m.search_vector @@ {search.QUERY}",  # noqa: S608
            {"text": "robot"},
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert index in plan


@postgres_only
@pytest.mark.parametrize("kind", search.KINDS)
def test_each_rows_stored_vector_is_that_of_the_kinds_text(network, kind):
    table = search.KINDS[kind].rows().model._meta.db_table
    text = " || ' ' || ".join(f"COALESCE({field}, '')" for field in search.KINDS[kind].fields)

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*), count(*) FILTER (WHERE search_vector IS DISTINCT FROM"  # noqa: S608
            f" to_tsvector('danish'::regconfig, {text})) FROM {table}"
        )
        rows, different = cursor.fetchone()

    assert rows > 0
    assert different == 0


@postgres_only
def test_a_changed_text_is_found_by_its_new_words(agent_client, network):
    project = network["project"]
    project.title = "Chatbot til borgerservice"
    project.save()

    response = agent_client.get(reverse("projects:search"), {"q": "chatbot"})

    assert [pk for pk, _line in response.context["results"]["projects"][1]] == [project.pk]


def test_a_hits_text_is_escaped(agent_client, agent):
    factories.ProjectFactory(title="Robot <b>fed</b> & co", lead=agent)

    page = agent_client.get(reverse("projects:search"), {"q": "robot"}).content.decode()

    assert "Robot &lt;b&gt;fed&lt;/b&gt; &amp; co</a>" in page
    assert "<b>fed</b>" not in page
