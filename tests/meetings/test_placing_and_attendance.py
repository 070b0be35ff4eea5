"""A placed topic goes before "Eventuelt"; attendance starts from who said they would come."""

import pytest
from django.urls import reverse

from meetings.models import AgendaItem, Attendance, TopicProposal
from tests import factories

pytestmark = pytest.mark.django_db


def _titles(meeting):
    return list(meeting.items.order_by("position", "pk").values_list("title", flat=True))


def test_a_placed_proposal_goes_before_eventuelt(facilitator_client, meeting, agent):
    facilitator_client.post(reverse("meetings:standard_agenda", args=[meeting.pk]))
    proposal = TopicProposal.objects.create(proposed_by=agent.user, title="Chatbots")

    facilitator_client.post(
        reverse("meetings:proposal_place", args=[proposal.pk]), {"meeting": meeting.pk}
    )

    assert _titles(meeting) == [
        "Velkomst", "Runden", "Oplæg", "Frokost", "Workshop", "Chatbots", "Eventuelt",
    ]
    page = facilitator_client.get(meeting.get_absolute_url()).content.decode()
    assert page.index("Chatbots") < page.index("Eventuelt")
    assert meeting.items.get(title="Chatbots").presenter == agent


def test_without_eventuelt_a_placed_proposal_goes_last(facilitator_client, meeting, agent):
    factories.AgendaItemFactory(meeting=meeting, kind=AgendaItem.Kind.WELCOME, title="Velkomst")
    proposal = TopicProposal.objects.create(proposed_by=agent.user, title="Chatbots")

    facilitator_client.post(
        reverse("meetings:proposal_place", args=[proposal.pk]), {"meeting": meeting.pk}
    )

    assert _titles(meeting) == ["Velkomst", "Chatbots"]


def _published_with_answers(meeting, agent, other_agent):
    meeting.status = "published"
    meeting.save()
    coming = Attendance.objects.create(meeting=meeting, user=agent.user, response="coming")
    away = Attendance.objects.create(meeting=meeting, user=other_agent.user,
                                     response="not_coming")
    return coming, away


def test_attendance_is_prefilled_from_who_said_coming(facilitator_client, meeting, agent,
                                                       other_agent):
    coming, away = _published_with_answers(meeting, agent, other_agent)

    page = facilitator_client.get(reverse("meetings:attendance", args=[meeting.pk]))

    html = page.content.decode()
    assert f'value="{coming.pk}" id="att-{coming.pk}" checked>' in html
    assert f'value="{away.pk}" id="att-{away.pk}">' in html
    assert "Dem, der svarede “kommer”, er sat flueben ved på forhånd." in html
    # Nothing is saved until the facilitator saves.
    assert not Attendance.objects.filter(attended=True).exists()


def test_once_saved_attendance_shows_what_was_saved(facilitator_client, meeting, agent,
                                                     other_agent):
    coming, away = _published_with_answers(meeting, agent, other_agent)
    facilitator_client.post(
        reverse("meetings:attendance", args=[meeting.pk]), {"attended": [away.pk]}
    )

    html = facilitator_client.get(
        reverse("meetings:attendance", args=[meeting.pk])
    ).content.decode()

    assert f'value="{coming.pk}" id="att-{coming.pk}">' in html
    assert f'value="{away.pk}" id="att-{away.pk}" checked>' in html
    assert "på forhånd" not in html
