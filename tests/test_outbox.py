"""The outbox: one mail per recipient and event, sent once, tried again with back-off, and
given up mails sent again by hand. The suite runs each task at once; the tests of retries
queue in the database and run the worker for one batch (tests/test_worker.py)."""

from datetime import timedelta

import pytest
from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from agentnet import outbox
from agentnet.models import Delivery
from tests import factories
from tests.test_worker import DATABASE_TASKS, run_worker


@pytest.fixture
def people(db):
    return [
        factories.UserFactory(username=name, email=f"{name}@example.dk")
        for name in ("mette", "peter", "lise")
    ]


def invitations(users, subject="Invitation: erfa-dag 8. januar"):
    return {
        user: EmailMessage(subject, f"Hej {user.first_name}", to=[user.email]) for user in users
    }


@pytest.fixture
def mail_server(monkeypatch):
    """The mail server: refuses the addresses in `refuse`, and everything for the next
    `down` sends."""

    class Server:
        refuse = set()
        down = 0

    send = EmailBackend.send_messages

    def flaky_send(backend, messages):
        if Server.down:
            Server.down -= 1
            raise ConnectionRefusedError("mail server down")
        if any(set(message.to) & Server.refuse for message in messages):
            raise ValueError("recipient refused")
        return send(backend, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky_send)
    return Server


@pytest.fixture
def clock(monkeypatch):
    """Moves the time that the outbox and the worker read forward."""

    class Clock:
        offset = timedelta()

        def advance(self, **delta):
            self.offset += timedelta(**delta)

    clock = Clock()
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + clock.offset)
    return clock


def test_queueing_the_same_event_twice_mails_each_person_once(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.queue(about="meeting:1", event="invite:0", messages=invitations(people))
    with django_capture_on_commit_callbacks(execute=True):
        outbox.queue(about="meeting:1", event="invite:0", messages=invitations(people))

    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u in people)
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 3


def test_a_new_version_of_the_event_is_a_new_mail(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.queue(about="meeting:1", event="invite:0", messages=invitations(people[:1]))
        outbox.queue(about="meeting:1", event="update:1", messages=invitations(people[:1]))

    assert len(mailoutbox) == 2


def test_one_refused_address_does_not_stop_the_others(
    people, mailoutbox, mail_server, django_capture_on_commit_callbacks
):
    mail_server.refuse = {"peter@example.dk"}

    with django_capture_on_commit_callbacks(execute=True):
        outbox.queue(about="meeting:1", event="invite:0", messages=invitations(people))

    assert sorted(m.to[0] for m in mailoutbox) == ["lise@example.dk", "mette@example.dk"]
    [failed] = outbox.failed("meeting:1")
    assert failed.to == "peter@example.dk"
    assert "recipient refused" in failed.last_error


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_mail_the_server_refused_at_first_arrives_after_the_retry(
    settings, people, mailoutbox, mail_server, clock
):
    settings.TASKS = DATABASE_TASKS
    mail_server.down = 1
    outbox.queue(about="meeting:1", event="invite:0", messages=invitations(people[:1]))

    run_worker()
    assert mailoutbox == []
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 1)
    assert "mail server down" in delivery.last_error

    # The retry waits a minute: a worker before then sends nothing.
    clock.advance(seconds=50)
    run_worker()
    assert mailoutbox == []

    clock.advance(seconds=20)
    run_worker()
    [message] = mailoutbox
    assert message.to == ["mette@example.dk"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 2)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_mail_is_given_up_after_1_5_and_30_minutes_and_sent_again_by_hand(
    settings, people, mailoutbox, mail_server, clock
):
    settings.TASKS = DATABASE_TASKS
    mail_server.down = 4
    outbox.queue(about="meeting:1", event="invite:0", messages=invitations(people[:1]))

    run_worker()
    for minutes in (1, 5, 30):
        clock.advance(minutes=minutes, seconds=1)
        run_worker()

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.FAILED, 4)
    clock.advance(hours=5)
    run_worker()
    assert mailoutbox == []

    assert outbox.resend(outbox.failed("meeting:1")) == 1
    run_worker()
    [message] = mailoutbox
    assert message.to == ["mette@example.dk"]
    assert not outbox.failed("meeting:1").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_crash_between_sending_and_marking_sent_does_not_send_twice(
    settings, people, mailoutbox, monkeypatch
):
    settings.TASKS = DATABASE_TASKS
    outbox.queue(about="meeting:1", event="invite:0", messages=invitations(people[:1]))
    [delivery] = Delivery.objects.all()

    def crash(*args):
        raise SystemExit("the worker was killed")

    monkeypatch.setattr(outbox, "_mark_sent", crash)
    run_worker()
    assert len(mailoutbox) == 1
    monkeypatch.undo()

    # The task is queued again (a second worker, a restart): the mail is not sent again.
    outbox.deliver.enqueue(delivery.pk)
    run_worker()
    assert len(mailoutbox) == 1
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENDING
