from axes.utils import reset as reset_lockout
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from social_core.exceptions import SocialAuthBaseException
from social_django import views as social_views

from agentnet.pagination import paginate
from agents import handover, permissions, services, sso
from agents.forms import (
    AgentAssignmentForm,
    AgentProfileForm,
    DepartmentFilterForm,
    DirectorySearchForm,
    HandOverForm,
    SystemSearchForm,
)
from agents.kitos import sync as kitos_sync
from agents.models import Agent, Department, KitosRun, System, User

DEPARTMENT_AGENTS_SHOWN = 6
SYSTEM_NAMES_SHOWN = 4
SYSTEM_PROJECTS_SHOWN = 10


def _agent_for_edit(user, pk):
    agent = get_object_or_404(Agent.objects.select_related("user"), pk=pk)
    if not permissions.can_edit_agent(user, agent):
        raise PermissionDenied
    return agent


def directory(request):
    form = DirectorySearchForm(request.GET or None)
    agents = Agent.objects.active().for_list().with_superuser_roles()
    if form.is_bound:
        agents = form.filter(agents)
    page = paginate(request, agents)
    return render(request, "agents/directory.html", {"form": form, "page": page})


def agent_detail(request, pk):
    # One agent: their department's default ordering of agents by name is not needed.
    agent = get_object_or_404(Agent.objects.for_page().order_by(), pk=pk)
    return render(
        request,
        "agents/agent_detail.html",
        {
            "agent": agent,
            "can_edit": permissions.can_edit_agent(request.user, agent),
        },
    )


def my_profile(request):
    agent = permissions.agent_of(request.user)
    if agent is None:
        # What such a person can choose for themselves is which mails they get.
        messages.info(request, _("You have no agent profile. The facilitator can create one."))
        return redirect("mail_choices")
    return redirect("agents:edit", pk=agent.pk)


def agent_edit(request, pk):
    agent = _agent_for_edit(request.user, pk)
    if permissions.can_edit_agent_assignment(request.user, agent):
        form = AgentAssignmentForm(request.POST or None, instance=agent, changed_by=request.user)
    else:
        form = AgentProfileForm(request.POST or None, instance=agent)
    if request.method == "POST" and form.is_valid():
        agent = form.save()
        messages.success(request, _("The profile is saved."))
        return redirect(agent)
    return render(request, "agents/agent_form.html", {"form": form, "agent": agent})


def hand_over_roles(request, pk):
    """One screen to hand all of a person's roles to someone else, e.g. when they leave."""
    if not permissions.can_hand_over_roles(request.user):
        raise PermissionDenied
    person = get_object_or_404(User.objects.select_related("agent"), pk=pk)
    holdings = handover.holdings_of(person)
    # An empty POST is still a POST: it gets the form's errors, not a fresh form.
    posted = request.POST if request.method == "POST" else None
    form = HandOverForm(posted, person=person, holdings=holdings, by=request.user)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            moved = handover.hand_over(
                person, data.get("successor"), data.get("parts", []), by=request.user,
                leaves=data.get("leaves", False),
            )
        except (IntegrityError, Agent.DoesNotExist):
            # Someone changed the same roles, or the successor, in the admin meanwhile.
            form.add_error(None, _(
                "Someone changed these roles or the successor at the same moment, so nothing "
                "was handed over. Look at the list again and try once more."
            ))
        else:
            _report_hand_over(request, person, data, moved)
            return redirect("agents:handover", pk=person.pk)
    return render(
        request,
        "agents/handover.html",
        {"person": person, "holdings": holdings, "form": form},
    )


def _report_hand_over(request, person, data, moved):
    if moved:
        done = ", ".join(f"{handover.PARTS[part].label}: {count}" for part, count in moved.items())
        messages.success(
            request,
            _("Handed over to %(name)s: %(done)s.") % {"name": data["successor"], "done": done},
        )
    if data.get("leaves"):
        messages.success(
            request,
            _("%(name)s is no longer listed as an active agent and can no longer sign in.")
            % {"name": person},
        )


def department_list(request):
    departments = Department.objects.for_list(DEPARTMENT_AGENTS_SHOWN).order_by("kind", "name")
    form = DepartmentFilterForm(request.GET or None)
    page = paginate(request, form.filter(departments))
    without_agent = Department.objects.without_agent().order_by("name")
    return render(
        request,
        "agents/department_list.html",
        {"form": form, "page": page, "without_agent": without_agent},
    )


def department_detail(request, pk):
    department = get_object_or_404(Department.objects.select_related("parent"), pk=pk)
    return render(
        request,
        "agents/department_detail.html",
        {
            "department": department,
            "agents": Agent.objects.active().for_list().filter(department=department),
            "systems": department.owned_systems.order_by("name"),
            "children": department.children.order_by("name"),
        },
    )


def system_list(request):
    form = SystemSearchForm(request.GET or None)
    systems = System.objects.for_list(SYSTEM_NAMES_SHOWN).order_by("name")
    if form.is_valid() and form.cleaned_data["q"]:
        q = form.cleaned_data["q"]
        systems = systems.filter(Q(name__icontains=q) | Q(vendor__icontains=q))
    page = paginate(request, systems)
    context = {"form": form, "page": page}
    if permissions.can_see_kitos_runs(request.user):
        context |= kitos_status()
    return render(request, "agents/system_list.html", context)


def kitos_status():
    """The last run of the sync with KITOS and, if it failed, the last one that did not."""
    last = KitosRun.objects.order_by("-started_at", "-pk").first()
    good = last if last is None or last.succeeded else kitos_sync.last_success()
    enabled = kitos_sync.is_enabled()
    return {"show_kitos": enabled or last is not None, "kitos_enabled": enabled,
            "kitos_run": last, "kitos_good": good}


def system_detail(request, pk):
    system = get_object_or_404(System.objects.for_page(), pk=pk)
    projects = system.projects.order_by("title")
    return render(
        request,
        "agents/system_detail.html",
        {
            "system": system,
            "projects": projects[:SYSTEM_PROJECTS_SHOWN],
            "project_count": projects.count(),
        },
    )


def capacity(request):
    return render(request, "agents/capacity.html", services.capacity())


class ChooseNewPassword(auth_views.PasswordResetConfirmView):
    """Django's page behind the mailed link. A new password also lifts a lockout after wrong
    guesses (the lockout page points here), so the person signs in with it at once."""

    def form_valid(self, form):
        response = super().form_valid(form)
        reset_lockout(username=form.user.get_username())
        return response


class ChangePassword(auth_views.PasswordChangeView):
    """Django's page for changing one's own password. Its check of the old password is no
    sign-in, so django-axes does not count it: after as many wrong old passwords in a row as
    axes allows at sign-in, the session ends, and the sign-in page (with its lockout) is the
    way back. A stolen session cannot guess the password here."""

    FAILURES = "agentnet_password_change_failures"

    def form_invalid(self, form):
        if form.has_error("old_password", "password_incorrect"):
            failures = self.request.session.get(self.FAILURES, 0) + 1
            if failures >= settings.AXES_FAILURE_LIMIT:
                logout(self.request)
                messages.error(self.request, _(
                    "The current password was wrong too many times. Sign in again."
                ))
                return redirect("login")
            self.request.session[self.FAILURES] = failures
        return super().form_invalid(form)

    def form_valid(self, form):
        self.request.session.pop(self.FAILURES, None)
        return super().form_valid(form)


class SignIn(auth_views.LoginView):
    """Django's sign-in page, with the work account first when single sign-on is on."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sso"] = sso.is_enabled()
        # With SSO_ONLY the password form is for superusers: behind a link, and still shown
        # with its errors after a try.
        context["password_form"] = (
            sso.password_form_for_everyone()
            or "adgangskode" in self.request.GET
            or self.request.method == "POST"
        )
        return context


class SignOut(auth_views.LogoutView):
    """Signing out ends a single sign-on session at the identity provider too, where the
    provider offers that; otherwise it is Django's sign-out."""

    def post(self, request, *args, **kwargs):
        provider_url = None
        if request.session.get(BACKEND_SESSION_KEY) == sso.BACKEND:
            provider_url = sso.end_session_url(request, request.user)
        response = super().post(request, *args, **kwargs)
        return redirect(provider_url) if provider_url else response


def _refused(request, error):
    sso.log_refusal(error)
    messages.error(request, sso.refusal_message(error))
    return redirect("login")


@login_not_required
@require_POST
@never_cache
def sso_begin(request, backend):
    """The button "Log ind med din arbejdskonto": on to the identity provider."""
    if not sso.is_enabled():
        raise Http404
    try:
        return social_views.auth(request, backend)
    except SocialAuthBaseException as error:
        return _refused(request, error)


@login_not_required
@csrf_exempt  # the identity provider's redirect; state, nonce and PKCE protect it
@never_cache
def sso_complete(request, backend):
    """The identity provider's answer. Whoever it vouched for is signed in, not whoever
    the browser had signed in before."""
    if not sso.is_enabled():
        raise Http404
    request.user = AnonymousUser()
    try:
        return social_views.complete(request, backend)
    except SocialAuthBaseException as error:
        return _refused(request, error)


def new_users(request):
    """People who signed in with their work account and are no agents (yet): the
    facilitator makes an agent of those who are."""
    if not permissions.can_see_new_users(request.user):
        raise PermissionDenied
    page = paginate(request, sso.new_users_for_list())
    return render(request, "agents/new_users.html", {"page": page})
