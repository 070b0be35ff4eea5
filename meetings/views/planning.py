"""The facilitator plans erfa-days: new ones and series, time and place, publishing,
cancelling and marking one as held."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from agents.models import Agent
from meetings import services
from meetings.forms import ConfirmForm, MeetingForm, SeriesForm
from meetings.models import Meeting
from meetings.views.common import form_page, manager_only, meeting_for


def create(request):
    manager_only(request.user)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = services.save_meeting(form)
        messages.success(request, _("The erfa-day is created as a draft."))
        return redirect(meeting)
    return form_page(request, form, _("New erfa-day"), cancel="meetings:index")


def edit(request, pk):
    meeting = meeting_for(request.user, pk, manage=True)
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        meeting = services.save_meeting(form)
        messages.success(request, _("The erfa-day is saved."))
        return redirect(meeting)
    return form_page(request, form, _("Edit erfa-day"), cancel=meeting.get_absolute_url())


def series(request):
    manager_only(request.user)
    initial = {"first_month": services.default_series_start()}
    form = SeriesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        dates = services.series_dates(
            weekday=data["weekday"], ordinal=data["ordinal"], first_month=data["first_month"],
            months=data["months"], skip_months=data["skip_months"],
        )
        created, skipped = services.create_series(
            dates=dates, start_time=data["start_time"], end_time=data["end_time"],
            location=data["location"], room=data["room"],
        )
        messages.success(
            request,
            ngettext(
                "%(n)d erfa-day is created as a draft.",
                "%(n)d erfa-days are created as drafts.",
                len(created),
            )
            % {"n": len(created)},
        )
        if skipped:
            messages.warning(
                request,
                _("These dates already had an erfa-day and were skipped: %(dates)s")
                % {"dates": ", ".join(date_format(d, "SHORT_DATE_FORMAT") for d in skipped)},
            )
        return redirect("meetings:index")
    return form_page(
        request, form, _("Plan a series of erfa-days"), cancel="meetings:index",
        intro=_("The erfa-days are created as drafts: agents see nothing until you publish."),
    )


@require_POST
def standard_agenda(request, pk):
    meeting = meeting_for(request.user, pk, manage=True)
    if services.apply_standard_agenda(meeting):
        messages.success(request, _("The standard agenda is added."))
    else:
        messages.info(request, _("The agenda already has the standard items; nothing was added."))
    return redirect(meeting)


def _confirmed(request, meeting, *, title, consequence, label, button, danger=False):
    """The confirmation step of an action that cannot be undone: None once the box is
    ticked in a POST, else the page that asks (again, with the error, after a POST
    without it: nothing is changed then)."""
    # Bound on every POST, an empty one included: its missing box is an error to show.
    form = ConfirmForm(request.POST if request.method == "POST" else None, label=label)
    if request.method == "POST" and form.is_valid():
        return None
    return render(
        request,
        "meetings/confirm.html",
        {
            "meeting": meeting, "form": form, "page_title": title, "consequence": consequence,
            "button": button, "danger": danger,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def publish(request, pk):
    meeting = meeting_for(request.user, pk, manage=True)
    if meeting.status != Meeting.Status.DRAFT:
        raise PermissionDenied
    invited = Agent.objects.active().exclude(user__email="").count()
    page = _confirmed(
        request, meeting,
        title=_("Publish and invite"),
        consequence=ngettext(
            "The agenda becomes visible to everyone, and %(n)d agent gets the invitation by "
            "e-mail at once. A sent e-mail cannot be taken back.",
            "The agenda becomes visible to everyone, and %(n)d agents get the invitation by "
            "e-mail at once. A sent e-mail cannot be taken back.",
            invited,
        ) % {"n": invited},
        label=_("Yes, publish the erfa-day and send the invitations"),
        button=_("Publish and invite"),
    )
    if page:
        return page
    services.publish(meeting)
    messages.success(request, _("The erfa-day is published and the invitations are sent."))
    return redirect(meeting)


@require_http_methods(["GET", "HEAD", "POST"])
def cancel(request, pk):
    meeting = meeting_for(request.user, pk, manage=True)
    if meeting.status in (Meeting.Status.HELD, Meeting.Status.CANCELLED):
        raise PermissionDenied
    if meeting.status == Meeting.Status.PUBLISHED:
        consequence = _(
            "Everyone invited gets a cancellation by e-mail, and the erfa-day is taken out of "
            "their calendars. A cancelled erfa-day cannot be published again."
        )
    else:
        consequence = _(
            "Nobody has been invited yet, so no e-mail is sent. A cancelled erfa-day cannot "
            "be published again."
        )
    page = _confirmed(
        request, meeting,
        title=_("Cancel the erfa-day"),
        consequence=consequence,
        label=_("Yes, cancel the erfa-day"),
        button=_("Cancel the erfa-day"),
        danger=True,
    )
    if page:
        return page
    services.cancel(meeting)
    messages.success(request, _("The erfa-day is cancelled."))
    return redirect(meeting)


@require_http_methods(["GET", "HEAD", "POST"])
def mark_held(request, pk):
    meeting = meeting_for(request.user, pk, manage=True)
    if meeting.status != Meeting.Status.PUBLISHED:
        raise PermissionDenied
    if not meeting.has_started:
        messages.error(
            request,
            _("The erfa-day has not started yet, so it cannot be marked as held. "
              "Mark it on the day, once it has begun."),
        )
        return redirect(meeting)
    page = _confirmed(
        request, meeting,
        title=_("Mark as held"),
        consequence=_(
            "The round is kept as it is now, and agents can no longer answer the invitation. "
            "This cannot be undone."
        ),
        label=_("Yes, the erfa-day has been held"),
        button=_("Mark as held"),
    )
    if page:
        return page
    services.mark_held(meeting)
    messages.success(request, _("The erfa-day is marked as held; the round is kept as it was."))
    return redirect(meeting)
