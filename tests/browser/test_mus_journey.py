"""A manager prepares the MUS: levels for a sent self-assessment, a goal, and closing it."""

import re
from datetime import timedelta

from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from competencies.models import Assessment, DevelopmentGoal, MusRound
from tests.browser.helpers import assert_accessible, log_in, sign_in

LEVELS = ["3 – Behersker", "2 – Kan anvende", "4 – Kan lære fra sig"]
GOAL = "Tage diplommodulet Ledelse af digitale forandringer"


def sent_assessment_of_henriks_agent():
    # The demo gives each of Henrik's agents an assessment in a different state.
    return (
        Assessment.objects.filter(agent__manager__username="henrik", status="sent")
        .select_related("agent__user", "round")
        .order_by("-round__year", "agent__user__first_name")
        .first()
    )


def competencies_of(assessment):
    return list(
        assessment.ratings.order_by("competency__area__position", "competency__position")
        .values_list("competency__name", flat=True)
    )


def level_of(page, competency):
    """The manager's level field in the competency's row of the assessment."""
    return row_of(page, competency).get_by_label("Niveau")


def row_of(page, competency):
    # The row header names the competency, then its area.
    header = page.get_by_role("rowheader", name=re.compile(rf"^{re.escape(competency)} "))
    return page.locator("main form table tbody tr").filter(has=header)


def add_goal(page, deadline):
    goals = page.locator("#goals")
    goals.get_by_label("Mål").fill(GOAL)
    goals.get_by_label("Kompetence").select_option(label="Forandringsledelse")
    goals.get_by_label("Hvordan").select_option(label="Kursus")
    goals.get_by_label("Frist").fill(deadline.isoformat())
    goals.get_by_role("button", name="Tilføj mål").click()


def test_manager_rates_every_competency_adds_a_goal_and_closes_the_assessment(
    page, demo_network
):
    assessment = sent_assessment_of_henriks_agent()
    name = assessment.agent.user.get_full_name()
    competencies = competencies_of(assessment)
    deadline = timezone.localdate() + timedelta(days=120)

    sign_in(page, "henrik")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Kompetencer").click()
    page.get_by_role("link", name="Mine agenters vurderinger").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Mine agenters vurderinger")
    # The ones waiting for the manager's view, of the latest round.
    filters = page.get_by_role("search", name="Filtrér vurderingerne")
    filters.get_by_label("Runde").select_option(label=str(assessment.round))
    filters.get_by_label("Status").select_option(label="Sendt til leder")
    filters.get_by_role("button", name="Filtrér").click()
    expect(page).to_have_url(re.compile(rf"round={assessment.round.pk}&status=sent"))
    rows = page.locator("main table tbody tr")
    expect(rows.first).to_be_visible()
    for text in rows.all_inner_texts():
        assert "Sendt til leder" in text and str(assessment.round) in text
    row = page.get_by_role("row").filter(has_text=name).filter(has_text="Sendt til leder")
    expect(row).to_contain_text(str(assessment.round))
    row.get_by_role("link", name=name).click()

    expect(page).to_have_url(re.compile(rf"/kompetencer/vurdering/{assessment.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{assessment.round}: {name}")
    expect(page.locator("main .lead .badge")).to_have_text("Sendt til leder")
    expect(page.locator("main form table tbody th")).to_contain_text(competencies)
    for index, competency in enumerate(competencies):
        level_of(page, competency).select_option(label=LEVELS[index % len(LEVELS)])
    # The goal has a form of its own: what is not saved first is lost when it is added
    # (see test_levels_chosen_before_adding_a_goal_are_kept below).
    page.get_by_role("button", name="Gem", exact=True).click()

    expect(page.locator("main .messages")).to_contain_text("Gemt.")
    expect(page.locator("main .lead .badge")).to_have_text("Gennemgået")
    add_goal(page, deadline)

    expect(page.locator("main .messages")).to_contain_text("Målet er tilføjet.")
    expect(page.locator("#goals li").filter(has_text=GOAL)).to_contain_text(
        f"(kursus, Forandringsledelse, {date_format(deadline, 'SHORT_DATE_FORMAT')})"
    )
    for index, competency in enumerate(competencies):
        expect(level_of(page, competency).locator("option:checked")).to_have_text(
            LEVELS[index % len(LEVELS)]
        )

    # Closing cannot be undone: without the box ticked nothing happens.
    page.get_by_role("button", name="Gem og afslut vurderingen").click()
    expect(page.locator("main .messages")).to_contain_text(
        "Intet er gemt: sæt kryds for at bekræfte først."
    )
    expect(page.locator("main .lead .badge")).to_have_text("Gennemgået")
    page.get_by_label("Jeg er klar til at afslutte vurderingen").check()
    page.get_by_role("button", name="Gem og afslut vurderingen").click()

    expect(page.locator("main .messages")).to_contain_text("Vurderingen er afsluttet.")
    expect(page.locator("main .lead .badge")).to_have_text("Afsluttet")
    # Closed: the levels are shown, no longer asked for.
    expect(page.locator("main form select")).to_have_count(0)
    expect(page.get_by_role("button", name="Tilføj mål")).to_have_count(0)
    for index, competency in enumerate(competencies):
        manager_level = row_of(page, competency).locator("td").nth(2)
        expect(manager_level).to_have_text(LEVELS[index % len(LEVELS)])
    assert_accessible(page)

    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.CLOSED
    levels = dict(assessment.ratings.values_list("competency__name", "manager_level"))
    assert levels == {
        competency: int(LEVELS[index % len(LEVELS)][0])
        for index, competency in enumerate(competencies)
    }
    goal = assessment.goals.get(text=GOAL)
    assert (goal.competency.name, goal.action, goal.deadline) == (
        "Forandringsledelse", "course", deadline,
    )


def test_levels_chosen_before_adding_a_goal_are_kept(page, context, live_server, demo_network):
    assessment = sent_assessment_of_henriks_agent()
    competencies = competencies_of(assessment)
    log_in(context, "henrik", live_server.url)
    page.goto(assessment.get_absolute_url())

    for competency in competencies:
        level_of(page, competency).select_option(label=LEVELS[0])
    add_goal(page, timezone.localdate() + timedelta(days=120))

    expect(page.locator("main .messages")).to_contain_text("Målet er tilføjet.")
    for competency in competencies:
        expect(level_of(page, competency).locator("option:checked")).to_have_text(
            LEVELS[0], timeout=1000
        )


def test_the_start_page_takes_a_manager_to_the_self_assessments_waiting_for_them(
    page, demo_network
):
    sent = list(
        Assessment.objects.filter(manager__username="henrik", status="sent")
        .select_related("agent__user").order_by("round__deadline", "pk")
    )
    assert sent
    sign_in(page, "henrik")

    waiting = page.get_by_role("region", name="Venter på dig")
    links = waiting.get_by_role("link", name=re.compile(r"^Selvevalueringen fra "))
    expect(links).to_have_count(len(sent))
    first = sent[0]
    links.first.click()

    expect(page).to_have_url(re.compile(rf"{re.escape(first.get_absolute_url())}$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        first.agent.user.get_full_name()
    )


def test_an_agent_with_a_carried_goal_sends_the_self_assessment_of_a_new_round(
    page, context, demo_network
):
    """A new round carries unfinished goals over; the agents who have one fill in and send
    their self-assessment like everyone else."""
    year = MusRound.objects.order_by("-year").values_list("year", flat=True).first() + 1
    sign_in(page, "lise")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Kompetencer").click()
    page.get_by_role("link", name="MUS-runder").click()
    page.get_by_label("År").fill(str(year))
    page.get_by_label("Kompetenceprofil").select_option(index=1)
    page.get_by_role("button", name="Åbn MUS-runde").click()
    expect(page.locator("main .messages")).to_contain_text("MUS-runden er åbnet")

    goal = (
        DevelopmentGoal.objects.filter(assessment__round__year=year, carried_from__isnull=False)
        .select_related("assessment__agent__user")
        .order_by("assessment__agent__user__username")
        .first()
    )
    assessment = goal.assessment
    competencies = competencies_of(assessment)
    context.clear_cookies()
    sign_in(page, assessment.agent.user.username)
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Kompetencer").click()
    page.get_by_role("link", name=f"MUS {year}", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(f"MUS {year}")
    expect(page.locator("#goals")).to_contain_text(goal.text)
    expect(page.locator("#goals")).to_contain_text("overført fra sidste år")
    for index, competency in enumerate(competencies):
        level_of(page, competency).select_option(label=LEVELS[index % len(LEVELS)])
    page.get_by_label("Min stærkeste kompetence og hvorfor").fill(
        "Jeg får folk til at tale sammen."
    )
    page.get_by_label("Ønsker til efteruddannelse").fill("Diplommodul i forandringsledelse")
    page.get_by_role("button", name="Send til leder").click()
    expect(page.get_by_text("Sæt kryds her for at sende.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Jeg er klar til at sende").check()
    page.get_by_role("button", name="Send til leder").click()

    expect(page.locator("main .messages")).to_contain_text(
        "Din selvevaluering er sendt til din leder."
    )
    expect(page.locator("main .lead .badge")).to_have_text("Sendt til leder")
    expect(page.locator("#goals")).to_contain_text(goal.text)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SENT
    assert assessment.strengths == "Jeg får folk til at tale sammen."
    levels = dict(assessment.ratings.values_list("competency__name", "self_level"))
    assert levels == {
        competency: int(LEVELS[index % len(LEVELS)][0])
        for index, competency in enumerate(competencies)
    }


OWN_WORDS = {
    "Min stærkeste kompetence og hvorfor": "Formidling: jeg får kolleger med på RPA.",
    "Det, jeg vil blive bedre til": "Projektledelse af store udrulninger.",
    "Ønsker til opgaver og roller": "Tovholder på næste udrulning.",
    "Ønsker til efteruddannelse": "Diplommodulet Ledelse af digitale forandringer.",
}


def test_the_agents_own_words_reach_the_manager_and_the_mus_pack(
    page, context, live_server, demo_network
):
    assessment = Assessment.objects.get(agent__user__username="mette", status="draft")
    competencies = competencies_of(assessment)
    log_in(context, "mette", live_server.url)
    page.goto(live_server.url + assessment.get_absolute_url())

    expect(page.locator("#scale")).to_contain_text("Behersker")
    for competency in competencies:
        level_of(page, competency).select_option(label=LEVELS[0])
    for label, words in OWN_WORDS.items():
        page.get_by_label(label).fill(words)
    page.get_by_label("Jeg er klar til at sende").check()
    page.get_by_role("button", name="Send til leder").click()

    expect(page.locator("main .messages")).to_contain_text("sendt til din leder")
    mine = page.get_by_role("region", name="Mine egne ord")
    for words in OWN_WORDS.values():
        expect(mine).to_contain_text(words)
    assert_accessible(page)

    context.clear_cookies()
    log_in(context, "henrik", live_server.url)
    page.goto(live_server.url + assessment.get_absolute_url())
    theirs = page.get_by_role("region", name="Agentens egne ord")
    for words in OWN_WORDS.values():
        expect(theirs).to_contain_text(words)
    page.get_by_role("link", name="MUS-pakke").click()
    expect(page.locator("main")).to_contain_text(OWN_WORDS["Ønsker til efteruddannelse"])
    expect(page.locator(".radar-legend")).to_contain_text("fuldt optrukket linje, cirkler")
    expect(page.locator(".radar-legend")).to_contain_text("prikket linje, trekanter")
    assert_accessible(page)


def test_the_manager_sees_the_team_side_by_side(page, context, live_server, demo_network):
    log_in(context, "henrik", live_server.url)
    page.goto(live_server.url + "/kompetencer/mine-medarbejdere/")
    page.get_by_role("link", name="Mit teams profiler").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Mit teams profiler")
    table = page.get_by_role("table", name="Aftalte niveauer pr. agent og kompetence")
    expect(table.get_by_role("rowheader", name="Mette Skovgaard")).to_be_visible()
    expect(table).not_to_contain_text("Karina Bech")  # Anette's agent
    assert_accessible(page)
