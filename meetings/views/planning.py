"""The facilitator plans erfa-days: new ones and series, time and place, publishing,
cancelling and marking one as held."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from meetings import services
from meetings.forms import MeetingForm, SeriesForm
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
    services.apply_standard_agenda(meeting)
    messages.success(request, _("The standard agenda is added."))
    return redirect(meeting)


@require_POST
def publish(request, pk):
    meeting = meeting_for(request.user, pk, manage=True)
    if meeting.status != Meeting.Status.DRAFT:
        raise PermissionDenied
    services.publish(meeting)
    messages.success(request, _("The erfa-day is published and the invitations are sent."))
    return redirect(meeting)


@require_POST
def cancel(request, pk):
    meeting = meeting_for(request.user, pk, manage=True)
    if meeting.status in (Meeting.Status.HELD, Meeting.Status.CANCELLED):
        raise PermissionDenied
    services.cancel(meeting)
    messages.success(request, _("The erfa-day is cancelled."))
    return redirect(meeting)


@require_POST
def mark_held(request, pk):
    meeting = meeting_for(request.user, pk, manage=True)
    if meeting.status != Meeting.Status.PUBLISHED:
        raise PermissionDenied
    services.mark_held(meeting)
    messages.success(request, _("The erfa-day is marked as held; the round is kept as it was."))
    return redirect(meeting)
