"""Who manages whom: nobody makes themselves someone's manager, and every change of an
agent's manager is kept and mailed to the agent, whichever way it is made."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agents import handover, services
from agents.models import Agent, ManagerChange
from agents.permissions import MANAGER
from tests import factories
from tests.admin_forms import shown_data

pytestmark = pytest.mark.django_db

SELF_REFUSED = "Du kan ikke gøre dig selv til nogens leder"


@pytest.fixture
def facilitator_manager(facilitator):
    """A facilitator who is also a manager: she may be chosen as a manager, but not by herself."""
    facilitator.groups.add(Group.objects.get(name=MANAGER))
    return facilitator


@pytest.fixture
def new_manager(db):
    return factories.ManagerFactory(username="karen", first_name="Karen", last_name="Bech")


def portal_data(agent, manager):
    return {
        "first_name": agent.user.first_name, "last_name": agent.user.last_name,
        "title": agent.title, "phone": "", "location": agent.location_id,
        "time_share": agent.time_share, "bio": "", "department": agent.department_id,
        "manager": manager.pk, "is_active": "on",
    }


def test_the_facilitator_cannot_make_herself_a_manager_in_the_portal(
    facilitator_client, facilitator_manager, agent, manager
):
    agent.manager = manager
    agent.save()

    response = facilitator_client.post(
        reverse("agents:edit", args=[agent.pk]), portal_data(agent, facilitator_manager)
    )

    assert response.status_code == 200
    assert SELF_REFUSED in str(response.context["form"].errors["manager"])
    assert 'id="id_manager_error"' in response.content.decode()
    agent.refresh_from_db()
    assert agent.manager == manager
    assert not ManagerChange.objects.exists()


def test_a_change_of_manager_in_the_portal_is_kept_and_mailed_to_the_agent(
    facilitator_client, facilitator, agent, manager, new_manager, mailoutbox,
    django_capture_on_commit_callbacks,
):
    agent.manager = manager
    agent.save()

    with django_capture_on_commit_callbacks(execute=True):
        response = facilitator_client.post(
            reverse("agents:edit", args=[agent.pk]), portal_data(agent, new_manager)
        )

    assert response.status_code == 302
    agent.refresh_from_db()
    assert agent.manager == new_manager
    [change] = ManagerChange.objects.all()
    assert (change.agent, change.previous, change.new, change.changed_by, change.how) == (
        agent, manager, new_manager, facilitator, ManagerChange.How.PORTAL,
    )
    [mail] = mailoutbox
    assert mail.to == [agent.user.email]
    assert "Karen Bech" in mail.subject
    assert "Karen Bech" in mail.body and "Henrik Mølgaard" in mail.body
    assert "Lise Bundgaard" in mail.body


def test_saving_the_profile_without_a_new_manager_writes_no_change(
    facilitator_client, agent, manager, mailoutbox, django_capture_on_commit_callbacks
):
    agent.manager = manager
    agent.save()

    with django_capture_on_commit_callbacks(execute=True):
        facilitator_client.post(reverse("agents:edit", args=[agent.pk]),
                                portal_data(agent, manager))

    assert not ManagerChange.objects.exists() and not mailoutbox


def test_the_facilitator_cannot_make_herself_a_manager_in_the_agent_admin(
    facilitator_client, facilitator_manager, agent, manager, new_manager,
    django_capture_on_commit_callbacks, mailoutbox,
):
    url = reverse("admin:agents_agent_change", args=[agent.pk])
    data = shown_data(facilitator_client.get(url))

    refused = facilitator_client.post(url, {**data, "manager": facilitator_manager.pk})

    assert refused.status_code == 200
    assert SELF_REFUSED in refused.content.decode()
    assert not ManagerChange.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        saved = facilitator_client.post(url, {**data, "manager": new_manager.pk})

    assert saved.status_code == 302
    agent.refresh_from_db()
    assert agent.manager == new_manager
    change = ManagerChange.objects.get()
    assert (change.new, change.how) == (new_manager, ManagerChange.How.ADMIN)
    assert [mail.to for mail in mailoutbox] == [[agent.user.email]]


def test_the_agent_admin_does_not_move_a_profile_to_another_user(
    facilitator_client, facilitator, agent
):
    url = reverse("admin:agents_agent_change", args=[agent.pk])
    data = shown_data(facilitator_client.get(url))

    facilitator_client.post(url, {**data, "user": facilitator.pk})

    agent.refresh_from_db()
    assert agent.user.username == "mette"


def test_the_facilitator_cannot_make_herself_a_manager_in_the_inline_of_a_user(
    facilitator_client, facilitator_manager, agent, manager
):
    agent.manager = manager
    agent.save()
    url = reverse("admin:agents_user_change", args=[agent.user.pk])
    data = shown_data(facilitator_client.get(url))
    manager_field = next(name for name in data if name.endswith("-manager"))

    response = facilitator_client.post(url, {**data, manager_field: facilitator_manager.pk})

    assert response.status_code == 200
    assert SELF_REFUSED in response.content.decode()
    agent.refresh_from_db()
    assert agent.manager == manager


def test_a_new_agent_made_inline_on_a_new_user_keeps_their_first_manager(
    facilitator_client, facilitator, manager, department
):
    location = factories.LocationFactory(name="Skjern")
    data = {
        "username": "ny", "first_name": "Ny", "last_name": "Agent", "email": "ny@example.org",
        "agent-TOTAL_FORMS": "1", "agent-INITIAL_FORMS": "0",
        "agent-0-title": "Konsulent", "agent-0-department": department.pk,
        "agent-0-location": location.pk, "agent-0-manager": manager.pk,
        "agent-0-time_share": "20", "agent-0-joined": "2026-01-05", "agent-0-is_active": "on",
        "system_roles-TOTAL_FORMS": "0", "system_roles-INITIAL_FORMS": "0",
    }

    response = facilitator_client.post(reverse("admin:agents_user_add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    agent = Agent.objects.get(user__username="ny")
    assert agent.manager == manager
    change = ManagerChange.objects.get()
    assert (change.agent, change.previous, change.new, change.changed_by) == (
        agent, None, manager, facilitator,
    )


def test_the_import_refuses_the_importer_as_manager_by_line(facilitator, facilitator_manager):
    factories.DepartmentFactory(name="Jobcenter")
    factories.LocationFactory(name="Skjern")
    raw = (
        "brugernavn;fornavn;efternavn;email;titel;afdeling;by;leder;tidsandel;startdato;telefon\n"
        "anna;Anna;Ø;anna@example.org;Konsulent;Jobcenter;Skjern;lise;50;01.02.2024;\n"
    ).encode()

    result = services.import_agents(raw, by=facilitator)

    assert [line for line, _ in result.errors] == [2]
    assert SELF_REFUSED in str(result.errors[0][1])
    assert not Agent.objects.filter(user__username="anna").exists()


def test_an_imported_manager_is_kept_as_a_change(facilitator_client, facilitator, manager):
    factories.DepartmentFactory(name="Jobcenter")
    factories.LocationFactory(name="Skjern")
    raw = (
        "brugernavn;fornavn;efternavn;email;titel;afdeling;by;leder;tidsandel;startdato;telefon\n"
        "anna;Anna;Ø;anna@example.org;Konsulent;Jobcenter;Skjern;henrik;50;01.02.2024;\n"
    ).encode()

    facilitator_client.post(
        reverse("admin:agents_agent_import"),
        {"file": SimpleUploadedFile("a.csv", raw, content_type="text/csv")},
    )

    change = ManagerChange.objects.get()
    assert (change.agent.user.username, change.new, change.changed_by, change.how) == (
        "anna", manager, facilitator, ManagerChange.How.IMPORT,
    )


def test_the_facilitator_cannot_take_over_the_agents_of_a_leaver_herself(
    facilitator_client, facilitator_manager, manager, agent
):
    agent.manager = manager
    agent.save()

    response = facilitator_client.post(
        reverse("agents:handover", args=[manager.pk]),
        {"successor": facilitator_manager.pk, "parts": [handover.MANAGED_AGENTS]},
    )

    assert response.status_code == 200
    assert "Du kan ikke gøre dig selv til leder" in str(response.context["form"].errors)
    agent.refresh_from_db()
    assert agent.manager == manager


def test_agents_handed_over_to_a_new_manager_are_told_and_the_change_kept(
    facilitator_client, facilitator, manager, new_manager, agent, mailoutbox,
    django_capture_on_commit_callbacks,
):
    agent.manager = manager
    agent.save()

    with django_capture_on_commit_callbacks(execute=True):
        facilitator_client.post(
            reverse("agents:handover", args=[manager.pk]),
            {"successor": new_manager.pk, "parts": [handover.MANAGED_AGENTS]},
        )

    agent.refresh_from_db()
    assert agent.manager == new_manager
    change = ManagerChange.objects.get()
    assert (change.previous, change.new, change.changed_by, change.how) == (
        manager, new_manager, facilitator, ManagerChange.How.HAND_OVER,
    )
    assert [mail.to for mail in mailoutbox] == [[agent.user.email]]


def test_the_history_of_managers_is_read_only_in_the_admin(
    facilitator_client, facilitator, agent, manager
):
    services.change_manager(agent, manager, by=facilitator, how=ManagerChange.How.ADMIN)
    change = ManagerChange.objects.get()

    listing = facilitator_client.get(reverse("admin:agents_managerchange_changelist"))
    page = facilitator_client.get(reverse("admin:agents_managerchange_change", args=[change.pk]))
    posted = facilitator_client.post(
        reverse("admin:agents_managerchange_change", args=[change.pk]), {"how": "import"}
    )

    assert "Henrik Mølgaard" in listing.content.decode()
    assert 'name="how"' not in page.content.decode()
    assert posted.status_code == 403
    assert facilitator_client.get(reverse("admin:agents_managerchange_add")).status_code == 403
    change.refresh_from_db()
    assert change.how == ManagerChange.How.ADMIN
