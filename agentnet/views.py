"""Site-wide pages: the start page, the download of one's own data, the accessibility
statement, error pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django.views.i18n import set_language as django_set_language

from agentnet import digest
from agentnet.due import due_items
from agentnet.forms import MailChoiceForm
from agentnet.models import MailChoice
from agents import permissions as agent_permissions
from agents import services, sso
from agents.models import Department, System
from agents.permissions import agent_of
from competencies import permissions as competency_permissions
from competencies import services as competency_services
from competencies.models import Assessment, DevelopmentGoal, Rating
from meetings import permissions as meeting_permissions
from meetings.models import Meeting, TopicProposal
from projects.models import Project, ProjectUpdate

HOME_PROJECTS = 5


def home(request):
    totals = services.capacity_totals()
    departments = Department.objects.coverage()
    figures = [
        (_("active agents"), totals["agent_count"]),
        (_("full-time equivalents"), number_format(totals["fte"], 2)),
        (_("departments without an agent"),
         f"{departments['without_agent']} / {departments['total']}"),
        (_("systems"), System.objects.count()),
    ]
    own_agent = agent_of(request.user)
    my_projects = _my_projects(own_agent) if own_agent else []
    next_meeting = (
        Meeting.objects.visible_to(request.user)
        .exclude(status=Meeting.Status.CANCELLED)
        .upcoming()
        .select_related("location")
        # The frozen round can be large and the start page shows none of it.
        .defer("round_snapshot")
        .first()
    )
    return render(
        request,
        "home.html",
        {
            "figures": figures,
            "own_agent": own_agent,
            "my_projects": my_projects,
            "next_meeting": next_meeting,
            "waiting": _waiting_for(request.user),
        },
    )


def _my_projects(agent):
    """The agent's open projects, the longest untouched first: those most likely to need
    an update."""
    return (
        Project.objects.of_agent(agent)
        .filter(status__in=Project.OPEN_STATUSES)
        .only("title", "status", "last_activity_at")
        .order_by("last_activity_at")[:HOME_PROJECTS]
    )


# What may wait for someone, each said with its count.
PROPOSALS_WAITING = ngettext_lazy(
    "%(count)s topic proposal waits for a place",
    "%(count)s topic proposals wait for a place",
    "count",
)
NEW_USERS_WAITING = ngettext_lazy(
    "%(count)s person new by their work account is no agent yet",
    "%(count)s people new by their work account are no agents yet",
    "count",
)


def _waiting_for(user):
    """What waits for this person, as (text, address) pairs: what is due for them, the same
    items as their daily digest (agentnet/due.py), and counts for the facilitator."""
    waiting = [(item.text, item.url) for item in due_items([user.pk]).get(user.pk, [])]
    counts = []
    if meeting_permissions.can_manage_meetings(user):
        counts.append((
            TopicProposal.objects.filter(status=TopicProposal.Status.OPEN).count(),
            PROPOSALS_WAITING,
            reverse("meetings:proposals"),
        ))
    if sso.is_enabled() and agent_permissions.can_see_new_users(user):
        counts.append((sso.new_users().count(), NEW_USERS_WAITING, reverse("agents:new_users")))
    return waiting + [
        (text % {"count": count}, address) for count, text, address in counts if count
    ]


def mail_choices(request):
    """Which reminders the signed-in person gets in the daily digest, and in what language."""
    choice = MailChoice.objects.filter(user=request.user).first() or MailChoice(
        user=request.user, language=request.LANGUAGE_CODE
    )
    form = MailChoiceForm(request.POST or None, instance=choice)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your choice of mails is saved."))
        return redirect("mail_choices")
    return render(request, "form_page.html", {
        "form": form, "page_title": _("My mails"), "cancel": reverse("agents:my_profile"),
        "intro": _("At most one mail a day, on workday mornings, with what is waiting for "
                   "you. Each reminder comes once."),
    })


@login_not_required
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """Stops a person's digest from the link in it, without signing in: the link is signed
    and can do nothing else. A GET only asks, so a mail scanner that opens links changes
    nothing."""
    user_id = digest.user_of_token(token)
    if user_id is None:
        return render(request, "mail/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        MailChoice.objects.update_or_create(user_id=user_id, defaults={"digest": False})
        return render(request, "mail/unsubscribe.html", {"done": True})
    return render(request, "mail/unsubscribe.html", {})


@never_cache
def my_data(request):
    """Everything the portal holds about the signed-in person: the right of access. Of an
    assessment, the manager's part only once it is closed, as on the assessment's page."""
    user = request.user
    agent = agent_of(user)
    if agent is None:
        raise Http404
    assessments = Assessment.objects.filter(agent=agent).select_related("round").prefetch_related(
        Prefetch("ratings", queryset=Rating.objects.select_related("competency")),
        Prefetch("goals",
                 queryset=DevelopmentGoal.objects.select_related("competency", "course")),
        "courses",
    )
    own_updates = ProjectUpdate.objects.filter(author=user).order_by("created_at")
    projects = Project.objects.of_agent(agent).prefetch_related(
        Prefetch("updates", queryset=own_updates)
    )
    data = {
        "profile": {
            "username": user.username, "name": user.get_full_name(), "email": user.email,
            "title": agent.title, "department": str(agent.department),
            "town": str(agent.location), "time_share": agent.time_share,
            "phone": agent.phone, "bio": agent.bio, "joined": agent.joined.isoformat(),
        },
        "projects": [
            {"title": p.title, "status": p.status,
             "updates": [{"kind": u.kind, "text": u.text, "at": u.created_at.isoformat()}
                         for u in p.updates.all()]}
            for p in projects
        ],
        "assessments": [_my_assessment(a) for a in assessments],
    }
    competency_services.audit(user, None, "downloaded", "my data")
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="mine-data.json"'
    return response


def _my_assessment(assessment):
    closed = competency_permissions.sees_review("agent", assessment)
    return {
        "year": assessment.round.year, "status": assessment.status,
        "strengths": assessment.strengths, "improve": assessment.improve,
        "role_wishes": assessment.role_wishes, "education_wishes": assessment.education_wishes,
        "manager_summary": assessment.manager_summary if closed else "",
        "ratings": [
            {"competency": r.competency.name, "self_level": r.self_level,
             "self_comment": r.self_comment,
             "manager_level": r.manager_level if closed else None,
             "manager_comment": r.manager_comment if closed else ""}
            for r in assessment.ratings.all()
        ],
        "goals": [{"text": g.text, "status": g.status,
                   "course": g.course.name if g.course else None,
                   "deadline": g.deadline.isoformat() if g.deadline else None}
                  for g in assessment.goals.all() if closed or g.carried_from_id],
        "courses": [c.name for c in assessment.courses.all()] if closed else [],
    }


@login_not_required
def accessibility(request):
    # Public by law: the accessibility statement must be reachable without an account.
    return render(request, "accessibility.html")


# The language can be chosen on the sign-in page too, before anyone has signed in.
set_language = login_not_required(django_set_language)


def csrf_failure(request, reason=""):
    """A form sent without a valid CSRF token (usually one left open too long, or cookies
    turned off): our page in the reader's language instead of Django's technical one."""
    return render(request, "403_csrf.html", status=403)

