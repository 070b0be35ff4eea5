"""ProjectUpdate.lead_department: each update carries the department of its project's lead,
whichever way the lead or the lead's department changes, so that the erfa-day's round,
which takes its turns by it, lists the project under the department that leads it now."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services
from projects import handover
from projects.models import Project, ProjectUpdate
from tests import factories
from tests.agents.test_profile import profile_data
from tests.projects.test_projects import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def elsewhere():
    return factories.DepartmentFactory(name="Økonomi")


@pytest.fixture
def updates(project):
    """Two updates of the project, one of another project led elsewhere."""
    factories.ProjectUpdateFactory(project=project, text="første")
    factories.ProjectUpdateFactory(project=project, kind="problem", text="andet")
    factories.ProjectUpdateFactory(text="et andet projekt")


def departments_of(project):
    return set(ProjectUpdate.objects.filter(project=project).values_list(
        "lead_department", flat=True))


def all_follow_their_leads():
    return all(
        update.lead_department_id == update.project.lead.department_id
        for update in ProjectUpdate.objects.select_related("project__lead")
    )


def test_an_update_written_in_the_portal_carries_the_leads_department(agent_client, project):
    agent_client.post(
        reverse("projects:add_update", args=[project.pk]), {"kind": "progress", "text": "Ok"}
    )

    assert ProjectUpdate.objects.get().lead_department == project.lead.department


def test_a_new_lead_in_the_project_form_takes_the_updates_along(
    facilitator_client, project, other_agent, updates
):
    response = facilitator_client.post(
        reverse("projects:edit", args=[project.pk]), form_data(project, lead=other_agent.pk)
    )

    assert response.status_code == 302
    assert departments_of(project) == {other_agent.department_id}
    assert all_follow_their_leads()


def test_a_lead_who_moves_department_takes_the_updates_along(
    facilitator_client, agent, project, elsewhere, updates
):
    response = facilitator_client.post(
        reverse("agents:edit", args=[agent.pk]),
        profile_data(agent, department=elsewhere.pk, is_active="on"),
    )

    assert response.status_code == 302
    assert departments_of(project) == {elsewhere.pk}
    assert all_follow_their_leads()


def test_the_hand_over_takes_the_updates_to_the_successors_department(
    facilitator_client, agent, project, other_agent, updates
):
    response = facilitator_client.post(
        reverse("agents:handover", args=[agent.user.pk]),
        {"successor": other_agent.user.pk, "parts": [handover.LED_PROJECTS]},
    )

    assert response.status_code == 302

    assert Project.objects.get(pk=project.pk).lead == other_agent
    assert departments_of(project) == {other_agent.department_id}
    assert all_follow_their_leads()


def test_saves_elsewhere_follow_too(project, other_agent, elsewhere, updates):
    """As the admin saves: the model's save(), not a form of the portal's."""
    project.lead = other_agent
    project.save()
    assert departments_of(project) == {other_agent.department_id}

    other_agent.department = elsewhere
    other_agent.save(update_fields=["department"])
    assert departments_of(project) == {elsewhere.pk}

    other_agent.save(update_fields=["phone"])
    assert all_follow_their_leads()


def test_the_round_lists_a_project_under_its_new_leads_department(
    facilitator_client, project, other_agent
):
    meeting = factories.MeetingFactory(date=timezone.localdate() + datetime.timedelta(days=3))
    factories.ProjectUpdateFactory(project=project, text="nyt fra projektet")
    facilitator_client.post(
        reverse("projects:edit", args=[project.pk]), form_data(project, lead=other_agent.pk)
    )

    compiled = services.compile_round(meeting)

    listed = {d["name"]: [p["title"] for p in d["projects"]] for d in compiled["departments"]}
    assert listed[other_agent.department.name] == [project.title]
    # The old lead's department has no news now: it is among those not heard from.
    assert project.lead.department.name not in listed
    assert project.lead.department.name in [d["name"] for d in compiled["quiet"]]
