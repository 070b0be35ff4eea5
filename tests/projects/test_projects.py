import datetime
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from projects.models import Idea, Project, ProjectChange, ProjectUpdate, Rollout
from tests import factories

pytestmark = pytest.mark.django_db


def form_data(project=None, **changes):
    data = {
        "title": project.title if project else "Sms i jobcentret",
        "summary": "",
        "status": project.status if project else "planned",
        "phase": "",
        "start_date": "",
        "target_date": "",
        "hours_saved_per_year": "",
        "realised_hours_per_year": "",
        "benefit": "",
        "version": project.version if project else "",
    }
    if project:
        data["lead"] = project.lead_id
        for name in ("co_agents", "departments", "systems", "goals", "types"):
            data[name] = [o.pk for o in getattr(project, name).all()]
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_agent_creates_a_project_and_leads_it(agent_client, agent):
    department = factories.DepartmentFactory(name="Borgerservice")
    sms = factories.ProjectTypeFactory(name="SMS")
    goal = factories.StrategyGoalFactory()

    response = agent_client.post(
        reverse("projects:create"),
        form_data(
            title="Sms-korrespondance", status="running", phase="development",
            departments=[department.pk], types=[sms.pk], goals=[goal.pk],
            start_date="2026-01-01", target_date="2026-12-31", hours_saved_per_year="900",
            benefit="Hurtigere svar.", dpia_done="on", journalised="on", dpa_in_place="on",
        ),
    )

    project = Project.objects.get(title="Sms-korrespondance")
    assert response["Location"] == project.get_absolute_url()
    assert project.lead == agent
    assert list(project.departments.all()) == [department]
    assert (project.hours_saved_per_year, project.dpia_done, project.journalised) == (
        900, True, True,
    )
    assert ProjectChange.objects.get(project=project).changes == []


def test_user_without_agent_profile_cannot_create(client, manager):
    client.force_login(manager)

    response = client.post(reverse("projects:create"), form_data())

    assert response.status_code == 403
    assert not Project.objects.exists()


def test_quick_update_from_my_projects(agent_client, project):
    old = timezone.now() - timedelta(days=90)
    Project.objects.filter(pk=project.pk).update(last_activity_at=old)

    response = agent_client.post(
        reverse("projects:add_update", args=[project.pk]),
        {"kind": "problem", "text": "Robotten mangler adgang.", "for_erfa": "on",
         "next": reverse("projects:mine")},
    )

    assert response["Location"] == reverse("projects:mine")
    update = ProjectUpdate.objects.get(project=project)
    assert (update.kind, update.for_erfa, update.author) == ("problem", True, project.lead.user)
    project.refresh_from_db()
    assert project.last_activity_at > old
    assert not project.is_stale


def test_update_redirect_ignores_foreign_next(agent_client, project):
    response = agent_client.post(
        reverse("projects:add_update", args=[project.pk]),
        {"kind": "progress", "text": "Ok", "next": "https://evil.example/"},
    )

    assert response["Location"] == project.get_absolute_url()


@pytest.mark.parametrize(
    ("field", "value"), [("text", "x" * 20_000), ("text", ""), ("kind", "gossip")]
)
def test_bad_update_is_refused_and_nothing_saved(agent_client, project, field, value):
    data = {"kind": "progress", "text": "Fint", **{field: value}}

    response = agent_client.post(reverse("projects:add_update", args=[project.pk]), data)

    assert response.status_code == 200
    assert field in response.context["update_form"].errors
    assert 'class="invalid-feedback' in response.content.decode()
    assert not ProjectUpdate.objects.exists()


def test_other_agent_may_comment_through_an_update(client, project, other_agent):
    client.force_login(other_agent.user)

    client.post(reverse("projects:add_update", args=[project.pk]), {"kind": "progress",
                                                                    "text": "Vi har gjort det."})

    assert ProjectUpdate.objects.get().author == other_agent.user


def test_project_page_shows_team_timeline_and_history(agent_client, project, co_agent):
    day = timezone.make_aware(datetime.datetime(2026, 11, 2, 12))
    factories.ProjectUpdateFactory(project=project, kind="problem", text="Leverandøren er sen.",
                                   for_erfa=True, author=co_agent.user, created_at=day)
    factories.ProjectUpdateFactory(project=project, text="Test i gang.\n\nAlt <godt>.",
                                   author=None, created_at=day + datetime.timedelta(days=1))
    ProjectChange.objects.create(
        project=project, user=project.lead.user,
        changes=[{"field": "status", "old": "Planlagt", "new": "I gang"}],
    )

    response = agent_client.get(project.get_absolute_url())

    html = response.content.decode()
    assert "Lars" in html and "Mette Skovgaard" in html
    # Newest first: the kind, whether it is for the erfa-day, the day, who wrote it.
    assert html.index("Test i gang.") < html.index("Leverandøren er sen.")
    assert (
        '<li class="timeline-item kind-problem">\n        <p class="mb-1"><strong>Problem</strong>'
        ' <span class="badge badge-erfa">Til erfa-dagen</span>\n'
        f"          · 02.11.2026 · {co_agent.user}</p>\n        <p>Leverandøren er sen.</p>"
    ) in html
    assert (
        "· 03.11.2026 · ukendt</p>\n        <p>Test i gang.</p>\n\n<p>Alt &lt;godt&gt;.</p>"
    ) in html
    assert "“Planlagt” → “I gang”" in html


def test_project_page_lists_what_the_project_serves_and_where_it_is_rolled_out(
    agent_client, project, manager
):
    home_care = factories.DepartmentFactory(name="Hjemmeplejen")
    school = factories.DepartmentFactory(name="Skolerne")
    system = factories.SystemFactory(name="Nexus")
    goal = factories.StrategyGoalFactory(title="Borgeren i centrum")
    project.departments.add(school, home_care)
    project.systems.add(system)
    project.goals.add(goal)
    project.types.add(factories.ProjectTypeFactory(name="RPA"))
    Rollout.objects.create(
        project=project, department=school, status="in_use", contact=manager, note="Alle skoler"
    )
    Rollout.objects.create(project=project, department=home_care, status="declined")
    idea = Idea.objects.create(text="Robot til aktindsigter " * 4, project=project,
                               department=home_care)

    html = agent_client.get(project.get_absolute_url()).content.decode()

    assert (
        f'<a href="{home_care.get_absolute_url()}">Hjemmeplejen</a>, '
        f'<a href="{school.get_absolute_url()}">Skolerne</a>'
    ) in html
    assert f'<a href="{system.get_absolute_url()}">Nexus</a>' in html
    assert f'<a href="{goal.get_absolute_url()}">Borgeren i centrum</a>' in html
    assert '<dd class="col-sm-7">RPA</dd>' in html
    # The rollout by department name, the contact by name.
    assert html.index(">Hjemmeplejen</th>") < html.index(">Skolerne</th>")
    assert '<span class="badge rollout-in_use">I brug</span>' in html
    assert f"<td>{manager}</td><td>Alle skoler</td>" in html
    assert '<span class="badge rollout-declined">Fravalgt</span>' in html
    assert f'<a href="{idea.get_absolute_url()}">{idea}</a> (Hjemmeplejen)' in html


@pytest.mark.parametrize("who", ["lead", "co_agent", "facilitator"])
def test_team_and_facilitator_edit(client, project, co_agent, facilitator, who):
    user = {"lead": project.lead.user, "co_agent": co_agent.user, "facilitator": facilitator}[who]
    client.force_login(user)

    response = client.post(
        reverse("projects:edit", args=[project.pk]), form_data(project, status="paused")
    )

    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.status, project.version, project.updated_by) == ("paused", 2, user)
    change = project.changes.get()
    assert change.user == user
    assert change.changes == [{"name": "status", "old": "running", "new": "paused"}]


def test_the_history_is_shown_in_the_readers_language(client, project, facilitator):
    client.force_login(facilitator)
    client.post(
        reverse("projects:edit", args=[project.pk]),
        form_data(project, status="paused", target_date="2027-06-30", dpia_done="on",
                  hours_saved_per_year="1200"),
    )
    # An entry from before the history kept field names is shown as it was stored.
    ProjectChange.objects.create(
        project=project, user=facilitator,
        changes=[{"field": "status", "old": "Planlagt", "new": "I gang"}],
    )

    danish = client.get(project.get_absolute_url()).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(project.get_absolute_url()).content.decode()

    for line in ("status: “I gang” → “Sat på pause”", "måldato: “–” → “30.06.2027”",
                 "Konsekvensanalyse (DPIA) udført: “nej” → “ja”",
                 "forventede sparede timer pr. år: “–” → “1.200”"):
        assert line in danish
    for line in ("status: “In progress” → “Paused”", "target date: “–” → “06/30/2027”",
                 "DPIA done: “no” → “yes”",
                 "expected hours saved per year: “–” → “1,200”"):
        assert line in english
    assert "status: “Planlagt” → “I gang”" in english


@pytest.mark.parametrize("who", ["other_agent", "manager", "plain_user"])
def test_outsiders_cannot_edit(client, project, other_agent, manager, plain_user, who):
    user = {"other_agent": other_agent.user, "manager": manager, "plain_user": plain_user}[who]
    client.force_login(user)
    url = reverse("projects:edit", args=[project.pk])

    assert client.get(url).status_code == 403
    assert client.post(url, form_data(project, title="Kapret")).status_code == 403
    project.refresh_from_db()
    assert project.title == "RPA til aktindsigt"


def test_concurrent_edit_does_not_overwrite_silently(client, project, co_agent):
    url = reverse("projects:edit", args=[project.pk])
    opened_by_both = form_data(project)
    client.force_login(co_agent.user)
    client.post(url, {**opened_by_both, "status": "paused"})
    client.force_login(project.lead.user)

    response = client.post(url, {**opened_by_both, "summary": "Mine ændringer"})

    assert response.status_code == 200
    html = response.content.decode()
    assert str(co_agent.user) in html
    assert "Mine ændringer" in html
    project.refresh_from_db()
    assert (project.status, project.summary) == ("paused", "")

    again = client.post(url, response.context["form"].data)

    assert again.status_code == 302
    project.refresh_from_db()
    assert project.summary == "Mine ændringer"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"start_date": "2026-05-01", "target_date": "2026-04-01"}, "target_date"),
        ({"hours_saved_per_year": "-5"}, "hours_saved_per_year"),
        ({"hours_saved_per_year": "100001"}, "hours_saved_per_year"),
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"status": "bogus"}, "status"),
        ({"departments": ["999999"]}, "departments"),
        ({"start_date": "31.02.2026"}, "start_date"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(agent_client, project, changes, field):
    before = Project.objects.values().get(pk=project.pk)

    response = agent_client.post(
        reverse("projects:edit", args=[project.pk]),
        form_data(project, summary="ændret", **changes),
    )

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'class="invalid-feedback' in response.content.decode()
    assert Project.objects.values().get(pk=project.pk) == before
    assert not ProjectChange.objects.exists()


def test_ended_projects_stay_and_there_is_no_delete_url(agent_client, project):
    url = reverse("projects:edit", args=[project.pk])
    agent_client.post(url, form_data(project, status="done"))

    response = agent_client.get(reverse("projects:index"), {"status": "done"})

    assert [p.title for p in response.context["page"]] == ["RPA til aktindsigt"]


def test_create_update_filter_export_round_trip(agent_client, agent):
    from io import BytesIO

    from openpyxl import load_workbook

    rpa = factories.ProjectTypeFactory(name="RPA")
    factories.ProjectFactory(title="Andet projekt")
    agent_client.post(reverse("projects:create"), form_data(
        title="Robot til aktindsigt", status="running", types=[rpa.pk],
        start_date="2026-02-01", target_date="2026-09-30",
    ))
    project = Project.objects.get(title="Robot til aktindsigt")
    agent_client.post(reverse("projects:add_update", args=[project.pk]),
                      {"kind": "milestone", "text": "Robotten kører.", "for_erfa": "on"})

    listing = agent_client.get(reverse("projects:index"), {"type": rpa.pk})
    export = agent_client.get(reverse("projects:export", args=["xlsx"]), {"type": rpa.pk})

    assert [p.title for p in listing.context["page"]] == ["Robot til aktindsigt"]
    rows = list(load_workbook(BytesIO(export.content)).active.values)
    assert len(rows) == 2
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["Titel"] == "Robot til aktindsigt"
    assert record["Status"] == "I gang"
    assert record["Måldato"].date().isoformat() == "2026-09-30"
    assert record["Seneste aktivitet"].date() == timezone.localdate()
