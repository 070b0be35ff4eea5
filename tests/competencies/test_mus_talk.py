"""The MUS talk as it is run: the agent's own words, what stays after closing, the scale
explained, goals with their courses, the manager's team, coverage by town, late joiners and
confirmation before what cannot be undone."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from agents.models import Agent
from competencies import services
from competencies.models import Assessment, Competency, Course, MusRound
from tests import factories
from tests.competencies.test_competencies import agent_post, review

pytestmark = pytest.mark.django_db

OWN_WORDS = {
    "strengths": "Formidling – jeg kan forklare RPA for alle",
    "improve": "Projektledelse af store projekter",
    "role_wishes": "Flere opgaver med udrulning",
    "education_wishes": "Diplommodulet Ledelse af digitale forandringer",
}


def send_with_words(client, assessment, **extra):
    client.force_login(assessment.agent.user)
    data = {**agent_post(assessment, action="send", confirm="on"), **OWN_WORDS, **extra}
    client.post(assessment.get_absolute_url(), data)
    assessment.refresh_from_db()


def test_the_agents_own_words_go_through_review_pack_and_download(client, assessment, manager):
    client.force_login(assessment.agent.user)
    form = client.get(assessment.get_absolute_url()).content.decode()
    assert "Min stærkeste kompetence og hvorfor" in form
    assert "Ønsker til opgaver og roller" in form

    send_with_words(client, assessment)
    assert assessment.status == "sent"
    assert assessment.role_wishes == OWN_WORDS["role_wishes"]
    sent_view = client.get(assessment.get_absolute_url()).content.decode()
    client.force_login(manager)
    review_page = client.get(assessment.get_absolute_url()).content.decode()
    pack = client.get(reverse("competencies:mus_pack", args=[assessment.pk])).content.decode()
    client.force_login(assessment.agent.user)
    data = json.loads(client.get(reverse("my_data")).content)

    for html in (sent_view, review_page, pack):
        for words in OWN_WORDS.values():
            assert words in html
    mine = data["assessments"][0]
    assert {name: mine[name] for name in OWN_WORDS} == OWN_WORDS


def test_the_own_words_are_kept_per_year(client, framework, assessment):
    send_with_words(client, assessment)
    Assessment.objects.filter(pk=assessment.pk).update(status="closed")

    next_year = services.open_round(year=2027, framework=framework).assessments.get(
        agent=assessment.agent
    )
    send_with_words(client, next_year, strengths="Teknologiforståelse")

    assessment.refresh_from_db()
    assert assessment.strengths == OWN_WORDS["strengths"]
    assert next_year.strengths == "Teknologiforståelse"


def close_with_everything(client, assessment, manager):
    send_with_words(client, assessment)
    course = Course.objects.create(name="Ledelse af digitale forandringer", provider="VIA")
    client.force_login(manager)
    data = {"action": "close", "confirm": "on", "mus_date": "2026-12-10",
            "manager_summary": "Et flot år med RPA", "manager_private_note": "Tal om løn"}
    for rating in assessment.ratings.all():
        data[f"r{rating.pk}-level"] = 2
        data[f"r{rating.pk}-comment"] = "Lederens kommentar"
    client.post(assessment.get_absolute_url(), {
        **data, "action": "add_goal", "goal-text": "Tag modulet i forandringsledelse",
        "goal-action": "task", "goal-course": course.pk,
    })
    client.post(assessment.get_absolute_url(), data)
    assessment.refresh_from_db()
    assert assessment.status == "closed"


def test_after_closing_the_manager_still_sees_everything_read_only(client, assessment, manager):
    close_with_everything(client, assessment, manager)

    page = client.get(assessment.get_absolute_url()).content.decode()

    for shown in ("Et flot år med RPA", "Tal om løn", "10.12.2026", "Lederens kommentar",
                  "Ledelse af digitale forandringer", "Tag modulet i forandringsledelse",
                  OWN_WORDS["education_wishes"]):
        assert shown in page
    assert "<select" not in page and "<textarea" not in page


def test_after_closing_the_agent_rereads_what_was_agreed_and_sent(client, assessment, manager):
    close_with_everything(client, assessment, manager)
    client.force_login(assessment.agent.user)

    page = client.get(assessment.get_absolute_url()).content.decode()

    for shown in ("Et flot år med RPA", "10.12.2026", "Lederens kommentar",
                  "Ledelse af digitale forandringer", "Tag modulet i forandringsledelse",
                  *OWN_WORDS.values()):
        assert shown in page
    assert "Tal om løn" not in page


def test_before_closing_the_agent_sees_what_they_sent_but_no_review(client, assessment, manager):
    send_with_words(client, assessment)
    review(client, assessment, manager)
    client.force_login(assessment.agent.user)

    page = client.get(assessment.get_absolute_url()).content.decode()

    assert OWN_WORDS["role_wishes"] in page
    assert "Udkast til lederens ord" not in page
    assert "Lederens vurdering" not in page


def test_the_scale_is_explained_beside_the_choice(client, assessment):
    level = assessment.framework.levels.get(value=2)
    client.force_login(assessment.agent.user)

    page = client.get(assessment.get_absolute_url()).content.decode()

    assert level.description in page
    assert 'aria-describedby="scale"' in page
    assert "Kompetencen er ikke en del af min rolle." in page


def test_the_scale_and_every_rows_levels_come_from_one_query(
    client, assessment, manager, django_assert_num_queries
):
    """The manager's review: the scale above the table and each competency's level choice read
    the framework's levels once, so the page's queries stay fixed."""
    client.force_login(assessment.agent.user)
    client.post(assessment.get_absolute_url(), agent_post(assessment, action="send"))
    client.force_login(manager)
    levels = [f"{level.value} – {level.label}" for level in assessment.framework.levels.all()]

    with django_assert_num_queries(9):
        page = client.get(assessment.get_absolute_url()).content.decode()

    rows = assessment.ratings.count()
    for label in levels:
        assert f'<dt class="col-sm-3">{label}</dt>' in page
        assert page.count(f">{label}</option>") == rows
    # The agent's own level, sent as 3, beside the manager's choice.
    assert page.count("<td>3 – ") == rows


def last_year_closed(client, framework, assessment, manager):
    """Last year's talk closed with the agent at 3 and the manager at 2; this year's sent at 4
    and reviewed at 1."""
    send_with_words(client, assessment)
    review(client, assessment, manager)
    Assessment.objects.filter(pk=assessment.pk).update(status="closed")
    this_year = services.open_round(year=2027, framework=framework).assessments.get(
        agent=assessment.agent
    )
    client.force_login(this_year.agent.user)
    client.post(this_year.get_absolute_url(),
                agent_post(this_year, level=4, action="send", confirm="on"))
    this_year.refresh_from_db()
    return this_year


def test_last_year_says_whose_level_is_which(client, framework, assessment, manager):
    this_year = last_year_closed(client, framework, assessment, manager)
    client.force_login(manager)

    page = client.get(this_year.get_absolute_url()).content.decode()
    pack = client.get(reverse("competencies:mus_pack", args=[this_year.pk])).content.decode()

    for html in (page, pack):
        assert "Agent: 3</span>, <span class=\"text-nowrap\">leder: 2" in html


def test_the_radar_draws_three_distinguishable_lines_with_a_legend(
    client, framework, assessment, manager
):
    this_year = last_year_closed(client, framework, assessment, manager)
    review(client, this_year, manager)
    client.force_login(manager)

    pack = client.get(reverse("competencies:mus_pack", args=[this_year.pk])).content.decode()

    count = this_year.ratings.count()
    self_line = pack.split('<g class="radar-self">')[1].split("</g>")[0]
    manager_line = pack.split('<g class="radar-manager">')[1].split("</g>")[0]
    last_line = pack.split('<g class="radar-last">')[1].split("</g>")[0]
    assert "stroke-dasharray" not in self_line and self_line.count("<circle") == count
    assert 'stroke-dasharray="8 4"' in manager_line and manager_line.count("<rect") == count
    assert 'stroke-dasharray="2 3"' in last_line and last_line.count("<polygon") == count + 1
    for legend in ("egen vurdering (fuldt optrukket linje, cirkler)",
                   "lederens vurdering (stiplet linje, firkanter)",
                   "det aftalte niveau (prikket linje, trekanter)"):
        assert legend in pack


def test_the_radar_leaves_out_lines_without_levels(client, assessment):
    client.force_login(assessment.agent.user)
    client.post(assessment.get_absolute_url(), agent_post(assessment, level=2))

    pack = client.get(reverse("competencies:mus_pack", args=[assessment.pk])).content.decode()

    assert 'class="radar-self"' in pack
    assert 'class="radar-manager"' not in pack and 'class="radar-last"' not in pack


def test_a_goal_is_reached_through_the_course_chosen_with_it(client, assessment, manager):
    close_with_everything(client, assessment, manager)

    goal = assessment.goals.get()
    assert (goal.course.name, goal.action) == ("Ledelse af digitale forandringer", "course")
    pack = client.get(reverse("competencies:mus_pack", args=[assessment.pk])).content.decode()
    assert ("Tag modulet i forandringsledelse (kursus, kursus: Ledelse af digitale "
            "forandringer (VIA)") in pack
    client.force_login(assessment.agent.user)
    data = json.loads(client.get(reverse("my_data")).content)
    assert data["assessments"][0]["goals"][0]["course"] == "Ledelse af digitale forandringer"


def test_the_review_form_chooses_courses_in_goals_only(client, assessment, manager):
    send_with_words(client, assessment)
    Course.objects.create(name="Formidling med effekt")
    client.force_login(manager)

    page = client.get(assessment.get_absolute_url()).content.decode()

    assert 'name="goal-course"' in page
    assert 'name="courses"' not in page


def test_courses_chosen_for_the_assessment_before_goals_had_them_stay_readable(
    client, assessment, manager
):
    send_with_words(client, assessment)
    assessment.courses.add(Course.objects.create(name="Gammelt kursusvalg"))
    Assessment.objects.filter(pk=assessment.pk).update(status="closed")
    client.force_login(assessment.agent.user)

    page = client.get(assessment.get_absolute_url()).content.decode()
    pack = client.get(reverse("competencies:mus_pack", args=[assessment.pk])).content.decode()

    assert "Gammelt kursusvalg" in page and "Gammelt kursusvalg" in pack


def test_a_carried_goal_keeps_its_course(client, framework, assessment, manager):
    close_with_everything(client, assessment, manager)

    next_year = services.open_round(year=2027, framework=framework).assessments.get(
        agent=assessment.agent
    )

    assert next_year.goals.get().course.name == "Ledelse af digitale forandringer"


def closed_assessment(framework, agent, manager, *, year, level):
    """A closed talk of `year` in which `manager` agreed `level` everywhere."""
    mus_round = MusRound.objects.filter(year=year).first() or services.open_round(
        year=year, framework=framework
    )
    assessment, _created = Assessment.objects.get_or_create(
        agent=agent, round=mus_round, defaults={"framework": framework}
    )
    if not assessment.ratings.exists():
        for competency in Competency.objects.of_framework(framework):
            assessment.ratings.create(competency=competency)
    assessment.ratings.update(self_level=level, manager_level=level)
    Assessment.objects.filter(pk=assessment.pk).update(status="closed", manager=manager)
    return assessment


def test_the_team_table_shows_the_agreed_levels_of_the_latest_closed_talk(
    client, framework, manager, agent
):
    agent.manager = manager
    agent.save()
    closed_assessment(framework, agent, manager, year=2025, level=2)
    closed_assessment(framework, agent, manager, year=2026, level=4)
    services.open_round(year=2027, framework=framework)  # this year's, not closed yet
    client.force_login(manager)

    response = client.get(reverse("competencies:team_profiles"))

    (row,) = response.context["rows"]
    assert row["agent"] == agent and row["assessment"].round.year == 2026
    assert set(row["levels"]) == {4}
    html = response.content.decode()
    assert "Mette Skovgaard" in html and "MUS 2026" in html


def test_the_team_table_holds_only_the_managers_own_agents_and_talks(
    client, framework, manager, agent, other_agent
):
    earlier_manager = factories.ManagerFactory(username="anne")
    agent.manager = manager
    agent.save()
    other_agent.manager = earlier_manager
    other_agent.save()
    # The agent's only closed talk was with an earlier manager; the other agent is not theirs.
    closed_assessment(framework, agent, earlier_manager, year=2025, level=3)
    closed_assessment(framework, other_agent, earlier_manager, year=2025, level=1)
    client.force_login(manager)

    response = client.get(reverse("competencies:team_profiles"))

    (row,) = response.context["rows"]
    assert row["agent"] == agent and row["assessment"] is None
    html = response.content.decode()
    assert "Peter Thygesen" not in html
    assert "Endnu ingen afsluttet samtale med dig." in html


@pytest.mark.parametrize("who", ["agent", "facilitator", "plain_user"])
def test_the_team_table_is_a_404_for_anyone_but_a_manager(client, request, who):
    person = request.getfixturevalue(who)
    client.force_login(getattr(person, "user", person))

    assert client.get(reverse("competencies:team_profiles")).status_code == 404


@pytest.mark.parametrize("size", [2, 12])
def test_the_team_tables_query_count_is_fixed(
    client, framework, manager, django_assert_num_queries, size
):
    for agent in factories.AgentFactory.create_batch(size, manager=manager):
        closed_assessment(framework, agent, manager, year=2026, level=3)
    client.force_login(manager)

    with django_assert_num_queries(7):
        response = client.get(reverse("competencies:team_profiles"))
    assert len(response.context["rows"]) == size


def test_sending_without_the_confirmation_does_nothing(client, assessment):
    client.force_login(assessment.agent.user)
    data = {**agent_post(assessment, level=2, action="send"), **OWN_WORDS}
    del data["confirm"]

    response = client.post(assessment.get_absolute_url(), data)

    assessment.refresh_from_db()
    assert assessment.status == "draft" and assessment.sent_at is None
    assert set(assessment.ratings.values_list("self_level", flat=True)) == {None}
    assert assessment.strengths == ""
    html = response.content.decode()
    assert "Intet er gemt: sæt kryds for at bekræfte først." in html
    assert "Sæt kryds her for at sende." in html
    assert "Jeg er klar til at sende" in html
    # What was typed stays in the form.
    assert OWN_WORDS["improve"] in html


def test_closing_without_the_confirmation_does_nothing(client, assessment, manager):
    send_with_words(client, assessment)
    client.force_login(manager)
    data = {"action": "close", "manager_summary": "Et flot år"}
    for rating in assessment.ratings.all():
        data[f"r{rating.pk}-level"] = 2

    response = client.post(assessment.get_absolute_url(), data)

    assessment.refresh_from_db()
    assert assessment.status == "sent" and assessment.closed_at is None
    assert assessment.manager_summary == ""
    assert set(assessment.ratings.values_list("manager_level", flat=True)) == {None}
    html = response.content.decode()
    assert "Jeg er klar til at afslutte vurderingen" in html
    assert "Sæt kryds her for at bekræfte." in html


def test_saving_needs_no_confirmation(client, assessment):
    client.force_login(assessment.agent.user)

    client.post(assessment.get_absolute_url(), {**agent_post(assessment, level=2), **OWN_WORDS})

    assessment.refresh_from_db()
    assert assessment.status == "draft" and assessment.improve == OWN_WORDS["improve"]


def this_years_round(framework):
    return services.open_round(year=timezone.localdate().year, framework=framework)


def test_an_agent_who_joins_while_a_round_is_open_gets_their_assessment(
    client, framework, agent, manager
):
    mus_round = this_years_round(framework)
    newcomer = factories.AgentFactory(manager=manager, user__first_name="Nanna")

    client.force_login(newcomer.user)
    page = client.get(reverse("competencies:index")).content.decode()

    assessment = mus_round.assessments.get(agent=newcomer)
    assert (assessment.status, assessment.manager) == ("draft", manager)
    assert assessment.ratings.count() == Competency.objects.of_framework(framework).count()
    assert assessment.get_absolute_url() in page


def test_an_agent_made_active_again_is_included_when_the_round_status_loads(
    client, framework, agent, facilitator
):
    returning = factories.AgentFactory(is_active=False, user__first_name="Bo")
    mus_round = this_years_round(framework)
    assert not mus_round.assessments.filter(agent=returning).exists()
    returning.is_active = True
    returning.save()
    client.force_login(facilitator)

    page = client.get(reverse("competencies:round", args=[mus_round.pk])).content.decode()

    assert mus_round.assessments.filter(agent=returning).count() == 1
    assert returning.user.get_full_name() in page
    client.get(reverse("competencies:round", args=[mus_round.pk]))
    assert mus_round.assessments.filter(agent=returning).count() == 1


def test_late_joiners_are_not_added_to_a_past_round_nor_when_inactive(
    client, framework, agent
):
    past = services.open_round(year=timezone.localdate().year - 1, framework=framework)
    current = this_years_round(framework)
    inactive = factories.AgentFactory(is_active=False)
    newcomer = factories.AgentFactory()
    client.force_login(agent.user)

    client.get(reverse("competencies:index"))

    assert not past.assessments.filter(agent=newcomer).exists()
    assert current.assessments.filter(agent=newcomer).exists()
    assert not current.assessments.filter(agent=inactive).exists()


def test_a_late_joiner_gets_their_unfinished_goal_carried_over(client, framework, agent):
    year = timezone.localdate().year
    last = closed_assessment(framework, agent, None, year=year - 1, level=2)
    last.goals.create(text="Fortsat mål", status="running")
    # The agent was away when this year's round opened.
    Agent.objects.filter(pk=agent.pk).update(is_active=False)
    current = this_years_round(framework)
    Agent.objects.filter(pk=agent.pk).update(is_active=True)
    client.force_login(agent.user)

    client.get(reverse("competencies:index"))

    assert current.assessments.get(agent=agent).goals.get().text == "Fortsat mål"


def test_with_nobody_missing_the_check_costs_two_queries(
    framework, agent, django_assert_num_queries
):
    this_years_round(framework)

    with django_assert_num_queries(2):
        services.include_late_joiners()


def network_of(framework, *, towns, departments, per_department):
    """Agents spread over departments and towns (round-robin), and this year's round."""
    places = [factories.LocationFactory(name=name) for name in towns]
    agents = []
    for d in range(departments):
        department = factories.DepartmentFactory(name=f"Afdeling {d:02}")
        for i in range(per_department):
            agents.append(factories.AgentFactory(
                department=department, location=places[(d * per_department + i) % len(places)]
            ))
    return agents, this_years_round(framework)


def send_level(client, mus_round, agent, level):
    assessment = mus_round.assessments.get(agent=agent)
    client.force_login(agent.user)
    client.post(assessment.get_absolute_url(), agent_post(assessment, level=level, action="send"))


def test_coverage_says_something_on_a_network_of_small_departments(
    client, framework, facilitator
):
    """24 agents in 12 departments of two: every department is too small, but the network
    and its two towns are not."""
    agents, mus_round = network_of(framework, towns=["Ringkøbing", "Skjern"],
                                   departments=12, per_department=2)
    for index, agent in enumerate(agents):
        send_level(client, mus_round, agent, 2 if index % 2 else 4)
    client.force_login(facilitator)

    response = client.get(reverse("competencies:heatmap", args=[mus_round.pk]))

    coverage = response.context["coverage"]
    assert {row["answered"] for row in coverage["rows"]} == {24}
    assert coverage["rows"][0]["cells"] == [0, 12, 0, 12]
    towns = {t["name"]: t["cells"][0] for t in coverage["towns"] if t["shown"]}
    assert towns == {"Ringkøbing": 4.0, "Skjern": 2.0}
    assert not any(d["shown"] for d in coverage["departments"])
    html = response.content.decode()
    assert "Gennemsnitligt niveau pr. by" in html and '<th scope="row">Skjern</th>' in html
    assert "Afdeling 00" not in html
    assert "12 mere har hver færre end 3 svar og vises ikke." in html


def test_the_coverage_moves_only_by_whole_batches_of_three_of_a_town(
    client, framework, facilitator
):
    """Comparing any two views never isolates fewer than three people: the network's and the
    towns' figures change only when three more of one town have sent."""
    agents, mus_round = network_of(framework, towns=["Ringkøbing", "Skjern"],
                                   departments=4, per_department=4)
    url = reverse("competencies:heatmap", args=[mus_round.pk])
    seen = []
    for index, agent in enumerate(agents):
        send_level(client, mus_round, agent, 1 + index % 4)
        client.force_login(facilitator)
        coverage = client.get(url).context["coverage"]
        seen.append(coverage["rows"][0]["answered"])
    answered = seen
    steps = [b - a for a, b in zip([0, *answered], answered, strict=False)]
    assert set(steps) <= {0, 3}  # whole batches only, each of at least three
    assert answered[-1] == 12  # four left waiting: two per town


def test_a_town_with_fewer_than_three_is_never_shown(client, framework, facilitator):
    agents, mus_round = network_of(framework, towns=["Ringkøbing", "Skjern", "Tarm"],
                                   departments=1, per_department=5)
    for agent in agents:
        send_level(client, mus_round, agent, 3)
    client.force_login(facilitator)

    coverage = client.get(reverse("competencies:heatmap", args=[mus_round.pk])).context[
        "coverage"
    ]

    # Five agents over three towns: 2, 2 and 1; no town reaches three.
    assert not any(t["shown"] for t in coverage["towns"])
    assert {row["answered"] for row in coverage["rows"]} == {0}
    assert coverage["departments"][0]["cells"][0] == 3.0
