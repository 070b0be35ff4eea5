"""Who comes: the agents' answers to the invitation, and who attended."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetings import permissions, services
from meetings.models import Attendance
from meetings.views.common import meeting_for


@require_POST
def answer(request, pk):
    meeting = meeting_for(request.user, pk)
    if not permissions.can_answer(request.user, meeting):
        raise PermissionDenied
    response = request.POST.get("response")
    if response not in (Attendance.Response.COMING, Attendance.Response.NOT_COMING):
        messages.error(request, _("Choose “coming” or “not coming”."))
        return redirect(meeting)
    services.answer(meeting, request.user, response)
    messages.success(request, _("Thank you, your answer is saved."))
    return redirect(meeting)


def attendance(request, pk):
    meeting = meeting_for(request.user, pk, manage=True)
    rows = meeting.attendances.select_related("user")
    if request.method == "POST":
        present = set(request.POST.getlist("attended"))
        for row in rows:
            row.attended = str(row.pk) in present
        Attendance.objects.bulk_update(rows, ["attended"])
        messages.success(request, _("Attendance is saved."))
        return redirect(meeting)
    rows = list(rows)
    # Until attendance is first saved, those who said they would come are ticked: the
    # facilitator only corrects the few who did not.
    prefilled = not any(row.attended for row in rows)
    for row in rows:
        row.ticked = row.attended or (prefilled and row.response == Attendance.Response.COMING)
    return render(
        request,
        "meetings/attendance.html",
        {"meeting": meeting, "rows": rows, "prefilled": prefilled and any(r.ticked for r in rows)},
    )
