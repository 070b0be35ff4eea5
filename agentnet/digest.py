"""The daily digest: one mail per person on workday mornings with what became due for them
(agentnet/due.py), each item mailed once, in the person's language, and a weekly summary for
the facilitator on Mondays.

One run makes a fixed number of queries whatever the size of the network; a second run on
the same day sends nothing new (each item is remembered in Reminder, each day's mail in the
outbox)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agentnet import outbox
from agentnet.due import Item, due_items
from agentnet.models import MailChoice, Reminder
from agents.models import FACILITATOR, Department
from meetings.models import TopicProposal
from meetings.services import failed_mails_ahead
from projects.models import Project

UNSUBSCRIBE_SALT = "agentnet.digest.unsubscribe"


def unsubscribe_token(user):
    """A signed token that can do one thing: stop this person's digest."""
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


def user_of_token(token):
    """The user id the token was made for, or None when it was altered."""
    try:
        return signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None


def recipients():
    return (
        get_user_model().objects.filter(is_active=True)
        .exclude(email="")
        .exclude(mail_choice__digest=False)
        .select_related("mail_choice")
        .order_by("pk")
    )


def weekly_summary(today):
    """The network's state for the facilitator: four counts, four queries."""
    stale = Project.objects.stale(timezone.now()).exclude(lead=None)
    counts = [
        (Department.objects.without_agent().count(), _("departments without an agent"),
         reverse("agents:departments")),
        (stale.count(), _("projects with no update for 60 days"), reverse("projects:index")),
        (TopicProposal.objects.filter(status=TopicProposal.Status.OPEN).count(),
         _("topic proposals waiting for a place"), reverse("meetings:proposals")),
        # As the erfa-days' pages show them: the current version of those ahead.
        (failed_mails_ahead(today).count(), _("invitations that could not be sent"),
         reverse("meetings:index")),
    ]
    return [
        Item("weekly_summary", f"summary:{today:%Y%m%d}:{n}", "%(count)s %(what)s",
             {"count": count, "what": what}, url)
        for n, (count, what, url) in enumerate(counts)
    ]


@transaction.atomic
def send_digests(today=None):
    """Queue today's digests; returns how many people get one."""
    today = today or timezone.localdate()
    if today.weekday() >= 5:
        return 0
    people = list(recipients())
    items = due_items(people, today)
    if today.weekday() == 0:
        facilitators = set(
            get_user_model().objects.filter(groups__name=FACILITATOR).values_list("pk", flat=True)
        )
        if facilitators & {user.pk for user in people}:
            summary = weekly_summary(today)
            for pk in facilitators:
                items.setdefault(pk, []).extend(summary)
    mailed = set(
        Reminder.objects.filter(user__in=people).values_list("user_id", "key")
    )
    messages, reminders = {}, []
    for user in people:
        choice = getattr(user, "mail_choice", None) or MailChoice(user=user)
        new = [
            item for item in items.get(user.pk, [])
            if getattr(choice, item.topic) and (user.pk, item.key) not in mailed
        ]
        if not new:
            continue
        messages[user] = _digest(user, new, choice.language)
        reminders += [Reminder(user=user, key=item.key, mailed_on=today) for item in new]
    outbox.queue(about="digest", event=today.isoformat(), messages=messages)
    Reminder.objects.bulk_create(reminders, ignore_conflicts=True)
    return len(messages)


def _digest(user, items, language):
    with translation.override(language):
        context = {
            "user": user,
            "items": [(item.text, settings.SITE_URL + item.url) for item in items],
            "choices_url": settings.SITE_URL + reverse("mail_choices"),
            "unsubscribe_url": settings.SITE_URL
            + reverse("unsubscribe", args=[unsubscribe_token(user)]),
        }
        subject = _("AgentNet: what is waiting for you")
        body = render_to_string("mail/digest.txt", context)
    return EmailMessage(subject, body, to=[user.email])


@task()
def send_digests_task():
    return send_digests()
