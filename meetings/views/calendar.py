"""Erfa-days in people's own calendars: the personal feed address and the feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from meetings import calendar, permissions, services
from meetings.models import CalendarFeed
from meetings.views.common import meeting_for


def feed_settings(request):
    feed, _created = CalendarFeed.objects.get_or_create(user=request.user)
    if request.method == "POST":
        feed.token = CalendarFeed._meta.get_field("token").default()
        feed.save(update_fields=["token", "created_at"])
        messages.success(
            request, _("You have a new calendar address; the old one no longer works.")
        )
        return redirect("meetings:feed_settings")
    url = request.build_absolute_uri(feed.get_absolute_url())
    # webcal:// is the same address, which the operating system hands to its calendar program.
    webcal = "webcal://" + url.split("://", 1)[1]
    return render(
        request, "meetings/feed_settings.html", {"feed_url": url, "webcal_url": webcal}
    )


@login_not_required
def feed(request, token):
    # Calendar programs cannot sign in: the secret token is the key. A wrong one is a 404,
    # and so is the token of someone whose sign-in is closed: they have left the network.
    get_object_or_404(CalendarFeed, token=token, user__is_active=True)
    return HttpResponse(
        calendar.feed(services.feed_meetings()), content_type="text/calendar; charset=utf-8"
    )


@require_safe
def meeting_ics(request, pk):
    """One erfa-day's calendar file, downloaded from its page."""
    meeting = meeting_for(request.user, pk)
    if not permissions.can_download_calendar(request.user, meeting):
        raise Http404
    response = HttpResponse(calendar.single(meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="erfa-dag-{meeting.date:%Y-%m-%d}.ics"'
    return response
