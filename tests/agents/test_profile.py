import pytest
from django.urls import reverse

from agents.models import Agent
from tests import factories

pytestmark = pytest.mark.django_db


def profile_data(agent, **changes):
    data = {
        "first_name": agent.user.first_name,
        "last_name": agent.user.last_name,
        "title": agent.title,
        "phone": agent.phone,
        "location": agent.location_id,
        "time_share": agent.time_share,
        "bio": agent.bio,
    }
    data.update(changes)
    return data


def test_agent_edits_own_profile(agent_client, agent):
    town = factories.LocationFactory(name="Tarm")
    url = reverse("agents:edit", args=[agent.pk])

    response = agent_client.post(
        url,
        profile_data(agent, title="Jobkonsulent", phone="+45 96 74 20 02", location=town.pk,
                     time_share=95, bio="RPA og sms.", first_name="Mette Marie"),
    )

    assert response.status_code == 302
    assert response["Location"] == agent.get_absolute_url()
    agent.refresh_from_db()
    agent.user.refresh_from_db()
    assert (agent.title, agent.phone, agent.location, agent.time_share, agent.bio) == (
        "Jobkonsulent", "+45 96 74 20 02", town, 95, "RPA og sms.",
    )
    assert agent.user.first_name == "Mette Marie"


def test_my_profile_leads_to_own_edit_page(agent_client, agent):
    response = agent_client.get(reverse("agents:my_profile"))

    assert response["Location"] == reverse("agents:edit", args=[agent.pk])


def test_user_without_agent_profile_is_told_so_and_chooses_their_mails(client, manager):
    client.force_login(manager)

    response = client.get(reverse("agents:my_profile"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("mail_choices")
    html = response.content.decode()
    assert "Du har ingen agentprofil." in html
    assert 'type="checkbox"' in html


def test_agent_cannot_edit_another_agents_profile(agent_client, other_agent):
    url = reverse("agents:edit", args=[other_agent.pk])

    get = agent_client.get(url)
    post = agent_client.post(url, profile_data(other_agent, title="Overtaget"))

    assert get.status_code == 403
    assert post.status_code == 403
    other_agent.refresh_from_db()
    assert other_agent.title != "Overtaget"


def test_agent_cannot_change_own_department_manager_or_status(agent_client, agent, manager):
    elsewhere = factories.DepartmentFactory(name="Økonomi")

    agent_client.post(
        reverse("agents:edit", args=[agent.pk]),
        profile_data(agent, department=elsewhere.pk, manager=manager.pk, is_active=""),
    )

    agent.refresh_from_db()
    assert agent.department.name == "Jobcenter"
    assert agent.manager is None
    assert agent.is_active


def test_agent_form_has_no_department_field(agent_client, agent):
    response = agent_client.get(reverse("agents:edit", args=[agent.pk]))

    assert "department" not in response.context["form"].fields
    assert 'name="department"' not in response.content.decode()


def test_facilitator_sets_department_and_manager(facilitator_client, agent, manager):
    elsewhere = factories.DepartmentFactory(name="Økonomi")

    facilitator_client.post(
        reverse("agents:edit", args=[agent.pk]),
        profile_data(agent, department=elsewhere.pk, manager=manager.pk, is_active="on"),
    )

    agent.refresh_from_db()
    assert (agent.department, agent.manager) == (elsewhere, manager)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("time_share", "101"),
        ("time_share", "-5"),
        ("time_share", "halvdelen"),
        ("first_name", ""),
        ("first_name", "   "),
        ("title", "x" * 10_000),
        ("title", ""),
        ("phone", "ring til mig"),
        ("bio", "y" * 2001),
        ("location", "999999"),
    ],
)
def test_bad_input_is_refused_beside_the_field_and_nothing_is_saved(
    agent_client, agent, field, value
):
    before = Agent.objects.values().get(pk=agent.pk)
    name_before = agent.user.first_name

    response = agent_client.post(
        reverse("agents:edit", args=[agent.pk]),
        profile_data(agent, **{field: value, "bio": "ændret" if field != "bio" else value}),
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    html = response.content.decode()
    assert 'class="invalid-feedback' in html
    assert Agent.objects.values().get(pk=agent.pk) == before
    agent.user.refresh_from_db()
    assert agent.user.first_name == name_before


def test_validation_messages_are_danish(agent_client, agent):
    response = agent_client.post(
        reverse("agents:edit", args=[agent.pk]), profile_data(agent, time_share="150")
    )

    assert "Denne værdi skal være mindre end eller lig 100." in response.content.decode()
