import json
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from competencies import services
from competencies.models import (
    Assessment,
    AuditEntry,
    Course,
    DevelopmentGoal,
    MusRound,
    Rating,
)
from tests import factories

pytestmark = pytest.mark.django_db


def agent_post(assessment, level=3, action="save", **extra):
    data = {"action": action, "strengths": "Formidling", "improve": "Langsigtet tænkning",
            "role_wishes": "", "education_wishes": "Diplommodul", **extra}
    if action == "send":
        data.setdefault("confirm", "on")
    for rating in assessment.ratings.all():
        data[f"r{rating.pk}-level"] = level
        data[f"r{rating.pk}-comment"] = ""
    return data


def send(client, assessment):
    client.force_login(assessment.agent.user)
    client.post(assessment.get_absolute_url(), agent_post(assessment, action="send"))
    assessment.refresh_from_db()


def test_opening_a_round_gives_every_active_agent_a_draft(mus_round, framework):
    assessments = mus_round.assessments.all()

    assert assessments.count() == 2
    assert {a.status for a in assessments} == {"draft"}
    assert Rating.objects.filter(assessment=assessments[0]).count() == 10


def test_agent_fills_in_saves_and_sends(client, assessment):
    client.force_login(assessment.agent.user)

    client.post(assessment.get_absolute_url(), agent_post(assessment, level=2))
    assessment.refresh_from_db()
    assert assessment.status == "draft"
    assert set(assessment.ratings.values_list("self_level", flat=True)) == {2}

    client.post(assessment.get_absolute_url(), agent_post(assessment, level=3, action="send"))
    assessment.refresh_from_db()
    assert assessment.status == "sent" and assessment.strengths == "Formidling"

    locked = client.post(assessment.get_absolute_url(), agent_post(assessment, level=1))
    assert locked.status_code == 403
    assert set(assessment.ratings.values_list("self_level", flat=True)) == {3}


def test_not_relevant_is_an_allowed_answer(client, assessment):
    client.force_login(assessment.agent.user)

    client.post(assessment.get_absolute_url(), agent_post(assessment, level=0))

    assert set(assessment.ratings.values_list("self_level", flat=True)) == {0}


@pytest.mark.parametrize("bad", ["7", "-1", "abc"])
def test_level_outside_the_scale_is_refused(client, assessment, bad):
    client.force_login(assessment.agent.user)

    response = client.post(assessment.get_absolute_url(), agent_post(assessment, level=bad))

    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert set(assessment.ratings.values_list("self_level", flat=True)) == {None}


def test_answer_for_a_competency_of_another_assessment_is_refused(client, assessment, mus_round):
    other = mus_round.assessments.exclude(pk=assessment.pk).get()
    foreign = other.ratings.first()
    client.force_login(assessment.agent.user)
    data = agent_post(assessment)
    data[f"r{foreign.pk}-level"] = 4

    response = client.post(assessment.get_absolute_url(), data, follow=True)

    assert "hører ikke til" in response.content.decode()
    assert foreign.__class__.objects.get(pk=foreign.pk).self_level is None
    assert set(assessment.ratings.values_list("self_level", flat=True)) == {None}


def test_another_agents_assessment_is_a_404(client, assessment, other_agent):
    client.force_login(other_agent.user)

    assert client.get(assessment.get_absolute_url()).status_code == 404
    assert client.get(reverse("competencies:mus_pack", args=[assessment.pk])).status_code == 404
    assert client.post(assessment.get_absolute_url(), agent_post(assessment)).status_code == 404


def test_manager_never_sees_a_draft(client, assessment, manager):
    client.force_login(manager)

    assert client.get(assessment.get_absolute_url()).status_code == 404
    team = client.get(reverse("competencies:team")).content.decode()
    assert assessment.get_absolute_url() not in team


def test_manager_reviews_sets_goal_and_closes(client, assessment, manager):
    send(client, assessment)
    client.force_login(manager)
    page = client.get(assessment.get_absolute_url())
    assert "Formidling" in page.content.decode()

    data = {"action": "save", "mus_date": "2026-12-10", "manager_summary": "Flot år",
            "manager_private_note": "Overvej lønforhandling"}
    for rating in assessment.ratings.all():
        data[f"r{rating.pk}-level"] = 2
    # Levels chosen in the same post as a new goal are kept.
    goal = client.post(assessment.get_absolute_url(), {
        **data, "action": "add_goal", "goal-text": "Modul i forandringsledelse",
        "goal-action": "course",
        "goal-deadline": (timezone.localdate() + timedelta(days=90)).isoformat(),
    })
    assert set(assessment.ratings.values_list("manager_level", flat=True)) == {2}
    client.post(assessment.get_absolute_url(), {**data, "action": "close", "confirm": "on"})

    assessment.refresh_from_db()
    assert assessment.status == "closed"
    assert set(assessment.ratings.values_list("self_level", "manager_level")) == {(3, 2)}
    assert goal["Location"].endswith("#goals")
    assert assessment.goals.get().action == "course"
    assert client.post(assessment.get_absolute_url(), data).status_code == 403


def test_closing_needs_a_level_for_every_competency(client, assessment, manager):
    send(client, assessment)
    client.force_login(manager)
    data = {"action": "close", "confirm": "on", "manager_summary": ""}
    first = assessment.ratings.first()
    data[f"r{first.pk}-level"] = 2

    response = client.post(assessment.get_absolute_url(), data)

    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == "sent"


def test_private_note_is_invisible_to_the_agent(client, assessment, manager):
    send(client, assessment)
    Assessment.objects.filter(pk=assessment.pk).update(
        manager_private_note="Hemmelig note", status="closed"
    )
    client.force_login(assessment.agent.user)

    pages = [client.get(assessment.get_absolute_url()),
             client.get(reverse("competencies:mus_pack", args=[assessment.pk])),
             client.get(reverse("my_data"))]

    for page in pages:
        assert "Hemmelig note" not in page.content.decode()


def test_manager_cannot_post_for_someone_elses_agent(client, mus_round, other_agent):
    other_manager = factories.ManagerFactory()
    assessment = mus_round.assessments.get(agent=other_agent)
    send(client, assessment)
    client.force_login(other_manager)

    assert client.post(assessment.get_absolute_url(), {"action": "close"}).status_code == 404
    assessment.refresh_from_db()
    assert assessment.status == "sent"


def test_goal_with_a_past_deadline_is_refused(client, assessment, manager):
    send(client, assessment)
    client.force_login(manager)

    response = client.post(assessment.get_absolute_url(), {
        "action": "add_goal", "goal-text": "For sent", "goal-action": "task",
        "goal-deadline": "2020-01-01",
    })

    assert response.status_code == 200
    assert "goal-deadline" in response.content.decode()
    assert response.context["goal_form"].errors["deadline"]
    assert not DevelopmentGoal.objects.exists()


def test_facilitator_sees_who_has_sent_but_no_answers(client, assessment, facilitator):
    send(client, assessment)
    client.force_login(facilitator)

    status = client.get(reverse("competencies:round", args=[assessment.round_id]))

    assert client.get(assessment.get_absolute_url()).status_code == 404
    html = status.content.decode()
    assert str(assessment.agent.user) in html and "Formidling" not in html


def test_heatmap_hides_groups_smaller_than_three(client, framework, facilitator, department):
    department.name = "Skole & <SFO>"
    department.save()
    agents = factories.AgentFactory.create_batch(4, department=department)
    mus_round = services.open_round(year=2027, framework=framework)
    first = framework.areas.first().competencies.first()
    for index, agent in enumerate(agents):
        assessment = mus_round.assessments.get(agent=agent)
        Rating.objects.filter(assessment=assessment).update(self_level=3 if index < 3 else 1)
        Assessment.objects.filter(pk=assessment.pk).update(
            status="sent", in_coverage=True, coverage_department=department,
            in_town_coverage=True, coverage_location=agent.location,
        )
    client.force_login(facilitator)

    response = client.get(reverse("competencies:heatmap", args=[mus_round.pk]))

    coverage = response.context["coverage"]
    row = next(r for r in coverage["rows"] if r["competency"] == first)
    assert row["cells"] == [None, 0, 3, 0]
    jobcenter = next(d for d in coverage["departments"] if d["department"] == department.name)
    assert jobcenter["cells"][0] == 2.5
    html = response.content.decode()
    # Each count shaded by its size; a group too small to show is hidden.
    assert (
        f'<th scope="row">{first.name}</th><td class="text-center heat-hidden">·</td>'
        '<td class="text-center heat-0">0</td><td class="text-center heat-2">3</td>'
        '<td class="text-center heat-0">0</td><td class="text-center">–</td>'
    ) in html
    shown = "Skole &amp; &lt;SFO&gt;"
    assert f'<th scope="row">{shown}</th><td class="text-center">2,5</td>' in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("competencies:heatmap", args=[mus_round.pk])).content.decode()
    assert f'<th scope="row">{shown}</th><td class="text-center">2.5</td>' in english


def test_coverage_counts_only_sent_self_assessments_of_the_round(framework, department):
    """A department's average takes the relevant levels of its sent assessments, once at
    least three agents gave one; "not relevant" counts as an answer, not as a level."""
    small = factories.DepartmentFactory(name="Økonomi")
    levels = {department: [4, 2, 3, 0], small: [4, 4, 0]}
    agents = {d: factories.AgentFactory.create_batch(len(v), department=d)
              for d, v in levels.items()}
    draft = factories.AgentFactory(department=department)
    earlier = services.open_round(year=2026, framework=framework)
    mus_round = services.open_round(year=2027, framework=framework)
    first = framework.areas.first().competencies.first()
    for d, values in levels.items():
        for agent, level in zip(agents[d], values, strict=True):
            assessment = mus_round.assessments.get(agent=agent)
            Rating.objects.filter(assessment=assessment, competency=first).update(
                self_level=level)
            Assessment.objects.filter(pk=assessment.pk).update(
                status="sent", in_coverage=True, coverage_department=d,
                in_town_coverage=True, coverage_location=agent.location)
    Rating.objects.filter(assessment__round=mus_round, assessment__agent=draft).update(
        self_level=4)
    Rating.objects.filter(assessment__round=earlier).update(self_level=1)
    Assessment.objects.filter(round=earlier).update(
        status="closed", in_coverage=True, coverage_department=department)

    coverage = services.coverage(mus_round)

    row = next(r for r in coverage["rows"] if r["competency"] == first)
    # levels 1-4 of the seven sent; the two "not relevant" are answers too
    assert (row["answered"], row["cells"]) == (7, [0, None, None, 3])
    by_name = {d["department"]: d["cells"][0] for d in coverage["departments"]}
    # Jobcenter: three relevant, 4, 2 and 3; Økonomi: only two relevant, hidden
    assert (by_name["Jobcenter"], by_name["Økonomi"]) == (3.0, None)


def test_unfinished_goals_carry_into_next_year(framework, assessment):
    assessment.status = "closed"
    assessment.save()
    DevelopmentGoal.objects.create(assessment=assessment, text="Fortsætter", status="running")
    DevelopmentGoal.objects.create(assessment=assessment, text="Nået", status="done")

    next_round = services.open_round(year=2027, framework=framework)

    carried = next_round.assessments.get(agent=assessment.agent).goals.all()
    assert [g.text for g in carried] == ["Fortsætter"]


@pytest.mark.parametrize("status", ["draft", "sent", "reviewed"])
def test_goals_of_a_review_that_never_closed_do_not_reach_the_agent_next_year(
    client, framework, assessment, status
):
    assessment.status = status
    assessment.save()
    # A goal agreed in an earlier talk and carried into this one; and one the manager wrote
    # into this year's review, which never closed.
    agreed = DevelopmentGoal.objects.create(assessment=assessment, text="Fra før", status="done")
    DevelopmentGoal.objects.create(assessment=assessment, text="Aftalt sidste år",
                                   status="running", carried_from=agreed)
    DevelopmentGoal.objects.create(assessment=assessment, text="Lederens udkast", status="open")

    next_round = services.open_round(year=2027, framework=framework)

    new = next_round.assessments.get(agent=assessment.agent)
    assert [g.text for g in new.goals.all()] == ["Aftalt sidste år"]
    client.force_login(assessment.agent.user)
    page = client.get(new.get_absolute_url()).content.decode()
    assert "Aftalt sidste år" in page and "Lederens udkast" not in page
    data = client.get(reverse("my_data")).content.decode()
    assert "Lederens udkast" not in data


@pytest.mark.parametrize("agents", [2, 30])
def test_opening_a_round_takes_the_same_queries_for_any_network(
    framework, django_assert_num_queries, agents
):
    network = factories.AgentFactory.create_batch(agents)
    factories.AgentFactory(is_active=False)
    last_year = services.open_round(year=2026, framework=framework)
    last_year.assessments.update(status="closed")
    for assessment in last_year.assessments.all():
        DevelopmentGoal.objects.create(assessment=assessment, text="Fortsætter", status="open")
    competencies = framework.areas.values("competencies").count()

    # A savepoint around: round, competencies, agents, assessments, ratings, last year's
    # goals, carried goals.
    with django_assert_num_queries(9):
        mus_round = services.open_round(year=2027, framework=framework)

    assert sorted(mus_round.assessments.values_list("agent_id", flat=True)) == sorted(
        a.pk for a in network
    )
    assert Rating.objects.filter(assessment__round=mus_round).count() == agents * competencies
    assert DevelopmentGoal.objects.filter(assessment__round=mus_round).count() == agents


def test_every_view_of_an_assessment_is_audited(client, assessment):
    client.force_login(assessment.agent.user)

    client.get(assessment.get_absolute_url())
    client.get(reverse("competencies:mus_pack", args=[assessment.pk]))

    assert list(AuditEntry.objects.order_by("at").values_list("action", flat=True)) == [
        "viewed", "printed",
    ]


def test_my_data_download(client, assessment):
    client.force_login(assessment.agent.user)
    factories.ProjectFactory(title="Mit projekt", lead=assessment.agent)

    response = client.get(reverse("my_data"))

    data = json.loads(response.content)
    assert data["profile"]["username"] == assessment.agent.user.username
    assert [p["title"] for p in data["projects"]] == ["Mit projekt"]
    assert data["assessments"][0]["year"] == 2026


def test_mus_pack_has_a_radar_chart(client, assessment):
    send(client, assessment)

    response = client.get(reverse("competencies:mus_pack", args=[assessment.pk]))

    assert response.content.decode().count("<polygon") >= 5


@pytest.mark.parametrize("size", [3, 30])
def test_manager_list_query_count(client, framework, manager, django_assert_num_queries, size):
    for agent in factories.AgentFactory.create_batch(size, manager=manager):
        agent.save()
    services.open_round(year=2026, framework=framework)
    client.force_login(manager)

    with django_assert_num_queries(5):
        response = client.get(reverse("competencies:team"))
    assert len(response.context["page"]) == min(size, 25)
    assert response.context["page"].paginator.count == size
    # A chosen round is one look-up more (is it a round?), whatever the team's size.
    round_id = MusRound.objects.get().pk
    with django_assert_num_queries(6):
        client.get(reverse("competencies:team"), {"round": round_id, "status": "draft"})


def test_manager_list_filters_by_round_and_status(client, framework, manager):
    _first, second = factories.AgentFactory.create_batch(2, manager=manager)
    services.open_round(year=2025, framework=framework)
    latest = services.open_round(year=2026, framework=framework)
    latest.assessments.filter(agent=second).update(status="sent")
    client.force_login(manager)

    waiting = client.get(reverse("competencies:team"), {"round": latest.pk, "status": "sent"})
    this_year = client.get(reverse("competencies:team"), {"round": latest.pk})
    none = client.get(reverse("competencies:team"), {"status": "closed"})

    assert [(a.agent, a.round.year) for a in waiting.context["page"]] == [(second, 2026)]
    assert {a.round.year for a in this_year.context["page"]} == {2026}
    assert len(this_year.context["page"]) == 2
    assert "Ingen vurdering passer til filteret." in none.content.decode()
    html = waiting.content.decode()
    assert f'<option value="{latest.pk}" selected>MUS 2026</option>' in html
    assert '<option value="sent" selected>Sendt til leder</option>' in html


def test_the_managers_list_is_a_tab_of_the_competency_pages_for_managers_only(
    client, manager, agent
):
    client.force_login(manager)
    team = client.get(reverse("competencies:team")).content.decode()
    profile = client.get(reverse("competencies:index")).content.decode()
    client.force_login(agent.user)
    agents_view = client.get(reverse("competencies:index")).content.decode()

    tab = f'href="{reverse("competencies:team")}" aria-current="page">Mine agenters vurderinger'
    assert tab in team
    assert f'href="{reverse("competencies:team")}">Mine agenters vurderinger' in profile
    assert reverse("competencies:team") not in agents_view


def test_manager_list_says_beside_the_field_when_a_round_does_not_exist(client, manager):
    client.force_login(manager)

    response = client.get(reverse("competencies:team"), {"round": "999999"})

    assert response.status_code == 200
    assert response.context["form"].errors["round"]
    assert 'id="id_round_error"' in response.content.decode()
    assert list(response.context["page"]) == []


def test_manager_list_pages_newest_round_first(client, framework, manager):
    agents = factories.AgentFactory.create_batch(20, manager=manager)
    services.open_round(year=2025, framework=framework)
    services.open_round(year=2026, framework=framework)
    client.force_login(manager)

    first = client.get(reverse("competencies:team"))
    second = client.get(reverse("competencies:team"), {"page": 2})

    assert [a.round.year for a in first.context["page"]] == [2026] * 20 + [2025] * 5
    assert len(second.context["page"]) == 15
    assert {a.agent for a in second.context["page"]} <= set(agents)


def test_assessment_and_heatmap_query_counts_are_fixed(
    client, assessment, facilitator, django_assert_max_num_queries
):
    client.force_login(assessment.agent.user)
    with django_assert_max_num_queries(15):
        client.get(assessment.get_absolute_url())
    client.force_login(facilitator)
    counts = []
    for _ in range(2):
        factories.AgentFactory.create_batch(10)
        cache.clear()  # both count, as on a round's first view
        with django_assert_max_num_queries(12) as captured:
            client.get(reverse("competencies:heatmap", args=[assessment.round_id]))
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_heatmap_moves_on_only_in_batches_of_three_of_a_department(
    client, framework, facilitator
):
    """Comparing the map before and after one person sends must not show their levels: a
    sent self-assessment comes into the map only with two more of its department, and it
    stays counted under the department it was sent from."""
    jobcenter, economy = (factories.DepartmentFactory(name=n) for n in ("Jobcenter", "Økonomi"))
    agents = factories.AgentFactory.create_batch(6, department=jobcenter)
    mus_round = services.open_round(year=2027, framework=framework)
    first = framework.areas.first().competencies.first()
    for agent in agents[:3]:
        send(client, mus_round.assessments.get(agent=agent))
    client.force_login(facilitator)
    url = reverse("competencies:heatmap", args=[mus_round.pk])

    def shown():
        coverage = client.get(url).context["coverage"]
        cells = {d["department"]: d["cells"] for d in coverage["departments"]}
        return cells["Jobcenter"], cells["Økonomi"], [r["cells"] for r in coverage["rows"]]

    before = shown()
    assert (before[0][0], before[1][0]) == (3.0, None)
    assert shown() == before

    def send_level(agent, level):
        assessment = mus_round.assessments.get(agent=agent)
        client.force_login(agent.user)
        client.post(assessment.get_absolute_url(), agent_post(assessment, level=level,
                                                               action="send"))
        client.force_login(facilitator)

    send_level(agents[3], 1)
    assert shown() == before
    for agent in agents[:3]:
        agent.department = economy
        agent.save()
    assert shown() == before
    send_level(agents[4], 1)
    assert shown() == before

    send_level(agents[5], 1)

    jobcenter_cells, economy_cells, _rows = shown()
    assert (jobcenter_cells[0], economy_cells[0]) == (2.0, None)
    assert first.name in client.get(url).content.decode()
    assert "mindst 3 flere fra samme by" in client.get(url).content.decode()


def test_heatmap_counts_again_after_a_while(
    client, framework, facilitator, department, monkeypatch
):
    """A change made around the application (here: straight in the database) is seen once
    the counts are COVERAGE_KEPT seconds old."""
    agents = factories.AgentFactory.create_batch(3, department=department)
    mus_round = services.open_round(year=2027, framework=framework)
    for agent in agents:
        send(client, mus_round.assessments.get(agent=agent))
    client.force_login(facilitator)
    url = reverse("competencies:heatmap", args=[mus_round.pk])
    monkeypatch.setattr(services, "COVERAGE_KEPT", 2)

    def cell():
        departments = client.get(url).context["coverage"]["departments"]
        return next(d["cells"][0] for d in departments if d["department"] == department.name)

    assert cell() == 3.0
    Rating.objects.filter(assessment__round=mus_round).update(self_level=1)
    assert cell() == 3.0
    time.sleep(2.1)
    assert cell() == 1.0


def test_manager_updates_a_goals_status_later(client, assessment, manager):
    send(client, assessment)
    goal = DevelopmentGoal.objects.create(assessment=assessment, text="Diplommodul")
    client.force_login(manager)

    client.post(assessment.get_absolute_url(), {"action": "save", f"g{goal.pk}-status": "done"})
    refused = client.post(assessment.get_absolute_url(),
                          {"action": "save", f"g{goal.pk}-status": "forgotten"})

    goal.refresh_from_db()
    assert goal.status == "done"
    assert refused.status_code == 200
    assert refused.context["goal_rows"][0][1].errors


def test_agent_cannot_change_a_goals_status(client, assessment):
    goal = DevelopmentGoal.objects.create(assessment=assessment, text="Diplommodul")
    client.force_login(assessment.agent.user)

    client.post(assessment.get_absolute_url(),
                {**agent_post(assessment), f"g{goal.pk}-status": "done"})

    goal.refresh_from_db()
    assert goal.status == "open"


def test_heat_of_a_count_of_agents():
    from competencies.views import _heat

    counts = (None, 0, 1, 2, 3, 5, 6, 40)
    assert [_heat(count) for count in counts] == ["hidden", 0, 1, 1, 2, 2, 3, 3]


def test_last_years_levels_come_from_the_agents_latest_earlier_round(
    framework, agent, other_agent, django_assert_num_queries
):
    rounds = {year: services.open_round(year=year, framework=framework)
              for year in (2024, 2025, 2026)}
    for year, mus_round in rounds.items():
        for rating in Rating.objects.filter(assessment__round=mus_round):
            mine = rating.assessment.agent_id == agent.pk
            rating.self_level = year - 2022 if mine else 1  # 2, 3, 4 for the agent
            rating.manager_level = 4 if mine and year == 2025 else None
            rating.save()
    Assessment.objects.update(status="closed")
    now = rounds[2026].assessments.get(agent=agent)
    first = rounds[2024].assessments.get(agent=agent)

    with django_assert_num_queries(1):
        levels = services.previous_levels(now, role="agent")
    with django_assert_num_queries(1):
        none = services.previous_levels(first, role="agent")

    names = set(Rating.objects.filter(assessment=now).values_list("competency__name", flat=True))
    assert levels == dict.fromkeys(names, (3, 4)) and names
    assert none == {}


def test_agent_with_a_carried_goal_fills_in_and_sends(client, framework, assessment):
    assessment.status = "closed"
    assessment.save()
    DevelopmentGoal.objects.create(assessment=assessment, text="Modul i projektledelse",
                                   status="running")
    next_round = services.open_round(year=2027, framework=framework)
    carried = next_round.assessments.get(agent=assessment.agent)
    client.force_login(carried.agent.user)

    page = client.get(carried.get_absolute_url())
    sent = client.post(carried.get_absolute_url(), agent_post(carried, action="send"),
                       follow=True)

    assert "Modul i projektledelse" in page.content.decode()
    assert "overført fra sidste år" in page.content.decode()
    assert "Din selvevaluering er sendt til din leder." in sent.content.decode()
    carried.refresh_from_db()
    assert carried.status == "sent"


def review(client, assessment, manager, *, action="save"):
    """The manager's levels (2), comments and summary on a sent assessment."""
    data = {"action": action, "manager_summary": "Udkast til lederens ord",
            "manager_private_note": "", "confirm": "on"}
    for rating in assessment.ratings.all():
        data[f"r{rating.pk}-level"] = 2
        data[f"r{rating.pk}-comment"] = "Lederens halve tanke"
    client.force_login(manager)
    client.post(assessment.get_absolute_url(), data)
    assessment.refresh_from_db()


def test_the_agent_sees_no_part_of_a_review_that_is_not_closed(client, assessment, manager):
    send(client, assessment)
    review(client, assessment, manager)
    DevelopmentGoal.objects.create(assessment=assessment, text="Lederens forslag til mål")
    assessment.courses.add(Course.objects.create(name="Kursus under overvejelse"))
    assert assessment.status == "reviewed"
    client.force_login(assessment.agent.user)

    page = client.get(assessment.get_absolute_url()).content.decode()
    pack = client.get(reverse("competencies:mus_pack", args=[assessment.pk]))
    data = json.loads(client.get(reverse("my_data")).content)

    for html in (page, pack.content.decode()):
        for unfinished in ("Udkast til lederens ord", "Lederens halve tanke",
                           "Lederens forslag til mål", "Kursus under overvejelse"):
            assert unfinished not in html
    assert "stroke-dasharray" not in pack.content.decode()
    mine = data["assessments"][0]
    assert mine["manager_summary"] == "" and mine["goals"] == [] and mine["courses"] == []
    assert {(r["manager_level"], r["manager_comment"]) for r in mine["ratings"]} == {(None, "")}
    assert {r["self_level"] for r in mine["ratings"]} == {3}


def test_the_agent_sees_the_review_once_it_is_closed(client, assessment, manager):
    send(client, assessment)
    DevelopmentGoal.objects.create(assessment=assessment, text="Aftalt mål")
    review(client, assessment, manager, action="close")
    assert assessment.status == "closed"
    client.force_login(assessment.agent.user)

    page = client.get(assessment.get_absolute_url()).content.decode()
    data = json.loads(client.get(reverse("my_data")).content)

    assert "Udkast til lederens ord" in page and "Aftalt mål" in page
    mine = data["assessments"][0]
    assert mine["manager_summary"] == "Udkast til lederens ord"
    assert [g["text"] for g in mine["goals"]] == ["Aftalt mål"]
    assert {r["manager_level"] for r in mine["ratings"]} == {2}


def test_last_year_shows_only_a_closed_review(client, framework, assessment, manager):
    send(client, assessment)
    review(client, assessment, manager)  # reviewed, never closed
    next_round = services.open_round(year=2027, framework=framework)
    this_year = next_round.assessments.get(agent=assessment.agent)
    client.force_login(assessment.agent.user)

    page = client.get(this_year.get_absolute_url())
    pack = client.get(reverse("competencies:mus_pack", args=[this_year.pk]))

    assert {row["last"] for row in page.context["rows"]} == {(None, None)}
    assert {row["last"] for row in pack.context["rows"]} == {(None, None)}
    Assessment.objects.filter(pk=assessment.pk).update(status="closed")
    page = client.get(this_year.get_absolute_url())
    assert {row["last"] for row in page.context["rows"]} == {(3, 2)}


def test_personal_pages_are_not_kept_in_any_cache(client, assessment):
    client.force_login(assessment.agent.user)
    pages = [assessment.get_absolute_url(),
             reverse("competencies:mus_pack", args=[assessment.pk]),
             reverse("my_data")]

    for url in pages:
        assert "no-store" in client.get(url)["Cache-Control"], url
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    audit = client.get(reverse("admin:competencies_auditentry_changelist"))
    assert "no-store" in audit["Cache-Control"]


def test_downloading_my_data_is_audited(client, assessment):
    client.force_login(assessment.agent.user)

    client.get(reverse("my_data"))

    entry = AuditEntry.objects.get()
    assert (entry.user, entry.action) == (assessment.agent.user, "downloaded")


def test_refused_attempts_at_an_assessment_are_audited(client, assessment, other_agent):
    client.force_login(other_agent.user)

    client.get(assessment.get_absolute_url())
    client.post(reverse("competencies:mus_pack", args=[assessment.pk]))
    client.get(reverse("competencies:assessment", args=[assessment.pk + 1000]))

    entries = AuditEntry.objects.order_by("pk")
    assert [(e.user, e.action, e.assessment) for e in entries] == [
        (other_agent.user, "refused", assessment),
        (other_agent.user, "refused", assessment),
        (other_agent.user, "refused", None),
    ]
    assert entries.last().detail == f"#{assessment.pk + 1000}"


def test_a_new_manager_sees_only_the_rounds_they_manage(client, framework, assessment, manager):
    send(client, assessment)
    review(client, assessment, manager, action="close")
    Assessment.objects.filter(pk=assessment.pk).update(manager_private_note="Gammel note")
    new_manager = factories.ManagerFactory(first_name="Nina")
    agent = assessment.agent
    agent.manager = new_manager
    agent.save()
    this_year = services.open_round(year=2027, framework=framework).assessments.get(agent=agent)
    send(client, this_year)

    client.force_login(new_manager)
    new_list = client.get(reverse("competencies:team"))
    new_page = client.get(this_year.get_absolute_url())
    old_for_new = client.get(assessment.get_absolute_url())
    old_pack_for_new = client.get(reverse("competencies:mus_pack", args=[assessment.pk]))
    client.force_login(manager)
    old_list = client.get(reverse("competencies:team"))
    old_page = client.get(assessment.get_absolute_url())
    new_for_old = client.get(this_year.get_absolute_url())
    client.force_login(agent.user)
    mine = client.get(reverse("competencies:index")).content.decode()

    assert [a.round.year for a in new_list.context["page"]] == [2027]
    assert (old_for_new.status_code, old_pack_for_new.status_code) == (404, 404)
    assert "Gammel note" not in new_page.content.decode()
    # The last year beside this one is a review of someone else's: not shown to the new one.
    assert {row["last"] for row in new_page.context["rows"]} == {(None, None)}
    assert [a.round.year for a in old_list.context["page"]] == [2026]
    assert old_page.context["assessment"] == assessment
    assert "Formidling" in old_page.content.decode()
    assert new_for_old.status_code == 404
    assert assessment.get_absolute_url() in mine and this_year.get_absolute_url() in mine


def test_a_review_in_progress_moves_to_the_new_manager_when_the_manager_changes(
    client, framework, assessment, manager, facilitator
):
    from agents.services import change_manager

    send(client, assessment)
    review(client, assessment, manager, action="close")
    this_year = services.open_round(year=2027, framework=framework).assessments.get(
        agent=assessment.agent
    )
    send(client, this_year)
    review(client, this_year, manager)  # saved, not closed
    new_manager = factories.ManagerFactory(first_name="Nina")

    change_manager(assessment.agent, new_manager, by=facilitator, how="portal")

    this_year.refresh_from_db()
    assessment.refresh_from_db()
    assert (this_year.manager, assessment.manager) == (new_manager, manager)
    client.force_login(new_manager)
    page = client.get(this_year.get_absolute_url())
    assert "Udkast til lederens ord" in page.content.decode()
    assert client.get(assessment.get_absolute_url()).status_code == 404
    client.force_login(manager)
    assert client.get(this_year.get_absolute_url()).status_code == 404
    assert client.get(assessment.get_absolute_url()).status_code == 200


def test_a_draft_goes_to_the_manager_of_the_day_it_is_sent(client, assessment, manager):
    new_manager = factories.ManagerFactory()
    agent = assessment.agent
    agent.manager = new_manager
    agent.save()
    client.force_login(new_manager)
    waiting = client.get(reverse("competencies:team"))
    assert [a.agent for a in waiting.context["page"]] == [agent]

    send(client, assessment)

    assert assessment.manager == new_manager
    client.force_login(new_manager)
    assert client.get(assessment.get_absolute_url()).status_code == 200
    start = client.get(reverse("home")).content.decode()
    assert f"Selvevalueringen fra {agent.user.first_name} venter på din vurdering" in start
    client.force_login(manager)
    assert client.get(assessment.get_absolute_url()).status_code == 404
    assert list(client.get(reverse("competencies:team")).context["page"]) == []


def test_the_manager_of_existing_assessments_is_the_agents_manager_of_today(
    assessment, manager
):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("competencies.migrations.0004_assessment_manager")
    Assessment.objects.update(manager=None)

    migration.record_todays_managers(apps, None)

    assert Assessment.objects.get(pk=assessment.pk).manager == manager
    assert Assessment.objects.exclude(pk=assessment.pk).get().manager is None
