"""Site-wide pages: the start page, the accessibility statement, error pages."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language as django_set_language

from agents import services
from agents.models import Agent, Department, System


def home(request):
    totals = services.capacity_totals()
    departments = Department.objects.count()
    without_agent = Department.objects.exclude(agents__is_active=True).count()
    figures = [
        (_("active agents"), totals["agent_count"]),
        (_("full-time equivalents"), number_format(totals["fte"], 2)),
        (_("departments without an agent"), f"{without_agent} / {departments}"),
        (_("systems"), System.objects.count()),
    ]
    return render(
        request,
        "home.html",
        {
            "figures": figures,
            "own_agent": Agent.objects.filter(user=request.user).only("pk").first(),
        },
    )


@login_not_required
def accessibility(request):
    # Public by law: the accessibility statement must be reachable without an account.
    return render(request, "accessibility.html")


# The language can be chosen on the sign-in page too, before anyone has signed in.
set_language = login_not_required(django_set_language)


COMING = {
    "projects": _("Projects"),
    "meetings": _("Erfa-days"),
    "competencies": _("Competencies"),
}


def coming(request, section):
    """The sections whose pages are not built yet keep their place in the navigation."""
    return render(request, "coming.html", {"title": COMING[section], "section": section})
