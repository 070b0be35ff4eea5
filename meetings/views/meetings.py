"""Reading erfa-days: the coming ones, the archive, an erfa-day's page and its print."""

from django.db.models import Count, Prefetch, Q
from django.shortcuts import render

from agentnet.pagination import paginate
from agents.models import User
from meetings import permissions, services
from meetings.forms import ArchiveSearchForm
from meetings.models import Action, AgendaItem, Attendance, Meeting, item_times
from meetings.views.common import meeting_for

# Names listed under "who is coming"; the count above them covers everyone.
COMING_SHOWN = 200
EARLIER_ACTIONS_SHOWN = 50
MY_ACTIONS_SHOWN = 20
# Names listed under the mails that could not be sent; the count above them covers all.
FAILED_MAILS_SHOWN = 20


def index(request):
    meetings = (
        Meeting.objects.visible_to(request.user).upcoming().select_related("location")
        .defer("round_snapshot")
    )
    return render(
        request,
        "meetings/index.html",
        {
            "page": paginate(request, meetings),
            "my_actions": Action.objects.still_open().filter(owner=request.user)[
                :MY_ACTIONS_SHOWN
            ],
            "can_manage": permissions.can_manage_meetings(request.user),
            "can_propose": permissions.can_propose_topic(request.user),
        },
    )


def archive(request):
    form = ArchiveSearchForm(request.GET or None)
    talks = AgendaItem.objects.filter(kind=AgendaItem.Kind.TALK).select_related(
        "speaker", "presenter__user"
    )
    meetings = (
        Meeting.objects.visible_to(request.user).past().select_related("location")
        .defer("round_snapshot")
        .prefetch_related(Prefetch("items", queryset=talks, to_attr="talks"))
    )
    if form.is_valid() and form.cleaned_data["q"]:
        q = form.cleaned_data["q"]
        meetings = meetings.filter(Q(theme__icontains=q) | Q(items__title__icontains=q)).distinct()
    return render(
        request, "meetings/archive.html", {"form": form, "page": paginate(request, meetings)}
    )


def detail(request, pk):
    meeting = meeting_for(request.user, pk)
    rows, overrun, ends = item_times(meeting, meeting.items.for_agenda())
    # The answers counted, and the reader's own among them.
    answers = (
        meeting.attendances.values_list("response")
        .annotate(n=Count("pk"), mine=Count("pk", filter=Q(user=request.user)))
        .order_by()
    )
    counts = {response: n for response, n, _mine in answers}
    mine = next((Attendance.Response(r) for r, _n, own in answers if own), None)
    coming = list(
        User.objects.filter(
            attendances__meeting=meeting, attendances__response=Attendance.Response.COMING
        )
        .only("first_name", "last_name", "username")
        .order_by("first_name", "last_name", "pk")[:COMING_SHOWN]
    )
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "rows": rows,
            "overrun": overrun,
            "ends": ends,
            "round": _round(meeting, rows),
            "counts": counts,
            "mine": mine,
            "can_manage": permissions.can_manage_meetings(request.user),
            "can_answer": permissions.can_answer(request.user, meeting),
            "earlier_actions": Action.objects.still_open().filter(
                item__meeting__date__lt=meeting.date
            )[:EARLIER_ACTIONS_SHOWN],
            "coming": coming,
            "more_coming": counts.get(Attendance.Response.COMING, 0) > len(coming),
            **_failed_mails(request.user, meeting),
        },
    )


def _failed_mails(user, meeting):
    """The facilitator's notice of the erfa-day's mails that were given up on."""
    if not permissions.can_resend_mails(user, meeting):
        return {}
    failed = services.failed_mails(meeting)
    count = failed.count()
    if not count:
        return {}
    return {
        "failed_mails": count,
        "failed_recipients": failed.select_related("recipient").order_by(
            "recipient__first_name", "recipient__last_name", "pk"
        )[:FAILED_MAILS_SHOWN],
    }


def _round(meeting, rows):
    """The round, if the agenda has one: frozen as it was used once the erfa-day is held,
    else compiled from the updates written so far."""
    if not any(item.kind == AgendaItem.Kind.ROUND for item, _start, _end in rows):
        return None
    if not meeting.round_snapshot:
        return services.compile_round(meeting)
    return _readable_snapshot(meeting.round_snapshot)


def _readable_snapshot(snapshot):
    """A frozen round as the page reads it today. Rounds frozen before the quiet
    departments had a list of their own kept them among the departments with no projects:
    they move to that list, without their agents' names (which were not kept)."""
    if "quiet" in snapshot:
        return snapshot
    departments = snapshot.get("departments", [])
    return {
        **snapshot,
        "departments": [d for d in departments if d["projects"]],
        "quiet": [{"name": d["name"], "agents": None} for d in departments if not d["projects"]],
    }


def print_view(request, pk):
    meeting = meeting_for(request.user, pk)
    rows, _overrun, ends = item_times(meeting, meeting.items.for_agenda())
    return render(
        request,
        "meetings/print.html",
        {
            "meeting": meeting, "rows": rows, "ends": ends,
            "minutes": request.GET.get("view") == "minutes",
            "round": _round(meeting, rows),
        },
    )
