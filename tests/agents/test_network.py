from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import DataError, IntegrityError, transaction
from django.urls import reverse

from agents import services
from agents.models import Agent, Department, System, SystemRole, User
from agents.views import DEPARTMENT_AGENTS_SHOWN, SYSTEM_NAMES_SHOWN
from tests import factories

pytestmark = pytest.mark.django_db


def test_fte_is_the_sum_of_time_shares(db):
    jobcenter = factories.DepartmentFactory(name="Jobcenter")
    factories.AgentFactory(department=jobcenter, time_share=95)
    factories.AgentFactory(department=jobcenter, time_share=50)
    factories.AgentFactory(time_share=20)
    factories.AgentFactory(time_share=80, is_active=False)

    figures = services.capacity()

    assert figures["agent_count"] == 3
    assert figures["fte"] == Decimal("1.65")
    by_name = {d.name: d for d in figures["departments"]}
    assert (by_name["Jobcenter"].agent_count, by_name["Jobcenter"].fte) == (2, Decimal("1.45"))


def test_capacity_page_shows_total_and_departments_in_danish_format(agent_client, agent):
    factories.AgentFactory(time_share=95)
    factories.AgentFactory(time_share=20)
    factories.DepartmentFactory(name="Byggeri")

    response = agent_client.get(reverse("agents:capacity"))

    html = response.content.decode()
    assert "1,65" in html
    assert "Byggeri" in html


def test_departments_without_agents_are_flagged(agent_client, agent):
    factories.DepartmentFactory(name="Byggeri og Ejendomme")
    lost = factories.DepartmentFactory(name="Kultur")
    factories.AgentFactory(department=lost, is_active=False)

    response = agent_client.get(reverse("agents:departments"))

    flagged = [d.name for d in response.context["without_agent"]]
    assert flagged == ["Byggeri og Ejendomme", "Kultur"]
    assert "badge-missing" in response.content.decode()


def test_departments_list_the_first_agents_by_name_and_link_to_the_rest(agent_client):
    jobcenter = factories.DepartmentFactory(name="Ældreplejen Nord")
    names = [f"Agent{n:02}" for n in range(DEPARTMENT_AGENTS_SHOWN + 2)]
    agents = {
        name: factories.AgentFactory(department=jobcenter, user__first_name=name)
        for name in reversed(names)
    }
    factories.AgentFactory(department=jobcenter, user__first_name="Agent00a", is_active=False)

    response = agent_client.get(reverse("agents:departments"))

    row = next(d for d in response.context["page"] if d.pk == jobcenter.pk)
    assert [agent.user.first_name for agent in row.shown_agents] == names[:DEPARTMENT_AGENTS_SHOWN]
    html = response.content.decode()
    assert f'href="{agents[names[0]].get_absolute_url()}"' in html
    assert names[-1] not in html
    assert f"se alle {len(names)}" in html


def test_departments_are_paged(agent_client, agent):
    factories.DepartmentFactory.create_batch(30)

    first = agent_client.get(reverse("agents:departments"))
    second = agent_client.get(reverse("agents:departments"), {"page": 2})

    assert len(first.context["page"]) == 25
    assert len(second.context["page"]) == Department.objects.count() - 25
    assert 'href="?page=2"' in first.content.decode()


def test_departments_are_filtered_by_name_and_kind(agent_client, agent, django_assert_num_queries):
    factories.DepartmentFactory(name="HR og Løn", kind="stab")
    factories.DepartmentFactory(name="Løn og Personale", kind="fag")
    factories.DepartmentFactory(name="Økonomi", kind="stab")

    with django_assert_num_queries(5):
        response = agent_client.get(reverse("agents:departments"), {"q": "løn", "kind": "stab"})
    nothing = agent_client.get(reverse("agents:departments"), {"q": "zzz"})

    assert [d.name for d in response.context["page"]] == ["HR og Løn"]
    assert '<option value="stab" selected>Stabsområde</option>' in response.content.decode()
    # The departments without an agent are the network's, whatever the filter.
    assert {"Løn og Personale", "Økonomi"} <= {d.name for d in response.context["without_agent"]}
    assert "Ingen afdeling passer til filteret." in nothing.content.decode()


def test_an_unknown_kind_is_said_beside_the_field(agent_client, agent):
    response = agent_client.get(reverse("agents:departments"), {"kind": "nope"})

    assert response.status_code == 200
    assert response.context["form"].errors["kind"]
    assert 'id="error_1_id_kind"' in response.content.decode()
    assert list(response.context["page"]) == []


def test_department_page_lists_its_agents_and_systems(agent_client, agent):
    factories.SystemFactory(name="Momentum", owner_department=agent.department)

    response = agent_client.get(reverse("agents:department", args=[agent.department_id]))

    html = response.content.decode()
    assert "Mette Skovgaard" in html and "Momentum" in html


def test_system_page_answers_who_to_ask(agent_client, agent, other_agent):
    system = factories.SystemFactory(name="Momentum", vendor="Netcompany")
    factories.SystemRoleFactory(system=system, user=agent.user, note="ydelser")
    it = factories.UserFactory(first_name="Kasper", last_name="Holt", email="kh@example.org")
    factories.SystemRoleFactory(system=system, user=it, role=SystemRole.Role.IT_CONTACT)

    listing = agent_client.get(reverse("agents:systems"), {"q": "moment"})
    page = agent_client.get(reverse("agents:system", args=[system.pk]))

    assert [s.name for s in listing.context["page"]] == ["Momentum"]
    assert "Mette Skovgaard" in listing.content.decode()
    html = page.content.decode()
    assert "Mette Skovgaard" in html and "ydelser" in html
    assert "Kasper Holt" in html and "mailto:kh@example.org" in html
    assert agent.get_absolute_url() in html


def test_system_list_names_the_first_people_in_each_role_and_counts_the_rest(agent_client):
    system = factories.SystemFactory(name="Momentum")
    names = [f"Super{n:02}" for n in range(SYSTEM_NAMES_SHOWN + 1)]
    for name in reversed(names):
        factories.SystemRoleFactory(system=system, user__first_name=name, user__last_name="Test")
    it = factories.UserFactory(first_name="Kasper", last_name="Holt")
    factories.SystemRoleFactory(system=system, user=it, role=SystemRole.Role.IT_CONTACT)
    factories.SystemRoleFactory(system=system, user=it, role=SystemRole.Role.OWNER)

    response = agent_client.get(reverse("agents:systems"))

    row = response.context["page"][0]
    assert [str(role.user) for role in row.superusers] == [
        f"{name} Test" for name in names[:SYSTEM_NAMES_SHOWN]
    ]
    assert [str(role.user) for role in row.it_contacts] == ["Kasper Holt"]
    html = response.content.decode()
    assert names[-1] not in html
    assert f"se alle {len(names)}" in html


def test_agent_page_shows_manager_contact_and_roles(agent_client, agent, manager):
    agent.manager = manager
    agent.phone = "96 74 20 02"
    agent.bio = "Sms og RPA."
    agent.save()
    factories.SystemRoleFactory(system=factories.SystemFactory(name="Momentum"), user=agent.user)

    response = agent_client.get(reverse("agents:agent", args=[agent.pk]))

    html = response.content.decode()
    for text in ["Henrik Mølgaard", "96 74 20 02", "Sms og RPA.", "Momentum", "Jobcenter"]:
        assert text in html


def grow_network(department, system, count):
    agents = factories.AgentFactory.create_batch(count, department=department)
    for agent in agents:
        factories.SystemRoleFactory(system=system, user=agent.user)
    factories.DepartmentFactory.create_batch(count)
    return agents


@pytest.mark.parametrize(
    ("url_name", "needs_pk", "most"),
    [
        ("agents:agent", "agent", 10),
        ("agents:department", "department", 10),
        ("agents:system", "system", 10),
        ("agents:capacity", None, 10),
        ("agents:departments", None, 10),
        ("agents:systems", None, 10),
        # The start page also reads what is due for the person, one query per kind of item
        # (agentnet/due.py, tests/test_home.py).
        ("home", None, 14),
    ],
)
def test_page_query_count_is_the_same_with_5_and_50_agents(
    client, facilitator, django_assert_max_num_queries, url_name, needs_pk, most
):
    system = factories.SystemFactory(name="Momentum")
    department = factories.DepartmentFactory(name="Jobcenter")
    agent = grow_network(department, system, 5)[0]
    objects = {"agent": agent, "department": department, "system": system}
    url = reverse(url_name, args=[objects[needs_pk].pk] if needs_pk else [])
    client.force_login(facilitator)
    counts = []

    for grow_by in (0, 45):
        grow_network(department, system, grow_by)
        with django_assert_max_num_queries(most) as captured:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(captured))

    assert counts[0] == counts[1]


def test_time_share_limits_are_database_constraints(agent):
    for bad in (101, 1000):
        with pytest.raises(IntegrityError), transaction.atomic():
            Agent.objects.filter(pk=agent.pk).update(time_share=bad)


def test_title_length_and_empty_name_are_database_constraints(agent):
    # PostgreSQL's varchar refuses it before the check constraint does; SQLite needs the check.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        Agent.objects.filter(pk=agent.pk).update(title="x" * 10_000)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=agent.user_id).update(first_name="")


def test_seed_demo_is_idempotent_and_fictional(db):
    call_command("seed_demo")
    counts = (User.objects.count(), Agent.objects.count(), Department.objects.count(),
              System.objects.count(), SystemRole.objects.count())

    call_command("seed_demo")

    assert counts == (User.objects.count(), Agent.objects.count(), Department.objects.count(),
                      System.objects.count(), SystemRole.objects.count())
    assert Agent.objects.count() >= 20
    assert Department.objects.count() >= 12
    assert Department.objects.exclude(agents__isnull=False).exists()
    assert User.objects.filter(groups__name="Facilitator").count() == 1
    assert User.objects.filter(groups__name="Leder").count() >= 3
    real_people = {"Benthe", "Charlotte", "Sara", "Michael"}
    assert not User.objects.filter(first_name__in=real_people).exists()
