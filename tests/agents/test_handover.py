"""Handing all of a person's roles to a successor in one step."""

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agents import handover
from agents.models import Agent, SystemRole
from agents.permissions import MANAGER
from meetings.models import Action
from projects.models import Project, ProjectChange, Rollout
from tests import factories
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

ALL_PARTS = list(handover.PARTS)


@pytest.fixture
def leaver(agent):
    """Mette, an agent who is also a manager, holds one of everything and some of what stays."""
    user = agent.user
    user.groups.add(Group.objects.get(name=MANAGER))
    momentum = factories.SystemFactory(name="Momentum")
    factories.SystemRoleFactory(system=momentum, user=user, role=SystemRole.Role.SUPERUSER)
    factories.SystemRoleFactory(system=momentum, user=user, role=SystemRole.Role.OWNER)
    running = factories.ProjectFactory(title="SMS-påmindelser", lead=agent)
    factories.ProjectFactory(title="Gammel robot", lead=agent, status="done")
    helping = factories.ProjectFactory(title="Aktindsigtsrobot", co_agents=[agent])
    Rollout.objects.create(project=running, department=agent.department, contact=user)
    Rollout.objects.create(
        project=Project.objects.get(title="Gammel robot"), department=agent.department,
        contact=user,
    )
    item = factories.AgendaItemFactory(meeting=factories.MeetingFactory(theme="Robotter"))
    Action.objects.create(item=item, text="Send slides", owner=user)
    Action.objects.create(item=item, text="Bestil lokale", owner=user, done=True)
    managed = factories.AgentFactory(user__first_name="Sofie", manager=user)
    factories.AgentFactory(user__first_name="Gone", manager=user, is_active=False)
    return {"agent": agent, "running": running, "helping": helping, "managed": managed,
            "momentum": momentum}


@pytest.fixture
def successor(db):
    """Jonas, an agent and a manager, who already is superuser of Momentum."""
    agent = factories.AgentFactory(
        user__username="jonas", user__first_name="Jonas", user__last_name="Lund",
    )
    agent.user.groups.add(Group.objects.get(name=MANAGER))
    return agent


def post(client, person, **data):
    return client.post(reverse("agents:handover", args=[person.pk]), data)


def test_the_page_lists_what_the_person_holds_and_offers_every_part(facilitator_client, leaver):
    agent = leaver["agent"]

    response = facilitator_client.get(reverse("agents:handover", args=[agent.user.pk]))

    html = response.content.decode()
    held = html[html.index('id="holds-heading"'):html.index('id="handover-heading"')]
    holdings = response.context["holdings"]
    assert holdings.counts() == {
        "system_roles": 2, "led_projects": 1, "co_projects": 1, "rollouts": 1, "actions": 1,
        "managed_agents": 1,
    }
    # Closed projects, their rollout rows, done actions and former agents stay as they are.
    assert "Gammel robot" not in held and "Bestil lokale" not in held and "Gone" not in held
    for text in ("SMS-påmindelser", "Aktindsigtsrobot", "Send slides", "Sofie", "Momentum"):
        assert text in held
    assert response.context["form"].fields["parts"].initial == ALL_PARTS
    assert 'name="leaves"' in html


def test_each_line_links_and_escapes_what_it_shows(facilitator_client, leaver,
                                                   django_assert_num_queries):
    agent = leaver["agent"]
    SystemRole.objects.filter(user=agent.user, role=SystemRole.Role.OWNER).update(
        note="<b>Kontrakt</b> & drift"
    )
    Project.objects.filter(pk=leaver["running"].pk).update(title='SMS "påmindelser" <v2>')
    action = Action.objects.get(text="Send slides")
    Action.objects.filter(pk=action.pk).update(deadline=date(2027, 1, 15))
    meeting = action.item.meeting
    running, helping, managed = leaver["running"], leaver["helping"], leaver["managed"]

    # One query per part, whoever the person is.
    with django_assert_num_queries(6):
        handover.holdings_of(agent.user)
    response = facilitator_client.get(reverse("agents:handover", args=[agent.user.pk]))

    html = response.content.decode()
    held = html[html.index('id="holds-heading"'):html.index('id="handover-heading"')]
    lines = re.findall(r"<li>.*?</li>", held)
    momentum = f'<a href="/netvaerk/systemer/{leaver["momentum"].pk}/">Momentum</a>'
    running_link = (
        f'<a href="/projekter/{running.pk}/">SMS &quot;påmindelser&quot; &lt;v2&gt;</a>'
    )
    assert lines == [
        f"<li>{momentum}: systemejer (&lt;b&gt;Kontrakt&lt;/b&gt; &amp; drift)</li>",
        f"<li>{momentum}: superbruger</li>",
        f"<li>{running_link} (i gang)</li>",
        f'<li><a href="/projekter/{helping.pk}/">Aktindsigtsrobot</a> (i gang)</li>',
        f"<li>{running_link}: {agent.department.name} (ikke startet)</li>",
        f'<li>Send slides · <a href="/erfa-dage/{meeting.pk}/">'
        f'Erfa-dag {meeting.date:%d.%m.%Y}: Robotter</a> · frist 15.01.2027</li>',
        f'<li><a href="/netvaerk/agenter/{managed.pk}/">{managed.user}</a></li>',
    ]
    headings = re.findall(r'<h3 class="h6">(.*?)</h3>', held)
    assert headings == [
        "Roller i systemer", "Ansvarlig agent for åbne projekter",
        "Medagent på åbne projekter", "Kontaktperson i udrulningen af åbne projekter",
        "Åbne opfølgningspunkter fra erfa-dage", "Leder for agenter",
    ]


def test_everything_goes_to_the_successor_in_one_step(facilitator_client, facilitator, leaver,
                                                      successor):
    agent = leaver["agent"]
    factories.SystemRoleFactory(system=leaver["momentum"], user=successor.user)

    response = post(facilitator_client, agent.user, successor=successor.user.pk, parts=ALL_PARTS,
                    leaves="on")

    assert response.status_code == 302
    assert response.url == reverse("agents:handover", args=[agent.user.pk])
    # The role Jonas already had is not doubled; the other one is his now.
    assert set(SystemRole.objects.values_list("user__username", "role")) == {
        ("jonas", "superuser"), ("jonas", "owner"),
    }
    running, helping = leaver["running"], leaver["helping"]
    running.refresh_from_db()
    assert running.lead == successor
    assert Project.objects.get(title="Gammel robot").lead == agent
    assert list(helping.co_agents.all()) == [successor]
    assert Rollout.objects.get(project=running).contact == successor.user
    assert Rollout.objects.get(project__title="Gammel robot").contact == agent.user
    assert Action.objects.get(text="Send slides").owner == successor.user
    assert Action.objects.get(text="Bestil lokale").owner == agent.user
    assert Agent.objects.get(pk=leaver["managed"].pk).manager == successor.user
    assert Agent.objects.get(user__first_name="Gone").manager == agent.user
    agent.refresh_from_db()
    assert not agent.is_active
    # Nothing is left to hand over, and the page says what happened.
    page = facilitator_client.get(response.url)
    assert not any(page.context["holdings"].counts().values())
    assert "Overdraget til Jonas Lund" in page.content.decode()


def test_each_changed_project_records_who_changed_what_and_gets_a_new_version(
    facilitator_client, facilitator, leaver, successor
):
    running, helping = leaver["running"], leaver["helping"]
    versions = {p.pk: p.version for p in (running, helping)}
    long_ago = timezone.now() - timedelta(days=30)
    Project.objects.filter(pk__in=versions).update(updated_at=long_ago, last_activity_at=long_ago)

    post(facilitator_client, leaver["agent"].user, successor=successor.user.pk, parts=ALL_PARTS)

    lead_change = ProjectChange.objects.get(project=running)
    assert lead_change.user == facilitator
    assert lead_change.changes == [
        {"name": "lead", "old": "Mette Skovgaard", "new": "Jonas Lund"},
        {"name": "rollout_contact", "old": "Mette Skovgaard", "new": "Jonas Lund",
         "department": "Jobcenter"},
    ]
    co_change = ProjectChange.objects.get(project=helping)
    assert co_change.changes == [
        {"name": "co_agents", "old": "Mette Skovgaard", "new": "Jonas Lund"}
    ]
    page = facilitator_client.get(running.get_absolute_url()).content.decode()
    assert "ansvarlig agent: “Mette Skovgaard” → “Jonas Lund”" in page
    for project in (running, helping):
        project.refresh_from_db()
        assert project.version == versions[project.pk] + 1
        assert project.updated_by == facilitator
        # When, for an edit form opened before; no news of the work, so no new activity.
        assert project.updated_at > long_ago
        assert project.last_activity_at == long_ago


def test_a_successor_who_helps_or_leads_already_is_not_added_twice(facilitator, leaver,
                                                                    successor):
    agent, helping = leaver["agent"], leaver["helping"]
    helping.co_agents.add(successor)
    leaver["running"].co_agents.add(successor)
    led_by_successor = factories.ProjectFactory(lead=successor, co_agents=[agent])

    moved = handover.hand_over(agent.user, successor.user, ALL_PARTS, by=facilitator)

    assert moved["co_projects"] == 2
    assert list(helping.co_agents.all()) == [successor]
    assert list(led_by_successor.co_agents.all()) == []
    # Leading the project now, Jonas is no longer also its co-agent.
    assert list(leaver["running"].co_agents.all()) == []


def test_an_agent_who_takes_over_from_their_manager_does_not_manage_themselves(
    facilitator, leaver
):
    sofie = leaver["managed"]
    sofie.user.groups.add(Group.objects.get(name=MANAGER))
    other = factories.AgentFactory(manager=leaver["agent"].user)

    moved = handover.hand_over(leaver["agent"].user, sofie.user, ["managed_agents"],
                               by=facilitator)

    assert moved == {"managed_agents": 1}
    assert Agent.objects.get(pk=other.pk).manager == sofie.user
    assert Agent.objects.get(pk=sofie.pk).manager == leaver["agent"].user


def test_only_the_chosen_parts_move(facilitator_client, leaver, successor):
    agent = leaver["agent"]

    post(facilitator_client, agent.user, successor=successor.user.pk, parts=["actions"])

    assert Action.objects.get(text="Send slides").owner == successor.user
    assert SystemRole.objects.filter(user=agent.user).count() == 2
    assert Project.objects.get(pk=leaver["running"].pk).lead == agent
    agent.refresh_from_db()
    assert agent.is_active


@pytest.mark.parametrize(
    ("successor_kind", "parts", "message"),
    [
        ("plain", ["led_projects"], "er ikke en aktiv agent og kan ikke overtage projekter"),
        ("plain", ["managed_agents"], "er ikke leder og kan ikke overtage agenterne"),
        ("none", ["system_roles"], "Vælg, hvem der overtager."),
        ("plain", [], "Vælg mindst én ting at gøre."),
    ],
)
def test_bad_choices_are_refused_beside_the_field_and_change_nothing(
    facilitator_client, leaver, plain_user, successor_kind, parts, message
):
    agent = leaver["agent"]
    before = list(SystemRole.objects.values_list("pk", "user_id"))
    data = {"parts": parts}
    if successor_kind == "plain":
        data["successor"] = plain_user.pk

    response = post(facilitator_client, agent.user, **data)

    assert response.status_code == 200
    form = response.context["form"]
    field = "parts" if not parts else "successor"
    assert message in " ".join(form.errors[field])
    assert "Intet blev ændret" in response.content.decode()
    assert list(SystemRole.objects.values_list("pk", "user_id")) == before
    assert Project.objects.get(pk=leaver["running"].pk).lead == agent


def test_nobody_but_the_facilitator_may_hand_over(client, leaver, successor):
    agent = leaver["agent"]
    client.force_login(agent.user)

    response = post(client, agent.user, successor=successor.user.pk, parts=ALL_PARTS)

    assert response.status_code == 403
    assert SystemRole.objects.filter(user=agent.user).count() == 2


def test_an_unknown_person_is_not_found(facilitator_client):
    response = facilitator_client.get(reverse("agents:handover", args=[999_999]))

    assert response.status_code == 404


def test_a_hand_over_that_meets_a_concurrent_change_says_so_and_changes_nothing(
    facilitator_client, leaver, successor, monkeypatch
):
    def clash(*args, **kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(handover, "hand_over", clash)

    response = post(facilitator_client, leaver["agent"].user, successor=successor.user.pk,
                    parts=ALL_PARTS)

    assert response.status_code == 200
    assert "på samme tid" in " ".join(response.context["form"].non_field_errors())
    assert SystemRole.objects.filter(user=leaver["agent"].user).count() == 2


def test_someone_who_is_not_a_user_of_the_portal_cannot_be_chosen(facilitator_client, leaver):
    gone = factories.UserFactory(is_active=False)

    response = post(facilitator_client, leaver["agent"].user, successor=gone.pk,
                    parts=["actions"])

    assert "successor" in response.context["form"].errors


def test_a_person_who_holds_nothing_gets_no_form(facilitator_client, plain_user):
    response = facilitator_client.get(reverse("agents:handover", args=[plain_user.pk]))

    assert response.context["form"].has_work is False
    assert "har ingen roller at overdrage" in response.content.decode()
    assert "<form method=\"post\" novalidate" not in response.content.decode()


def test_a_post_for_a_person_who_holds_nothing_changes_nothing(facilitator_client, plain_user):
    response = post(facilitator_client, plain_user, successor=plain_user.pk, parts=ALL_PARTS)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Vælg mindst én ting at gøre."]


@pytest.mark.parametrize("extra", [0, 12])
def test_the_page_runs_the_same_queries_however_much_the_person_holds(
    facilitator_client, leaver, django_assert_num_queries, extra
):
    agent = leaver["agent"]
    for _ in range(extra):
        project = factories.ProjectFactory(lead=agent, co_agents=[factories.AgentFactory()])
        Rollout.objects.create(project=project, department=factories.DepartmentFactory(),
                               contact=agent.user)
        factories.SystemRoleFactory(user=agent.user, system=factories.SystemFactory())
        factories.AgentFactory(manager=agent.user)

    # the user with their roles, the person, six parts, the successor's options
    with django_assert_num_queries(10):
        response = facilitator_client.get(reverse("agents:handover", args=[agent.user.pk]))
    assert response.context["holdings"].counts()["led_projects"] == 1 + extra


def test_the_agent_page_and_the_admin_link_to_it_for_the_facilitator_only(
    client, facilitator, agent, other_agent
):
    url = reverse("agents:handover", args=[agent.user.pk])
    client.force_login(other_agent.user)
    assert url not in client.get(agent.get_absolute_url()).content.decode()

    client.force_login(facilitator)
    assert url in client.get(agent.get_absolute_url()).content.decode()
    facilitator.is_superuser = True
    facilitator.save()
    admin = client.get(reverse("admin:agents_user_change", args=[agent.user.pk]))
    assert url in admin.content.decode()
    # Staff who may use the admin but not hand over roles are not offered the link.
    other_staff = factories.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(other_staff)
    admin = client.get(reverse("admin:agents_user_change", args=[agent.user.pk]))
    assert admin.status_code == 200 and url not in admin.content.decode()


def test_a_person_who_leaves_can_no_longer_sign_in_and_keeps_their_history(
    facilitator_client, leaver, successor
):
    agent = leaver["agent"]
    theirs = Client()
    theirs.force_login(agent.user)

    response = post(facilitator_client, agent.user, successor=successor.user.pk,
                    parts=ALL_PARTS, leaves="on")

    assert response.status_code == 302, response.content.decode()
    agent.user.refresh_from_db()
    assert not agent.user.is_active
    # The session they had open ends, and the password no longer lets them in.
    assert theirs.get(reverse("home")).status_code == 302
    signing_in = Client().post(
        reverse("login"), {"username": agent.user.username, "password": TEST_PASSWORD}
    )
    assert signing_in.status_code == 200 and "_auth_user_id" not in signing_in.client.session
    # Their user stays: closed projects and done actions still name them.
    assert Project.objects.get(title="Gammel robot").lead.user == agent.user
    assert Action.objects.get(text="Bestil lokale").owner == agent.user


def test_a_hand_over_without_leaving_keeps_the_sign_in(facilitator_client, leaver, successor):
    agent = leaver["agent"]

    post(facilitator_client, agent.user, successor=successor.user.pk, parts=ALL_PARTS)

    agent.user.refresh_from_db()
    assert agent.user.is_active


def test_a_long_part_names_the_first_and_counts_the_rest_but_hands_over_all(
    facilitator_client, leaver, successor
):
    agent = leaver["agent"]
    factories.ProjectFactory.create_batch(29, lead=agent, title="Robot")
    url = reverse("agents:handover", args=[agent.user.pk])

    page = facilitator_client.get(url).content.decode()

    assert page.count(">Robot</a>") == handover.Holding.SHOWN
    assert "… og 5 mere." in page
    post(facilitator_client, agent.user, successor=successor.user.pk, parts=["led_projects"])
    assert Project.objects.filter(lead=successor, title="Robot").count() == 29
