from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agentnet.pagination import paginate
from agents.models import Department, User
from agents.permissions import agent_of
from projects import export as export_service
from projects import history, permissions, services
from projects import search as search_service
from projects.forms import (
    IdeaFilterForm,
    IdeaForm,
    PortfolioFilterForm,
    ProjectForm,
    RolloutFormSet,
    SearchForm,
    UpdateForm,
)
from projects.models import Idea, Project, Rollout, StrategyGoal

UPDATES_SHOWN = 20
CHANGES_SHOWN = 20
# My projects shows a card with a form of its own for each project: ten to a page, where a
# table of projects shows 25 rows (a form costs as much to draw as a dozen rows).
MY_PROJECTS_SHOWN = 10


def _project_for(user, pk, *, edit=False):
    """The project with what its page and its forms read (404 if there is none)."""
    project = get_object_or_404(Project.objects.for_detail(), pk=pk)
    if edit and not permissions.can_edit_project(user, project):
        raise PermissionDenied
    return project


def portfolio(request):
    form = PortfolioFilterForm(request.GET or None)
    return render(
        request,
        "projects/portfolio.html",
        {
            "form": form,
            "page": paginate(request, form.projects()),
            "can_create": permissions.can_create_project(request.user),
        },
    )


def my_projects(request):
    agent = agent_of(request.user)
    projects = (
        Project.objects.for_list().of_agent(agent).order_by("-last_activity_at")
        if agent
        else Project.objects.none()
    )
    page = paginate(request, projects, MY_PROJECTS_SHOWN)
    # One quick-update form per project, each with its own element ids.
    rows = [(p, UpdateForm(auto_id=f"u{p.pk}_%s")) for p in page]
    return render(request, "projects/mine.html", {"page": page, "rows": rows, "agent": agent})


def project_detail(request, pk):
    project = _project_for(request.user, pk)
    changes = list(project.changes.select_related("user")[:CHANGES_SHOWN])
    for change in changes:
        change.entries = [history.shown(item) for item in change.changes]
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "updates": project.updates.select_related("author")[:UPDATES_SHOWN],
            "update_count": project.updates.count(),
            "changes": changes,
            "update_form": UpdateForm(),
            "can_edit": permissions.can_edit_project(request.user, project),
            "can_add_update": permissions.can_add_update(request.user, project),
        },
    )


def project_create(request):
    if not permissions.can_create_project(request.user):
        raise PermissionDenied
    idea = _idea_to_develop(request)
    form = ProjectForm(
        request.POST or None,
        initial=_initial_from(idea),
        lead=agent_of(request.user),
        can_choose_lead=permissions.can_choose_lead(request.user),
    )
    if request.method == "POST" and form.is_valid():
        project = services.save_project(form, by=request.user)
        if idea:
            services.create_from_idea(idea, project)
        messages.success(request, _("The project is created."))
        return redirect(project)
    return render(request, "projects/project_form.html", {"form": form, "idea": idea})


def _idea_to_develop(request):
    """The idea named by ?idea= (or the posted field), if it has not become a project yet."""
    pk = request.POST.get("idea") or request.GET.get("idea")
    if not pk:
        return None
    try:
        return Idea.objects.select_related("department").get(pk=int(pk), project__isnull=True)
    except (ValueError, Idea.DoesNotExist) as error:
        raise Http404 from error


def _initial_from(idea):
    if idea is None:
        return None
    return {
        "title": str(idea)[:200],
        "summary": idea.text,
        "status": Project.Status.IDEA,
        "departments": [idea.department_id] if idea.department_id else [],
    }


def project_edit(request, pk):
    project = _project_for(request.user, pk, edit=True)
    form = ProjectForm(
        request.POST or None,
        instance=project,
        can_choose_lead=permissions.can_choose_lead(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            project = services.save_project(form, by=request.user)
        except services.EditConflict as conflict:
            current = conflict.project
            form.add_error(None, _conflict_message(current))
            # The next save is checked against what is stored now.
            form.data = form.data.copy()
            form.data["version"] = current.version
        else:
            messages.success(request, _("The project is saved."))
            return redirect(project)
    return render(request, "projects/project_form.html", {"form": form, "project": project})


@require_POST
def add_update(request, pk):
    project = _project_for(request.user, pk)
    if not permissions.can_add_update(request.user, project):
        raise PermissionDenied
    form = UpdateForm(request.POST)
    if form.is_valid():
        services.add_update(project, by=request.user, **form.cleaned_data)
        messages.success(request, _("The update is added."))
        return redirect(_next_url(request, project.get_absolute_url()))
    return render(
        request,
        "projects/update_form.html",
        {"project": project, "update_form": form, "next": request.POST.get("next", "")},
    )


def _next_url(request, default):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def goal_list(request):
    goals = StrategyGoal.objects.annotate(
        project_count=Count("projects", distinct=True),
        open_count=Count(
            "projects", filter=Q(projects__status__in=Project.OPEN_STATUSES), distinct=True
        ),
    ).order_by("-first_year", "title")
    return render(request, "projects/goal_list.html", {"page": paginate(request, goals, 50)})


def goal_detail(request, pk):
    goal = get_object_or_404(StrategyGoal, pk=pk)
    projects = Project.objects.for_table().filter(goals=goal).order_by("-last_activity_at")
    return render(
        request, "projects/goal_detail.html", {"goal": goal, "page": paginate(request, projects)}
    )


def _departments_in_order():
    return list(Department.objects.order_by("name"))


def _contact_choices():
    people = User.objects.filter(is_active=True).only("first_name", "last_name", "username")
    return [("", "–"), *((u.pk, str(u)) for u in people)]


def rollout_edit(request, pk):
    project = _project_for(request.user, pk, edit=True)
    departments = _departments_in_order()
    kwargs = {
        "departments": departments,
        "form_kwargs": {"contact_choices": _contact_choices()},
        "prefix": "rows",
    }
    # The project's version when the form was opened: a rollout saved by someone else since
    # is not overwritten silently.
    version = project.version
    conflict = None
    if request.method == "POST":
        formset = RolloutFormSet(request.POST, **kwargs)
        posted = request.POST.get("version", "")
        version = int(posted) if posted.isdigit() else None
        if version is None:
            # Without the version it was opened at, a change cannot be checked against what
            # others saved meanwhile: nothing is saved, and the page offers the current one.
            conflict = _(
                "The form did not say which version of the rollout you started from, so "
                "your changes could overwrite someone else's. Nothing is saved: check the "
                "rollout and save again."
            )
            version = project.version
        elif formset.is_valid():
            try:
                services.save_rollout(project, formset, by=request.user, version=version)
            except services.EditConflict as clash:
                conflict = _conflict_message(clash.project)
                # The next save is checked against what is stored now.
                version = clash.project.version
            else:
                messages.success(request, _("The rollout is saved."))
                return redirect(project)
    else:
        formset = RolloutFormSet(initial=services.rollout_rows(project, departments), **kwargs)
    rows = [(form, formset.departments.get(_department_pk(form))) for form in formset.forms]
    return render(
        request,
        "projects/rollout_form.html",
        {"project": project, "formset": formset, "rows": rows, "version": version,
         "conflict": conflict},
    )


def _conflict_message(current):
    """Who saved the project after the form was opened, and when."""
    return _(
        "%(name)s saved this project at %(time)s, after you opened it. Your changes "
        "are kept below: compare them with the project page and save again."
    ) % {
        "name": current.updated_by or _("Someone"),
        "time": date_format(localtime(current.updated_at), "SHORT_DATETIME_FORMAT"),
    }


def _department_pk(form):
    value = form["department"].value()
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def rollout_overview(request):
    """Every project with a rollout against every department: who still lacks what."""
    rows = Rollout.objects.select_related("project").order_by("project__title")
    projects = {}
    for row in rows:
        projects.setdefault(row.project, {})[row.department_id] = row
    departments = _departments_in_order()
    matrix = [
        (project, [cells.get(d.pk) for d in departments]) for project, cells in projects.items()
    ]
    return render(
        request,
        "projects/rollout_overview.html",
        {"departments": departments, "matrix": matrix},
    )


def idea_list(request):
    form = IdeaFilterForm(request.GET or None)
    ideas = Idea.objects.select_related("department", "project", "recorded_by")
    ideas = form.filter(ideas)
    return render(
        request,
        "projects/idea_list.html",
        {
            "form": form,
            "page": paginate(request, ideas),
            "can_record": permissions.can_record_idea(request.user),
        },
    )


def idea_create(request):
    if not permissions.can_record_idea(request.user):
        raise PermissionDenied
    form = IdeaForm(request.POST or None, initial={"department": _own_department(request.user)})
    if request.method == "POST" and form.is_valid():
        idea = form.save(commit=False)
        idea.recorded_by = request.user
        idea.save()
        messages.success(request, _("The idea is recorded."))
        return redirect(idea)
    return render(request, "projects/idea_form.html", {"form": form})


def _own_department(user):
    agent = agent_of(user)
    return agent.department_id if agent else None


def _idea_for(user, pk, *, edit=False):
    idea = get_object_or_404(
        Idea.objects.select_related("department", "project", "recorded_by"), pk=pk
    )
    if edit and not permissions.can_edit_idea(user, idea):
        raise PermissionDenied
    return idea


def idea_detail(request, pk):
    idea = _idea_for(request.user, pk)
    return render(
        request,
        "projects/idea_detail.html",
        {
            "idea": idea,
            "can_edit": permissions.can_edit_idea(request.user, idea),
            "can_make_project": permissions.can_create_project(request.user)
            and idea.project_id is None,
        },
    )


def idea_edit(request, pk):
    idea = _idea_for(request.user, pk, edit=True)
    form = IdeaForm(request.POST or None, instance=idea)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The idea is saved."))
        return redirect(idea)
    return render(request, "projects/idea_form.html", {"form": form, "idea": idea})


def search(request):
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid() and form.cleaned_data["q"]:
        results = search_service.search(form.cleaned_data["q"])
    return render(request, "projects/search.html", {"form": form, "results": results})


def export(request, fmt):
    if fmt not in ("xlsx", "csv"):
        raise Http404
    projects = PortfolioFilterForm(request.GET or None).projects(Project.objects.for_export())
    stamp = timezone.localdate().isoformat()
    if fmt == "xlsx":
        response = HttpResponse(
            export_service.as_xlsx(projects),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(export_service.as_csv(projects), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="projekter-{stamp}.{fmt}"'
    return response
