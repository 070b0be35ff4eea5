"""Site-wide pages: the start page, the accessibility statement, error pages."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language as django_set_language

from agents import services
from agents.models import Department, System
from agents.permissions import agent_of
from meetings.models import Meeting
from projects.models import Project

HOME_PROJECTS = 5


def home(request):
    totals = services.capacity_totals()
    departments = Department.objects.count()
    without_agent = Department.objects.without_agent().count()
    figures = [
        (_("active agents"), totals["agent_count"]),
        (_("full-time equivalents"), number_format(totals["fte"], 2)),
        (_("departments without an agent"), f"{without_agent} / {departments}"),
        (_("systems"), System.objects.count()),
    ]
    own_agent = agent_of(request.user)
    my_projects = (
        Project.objects.of_agent(own_agent).filter(status__in=Project.OPEN_STATUSES)
        .order_by("last_activity_at")[:HOME_PROJECTS]
        if own_agent else []
    )
    next_meeting = (
        Meeting.objects.visible_to(request.user).upcoming()
        .exclude(status=Meeting.Status.CANCELLED).select_related("location").first()
    )
    return render(
        request,
        "home.html",
        {
            "figures": figures,
            "own_agent": own_agent,
            "my_projects": my_projects,
            "next_meeting": next_meeting,
        },
    )


@login_not_required
def accessibility(request):
    # Public by law: the accessibility statement must be reachable without an account.
    return render(request, "accessibility.html")


# The language can be chosen on the sign-in page too, before anyone has signed in.
set_language = login_not_required(django_set_language)

