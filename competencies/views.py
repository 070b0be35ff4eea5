from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from agentnet.pagination import paginate
from agents.models import Agent
from agents.permissions import agent_of
from competencies import permissions, radar, services
from competencies.forms import (
    AgentPartForm,
    GoalForm,
    GoalStatusForm,
    ManagerPartForm,
    OpenRoundForm,
    TeamFilterForm,
    foreign_ratings,
    level_choices,
    rating_forms,
)
from competencies.models import (
    NOT_RELEVANT,
    Assessment,
    Course,
    DevelopmentGoal,
    Framework,
    MusRound,
    Rating,
)


def index(request):
    services.include_late_joiners()
    agent = agent_of(request.user)
    mine = (
        Assessment.objects.filter(agent=agent).select_related("round") if agent else []
    )
    return render(
        request,
        "competencies/index.html",
        {
            "mine": mine,
            "framework": Framework.objects.filter(published=True).first(),
            "can_manage": permissions.can_manage_rounds(request.user),
        },
    )


def framework_detail(request, pk):
    framework = get_object_or_404(
        Framework.objects.prefetch_related("areas__competencies", "levels"), pk=pk
    )
    return render(request, "competencies/framework.html", {"framework": framework})


def _assessment(user, pk):
    """The assessment and the user's role in it; a 404, written to the audit log, for
    anyone else (and for an assessment that does not exist: both look the same)."""
    try:
        assessment = get_object_or_404(Assessment.objects.for_page(), pk=pk)
        return assessment, permissions.check_can_see(user, assessment)
    except Http404:
        services.audit(user, Assessment.objects.filter(pk=pk).first(), "refused", f"#{pk}"[:40])
        raise


def _ratings(assessment):
    return list(assessment.ratings.in_framework_order())


def _goals(assessment, role):
    """The goals the role sees: the agent sees those agreed in this review once it is
    closed, and the ones carried over from earlier years all along."""
    goals = list(assessment.goals.select_related("competency", "course"))
    if permissions.sees_review(role, assessment):
        return goals
    return [goal for goal in goals if goal.carried_from_id]


@never_cache
def assessment_detail(request, pk):
    assessment, role = _assessment(request.user, pk)
    ratings = _ratings(assessment)
    levels = list(assessment.framework.levels.all())
    choices = level_choices(levels)
    editable = (role == "agent" and permissions.agent_may_edit(assessment)) or (
        role == "manager" and permissions.manager_may_edit(assessment)
    )
    data = request.POST if request.method == "POST" and editable else None
    if request.method == "POST" and not editable:
        raise PermissionDenied
    side = "self" if role == "agent" else "manager"
    action = data.get("action") if data is not None else None
    rows = rating_forms(ratings, data, side=side, choices=choices)
    part_form = (AgentPartForm if role == "agent" else ManagerPartForm)(data, instance=assessment)
    # The goal's fields sit in the same form, so levels chosen before adding a goal are kept.
    goal_form = (
        GoalForm(data if action == "add_goal" else None, framework=assessment.framework,
                 prefix="goal")
        if role == "manager" else None
    )
    goals = _goals(assessment, role)
    # Only the manager updates a goal's status; the agent sees the goals as a list.
    status_forms = (
        [GoalStatusForm(data, goal=goal) for goal in goals] if role == "manager" else []
    )
    if data is not None:
        valid = (
            part_form.is_valid()
            and all(form.is_valid() for _r, form in rows)
            and all(form.is_valid() for form in status_forms)
            and (action != "add_goal" or goal_form.is_valid())
        )
        if foreign_ratings(data, ratings):
            messages.error(request, _("The answers do not belong to this competency profile."))
        elif valid and not _confirmed(part_form, action):
            messages.error(request, _("Nothing is saved: tick the box to confirm first."))
        elif valid and (action != "close" or _all_levels_given(rows)):
            _save(assessment, role, rows, part_form, request)
            _save_goal_statuses(status_forms)
            if action == "add_goal":
                goal = goal_form.save(commit=False)
                goal.assessment = assessment
                goal.save()
                services.audit(request.user, assessment, "goal added", goal.text[:100])
                messages.success(request, _("The goal is added."))
                return redirect(f"{assessment.get_absolute_url()}#goals")
            return redirect(assessment)
    services.audit(request.user, assessment, "viewed", role)
    sees_review = permissions.sees_review(role, assessment)
    return render(
        request,
        "competencies/assessment.html",
        {
            "assessment": assessment,
            "role": role,
            "sees_review": sees_review,
            "levels": levels,
            # Read-only once the talk is past editing: what was agreed stays in view.
            "courses": list(assessment.courses.all()) if sees_review and not editable else [],
            "rows": _table(rows, choices, services.previous_levels(assessment, role=role)),
            "part_form": part_form,
            "editable": editable,
            "goals": goals,
            "goal_rows": [(form.goal, form) for form in status_forms],
            "goal_form": goal_form,
        },
    )


def _save_goal_statuses(status_forms):
    changed = []
    for form in status_forms:
        status = form.cleaned_data["status"]
        if status and status != form.goal.status:
            form.goal.status = status
            changed.append(form.goal)
    DevelopmentGoal.objects.bulk_update(changed, ["status"])


def _confirmed(part_form, action):
    """Sending and closing cannot be undone: they need the box ticked. A post without it
    changes nothing; the answers stay in the form."""
    if action not in ("send", "close") or part_form.cleaned_data.get("confirm"):
        return True
    part_form.add_error("confirm", _("Tick this box to confirm.") if action == "close"
                        else _("Tick this box to send."))
    return False


def _all_levels_given(rows):
    """Closing needs the manager's level (or "not relevant") for every competency."""
    missing = [form for _rating, form in rows if form.cleaned_data["level"] is None]
    for form in missing:
        form.add_error(
            "level", _("Choose a level, or “not relevant”, before closing the assessment.")
        )
    return not missing


def _table(rows, choices, previous):
    """What each row of the assessment shows, with levels as their labels."""
    labels = {value: label for value, label in choices if value != ""}
    return [
        {
            "rating": rating,
            "form": form,
            "last": previous.get(rating.competency.name, (None, None)),
            "self": labels.get(rating.self_level, "–"),
            "manager": labels.get(rating.manager_level, "–"),
        }
        for rating, form in rows
    ]


@transaction.atomic
def _save(assessment, role, rows, part_form, request):
    side = "self" if role == "agent" else "manager"
    for rating, form in rows:
        setattr(rating, f"{side}_level", form.cleaned_data["level"])
        setattr(rating, f"{side}_comment", form.cleaned_data["comment"])
    Rating.objects.bulk_update([r for r, _f in rows], [f"{side}_level", f"{side}_comment"])
    part_form.save()
    action = request.POST.get("action")
    if role == "agent" and action == "send":
        services.send_to_manager(assessment, by=request.user)
        messages.success(request, _("Your self-assessment is sent to your manager."))
    elif role == "manager" and action == "close":
        services.close(assessment, by=request.user)
        messages.success(request, _("The assessment is closed."))
    else:
        if role == "manager" and assessment.status == Assessment.Status.SENT:
            assessment.status = Assessment.Status.REVIEWED
            assessment.save(update_fields=["status"])
        services.audit(request.user, assessment, "changed", role)
        messages.success(request, _("Saved."))


@never_cache
def mus_pack(request, pk):
    assessment, role = _assessment(request.user, pk)
    ratings = _ratings(assessment)
    levels = list(assessment.framework.levels.all())
    top = max((lv.value for lv in levels), default=0)
    sees_review = permissions.sees_review(role, assessment)
    previous = services.previous_levels(assessment, role=role)
    chart = radar.radar(
        [r.competency.name for r in ratings],
        {
            "self": [_plot(r.self_level) for r in ratings],
            "manager": [_plot(r.manager_level if sees_review else None) for r in ratings],
            # Last year's agreed level: the manager's level of a closed talk.
            "last": [_plot(previous.get(r.competency.name, (None, None))[1]) for r in ratings],
        },
        top=top,
    )
    services.audit(request.user, assessment, "printed", role)
    return render(
        request,
        "competencies/mus_pack.html",
        {
            "assessment": assessment,
            "role": role,
            "rows": _table([(r, None) for r in ratings], level_choices(levels),
                           previous),
            "chart": chart,
            "goals": _goals(assessment, role),
            # Courses of goals are shown with their goals; these are the ones chosen for the
            # whole assessment before courses belonged to goals.
            "courses": list(assessment.courses.all()) if sees_review else [],
            "sees_review": sees_review,
        },
    )


def _plot(level):
    return None if level in (None, NOT_RELEVANT) else level


def team(request):
    if not permissions.can_see_team(request.user):
        raise PermissionDenied
    # A sent assessment is its round's manager's; a draft (a name and "not sent yet") the
    # manager's of today, who will get it when it is sent.
    assessments = (
        Assessment.objects.filter(
            Q(manager=request.user) & ~Q(status=Assessment.Status.DRAFT)
            | Q(agent__manager=request.user, status=Assessment.Status.DRAFT)
        )
        .for_team_list()
        .order_by("-round__year", "agent__user__first_name")
    )
    form = TeamFilterForm(request.GET or None)
    return render(
        request,
        "competencies/team.html",
        {"form": form, "page": paginate(request, form.filter(assessments))},
    )


def team_profiles(request):
    """The manager's own agents side by side: the levels agreed at each one's latest closed
    talk with this manager, to plan tasks across the team."""
    if not permissions.can_see_team(request.user):
        raise Http404
    agents = (
        Agent.objects.active().filter(manager=request.user).select_related("user")
        .annotate(latest_closed=services.latest_closed_with(request.user))
        .order_by("user__first_name", "user__last_name", "pk")
    )
    page = paginate(request, agents)
    names, rows = services.team_profiles(list(page))
    services.audit(request.user, None, "viewed", "team profiles")
    return render(
        request,
        "competencies/team_profiles.html",
        {"page": page, "names": names, "rows": rows},
    )


def rounds(request):
    if not permissions.can_manage_rounds(request.user):
        raise PermissionDenied
    form = OpenRoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        mus_round = services.open_round(**form.cleaned_data)
        messages.success(request, _("The MUS round is open: every active agent has a draft."))
        return redirect("competencies:round", pk=mus_round.pk)
    all_rounds = MusRound.objects.annotate(
        total=Count("assessments"),
        sent=Count("assessments", filter=~Q(assessments__status="draft")),
    ).order_by("-year")
    return render(request, "competencies/rounds.html", {"rounds": all_rounds, "form": form})


def round_status(request, pk):
    """Who has sent their self-assessment; never what they answered."""
    if not permissions.can_manage_rounds(request.user):
        raise PermissionDenied
    services.include_late_joiners()
    mus_round = get_object_or_404(MusRound, pk=pk)
    assessments = (
        mus_round.assessments.select_related("agent__user", "agent__department")
        .only("status", "agent__user__first_name", "agent__user__last_name",
              "agent__department__name")
        .order_by("agent__user__first_name")
    )
    return render(
        request,
        "competencies/round_status.html",
        {"round": mus_round, "assessments": assessments},
    )


def heatmap(request, pk):
    if not permissions.can_manage_rounds(request.user):
        raise PermissionDenied
    mus_round = get_object_or_404(MusRound, pk=pk)
    coverage = services.coverage(mus_round)
    for row in coverage["rows"]:
        row["heat"] = [(cell, _heat(cell)) for cell in row["cells"]]
    # A town or department only where enough answered to show anything.
    group_tables = [
        {"id": "per-town", "heading": _("Average level per town"), "column": _("Town"),
         "caption": _("Average level per town and competency"),
         "rows": [t for t in coverage["towns"] if t["shown"]],
         "hidden": sum(1 for t in coverage["towns"] if not t["shown"])},
        {"id": "per-department", "heading": _("Average level per department"),
         "column": _("Department"), "caption": _("Average level per department and competency"),
         "rows": [d for d in coverage["departments"] if d["shown"]],
         "hidden": sum(1 for d in coverage["departments"] if not d["shown"])},
    ]
    return render(
        request,
        "competencies/heatmap.html",
        {
            "round": mus_round,
            "coverage": coverage,
            "group_tables": group_tables,
            "weak": services.weak_competencies(coverage),
            "min_group": services.MIN_GROUP,
        },
    )


def _heat(count):
    """How strongly a count of agents at a level is shaded: hidden for too few answers."""
    if count is None:
        return "hidden"
    return 3 if count >= 6 else 2 if count >= 3 else 1 if count else 0


def courses(request):
    return render(request, "competencies/courses.html", {"courses": Course.objects.all()})
