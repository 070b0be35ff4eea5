"""iCalendar for erfa-days: invitations (REQUEST / CANCEL) and the personal feed."""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, vCalAddress, vText

PRODID = "-//AgentNet//Erfa-dage//DA"
# How long a written feed is kept; a changed erfa-day is a new version, written anew at once.
FEED_KEPT = 24 * 60 * 60


@dataclass(frozen=True)
class Details:
    """What an erfa-day's event says, as values: a feed of the same erfa-days, as they
    were, is the same calendar (feed())."""

    uid: str
    sequence: int
    starts_at: datetime
    ends_at: datetime
    summary: str
    place: str
    cancelled: bool

    @classmethod
    def of(cls, meeting, *, cancelled=None):
        return cls(
            uid=f"{meeting.uid}@agentnet",
            sequence=meeting.sequence,
            starts_at=timezone.localtime(meeting.starts_at),
            ends_at=timezone.localtime(meeting.ends_at),
            summary=str(meeting),
            place=", ".join(p for p in (meeting.room, str(meeting.location)) if p),
            cancelled=meeting.status == "cancelled" if cancelled is None else cancelled,
        )


def _calendar(events, method=None):
    """A calendar for these events, carrying the definition of the time zone they use for
    the years they fall in."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    if events:
        years = [event.starts_at.year for event in events]
        calendar.add_component(_timezone(min(years), max(years)))
    return calendar


def _timezone(first_year, last_year):
    """The VTIMEZONE of settings.TIME_ZONE from the year before first_year to the year after
    last_year: only the years the events need, as the default 1970–2038 is long to work out."""
    return Timezone.from_tzid(
        settings.TIME_ZONE, first_date=date(first_year - 1, 1, 1),
        last_date=date(last_year + 2, 1, 1),
    )


def _event(details, *, attendee=None):
    event = Event()
    event.add("uid", details.uid)
    event.add("sequence", details.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", details.starts_at)
    event.add("dtend", details.ends_at)
    event.add("summary", details.summary)
    event.add("location", vText(details.place))
    event.add("status", "CANCELLED" if details.cancelled else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{_address(settings.DEFAULT_FROM_EMAIL)}")
    organizer.params["cn"] = vText("AgentNet")
    event["organizer"] = organizer
    if attendee is not None:
        address = vCalAddress(f"mailto:{attendee.email}")
        address.params["cn"] = vText(str(attendee))
        address.params["rsvp"] = vText("TRUE")
        event.add("attendee", address, encode=0)
    return event


def _address(sender):
    return sender.rsplit("<", 1)[-1].rstrip(">").strip()


def invitation(meeting, *, attendee, cancel=False):
    details = Details.of(meeting, cancelled=cancel)
    calendar = _calendar([details], "CANCEL" if cancel else "REQUEST")
    calendar.add_component(_event(details, attendee=attendee))
    return calendar.to_ical()


def single(meeting):
    """One erfa-day as a calendar file to download: the same event (UID, SEQUENCE) as in
    the feed and the invitation, so a calendar that has it from there updates it."""
    details = Details.of(meeting)
    calendar = _calendar([details], "PUBLISH")
    calendar.add_component(_event(details))
    return calendar.to_ical()


def feed(meetings):
    """The feed of these erfa-days, written once for each version of them (what its events
    say) and kept in the cache: calendar programs fetch the feed every few hours, and it
    changes only when an erfa-day does. Its DTSTAMPs say when this version was first written.
    """
    events = tuple(Details.of(meeting) for meeting in meetings)
    version = hashlib.sha256(repr(events).encode()).hexdigest()
    return cache.get_or_set(f"calendar:feed:{version}", lambda: _feed(events), timeout=FEED_KEPT)


def _feed(events):
    calendar = _calendar(events)
    calendar.add("x-wr-calname", "Erfa-dage")
    for details in events:
        calendar.add_component(_event(details))
    return calendar.to_ical()
