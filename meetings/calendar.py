"""iCalendar for erfa-days: invitations (REQUEST / CANCEL) and the personal feed."""

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//AgentNet//Erfa-dage//DA"


def _calendar(method=None):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    return calendar


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
    calendar = _calendar("CANCEL" if cancel else "REQUEST")
    calendar.add_component(_event(meeting, cancelled=cancel, attendee=attendee))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def feed(meetings):
    calendar = _calendar()
    calendar.add("x-wr-calname", "Erfa-dage")
    for meeting in meetings:
        calendar.add_component(_event(meeting, cancelled=meeting.status == "cancelled"))
    calendar.add_missing_timezones()
    return calendar.to_ical()
