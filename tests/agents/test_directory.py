import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def names(response):
    return [str(agent.user) for agent in response.context["page"]]


def test_directory_lists_active_agents_with_their_facts(agent_client, agent):
    system = factories.SystemFactory(name="Momentum")
    factories.SystemRoleFactory(system=system, user=agent.user)
    factories.AgentFactory(user__first_name="Inaktiv", is_active=False)

    response = agent_client.get(reverse("agents:directory"))

    assert names(response) == ["Mette Skovgaard"]
    html = response.content.decode()
    assert "Jobcenter" in html and "50 %" in html and "Momentum" in html


def test_directory_filters_by_department_town_and_system(agent_client, agent, other_agent):
    system = factories.SystemFactory(name="Aula")
    factories.SystemRoleFactory(system=system, user=other_agent.user)
    url = reverse("agents:directory")

    assert names(agent_client.get(url, {"department": agent.department_id})) == ["Mette Skovgaard"]
    assert names(agent_client.get(url, {"location": other_agent.location_id})) == [
        "Peter Thygesen"
    ]
    assert names(agent_client.get(url, {"system": system.pk})) == ["Peter Thygesen"]


def test_directory_searches_by_first_and_last_name(agent_client, agent, other_agent):
    url = reverse("agents:directory")

    assert names(agent_client.get(url, {"q": "thyg"})) == ["Peter Thygesen"]
    assert names(agent_client.get(url, {"q": "mette skov"})) == ["Mette Skovgaard"]


def test_system_role_other_than_superuser_does_not_count_as_superuser(agent_client, agent):
    system = factories.SystemFactory(name="ESDH")
    factories.SystemRoleFactory(system=system, user=agent.user, role="it_contact")

    response = agent_client.get(reverse("agents:directory"), {"system": system.pk})

    assert names(response) == []


def test_unknown_department_id_shows_an_error_and_no_agents(agent_client, agent):
    response = agent_client.get(reverse("agents:directory"), {"department": "999999"})

    assert response.status_code == 200
    assert names(response) == []
    assert response.context["form"].errors["department"]


def test_directory_is_paginated(agent_client, agent):
    factories.AgentFactory.create_batch(30)
    url = reverse("agents:directory")

    first = agent_client.get(url)
    second = agent_client.get(url, {"page": "2"})
    junk = agent_client.get(url, {"page": "abc"})

    assert len(first.context["page"]) == 25
    assert len(second.context["page"]) == 6
    assert junk.context["page"].number == 1


@pytest.mark.parametrize("count", [5, 50])
def test_directory_query_count_does_not_grow(client, facilitator, django_assert_num_queries, count):
    for i in range(count):
        agent = factories.AgentFactory()
        factories.SystemRoleFactory(user=agent.user, system=factories.SystemFactory(name=f"S{i}"))
    client.force_login(facilitator)

    # user, count, page of agents, superuser roles, 3 filter dropdowns
    with django_assert_num_queries(7):
        response = client.get(reverse("agents:directory"))
    assert len(response.context["page"]) == min(count, 25)
