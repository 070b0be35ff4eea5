import os
from collections import defaultdict
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, DateField, Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from agentnet.links import url_of
from agentnet.pagination import paginate
from agentnet.prepared import Param, Prepared, by_id, by_pk, id_param
from agents.models import NAME_COLUMNS, User, name_columns
from meetings import calendar, permissions, services
from meetings.forms import (
    ActionFormSet,
    AgendaItemForm,
    ArchiveSearchForm,
    MeetingForm,
    MinutesForm,
    PlaceProposalForm,
    ProposalForm,
    SeriesForm,
    SpeakerForm,
)
from meetings.models import (
    MATERIAL_SHOWN_INLINE,
    Action,
    AgendaItem,
    Attendance,
    CalendarFeed,
    Meeting,
    TopicProposal,
    item_times,
)
from projects.models import Project

# Names listed under "who is coming"; the count above them covers everyone.
COMING_SHOWN = 200
EARLIER_ACTIONS_SHOWN = 50


def _manager_only(user):
    if not permissions.can_manage_meetings(user):
        raise PermissionDenied


def _meeting_for(user, pk, *, manage=False):
    meeting = MEETING.one(pk=pk)
    # Drafts do not exist for anyone but the facilitator.
    if meeting is None or not permissions.can_see_meeting(user, meeting):
        raise Http404
    if manage:
        _manager_only(user)
    return meeting


def _form_page(request, form, title, *, cancel, intro=""):
    return render(
        request,
        "form_page.html",
        {"form": form, "page_title": title, "cancel": resolve_url(cancel), "intro": intro},
    )


def _items(meeting):
    """The agenda's items, each with the projects it is about (project_links: address and
    title) and its follow-up actions (action_rows), both read as columns rather than
    prefetched as model objects."""
    items = ITEMS.objects(meeting=meeting.pk)
    for item in items:
        item.meeting = meeting
    projects = defaultdict(list)
    for item_id, pk, title in ITEM_PROJECTS.rows(meeting=meeting.pk):
        projects[item_id].append((url_of("projects:detail", pk), title))
    actions = defaultdict(list)
    for item_id, text, deadline, done, *owner in ITEM_ACTIONS.rows(meeting=meeting.pk):
        actions[item_id].append(
            {"text": text, "deadline": deadline, "done": done, "owner": User.name_of(*owner)}
        )
    for item in items:
        item.project_links = projects[item.pk]
        item.action_rows = actions[item.pk]
    return items


def _open_actions(user=None, before=None):
    # The erfa-day is only linked to: its frozen round, which can be large, stays in the
    # database.
    actions = (
        Action.objects.filter(done=False)
        .select_related("owner", "item__meeting")
        .defer("item__meeting__round_snapshot")
    )
    if user is not None:
        actions = actions.filter(owner=user)
    if before is not None:
        actions = actions.filter(item__meeting__date__lt=before)
    return actions.order_by("deadline", "pk")


# An erfa-day and what its page reads with it on every view, by queries compiled once.
MEETING = by_pk(Meeting, "location")
ITEMS = by_id(
    "meeting",
    AgendaItem,
    lambda meeting: AgendaItem.objects.filter(meeting_id=meeting).select_related(
        "presenter__user", "speaker"
    ),
)
ITEM_PROJECTS = by_id(
    "meeting",
    Project,
    lambda meeting: Project.objects.filter(agenda_items__meeting_id=meeting).values_list(
        "agenda_items", "pk", "title"
    ),
)
ITEM_ACTIONS = by_id(
    "meeting",
    Action,
    lambda meeting: Action.objects.filter(item__meeting_id=meeting).values_list(
        "item_id", "text", "deadline", "done", *name_columns("owner")
    ),
)
# The answers counted, and the reader's own among them, in one query.
ANSWERS = by_id(
    "meeting",
    Attendance,
    lambda meeting: Attendance.objects.filter(meeting_id=meeting)
    .values_list("response")
    .annotate(
        n=Count("pk"),
        mine=Count("pk", filter=Q(user_id=id_param("user"))),
    )
    .order_by(),
)
COMING = by_id(
    "meeting",
    Attendance,
    lambda meeting, size: Attendance.objects.filter(
        meeting_id=meeting, response=Attendance.Response.COMING
    )
    .order_by("user__first_name", "user__last_name", "pk")
    .values_list(*NAME_COLUMNS)[:size],
)
EARLIER_ACTIONS = Prepared(
    Action,
    lambda size: _open_actions(before=Param("before", DateField())).values_list(
        "text", "deadline", *name_columns("owner"), "item__meeting_id", "item__meeting__date"
    )[:size],
)


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
            "my_actions": _open_actions(user=request.user)[:20],
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
    meeting = _meeting_for(request.user, pk)
    rows, overrun, ends = item_times(meeting, _items(meeting))
    can_manage = permissions.can_manage_meetings(request.user)
    answers = ANSWERS.rows(meeting=meeting.pk, user=request.user.pk)
    counts = {response: n for response, n, _mine in answers}
    mine = next((Attendance.Response(r) for r, _n, own in answers if own), None)
    has_round = any(item.kind == AgendaItem.Kind.ROUND for item, _s, _e in rows)
    if can_manage:
        for item, _start, _end in rows:
            item.links = _manage_links(item)
    coming = _coming(meeting)
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "rows": rows,
            "overrun": overrun,
            "ends": ends,
            "round": _round(meeting) if has_round else None,
            "counts": counts,
            "mine": mine,
            "can_manage": can_manage,
            "can_answer": permissions.can_answer(request.user, meeting),
            "earlier_actions": _earlier_actions(meeting),
            # One string, escaped once on the page, rather than up to COMING_SHOWN names.
            "coming": ", ".join(coming),
            "more_coming": counts.get(Attendance.Response.COMING, 0) > len(coming),
        },
    )


def _manage_links(item):
    """Where the facilitator's buttons on an agenda item lead (url_of: one string
    operation each, rather than a {% url %} per button and item)."""
    return {
        action: url_of(f"meetings:item_{action}", item.pk)
        for action in ("move", "edit", "minutes", "delete")
    }


def _earlier_actions(meeting):
    """The first EARLIER_ACTIONS_SHOWN open actions from erfa-days before this one, read
    as columns."""
    return [
        {
            "text": text,
            "deadline": deadline,
            "owner": User.name_of(*owner),
            "meeting_url": url_of("meetings:detail", meeting_id),
            "meeting_date": meeting_date,
        }
        for text, deadline, *owner, meeting_id, meeting_date in EARLIER_ACTIONS.rows(
            EARLIER_ACTIONS_SHOWN, before=meeting.date
        )
    ]


def _coming(meeting):
    """The names of the first COMING_SHOWN who are coming, by name, read as columns."""
    return [User.name_of(*row) for row in COMING.rows(COMING_SHOWN, meeting=meeting.pk)]


def _round(meeting):
    return meeting.round_snapshot or services.compile_round(meeting)


def print_view(request, pk):
    meeting = _meeting_for(request.user, pk)
    rows, _overrun, ends = item_times(meeting, _items(meeting))
    minutes = request.GET.get("view") == "minutes"
    has_round = any(item.kind == AgendaItem.Kind.ROUND for item, _s, _e in rows)
    return render(
        request,
        "meetings/print.html",
        {
            "meeting": meeting, "rows": rows, "ends": ends, "minutes": minutes,
            "round": _round(meeting) if has_round else None,
        },
    )


def create(request):
    _manager_only(request.user)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = services.save_meeting(form)
        messages.success(request, _("The erfa-day is created as a draft."))
        return redirect(meeting)
    return _form_page(request, form, _("New erfa-day"), cancel="meetings:index")


def edit(request, pk):
    meeting = _meeting_for(request.user, pk, manage=True)
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        meeting = services.save_meeting(form)
        messages.success(request, _("The erfa-day is saved."))
        return redirect(meeting)
    return _form_page(request, form, _("Edit erfa-day"), cancel=meeting.get_absolute_url())


def series(request):
    _manager_only(request.user)
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
                % {"dates": ", ".join(d.strftime("%d.%m.%Y") for d in skipped)},
            )
        return redirect("meetings:index")
    return _form_page(
        request, form, _("Plan a series of erfa-days"), cancel="meetings:index",
        intro=_("The erfa-days are created as drafts: agents see nothing until you publish."),
    )


def item_create(request, pk):
    meeting = _meeting_for(request.user, pk, manage=True)
    form = AgendaItemForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        item.meeting = meeting
        item.position = services.next_position(meeting)
        item.save()
        form.save_m2m()
        return redirect(meeting)
    return _form_page(request, form, _("New agenda item"), cancel=meeting.get_absolute_url())


def _item_for(user, pk):
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__location"), pk=pk)
    _manager_only(user)
    return item


def item_edit(request, pk):
    item = _item_for(request.user, pk)
    form = AgendaItemForm(request.POST or None, request.FILES or None, instance=item)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect(item.meeting)
    return _form_page(request, form, _("Edit agenda item"), cancel=item.meeting.get_absolute_url())


@require_POST
def item_delete(request, pk):
    item = _item_for(request.user, pk)
    services.delete_item(item)
    messages.success(request, _("The item is removed from the agenda."))
    return redirect(item.meeting)


@require_POST
def item_move(request, pk):
    item = _item_for(request.user, pk)
    services.move_item(item, up=request.POST.get("direction") == "up")
    return redirect(f"{item.meeting.get_absolute_url()}#item-{item.pk}")


def item_minutes(request, pk):
    item = _item_for(request.user, pk)
    form = MinutesForm(request.POST or None, instance=item, prefix="minutes")
    actions = ActionFormSet(request.POST or None, instance=item, prefix="actions")
    if request.method == "POST" and form.is_valid() and actions.is_valid():
        services.save_minutes(form, actions)
        messages.success(request, _("The minutes are saved."))
        return redirect(f"{item.meeting.get_absolute_url()}#item-{item.pk}")
    return render(
        request,
        "meetings/minutes_form.html",
        {"form": form, "actions": actions, "item": item, "meeting": item.meeting},
    )


@require_safe
def material(request, pk):
    """An agenda item's uploaded file, for whoever may see its erfa-day. PDFs and images open
    in the browser, other files are downloaded; the type is ours, never the browser's guess."""
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=pk)
    if not item.material_file or not permissions.can_download_material(request.user, item):
        raise Http404
    content_type = item.material_type
    as_attachment = content_type not in MATERIAL_SHOWN_INLINE
    filename = os.path.basename(item.material_file.name)
    if settings.MEDIA_ACCEL_REDIRECT:
        # The proxy sends the file from its internal location (docs/deployment.md).
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_REDIRECT + quote(
            item.material_file.name
        )
        response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    else:
        try:
            file = item.material_file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(
            file, as_attachment=as_attachment, filename=filename, content_type=content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def standard_agenda(request, pk):
    meeting = _meeting_for(request.user, pk, manage=True)
    services.apply_standard_agenda(meeting)
    messages.success(request, _("The standard agenda is added."))
    return redirect(meeting)


@require_POST
def publish(request, pk):
    meeting = _meeting_for(request.user, pk, manage=True)
    if meeting.status != Meeting.Status.DRAFT:
        raise PermissionDenied
    services.publish(meeting)
    messages.success(request, _("The erfa-day is published and the invitations are sent."))
    return redirect(meeting)


@require_POST
def cancel(request, pk):
    meeting = _meeting_for(request.user, pk, manage=True)
    if meeting.status in (Meeting.Status.HELD, Meeting.Status.CANCELLED):
        raise PermissionDenied
    services.cancel(meeting)
    messages.success(request, _("The erfa-day is cancelled."))
    return redirect(meeting)


@require_POST
def mark_held(request, pk):
    meeting = _meeting_for(request.user, pk, manage=True)
    if meeting.status != Meeting.Status.PUBLISHED:
        raise PermissionDenied
    services.mark_held(meeting)
    messages.success(request, _("The erfa-day is marked as held; the round is kept as it was."))
    return redirect(meeting)


@require_POST
def answer(request, pk):
    meeting = _meeting_for(request.user, pk)
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
    meeting = _meeting_for(request.user, pk, manage=True)
    rows = meeting.attendances.select_related("user")
    if request.method == "POST":
        present = set(request.POST.getlist("attended"))
        for row in rows:
            row.attended = str(row.pk) in present
        Attendance.objects.bulk_update(rows, ["attended"])
        messages.success(request, _("Attendance is saved."))
        return redirect(meeting)
    return render(request, "meetings/attendance.html", {"meeting": meeting, "rows": rows})


@require_POST
def action_done(request, pk):
    action = get_object_or_404(Action.objects.select_related("item__meeting"), pk=pk)
    if not permissions.can_tick_action(request.user, action):
        raise PermissionDenied
    action.done = True
    action.save(update_fields=["done"])
    messages.success(request, _("The action is marked as done."))
    return redirect("meetings:index")


def propose(request):
    if not permissions.can_propose_topic(request.user):
        raise PermissionDenied
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        proposal = form.save(commit=False)
        proposal.proposed_by = request.user
        proposal.save()
        messages.success(request, _("Thank you. The facilitator will find a place for it."))
        return redirect("meetings:index")
    return _form_page(
        request, form, _("Propose a topic"), cancel="meetings:index",
        intro=_("“I would like a talk about …” or a problem the network should discuss."),
    )


def proposals(request):
    _manager_only(request.user)
    # Unplaced: also a proposal whose agenda item went with its erfa-day in the admin.
    waiting = TopicProposal.objects.filter(item__isnull=True).select_related("proposed_by")
    return render(
        request,
        "meetings/proposals.html",
        {"page": paginate(request, waiting), "place_form": PlaceProposalForm()},
    )


@require_POST
def proposal_place(request, pk):
    _manager_only(request.user)
    proposal = get_object_or_404(TopicProposal, pk=pk, item__isnull=True)
    form = PlaceProposalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an erfa-day that is not held or cancelled."))
        return redirect("meetings:proposals")
    services.place_proposal(proposal, form.cleaned_data["meeting"])
    messages.success(request, _("The topic is on the agenda."))
    return redirect(form.cleaned_data["meeting"])


@require_POST
def proposal_park(request, pk):
    _manager_only(request.user)
    proposal = get_object_or_404(TopicProposal, pk=pk, item__isnull=True)
    proposal.status = TopicProposal.Status.BACKLOG
    proposal.save(update_fields=["status"])
    messages.success(request, _("The topic is in the backlog for a later erfa-day."))
    return redirect("meetings:proposals")


def speaker_create(request):
    _manager_only(request.user)
    form = SpeakerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The speaker is saved."))
        return redirect("meetings:index")
    return _form_page(request, form, _("New speaker"), cancel="meetings:index")


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
    return render(request, "meetings/feed_settings.html", {"feed_url": url})


@login_not_required
def feed(request, token):
    # Calendar programs cannot sign in: the secret token is the key. A wrong one is a 404,
    # and so is the token of someone whose sign-in is closed: they have left the network.
    get_object_or_404(CalendarFeed, token=token, user__is_active=True)
    return HttpResponse(
        calendar.feed(services.feed_meetings()), content_type="text/calendar; charset=utf-8"
    )

