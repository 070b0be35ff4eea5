"""iCalendar for erfa-days: invitations (REQUEST / CANCEL) and the personal feed."""

from datetime import date
from functools import lru_cache

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, vCalAddress, vText

PRODID = "-//AgentNet//Erfa-dage//DA"


def _calendar(meetings, method=None):
    """A calendar for these erfa-days, carrying the definition of the time zone their
    events use for the years they fall in."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    if meetings:
        years = [meeting.starts_at.year for meeting in meetings]
        calendar.add_component(_timezone(min(years), max(years)))
    return calendar


@lru_cache(maxsize=32)
def _timezone(first_year, last_year):
    """The VTIMEZONE of settings.TIME_ZONE from the year before first_year to the year after
    last_year, worked out once per process: its rules come from the tz database, and working
    out the default 1970–2038 took longer than the rest of a whole feed."""
    return Timezone.from_tzid(
        settings.TIME_ZONE, first_date=date(first_year - 1, 1, 1),
        last_date=date(last_year + 2, 1, 1),
    )


def _event(meeting, *, cancelled=False, attendee=None):
    event = Event()
    event.add("uid", f"{meeting.uid}@agentnet")
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(meeting.starts_at))
    event.add("dtend", timezone.localtime(meeting.ends_at))
    event.add("summary", str(meeting))
    place = ", ".join(p for p in (meeting.room, str(meeting.location)) if p)
    event.add("location", vText(place))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
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
    calendar = _calendar([meeting], "CANCEL" if cancel else "REQUEST")
    calendar.add_component(_event(meeting, cancelled=cancel, attendee=attendee))
    return calendar.to_ical()


def feed(meetings):
    meetings = list(meetings)
    calendar = _calendar(meetings)
    calendar.add("x-wr-calname", "Erfa-dage")
    for meeting in meetings:
        calendar.add_component(_event(meeting, cancelled=meeting.status == "cancelled"))
    return calendar.to_ical()
