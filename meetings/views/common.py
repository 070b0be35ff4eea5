"""What the erfa-day views share: who may reach an erfa-day or an agenda item, and the
page that shows a single form."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render, resolve_url

from meetings import permissions
from meetings.models import AgendaItem, Meeting


def manager_only(user):
    if not permissions.can_manage_meetings(user):
        raise PermissionDenied


def meeting_for(user, pk, *, manage=False):
    meeting = get_object_or_404(Meeting.objects.select_related("location"), pk=pk)
    # Drafts do not exist for anyone but the facilitator.
    if not permissions.can_see_meeting(user, meeting):
        raise Http404
    if manage:
        manager_only(user)
    return meeting


def item_for(user, pk):
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__location"), pk=pk)
    manager_only(user)
    return item


def form_page(request, form, title, *, cancel, intro=""):
    return render(
        request,
        "form_page.html",
        {"form": form, "page_title": title, "cancel": resolve_url(cancel), "intro": intro},
    )
