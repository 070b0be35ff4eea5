"""The mail outbox: every mail is a Delivery row first, then a task of the worker.

- Idempotent: one row per recipient and event (a unique constraint), so queueing the same
  event again sends nothing new.
- Never twice: the worker claims a row (pending → sending) before it sends and marks it
  sent after; a crash in between leaves it "sending", which is never claimed again. A mail
  may then be lost, never doubled, and the row shows it.
- Retried: a failed send is tried again after 1, 5 and 30 minutes, then given up ("failed"),
  which the page of the thing it is about shows, with a button to send again.
- One mail per task, so one bad address does not stop the others.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.tasks import task
from django.utils import timezone

from agentnet.models import Delivery

BACKOFF = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30)]
ERROR_MAX = 1000


def queue(*, about, event, messages):
    """Queue one mail per recipient: `messages` maps a user to the EmailMessage for them.
    A recipient who already has a row for this event gets nothing new. Sent after commit."""
    rows = [
        Delivery(
            recipient=user, about=about, event=event, to=message.to[0],
            subject=message.subject, body=message.body,
            attachments=[list(attachment) for attachment in message.attachments],
        )
        for user, message in messages.items()
    ]
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    ids = list(
        Delivery.objects.filter(
            about=about, event=event, status=Delivery.Status.PENDING,
            recipient__in=list(messages),
        ).values_list("pk", flat=True)
    )
    transaction.on_commit(lambda: _enqueue(ids))
    return len(ids)


def failed(about):
    """The mails about this thing that were given up on."""
    return Delivery.objects.filter(about=about, status=Delivery.Status.FAILED)


@transaction.atomic
def resend(deliveries):
    """Try the given-up mails among `deliveries` again, from the first attempt."""
    ids = list(
        deliveries.filter(status=Delivery.Status.FAILED)
        .select_for_update()
        .values_list("pk", flat=True)
    )
    Delivery.objects.filter(pk__in=ids).update(
        status=Delivery.Status.PENDING, attempts=0, next_attempt_at=timezone.now(),
        last_error="",
    )
    transaction.on_commit(lambda: _enqueue(ids))
    return len(ids)


def _enqueue(ids, *, at=None):
    task = deliver
    if at is not None:
        task = deliver.using(run_after=at)
    for pk in ids:
        task.enqueue(pk)


@task()
def deliver(delivery_id):
    """Send one queued mail, if it is still waiting and due."""
    now = timezone.now()
    # The claim is its own committed statement: once it is made, no other run sends the mail.
    claimed = Delivery.objects.filter(
        pk=delivery_id, status=Delivery.Status.PENDING, next_attempt_at__lte=now
    ).update(status=Delivery.Status.SENDING, attempts=F("attempts") + 1)
    if not claimed:
        return "skipped"
    delivery = Delivery.objects.get(pk=delivery_id)
    try:
        delivery.message().send()
    except Exception as error:  # the relay refused or failed: try again later
        return _failed(delivery, error, now)
    _mark_sent(delivery_id, now)
    return "sent"


def _mark_sent(delivery_id, now):
    Delivery.objects.filter(pk=delivery_id).update(
        status=Delivery.Status.SENT, sent_at=now, last_error=""
    )


def _failed(delivery, error, now):
    error = f"{type(error).__name__}: {error}"[:ERROR_MAX]
    retry = delivery.attempts <= len(BACKOFF) and deliver.get_backend().supports_defer
    if not retry:
        # Given up, or a backend without a clock (the immediate one): the page shows it.
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.FAILED, last_error=error
        )
        return "failed"
    at = now + BACKOFF[delivery.attempts - 1]
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.PENDING, next_attempt_at=at, last_error=error
    )
    _enqueue([delivery.pk], at=at)
    return "retry"
