"""An erfa-day's invitations, updates and cancellations go through the outbox: one mail per
agent and version of the erfa-day, sent by the worker; the ones that could not be sent are
shown to the facilitator on the erfa-day's page and sent again from there."""

import datetime

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from agentnet import digest
from agentnet.models import Delivery
from meetings import services
from meetings.forms import MeetingForm
from tests import factories
from tests.test_worker import DATABASE_TASKS, run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def refused(monkeypatch):
    """The addresses the mail server refuses (the others it accepts)."""
    addresses = set()
    send = EmailBackend.send_messages

    def refusing_send(backend, messages):
        if any(set(message.to) & addresses for message in messages):
            raise ValueError("recipient refused")
        return send(backend, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refusing_send)
    return addresses


@pytest.fixture
def agents(db):
    """Three active agents with an address, one without, one no longer active."""
    active = [
        factories.AgentFactory(user__username=name, user__first_name=name.title())
        for name in ("mette", "peter", "anna")
    ]
    factories.AgentFactory(user__username="uden", user__email="")
    factories.AgentFactory(user__username="stoppet", is_active=False)
    return active


def move_to_ten(meeting):
    """The facilitator moves the erfa-day to 10:00, as the edit form does."""
    form = MeetingForm(
        {"date": meeting.date, "start_time": "10:00", "end_time": "15:00",
         "location": meeting.location_id, "room": meeting.room, "theme": meeting.theme},
        instance=meeting,
    )
    assert form.is_valid(), form.errors
    return services.save_meeting(form)


def danish(meeting):
    """The erfa-day's name as the mails (in Danish) write it."""
    with translation.override("da"):
        return str(meeting)


def addresses(mailoutbox):
    return sorted(message.to[0] for message in mailoutbox)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_sends_each_active_agent_one_invitation_once_and_one_update_per_change(
    settings, meeting, agents, mailoutbox
):
    settings.TASKS = DATABASE_TASKS
    everyone = sorted(agent.user.email for agent in agents)

    services.publish(meeting)
    # Queued, not sent: publishing does not wait for the mail server.
    assert mailoutbox == []
    run_worker()

    assert addresses(mailoutbox) == everyone
    assert {m.subject for m in mailoutbox} == {f"Invitation: {danish(meeting)}"}
    assert all(m.attachments[0][0] == "erfa-dag.ics" for m in mailoutbox)
    assert "SEQUENCE:0" in mailoutbox[0].attachments[0][1]

    # Published again with the same version: nothing new.
    services.publish(meeting)
    run_worker()
    assert len(mailoutbox) == 3

    # A new time is a new version: an update to everyone.
    mailoutbox.clear()
    move_to_ten(meeting)
    run_worker()
    assert addresses(mailoutbox) == everyone
    assert {m.subject for m in mailoutbox} == {f"Ændret: {danish(meeting)}"}
    assert "SEQUENCE:1" in mailoutbox[0].attachments[0][1]
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 6


def publish(meeting, captured):
    with captured(execute=True):
        services.publish(meeting)


def test_one_refused_address_does_not_stop_the_others_and_the_facilitator_sends_it_again(
    meeting, agents, refused, mailoutbox, facilitator_client, django_capture_on_commit_callbacks
):
    refused.add("peter@example.org")

    publish(meeting, django_capture_on_commit_callbacks)

    assert addresses(mailoutbox) == ["anna@example.org", "mette@example.org"]
    page = facilitator_client.get(meeting.get_absolute_url()).content.decode()
    assert "1 invitation kunne ikke sendes" in page
    assert "Peter" in page and "&lt;peter@example.org&gt;" in page
    assert reverse("meetings:resend_mails", args=[meeting.pk]) in page
    agent_client = Client()
    agent_client.force_login(agents[0].user)
    agent_page = agent_client.get(meeting.get_absolute_url()).content.decode()
    assert "kunne ikke sendes" not in agent_page
    assert "peter@example.org" not in agent_page

    refused.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = facilitator_client.post(
            reverse("meetings:resend_mails", args=[meeting.pk]), follow=True
        )

    assert addresses(mailoutbox) == ["anna@example.org", "mette@example.org", "peter@example.org"]
    assert mailoutbox[-1].subject == f"Invitation: {danish(meeting)}"
    page = response.content.decode()
    assert "1 mail sendes igen." in page
    assert "kunne ikke sendes" not in page


def test_an_agent_cannot_send_the_failed_mails_again(
    meeting, agents, refused, mailoutbox, client, django_capture_on_commit_callbacks
):
    refused.add("peter@example.org")
    publish(meeting, django_capture_on_commit_callbacks)
    refused.clear()
    client.force_login(agents[0].user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:resend_mails", args=[meeting.pk]))

    assert response.status_code == 403
    assert "peter@example.org" not in addresses(mailoutbox)
    assert Delivery.objects.get(to="peter@example.org").status == Delivery.Status.FAILED


def test_an_invitation_outdated_by_an_update_is_neither_shown_nor_sent_again(
    meeting, agents, refused, mailoutbox, facilitator_client, django_capture_on_commit_callbacks
):
    refused.add("peter@example.org")
    publish(meeting, django_capture_on_commit_callbacks)
    refused.clear()
    with django_capture_on_commit_callbacks(execute=True):
        move_to_ten(meeting)

    # Peter has the update with the new time: the old invitation is not his to get now.
    assert "peter@example.org" in addresses(mailoutbox)
    page = facilitator_client.get(meeting.get_absolute_url()).content.decode()
    assert "kunne ikke sendes" not in page
    assert services.resend_failed_mails(meeting) == 0


def test_the_mondays_summary_counts_the_failed_mails_of_the_erfa_days_ahead(
    meeting, agents, refused, facilitator, django_capture_on_commit_callbacks
):
    refused.update({"peter@example.org", "anna@example.org"})
    publish(meeting, django_capture_on_commit_callbacks)
    # An erfa-day already behind, and a failure outdated by an update, do not count.
    past = factories.MeetingFactory(date=datetime.date(2026, 11, 5), status="draft")
    publish(past, django_capture_on_commit_callbacks)
    later = factories.MeetingFactory(date=datetime.date(2027, 4, 1), status="draft")
    publish(later, django_capture_on_commit_callbacks)
    refused.discard("anna@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        move_to_ten(later)
    assert Delivery.objects.filter(status=Delivery.Status.FAILED).count() == 7

    monday = timezone.localdate() + datetime.timedelta(days=7 - timezone.localdate().weekday())
    [line] = [item for item in digest.weekly_summary(monday) if "invitation" in item.text]

    assert line.text == "3 invitationer, der ikke kunne sendes"
    assert line.url == reverse("meetings:index")


def test_the_page_makes_as_many_queries_for_30_failed_mails_as_for_3(
    meeting, refused, facilitator_client, django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    meeting.status = "published"
    counts = []
    for size in (3, 27):
        for _ in range(size):
            agent = factories.AgentFactory()
            refused.add(agent.user.email)
        meeting.sequence += 1
        meeting.save()
        with django_capture_on_commit_callbacks(execute=True):
            services.send_meeting_mail(meeting, "update")
        with django_assert_max_num_queries(17) as captured:
            response = facilitator_client.get(meeting.get_absolute_url())
        counts.append(len(captured))

    assert counts[0] == counts[1]
    page = response.content.decode()
    assert "30 invitationer kunne ikke sendes" in page
    assert page.count("@example.org&gt;</li>") == 20
