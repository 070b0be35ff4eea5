"""The strategy page: its figures on a dataset added up by hand, the links behind them, the
text alternative of its charts, its spreadsheet and its fixed number of queries."""

import datetime
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from agents.models import Department
from projects.models import Project, Rollout
from projects.strategy import Period
from tests import factories

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def network(agent, other_agent):
    """Two agents at 50 % (1 FTE). In 2025: "Robot" serves two departments, "Sms" two
    goals and was completed in Q2, "Opgivet" was abandoned with an expected benefit,
    "Uden gevinst" has no benefit and is stale; "Gammel" ended in 2024."""
    jobcenter, borgerservice = agent.department, other_agent.department
    ydelse = factories.DepartmentFactory(name="Ydelse")
    automation = factories.StrategyGoalFactory(title="Automatisering")
    welfare = factories.StrategyGoalFactory(title="Digital velfærd")
    data = factories.StrategyGoalFactory(title="Data")
    factories.StrategyGoalFactory(title="Gammel strategi", first_year=2020, last_year=2022)
    robot = factories.ProjectFactory(
        title="Robot", lead=agent, start_date=D(2025, 2, 1), hours_saved_per_year=1000,
        realised_hours_per_year=400, departments=[jobcenter, borgerservice],
    )
    robot.goals.add(automation)
    sms = factories.ProjectFactory(
        title="Sms", lead=other_agent, status="done", start_date=D(2025, 1, 10),
        ended_on=D(2025, 5, 15), hours_saved_per_year=300, realised_hours_per_year=200,
        departments=[borgerservice],
    )
    sms.goals.add(automation, welfare)
    dropped = factories.ProjectFactory(
        title="Opgivet", lead=agent, status="dropped", start_date=D(2025, 1, 5),
        ended_on=D(2025, 8, 1), hours_saved_per_year=500, departments=[jobcenter],
    )
    dropped.goals.add(welfare)
    idle = factories.ProjectFactory(
        title="Uden gevinst", lead=other_agent, start_date=D(2025, 3, 1),
        departments=[jobcenter],
    )
    idle.goals.add(welfare)
    Project.objects.filter(pk=idle.pk).update(
        last_activity_at=timezone.now() - timedelta(days=61)
    )
    factories.ProjectFactory(
        title="Gammel", lead=agent, status="done", start_date=D(2023, 1, 1),
        ended_on=D(2024, 6, 1), hours_saved_per_year=999,
    )
    Rollout.objects.create(project=robot, department=jobcenter, status="in_use")
    Rollout.objects.create(project=robot, department=borgerservice, status="declined")
    Rollout.objects.create(project=robot, department=ydelse, status="not_started")
    return {
        "jobcenter": jobcenter, "borgerservice": borgerservice, "ydelse": ydelse,
        "automation": automation, "welfare": welfare, "data": data, "robot": robot,
    }


def page(client, **params):
    return client.get(reverse("strategy:overview"), params)


def rows(figure):
    return {r["label"]: (r["projects"], round(r["expected"]), round(r["realised"]))
            for r in figure}


def test_benefit_leaves_out_the_dropped_and_splits_projects_between_goals_and_departments(
    client, manager, network
):
    client.force_login(manager)
    context = page(client, period="2025").context

    # Robot and Sms count; the dropped project, the one with no benefit and Gammel (ended
    # in 2024) do not.
    assert context["totals"]["projects"] == 2
    assert context["totals"]["expected"] == 1000 + 300
    assert context["totals"]["realised"] == 400 + 200
    # Sms serves two goals: half its hours each.
    assert rows(context["by_goal"]) == {
        "Automatisering": (2, 1000 + 150, 400 + 100),
        "Digital velfærd": (1, 150, 100),
    }
    # Robot serves two departments: half its hours each.
    assert rows(context["by_department"]) == {
        "Borgerservice": (2, 500 + 300, 200 + 200),
        "Jobcenter": (1, 500, 200),
    }
    # Two agents at 50 %: one FTE.
    assert context["expected_per_fte"] == 1300
    assert context["realised_per_fte"] == 600


def test_benefit_over_time_and_the_flow_count_by_quarter(client, manager, network):
    client.force_login(manager)
    context = page(client, period="2025").context

    quarters = {r["label"]: (r["projects"], r["expected"], r["realised"])
                for r in context["by_quarter"]}
    assert len(quarters) == 8
    assert quarters["2. kvt. 2025"] == (1, 300, 200)
    assert quarters["2. kvt. 2024"] == (1, 999, 0)
    assert sum(q[0] for q in quarters.values()) == 2
    flow = {r["label"]: (r["started"], r["done"], r["dropped"]) for r in context["flow"]}
    assert flow["1. kvt. 2025"] == (4, 0, 0)
    assert flow["2. kvt. 2025"] == (0, 1, 0)
    assert flow["3. kvt. 2025"] == (0, 0, 1)
    assert flow["2. kvt. 2024"] == (0, 1, 0)


def test_stale_rollout_and_coverage(client, manager, network):
    client.force_login(manager)
    response = page(client, period="2025")
    context = response.context

    # "Uden gevinst" is stale; its lead sits in Borgerservice.
    assert [(r["label"], r["n"]) for r in context["stale"]] == [("Borgerservice", 1)]
    departments = Department.objects.count()
    [robot] = context["rollouts"]
    assert (robot["have"], robot["waiting"], robot["declined"], robot["outside"]) == (
        1, 1, 1, departments - 3
    )
    assert f"1 ({round(100 / departments)} %)" in response.text
    # Data has no project; the old strategy is not of 2025.
    assert [g.title for g in context["idle_goals"]] == ["Data"]
    assert "Ydelse" in [d.name for d in context["unreached"]]
    assert "Jobcenter" not in [d.name for d in context["unreached"]]
    assert "Data (2024–2027)" in response.text


def listed(client, url):
    return client.get(url).context["page"].paginator.count


def test_each_figure_links_to_a_list_of_as_many_projects(client, manager, network):
    client.force_login(manager)
    context = page(client, period="2025").context

    assert listed(client, context["totals"]["link"]) == 2
    for row in [*context["by_goal"], *context["by_department"]]:
        assert listed(client, row["link"]) == row["projects"], row["label"]
    for row in context["by_quarter"]:
        assert listed(client, row["link"]) == row["projects"], row["label"]
    for row in context["flow"]:
        for key in ("started", "done", "dropped"):
            assert listed(client, row["links"][key]) == row[key], (row["label"], key)
    assert listed(client, context["stale_link"]) == context["stale_total"] == 1
    assert listed(client, context["stale"][0]["link"]) == 1


def test_filter_by_goal_and_department(client, manager, network):
    client.force_login(manager)
    context = page(client, period="2025", goal=network["welfare"].pk).context

    # Sms alone serves the goal and has a benefit: its hours whole in the totals, half
    # under each of its two goals; only the filtered goal's row links to a list.
    assert (context["totals"]["projects"], context["totals"]["expected"]) == (1, 300)
    by_goal = {r["label"]: r for r in context["by_goal"]}
    assert round(by_goal["Digital velfærd"]["expected"]) == 150
    assert "link" in by_goal["Digital velfærd"]
    assert "link" not in by_goal["Automatisering"]

    context = page(client, period="2025", department=network["jobcenter"].pk).context
    assert (context["totals"]["projects"], context["totals"]["expected"]) == (1, 1000)


def test_a_quarter_period_and_a_bad_period(client, manager, network):
    client.force_login(manager)
    context = page(client, period="2025-4").context
    # Sms ended in Q2: only Robot is under way in Q4.
    assert context["totals"]["projects"] == 1
    response = page(client, period="1999")
    assert response.status_code == 200
    assert response.context["period"] == Period.of(timezone.localdate())
    assert response.context["form"].errors["period"]


def test_each_chart_has_a_title_a_caption_and_a_table(client, manager, network):
    client.force_login(manager)
    html = page(client, period="2025").text

    charts = re.findall(
        r'<svg class="img-fluid"[^>]*aria-labelledby="([\w-]+)-title \1-caption"', html
    )
    assert sorted(charts) == sorted([
        "chart-goal", "chart-department", "chart-quarter", "chart-flow", "chart-stale",
        "chart-rollout",
    ])
    for chart in charts:
        assert f'<title id="{chart}-title">' in html
        assert f'<figcaption id="{chart}-caption"' in html
    titles = re.findall(r'<title id="[\w-]+">([^<]+)</title>', html)
    captions = re.findall(r"<caption>([^<]+)</caption>", html)
    assert titles == captions
    # The figures in Danish: a thousands point.
    assert "1.150" in html


def test_no_benefit_yet_is_said_in_words(client, manager, agent):
    factories.ProjectFactory(title="Tom", lead=agent, start_date=D(2025, 1, 1))
    client.force_login(manager)
    response = page(client, period="2025")
    assert "Intet projekt i gang i perioden har endnu en gevinst" in response.text
    assert "<svg" not in response.text.split('id="flow-heading"')[0]
    assert "Intet projekt er gået i stå." in response.text


def test_spreadsheet_holds_the_figures(client, agent, network):
    client.force_login(agent.user)
    response = client.get(reverse("strategy:xlsx"), {"period": "2025"})

    workbook = load_workbook(io.BytesIO(response.content))
    assert response["Content-Disposition"] == 'attachment; filename="strategi-2025.xlsx"'
    goals = [[c.value for c in row] for row in workbook["Efter strategimål"].iter_rows()]
    assert goals[1:] == [
        ["Automatisering", 2, 1150, 500],
        ["Digital velfærd", 1, 150, 100],
    ]
    summary = {row[0].value: row[1].value for row in workbook["Overblik"].iter_rows()}
    assert summary["Realiserede sparede timer pr. år"] == 600


def test_plain_user_may_read_but_not_anonymous(client, plain_user):
    response = page(client)
    assert response.status_code == 302
    client.force_login(plain_user)
    assert "Strategi og gevinster" in page(client).text


def build(count, agent, goal, department):
    for i in range(count):
        project = factories.ProjectFactory(
            lead=agent, start_date=D(2025, 1 + i % 12, 1), hours_saved_per_year=10 + i,
            realised_hours_per_year=i, status=["running", "done", "dropped"][i % 3],
            ended_on=D(2025, 1 + i % 12, 28) if i % 3 else None, departments=[department],
        )
        project.goals.add(goal)
        Rollout.objects.create(project=project, department=department, status="in_use")


@pytest.mark.parametrize("grow_by", [3, 120])
def test_query_count_is_the_same_for_few_and_many_projects(
    client, manager, agent, network, grow_by, django_assert_num_queries
):
    build(grow_by, agent, network["automation"], factories.DepartmentFactory())
    client.force_login(manager)
    # The user, the goals and departments (choices and coverage), the totals, two charts
    # over time, the capacity, the stale, two splits and the rollout.
    with django_assert_num_queries(12):
        response = page(client, period="2025")
    assert response.context["totals"]["projects"] >= 2 + grow_by * 2 // 3


def test_a_project_keeps_the_day_it_ended_until_it_is_reopened(agent):
    project = factories.ProjectFactory(lead=agent, status="running")
    assert project.ended_on is None

    project.status = "done"
    project.save()
    assert Project.objects.get(pk=project.pk).ended_on == timezone.localdate()

    project.status = "running"
    project.save(update_fields=["status"])
    assert Project.objects.get(pk=project.pk).ended_on is None


def test_the_project_list_names_the_strategy_filters_and_explains_a_bad_one(
    agent_client, network
):
    response = agent_client.get(reverse("projects:index"), {"period": "2025", "benefit": "on"})
    assert response.context["page"].paginator.count == 2
    assert "Fra strategisiden viser listen også kun projekter:" in response.text
    assert "i gang i 2025" in response.text

    response = agent_client.get(reverse("projects:index"), {"ended": "sidste år"})
    assert response.context["page"].paginator.count == 0
    assert "Angiv et år (2026) eller et kvartal (2026-2)." in response.text


def test_projects_under_no_goal_and_beyond_the_shown_rows_still_add_up(client, manager, agent):
    goals = factories.StrategyGoalFactory.create_batch(14)
    for hours, goal in enumerate(goals, start=1):
        project = factories.ProjectFactory(
            lead=agent, start_date=D(2025, 1, 1), hours_saved_per_year=100 * hours
        )
        project.goals.add(goal)
    factories.ProjectFactory(lead=agent, start_date=D(2025, 1, 1), hours_saved_per_year=7)
    client.force_login(manager)

    context = page(client, period="2025").context

    by_goal = context["by_goal"]
    assert len(by_goal) == 12 + 2
    assert by_goal[-2]["label"] == "2 andre"
    assert (by_goal[-2]["projects"], by_goal[-2]["expected"]) == (2, 100 + 200)
    assert (by_goal[-1]["label"], by_goal[-1]["projects"]) == ("Intet strategimål", 1)
    assert round(by_goal[-1]["expected"]) == 7
    assert round(sum(r["expected"] for r in by_goal)) == context["totals"]["expected"]
    assert "link" not in by_goal[-1] and "link" not in by_goal[-2]
    # No project serves a department: all of it in one row.
    assert [(r["label"], round(r["expected"])) for r in context["by_department"]] == [
        ("Ingen afdeling", context["totals"]["expected"])
    ]
