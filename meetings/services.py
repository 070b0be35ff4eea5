"""Business actions for erfa-days: series, agenda, the round, publishing and e-mail."""

import calendar as monthcal
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import Max
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agents.models import Agent, Department
from meetings import calendar
from meetings.models import AgendaItem, Attendance, Meeting, TopicProposal
from projects.models import ProjectUpdate

# The standard agenda: kind, title, minutes.
STANDARD_AGENDA = [
    (AgendaItem.Kind.WELCOME, "Velkomst", 15),
    (AgendaItem.Kind.ROUND, "Runden", 75),
    (AgendaItem.Kind.TALK, "Oplæg", 60),
    (AgendaItem.Kind.LUNCH, "Frokost", 45),
    (AgendaItem.Kind.WORKSHOP, "Workshop", 90),
    (AgendaItem.Kind.AOB, "Eventuelt", 15),
]
# With no earlier erfa-day, the round looks this far back.
FIRST_ROUND_DAYS = 31


def series_dates(*, weekday, ordinal, first_month, months, skip_months=()):
    """The dates of e.g. "the first Thursday of every month except July".

    ordinal is 1-4, or -1 for the last such weekday of the month."""
    dates = []
    year, month = first_month.year, first_month.month
    for _step in range(months):
        if month not in skip_months:
            days = [
                d for d in monthcal.Calendar().itermonthdates(year, month)
                if d.month == month and d.weekday() == weekday
            ]
            dates.append(days[ordinal - 1] if ordinal > 0 else days[-1])
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return dates


@transaction.atomic
def create_series(*, dates, start_time, end_time, location, room="", theme=""):
    """Draft erfa-days on the given dates; dates that already have one are skipped."""
    taken = set(
        Meeting.objects.filter(date__in=dates)
        .exclude(status=Meeting.Status.CANCELLED)
        .values_list("date", flat=True)
    )
    created = [
        Meeting.objects.create(
            date=day, start_time=start_time, end_time=end_time, location=location, room=room,
            theme=theme,
        )
        for day in dates
        if day not in taken
    ]
    return created, sorted(taken)


@transaction.atomic
def apply_standard_agenda(meeting):
    start = (meeting.items.aggregate(m=Max("position"))["m"] or 0) + 1
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=start + i, kind=kind, title=title, duration=minutes)
        for i, (kind, title, minutes) in enumerate(STANDARD_AGENDA)
    )


def next_position(meeting):
    return (meeting.items.aggregate(m=Max("position"))["m"] or 0) + 1


@transaction.atomic
def move_item(item, *, up):
    """Swap an item with its neighbour and number the agenda 1..n."""
    items = list(item.meeting.items.select_for_update().order_by("position", "pk"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if up else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    for number, other in enumerate(items, start=1):
        other.position = number
    AgendaItem.objects.bulk_update(items, ["position"])


def previous_meeting(meeting):
    return (
        Meeting.objects.filter(date__lt=meeting.date)
        .exclude(status__in=[Meeting.Status.DRAFT, Meeting.Status.CANCELLED])
        .order_by("-date")
        .first()
    )


def compile_round(meeting):
    """The round: per department, the project updates since the previous erfa-day.

    Problems and updates flagged for the erfa-day come first; departments with nothing new
    are listed too. Returns plain data, so a frozen copy renders the same way. Three queries."""
    previous = previous_meeting(meeting)
    since = previous.starts_at if previous else meeting.starts_at - timedelta(FIRST_ROUND_DAYS)
    updates = (
        ProjectUpdate.objects.filter(created_at__gte=since, created_at__lt=meeting.starts_at)
        .select_related("project__lead__department", "project__lead__user", "author")
        .order_by("created_at")
    )
    by_department = {}
    for update in updates:
        department = update.project.lead.department
        projects = by_department.setdefault(department.pk, {})
        entry = projects.setdefault(
            update.project.pk,
            {
                "title": update.project.title,
                "url": update.project.get_absolute_url(),
                "lead": str(update.project.lead.user),
                "updates": [],
            },
        )
        entry["updates"].append(
            {
                "kind": update.kind,
                "kind_label": str(update.get_kind_display()),
                "text": update.text,
                "for_erfa": update.for_erfa,
                "date": date_format(timezone.localtime(update.created_at), "SHORT_DATE_FORMAT"),
                "author": str(update.author or ""),
            }
        )
    departments = []
    for department in Department.objects.order_by("name"):
        projects = list(by_department.get(department.pk, {}).values())
        for project in projects:
            project["updates"].sort(key=_urgency)
            project["urgent"] = any(_is_urgent(u) for u in project["updates"])
        projects.sort(key=lambda p: not p["urgent"])
        departments.append({"name": department.name, "projects": projects})
    return {
        "since": date_format(timezone.localtime(since), "SHORT_DATE_FORMAT"),
        "departments": departments,
    }


def _is_urgent(update):
    return update["kind"] == ProjectUpdate.Kind.PROBLEM or update["for_erfa"]


def _urgency(update):
    return not _is_urgent(update)


# Publishing and e-mail.

def _recipients():
    return [a.user for a in Agent.objects.active().select_related("user") if a.user.email]


@task()
def send_meeting_mail(meeting_id, kind):
    """Invitation, update or cancellation to every active agent, with the calendar file."""
    meeting = Meeting.objects.select_related("location").get(pk=meeting_id)
    with translation.override("da"):
        subjects = {
            "invite": _("Invitation: %(meeting)s"),
            "update": _("Changed: %(meeting)s"),
            "cancel": _("Cancelled: %(meeting)s"),
        }
        subject = subjects[kind] % {"meeting": meeting}
        items = list(meeting.items.select_related("presenter__user", "speaker"))
        messages = []
        for user in _recipients():
            body = render_to_string(
                "meetings/email/meeting.txt",
                {"meeting": meeting, "items": items, "kind": kind, "user": user,
                 "site_url": settings.SITE_URL},
            )
            message = EmailMessage(subject, body, to=[user.email])
            message.attach(
                "erfa-dag.ics",
                calendar.invitation(meeting, attendee=user, cancel=kind == "cancel"),
                f"text/calendar; method={'CANCEL' if kind == 'cancel' else 'REQUEST'}",
            )
            messages.append(message)
    mailers.default.send_messages(messages)
    return len(messages)


def _mail_after_commit(meeting, kind):
    # Runs once, and only if the change is saved.
    transaction.on_commit(lambda: send_meeting_mail.enqueue(meeting.pk, kind))


@transaction.atomic
def publish(meeting):
    meeting.status = Meeting.Status.PUBLISHED
    meeting.save(update_fields=["status"])
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, user=user) for user in _recipients()],
        ignore_conflicts=True,
    )
    _mail_after_commit(meeting, "invite")


@transaction.atomic
def save_meeting(form):
    """Save the erfa-day form; a published erfa-day whose time or place changed is re-sent."""
    meeting = form.instance
    announce = meeting.pk and meeting.status == Meeting.Status.PUBLISHED and any(
        f in form.changed_data for f in ("date", "start_time", "end_time", "room", "location")
    )
    if announce:
        meeting.sequence += 1
    meeting = form.save()
    if announce:
        _mail_after_commit(meeting, "update")
    return meeting


@transaction.atomic
def cancel(meeting):
    was_published = meeting.status == Meeting.Status.PUBLISHED
    meeting.status = Meeting.Status.CANCELLED
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence"])
    if was_published:
        _mail_after_commit(meeting, "cancel")


@transaction.atomic
def mark_held(meeting):
    """The erfa-day took place: freeze the round as it was used."""
    meeting.round_snapshot = compile_round(meeting)
    meeting.status = Meeting.Status.HELD
    meeting.save(update_fields=["status", "round_snapshot"])


@transaction.atomic
def answer(meeting, user, response):
    Attendance.objects.update_or_create(
        meeting=meeting, user=user,
        defaults={"response": response, "answered_at": timezone.now()},
    )


@transaction.atomic
def place_proposal(proposal, meeting):
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=next_position(meeting),
        kind=AgendaItem.Kind.TALK,
        title=proposal.title,
        description=proposal.description,
        duration=30,
        presenter=Agent.objects.filter(user=proposal.proposed_by).first(),
    )
    proposal.item = item
    proposal.status = TopicProposal.Status.PLACED
    proposal.save(update_fields=["item", "status"])
    return item


def default_series_start():
    today = timezone.localdate()
    return date(today.year + (today.month == 12), today.month % 12 + 1, 1)
