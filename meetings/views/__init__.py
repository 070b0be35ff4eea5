"""The erfa-day pages, by topic; meetings/urls.py names them from here."""

from meetings.views.agenda import item_create, item_delete, item_edit, item_move, material
from meetings.views.attendance import answer, attendance
from meetings.views.calendar import feed, feed_settings, meeting_ics
from meetings.views.mails import resend_mails
from meetings.views.meetings import archive, detail, index, print_view
from meetings.views.minutes import action_done, item_minutes
from meetings.views.planning import (
    cancel,
    create,
    edit,
    mark_held,
    publish,
    series,
    standard_agenda,
)
from meetings.views.proposals import (
    proposal_park,
    proposal_place,
    proposals,
    propose,
    speaker_create,
)

__all__ = [
    "action_done", "answer", "archive", "attendance", "cancel", "create", "detail", "edit",
    "feed", "feed_settings", "index", "item_create", "item_delete", "item_edit", "item_minutes",
    "item_move", "mark_held", "material", "meeting_ics", "print_view", "proposal_park",
    "proposal_place", "proposals", "propose", "publish", "resend_mails", "series",
    "speaker_create",
    "standard_agenda",
]
