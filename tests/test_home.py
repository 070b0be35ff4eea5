"""The start page: what waits for the person who signs in."""

import pytest
from django.urls import reverse

from competencies.models import Assessment, Framework, MusRound
from meetings.models import Action, TopicProposal
from tests import factories

pytestmark = pytest.mark.django_db


def waiting(response):
    return response.context["waiting"]


def open_actions(owner, count, *, done=0):
    item = factories.AgendaItemFactory(meeting=factories.MeetingFactory(status="held"))
    for n in range(count + done):
        Action.objects.create(item=item, text=f"Opgave {n}", owner=owner, done=n >= count)


def test_an_agent_sees_their_open_follow_up_actions(agent_client, agent):
    open_actions(agent.user, 2, done=1)

    response = agent_client.get(reverse("home"))

    # The same items as the person's daily digest (agentnet/due.py), one per action.
    assert waiting(response) == [
        (f"Opfølgningspunkt fra en erfa-dag: Opgave {n}",
         reverse("meetings:index") + "#actions-heading")
        for n in (0, 1)
    ]
    html = response.content.decode()
    assert '<h2 id="waiting-heading" class="h5">Venter på dig</h2>' in html


def test_a_manager_sees_the_self_assessments_sent_to_them(client, manager, agent, other_agent):
    agent.manager = other_agent.manager = manager
    agent.save()
    other_agent.save()
    framework = Framework.objects.create(name="Profil", published=True)
    mus_round = MusRound.objects.create(year=2026, framework=framework)
    for each, status in [(agent, "sent"), (other_agent, "draft")]:
        Assessment.objects.create(
            agent=each, manager=manager, round=mus_round, framework=framework, status=status
        )
    client.force_login(manager)

    response = client.get(reverse("home"))

    [sent] = Assessment.objects.filter(status="sent")
    assert waiting(response) == [(
        "Selvevalueringen fra Mette venter på din vurdering",
        reverse("competencies:assessment", args=[sent.pk]),
    )]


def test_the_facilitator_sees_the_proposals_waiting_for_a_place(client, facilitator, agent):
    for status in ("open", "open", "placed", "backlog"):
        TopicProposal.objects.create(proposed_by=agent.user, title="Chatbots", status=status)
    client.force_login(facilitator)

    response = client.get(reverse("home"))

    assert waiting(response) == [
        ("2 emneforslag venter på en plads", reverse("meetings:proposals"))
    ]


def test_nothing_waiting_shows_no_box(agent_client, agent):
    response = agent_client.get(reverse("home"))

    assert waiting(response) == []
    assert "waiting-heading" not in response.content.decode()


@pytest.mark.parametrize("viewer", ["agent", "manager", "facilitator", "all three"])
def test_the_start_page_makes_as_many_queries_with_one_or_many_things_waiting(
    client, agent, manager, facilitator, viewer, django_assert_max_num_queries
):
    if viewer == "all three":
        # The facilitator of the demo is also an agent, and may lead agents too.
        agent.user.groups.add(*facilitator.groups.all(), *manager.groups.all())
    user = {"agent": agent.user, "manager": manager, "facilitator": facilitator,
            "all three": agent.user}[viewer]
    client.force_login(user)
    counts = []
    for more in (1, 30):
        open_actions(user, more)
        for _ in range(more):
            TopicProposal.objects.create(proposed_by=agent.user, title="Emne")
        with django_assert_max_num_queries(15) as captured:
            client.get(reverse("home"))
        counts.append(len(captured))

    assert counts[0] == counts[1]
