"""Actions that cannot be undone ask first: publishing (mails everyone), cancelling and
marking as held. A POST without the ticked box changes nothing and sends nothing."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from meetings.models import AgendaItem, Meeting
from tests import factories

pytestmark = pytest.mark.django_db


def _started_meeting():
    return factories.MeetingFactory(date=timezone.localdate() - timedelta(days=1))


def test_publish_asks_first_and_says_how_many_get_the_mail(facilitator_client, meeting, agent,
                                                         other_agent):
    page = facilitator_client.get(reverse("meetings:publish", args=[meeting.pk])).content.decode()

    assert "2 agenter får invitationen på e-mail med det samme" in page
    assert 'name="confirm"' in page
    meeting.refresh_from_db()
    assert meeting.status == "draft"


def test_publish_without_the_box_publishes_nothing_and_sends_nothing(
    facilitator_client, meeting, agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = facilitator_client.post(reverse("meetings:publish", args=[meeting.pk]))

    assert "Sæt flueben for at bekræfte, eller gå tilbage." in response.content.decode()
    assert mail.outbox == []
    meeting.refresh_from_db()
    assert meeting.status == "draft"
    assert not meeting.attendances.exists()


@pytest.mark.parametrize("status", ["draft", "published"])
def test_cancel_without_the_box_cancels_nothing(facilitator_client, meeting, agent, status,
                                                django_capture_on_commit_callbacks):
    meeting.status = status
    meeting.save()

    with django_capture_on_commit_callbacks(execute=True):
        response = facilitator_client.post(
            reverse("meetings:cancel", args=[meeting.pk]), {"confirm": ""}
        )

    assert "Sæt flueben for at bekræfte" in response.content.decode()
    meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence, mail.outbox) == (status, 0, [])


def test_cancel_with_the_box_cancels(facilitator_client, meeting):
    facilitator_client.post(reverse("meetings:cancel", args=[meeting.pk]), {"confirm": "on"})

    meeting.refresh_from_db()
    assert meeting.status == "cancelled"


def test_cancel_is_not_beside_publish_on_the_page(facilitator_client, meeting):
    page = facilitator_client.get(meeting.get_absolute_url()).content.decode()

    publish = page.index(reverse("meetings:publish", args=[meeting.pk]))
    cancel = page.index(reverse("meetings:cancel", args=[meeting.pk]))
    # The cancel link sits in its own section after the agenda, not in the row of buttons.
    assert publish < page.index('id="agenda-heading"') < page.index('id="cancel-heading"') < cancel
    assert "<form" not in page[publish - 200:publish]


def test_marking_as_held_before_the_erfa_day_has_started_is_refused(facilitator_client, meeting):
    meeting.status = "published"
    meeting.save()

    response = facilitator_client.post(
        reverse("meetings:held", args=[meeting.pk]), {"confirm": "on"}, follow=True
    )

    page = response.content.decode()
    assert "Erfa-dagen er ikke begyndt endnu, så den kan ikke markeres som afholdt." in page
    assert reverse("meetings:held", args=[meeting.pk]) not in page
    meeting.refresh_from_db()
    assert meeting.status == "published" and meeting.round_snapshot is None


def test_marking_as_held_without_the_box_keeps_it_published(facilitator_client):
    meeting = _started_meeting()

    response = facilitator_client.post(reverse("meetings:held", args=[meeting.pk]))

    assert "Sæt flueben for at bekræfte" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == "published" and meeting.round_snapshot is None


def test_marking_a_started_erfa_day_as_held_with_the_box(facilitator_client):
    meeting = _started_meeting()
    page = facilitator_client.get(meeting.get_absolute_url()).content.decode()
    assert reverse("meetings:held", args=[meeting.pk]) in page

    facilitator_client.post(reverse("meetings:held", args=[meeting.pk]), {"confirm": "on"})

    meeting.refresh_from_db()
    assert meeting.status == "held"


def test_a_second_standard_agenda_adds_nothing(facilitator_client, meeting):
    url = reverse("meetings:standard_agenda", args=[meeting.pk])
    facilitator_client.post(url)

    response = facilitator_client.post(url, follow=True)

    titles = list(meeting.items.values_list("title", flat=True))
    assert titles == ["Velkomst", "Runden", "Oplæg", "Frokost", "Workshop", "Eventuelt"]
    assert "Dagsordenen har allerede standardpunkterne" in response.content.decode()


def test_the_standard_agenda_adds_only_what_is_missing(facilitator_client, meeting):
    factories.AgendaItemFactory(meeting=meeting, kind=AgendaItem.Kind.ROUND, title="Runden")

    facilitator_client.post(reverse("meetings:standard_agenda", args=[meeting.pk]))

    assert meeting.items.filter(kind=AgendaItem.Kind.ROUND).count() == 1
    assert meeting.items.count() == 6


def test_an_agent_cannot_publish_even_with_the_box(agent_client, meeting):
    meeting.status = "published"
    meeting.save()

    response = agent_client.post(reverse("meetings:cancel", args=[meeting.pk]), {"confirm": "on"})

    assert response.status_code == 403
    assert Meeting.objects.get(pk=meeting.pk).status == "published"
