"""The erfa-day's mails that could not be sent: the facilitator sends them again."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from meetings import permissions, services
from meetings.views.common import meeting_for


@require_POST
def resend_mails(request, pk):
    meeting = meeting_for(request.user, pk)
    if not permissions.can_resend_mails(request.user, meeting):
        raise PermissionDenied
    sent = services.resend_failed_mails(meeting)
    messages.success(
        request,
        ngettext(
            "%(n)d mail is sent again.", "%(n)d mails are sent again.", sent
        ) % {"n": sent},
    )
    return redirect(meeting)
