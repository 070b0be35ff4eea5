from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.models import Project
from tests import factories

pytestmark = pytest.mark.django_db


def titles(response):
    return sorted(p.title for p in response.context["page"])


@pytest.fixture
def portfolio(agent, other_agent):
    jobcenter, borgerservice = agent.department, other_agent.department
    rpa, sms = factories.ProjectTypeFactory(name="RPA"), factories.ProjectTypeFactory(name="SMS")
    momentum = factories.SystemFactory(name="Momentum")
    goal = factories.StrategyGoalFactory(title="Automatisering")
    robot = factories.ProjectFactory(title="Robot", lead=agent, departments=[jobcenter])
    robot.types.add(rpa)
    robot.systems.add(momentum)
    robot.goals.add(goal)
    texts = factories.ProjectFactory(
        title="Sms", lead=other_agent, status="done", departments=[borgerservice]
    )
    texts.types.add(sms)
    quiet = factories.ProjectFactory(title="Stille", lead=other_agent, co_agents=[agent])
    Project.objects.filter(pk=quiet.pk).update(
        last_activity_at=timezone.now() - timedelta(days=61)
    )
    old_done = factories.ProjectFactory(title="Gammel", lead=other_agent, status="done")
    Project.objects.filter(pk=old_done.pk).update(
        last_activity_at=timezone.now() - timedelta(days=400)
    )
    return {"jobcenter": jobcenter, "rpa": rpa, "momentum": momentum, "goal": goal}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Gammel", "Robot", "Sms", "Stille"]),
        ({"status": "done"}, ["Gammel", "Sms"]),
        ({"department": "jobcenter"}, ["Robot"]),
        ({"type": "rpa"}, ["Robot"]),
        ({"system": "momentum"}, ["Robot"]),
        ({"goal": "goal"}, ["Robot"]),
        ({"agent": "agent"}, ["Robot", "Stille"]),
        ({"stale": "on"}, ["Stille"]),
        ({"q": "rob"}, ["Robot"]),
        ({"department": "999999"}, []),
        ({"status": "bogus"}, []),
    ],
)
def test_portfolio_filters(agent_client, agent, portfolio, params, expected):
    objects = {**portfolio, "agent": agent}
    query = {k: (objects[v].pk if v in objects else v) for k, v in params.items()}

    response = agent_client.get(reverse("projects:index"), query)

    assert titles(response) == expected


def test_bad_filter_value_is_explained_beside_the_field(agent_client, portfolio):
    response = agent_client.get(reverse("projects:index"), {"department": "999999"})

    assert response.context["form"].errors["department"]
    assert 'class="invalid-feedback' in response.content.decode()


def test_stale_badge_and_sort_by_title(agent_client, portfolio):
    response = agent_client.get(reverse("projects:index"), {"sort": "title"})

    assert [p.title for p in response.context["page"]] == ["Gammel", "Robot", "Sms", "Stille"]
    html = response.content.decode()
    assert html.count("badge-stale") == 1


def test_my_projects_lists_led_and_co_projects_with_a_quick_update_form(agent_client, portfolio):
    response = agent_client.get(reverse("projects:mine"))

    assert titles(response) == ["Robot", "Stille"]
    html = response.content.decode()
    assert html.count('name="text"') == 2
    assert html.count('id="u') > 0


def test_goals_without_projects_are_flagged(agent_client, portfolio):
    factories.StrategyGoalFactory(title="Grøn IT")

    response = agent_client.get(reverse("projects:goals"))
    goal_page = agent_client.get(reverse("projects:goal", args=[portfolio["goal"].pk]))

    counts = {g.title: g.project_count for g in response.context["page"]}
    assert counts == {"Automatisering": 1, "Grøn IT": 0}
    assert "badge-missing" in response.content.decode()
    assert titles(goal_page) == ["Robot"]
    # The goal's projects open in the project list, filtered by the goal, to filter further.
    filtered = f'{reverse("projects:index")}?goal={portfolio["goal"].pk}'
    assert f'href="{filtered}"' in goal_page.content.decode()
    assert titles(agent_client.get(filtered)) == ["Robot"]


def build(count, agent, department, rpa):
    for i in range(count):
        project = factories.ProjectFactory(lead=agent, departments=[department])
        project.types.add(rpa)
        if i % 2:
            project.co_agents.add(factories.AgentFactory())


def test_portfolio_query_count_is_the_same_for_10_and_300_projects(
    client, facilitator, agent, django_assert_max_num_queries
):
    rpa = factories.ProjectTypeFactory(name="RPA")
    client.force_login(facilitator)
    counts = []

    for grow_by in (10, 290):
        build(grow_by, agent, agent.department, rpa)
        with django_assert_max_num_queries(15) as captured:
            response = client.get(reverse("projects:index"))
        assert len(response.context["page"]) == min(10 + (290 if counts else 0), 25)
        counts.append(len(captured))

    assert counts[0] == counts[1]


def test_project_page_query_count_is_the_same_with_2_and_60_updates(
    client, agent, django_assert_max_num_queries
):
    from projects.models import Rollout

    project = factories.ProjectFactory(lead=agent)
    project.co_agents.add(*factories.AgentFactory.create_batch(3))
    client.force_login(agent.user)
    counts = []

    for grow_by in (2, 58):
        factories.ProjectUpdateFactory.create_batch(grow_by, project=project)
        # 1 rollout row first, 12 departments' rows in the end.
        for department in factories.DepartmentFactory.create_batch(1 if not counts else 11):
            Rollout.objects.create(project=project, department=department, status="in_use",
                                   contact=agent.user)
        with django_assert_max_num_queries(15) as captured:
            response = client.get(project.get_absolute_url())
        counts.append(len(captured))

    assert counts[0] == counts[1]
    assert "60" in response.content.decode()


def test_of_agent_lists_led_and_joined_projects_once(agent, other_agent):
    led = factories.ProjectFactory(title="Leder", lead=agent)
    both = factories.ProjectFactory(title="Begge", lead=agent)
    both.co_agents.add(agent)  # a lead listed in the team as well
    joined = factories.ProjectFactory(title="Med", lead=other_agent, co_agents=[agent])
    factories.ProjectFactory(title="Andres", lead=other_agent)

    projects = list(Project.objects.of_agent(agent).order_by("title"))

    assert projects == [both, led, joined]


def test_filter_options_name_goals_with_their_period_and_agents_by_name(
    agent_client, agent, portfolio
):
    html = agent_client.get(reverse("projects:index")).content.decode()

    goal = portfolio["goal"]
    period = f"{goal.first_year}–{goal.last_year}"
    assert f'<option value="{goal.pk}">Automatisering ({period})</option>' in html
    assert f'<option value="{agent.pk}">{agent.user}</option>' in html
    assert f'<option value="{portfolio["rpa"].pk}">RPA</option>' in html


def test_each_row_of_the_project_table(client, facilitator):
    lead = factories.AgentFactory(user__first_name="Kaj", user__last_name="O'Neill")
    fresh = factories.ProjectFactory(
        title="Sms <påmindelser>", lead=lead,
        departments=[factories.DepartmentFactory(name="Skole & SFO"),
                     factories.DepartmentFactory(name="Jura")],
    )
    fresh.types.add(factories.ProjectTypeFactory(name="RPA"))
    stale = factories.ProjectFactory(title="Robot", lead=lead, status="paused")
    old_day = timezone.make_aware(datetime(2025, 1, 2, 12))
    Project.objects.filter(pk=stale.pk).update(last_activity_at=old_day)
    today = timezone.localdate().strftime("%d.%m.%Y")
    client.force_login(facilitator)

    html = client.get(reverse("projects:index"), {"sort": "title"}).content.decode()

    # The rows after the heading's, with the template's line breaks and indents as spaces.
    rows = [" ".join(row.split()).replace(" </td>", "</td>") for row in html.split("<tr>")[2:]]
    assert rows[0].startswith(
        f'<th scope="row"><a href="{stale.get_absolute_url()}">Robot</a></th>'
        ' <td><span class="badge status-paused">Sat på pause</span>'
        ' <span class="badge badge-stale">I stå</span></td>'
        " <td>Kaj O&#x27;Neill</td> <td>–</td> <td>–</td> <td>02.01.2025</td> </tr>"
    )
    assert rows[1].startswith(
        f'<th scope="row"><a href="{fresh.get_absolute_url()}">Sms &lt;påmindelser&gt;</a>'
        '</th> <td><span class="badge status-running">I gang</span></td>'
        " <td>Kaj O&#x27;Neill</td> <td>Jura, Skole &amp; SFO</td> <td>RPA</td>"
        f" <td>{today}</td> </tr>"
    )


def test_my_projects_shows_ten_cards_to_a_page(agent_client, agent):
    factories.ProjectFactory.create_batch(12, lead=agent)

    first = agent_client.get(reverse("projects:mine"))
    second = agent_client.get(reverse("projects:mine"), {"page": 2})

    assert first.content.decode().count('name="text"') == 10
    assert second.content.decode().count('name="text"') == 2
