"""Business actions for erfa-days: series, agenda, the round, publishing and e-mail."""

import calendar as monthcal
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import CharField, Exists, Max, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agentnet import outbox
from agentnet.models import Delivery
from agents.models import Agent, Department
from meetings import calendar, permissions, turns
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
# The round is one agenda item of about an hour: it brings at most this many updates (or one
# per department, when there are more departments), however busy the month was.
ROUND_SIZE = 40
# The calendar feed: the erfa-days of the last year and all ahead.
FEED_HISTORY = timedelta(days=365)


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
    """Add the standard items the agenda does not have yet (a second click adds nothing);
    returns how many were added."""
    present = set(meeting.items.select_for_update().values_list("kind", "title"))
    missing = [entry for entry in STANDARD_AGENDA if (entry[0], entry[1]) not in present]
    start = next_position(meeting)
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=start + i, kind=kind, title=title, duration=minutes)
        for i, (kind, title, minutes) in enumerate(missing)
    )
    return len(missing)


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


def previous_start(meeting):
    """When the erfa-day before this one (published or held) began; None for the first."""
    previous = (
        Meeting.objects.filter(
            date__lt=meeting.date, status__in=[Meeting.Status.PUBLISHED, Meeting.Status.HELD]
        )
        .order_by("-date")
        .only("date", "start_time")
        .first()
    )
    return previous.starts_at if previous else None


def compile_round(meeting):
    """The round: per department, the project updates since the previous erfa-day.

    The departments with news come first, each with its projects, problems and updates
    flagged for the erfa-day first. The departments that have not been heard from follow
    as one short list with their agents' names, so the facilitator can ask them in the
    room. A busy month brings more updates than an hour can take: the round keeps
    ROUND_SIZE of them, the departments taking turns (meetings/turns.py), so the page does
    not grow with the network; every department with news keeps at least one. Returns plain
    data, so a copy frozen when the erfa-day is held (Meeting.round_snapshot) renders the
    same way. Four queries."""
    since = previous_start(meeting) or meeting.starts_at - timedelta(FIRST_ROUND_DAYS)
    departments = list(Department.objects.order_by("name").values_list("pk", "name"))
    size = max(ROUND_SIZE, len(departments))
    updates = list(turns.round_updates(since, meeting.starts_at, size))
    by_department = {}
    for update in updates:
        project = update.project
        projects = by_department.setdefault(update.lead_department_id, {})
        entry = projects.setdefault(
            project.pk,
            {
                "title": project.title,
                "url": project.get_absolute_url(),
                "lead": str(project.lead.user),
                "updates": [],
            },
        )
        entry["updates"].append(
            {
                "kind": update.kind,
                "kind_label": update.get_kind_display(),
                "text": update.text,
                "for_erfa": update.for_erfa,
                "date": _short_date(update.created_at),
                "author": str(update.author) if update.author else "",
            }
        )
    rows = []
    for department_id, name in departments:
        projects = list(by_department.get(department_id, {}).values())
        for project in projects:
            project["updates"].sort(key=_urgency)
            project["urgent"] = any(_is_urgent(u) for u in project["updates"])
        projects.sort(key=lambda p: not p["urgent"])
        if projects:
            rows.append({"name": name, "projects": projects})
    return {
        "since": _short_date(since),
        "departments": rows,
        "quiet": _quiet_departments(
            [(pk, name) for pk, name in departments if pk not in by_department]
        ),
        # A full round may have left updates out; the page says so rather than hide it.
        "capped": len(updates) >= size,
    }


def _quiet_departments(departments):
    """The departments with nothing in the round, each with its active agents' names."""
    names = {}
    agents = (
        Agent.objects.active()
        .filter(department__in=[pk for pk, _name in departments])
        .select_related("user")
        .only("department", "user__first_name", "user__last_name", "user__username")
        .order_by("user__first_name", "user__last_name", "pk")
    )
    for agent in agents:
        names.setdefault(agent.department_id, []).append(str(agent.user))
    return [{"name": name, "agents": names.get(pk, [])} for pk, name in departments]


def _short_date(moment):
    # The round is kept as text when the erfa-day is held, so its dates are written here.
    return date_format(timezone.localtime(moment), "SHORT_DATE_FORMAT")


def _is_urgent(update):
    return update["kind"] == ProjectUpdate.Kind.PROBLEM or update["for_erfa"]


def _urgency(update):
    return not _is_urgent(update)


# Publishing and e-mail.

def _recipients():
    return [a.user for a in Agent.objects.active().select_related("user") if a.user.email]


# The mails of an erfa-day: an invitation when it is published, an update when its time or
# place changes, a cancellation. Each is one outbox row per agent, keyed by the erfa-day and
# its sequence (the calendar event's version), so one bad address does not stop the others
# and the same version is never mailed twice to anyone.
MAIL_KINDS = ("invite", "update", "cancel")


def mail_about(meeting):
    return f"meeting:{meeting.pk}"


def _events(sequence):
    """The outbox events of an erfa-day's version: a mail of an earlier version is outdated
    by the one each agent got since (it says the new time and place)."""
    return [f"{kind}:{sequence}" for kind in MAIL_KINDS]


def send_meeting_mail(meeting, kind):
    """Queue the invitation, update or cancellation for every active agent, each with the
    calendar file; sent by the worker once the change is saved. Returns how many are new."""
    meeting = Meeting.objects.select_related("location").get(pk=meeting.pk)
    with translation.override("da"):
        subjects = {
            "invite": _("Invitation: %(meeting)s"),
            "update": _("Changed: %(meeting)s"),
            "cancel": _("Cancelled: %(meeting)s"),
        }
        subject = subjects[kind] % {"meeting": meeting}
        items = list(meeting.items.select_related("presenter__user", "speaker"))
        messages = {}
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
            messages[user] = message
    return outbox.queue(
        about=mail_about(meeting), event=f"{kind}:{meeting.sequence}", messages=messages
    )


def failed_mails(meeting):
    """The erfa-day's mails of its current version that were given up on."""
    return outbox.failed(mail_about(meeting)).filter(event__in=_events(meeting.sequence))


def failed_mails_ahead(today):
    """The given-up mails of the current version of every erfa-day from `today` on, in one
    query: the facilitator's weekly summary counts them."""
    version = Cast("sequence", output_field=CharField())
    current = Meeting.objects.filter(
        date__gte=today, status__in=permissions.MAILS_RESENT_WHEN
    ).annotate(
        about=Concat(Value("meeting:"), Cast("pk", output_field=CharField())),
        **{kind: Concat(Value(f"{kind}:"), version) for kind in MAIL_KINDS},
    ).filter(
        Q(about=OuterRef("about")),
        Q(invite=OuterRef("event")) | Q(update=OuterRef("event")) | Q(cancel=OuterRef("event")),
    )
    return Delivery.objects.filter(Exists(current), status=Delivery.Status.FAILED)


def resend_failed_mails(meeting):
    """Send the erfa-day's given-up mails again; returns how many."""
    return outbox.resend(failed_mails(meeting))


@transaction.atomic
def publish(meeting):
    meeting.status = Meeting.Status.PUBLISHED
    meeting.save(update_fields=["status"])
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, user=user) for user in _recipients()],
        ignore_conflicts=True,
    )
    send_meeting_mail(meeting, "invite")


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
        send_meeting_mail(meeting, "update")
    return meeting


@transaction.atomic
def cancel(meeting):
    was_published = meeting.status == Meeting.Status.PUBLISHED
    meeting.status = Meeting.Status.CANCELLED
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence"])
    if was_published:
        send_meeting_mail(meeting, "cancel")


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
    """Put a proposal on the agenda as a talk: before "Eventuelt", which closes the day, or
    at the end if the agenda has none."""
    items = list(meeting.items.select_for_update().order_by("position", "pk"))
    aob = next((i for i, item in enumerate(items) if item.kind == AgendaItem.Kind.AOB), None)
    if aob is None:
        position = next_position(meeting)
    else:
        # Number the agenda 1..n with a gap for the new item where "Eventuelt" was.
        for number, other in enumerate(items, start=1):
            other.position = number + (number > aob)
        AgendaItem.objects.bulk_update(items, ["position"])
        position = aob + 1
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=position,
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


@transaction.atomic
def save_minutes(form, actions):
    """Save an item's minutes and its follow-up actions (valid forms) together: if the
    actions cannot be saved, the minutes are not saved either."""
    item = form.save()
    actions.save()
    return item


@transaction.atomic
def delete_item(item):
    """Take an item off its agenda; a topic proposal it was made from goes back to the backlog,
    so the facilitator can place it on a later erfa-day."""
    _back_to_backlog(TopicProposal.objects.filter(item=item))
    item.delete()


def delete_meeting(meeting):
    """Delete an erfa-day (the admin's way); the topic proposals placed on it go back to the
    backlog, as when one item is taken off."""
    _back_to_backlog(TopicProposal.objects.filter(item__meeting=meeting))
    meeting.delete()


def _back_to_backlog(proposals):
    proposals.update(item=None, status=TopicProposal.Status.BACKLOG)


def feed_meetings():
    """The erfa-days of the calendar feed: calendar programs fetch the whole feed every few
    hours, so it covers the last year and everything ahead rather than every erfa-day ever
    held; each is an invitation-sized event, not its agenda or round."""
    return (
        Meeting.objects.exclude(status=Meeting.Status.DRAFT)
        .filter(date__gte=timezone.localdate() - FEED_HISTORY)
        .select_related("location")
        .defer("round_snapshot")
        .order_by("date")
    )


def default_series_start():
    today = timezone.localdate()
    return date(today.year + (today.month == 12), today.month % 12 + 1, 1)
