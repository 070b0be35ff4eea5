"""Business actions on projects: saving with conflict detection and history, updates."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from projects import history
from projects.models import Idea, Project, ProjectChange, ProjectUpdate, Rollout

TRACKED_FIELDS = [
    "title", "summary", "lead", "status", "phase", "departments", "co_agents", "systems",
    "goals", "types", "start_date", "target_date", "hours_saved_per_year",
    "realised_hours_per_year", "benefit", "dpia_done", "journalised", "dpa_in_place",
]


class EditConflict(Exception):
    """Someone else saved the project after the form was opened."""

    def __init__(self, project):
        super().__init__(project)
        self.project = project


def _snapshot(project):
    return {name: history.stored(project, name) for name in TRACKED_FIELDS}


def _locked(project):
    """The project as stored, locked until the transaction ends."""
    return Project.objects.select_for_update().get(pk=project.pk)


def _check_version(current, version):
    """Raises EditConflict if the project is no longer at `version`, the one the form was
    opened with."""
    if version != current.version:
        raise EditConflict(Project.objects.select_related("updated_by").get(pk=current.pk))


def mark_changed(project_ids, *, by, at, activity=True):
    """Projects changed other than by their form: a new version (a form opened before says so
    on saving), who changed them and when, and, unless `activity` is False, new activity."""
    fields = {"version": F("version") + 1, "updated_by": by, "updated_at": at}
    if activity:
        fields["last_activity_at"] = at
    Project.objects.filter(pk__in=project_ids).update(**fields)


@transaction.atomic
def save_project(form, *, by):
    """Save a valid ProjectForm. Raises EditConflict if the project changed since the form was
    opened; otherwise records what changed in the project's history."""
    project = form.instance
    now = timezone.now()
    if project.pk is None:
        project.updated_by = by
        project.last_activity_at = now
        project = form.save()
        # An empty list of changes marks the creation.
        ProjectChange.objects.create(project=project, user=by, at=now, changes=[])
        return project

    current = _locked(project)
    _check_version(current, form.cleaned_data.get("version"))
    before = _snapshot(current)
    project.version = F("version") + 1
    project.updated_by = by
    project.last_activity_at = now
    project = form.save()
    project.refresh_from_db(fields=["version"])
    after = _snapshot(project)
    changes = [
        history.entry(name, before[name], after[name])
        for name in TRACKED_FIELDS
        if before[name] != after[name]
    ]
    if changes:
        ProjectChange.objects.create(project=project, user=by, at=now, changes=changes)
    return project


@transaction.atomic
def add_update(project, *, by, kind, text, for_erfa=False):
    now = timezone.now()
    update = ProjectUpdate.objects.create(
        project=project, lead_department_id=project.lead.department_id, author=by, kind=kind,
        text=text, for_erfa=for_erfa, created_at=now,
    )
    Project.objects.filter(pk=project.pk).update(last_activity_at=now)
    return update


@transaction.atomic
def create_from_idea(idea, project):
    """Link an idea to the project it became, both ways."""
    idea.project = project
    idea.status = Idea.Status.BECAME_PROJECT
    idea.save(update_fields=["project", "status"])


def rollout_rows(project, departments):
    """Initial data for the rollout formset: one row per department, in order."""
    existing = {r.department_id: r for r in project.rollouts.all()}
    rows = []
    for department in departments:
        row = existing.get(department.pk)
        rows.append(
            {
                "department": department.pk,
                "status": row.status if row else "",
                "date": row.date if row else None,
                "contact": row.contact_id if row else None,
                "note": row.note if row else "",
            }
        )
    return rows


@transaction.atomic
def save_rollout(project, formset, *, by, version):
    """Save a valid rollout formset. `version` is the project's version when the form was
    opened: if the project (its rollout included) changed since, raises EditConflict and
    saves nothing. A saved change raises the version too."""
    current = _locked(project)
    _check_version(current, version)
    existing = {r.department_id: r for r in project.rollouts.select_related("contact")}
    changes = []
    for form in formset.forms:
        data = form.cleaned_data
        department = formset.departments[data["department"]]
        row = existing.get(department.pk)
        before = row.status if row else ""
        where = {"department": str(department)}
        if not data["status"]:
            if row:
                row.delete()
                changes.append(history.entry(history.ROLLOUT, before, "", **where))
            continue
        values = {
            "status": data["status"],
            "date": data["date"],
            "contact_id": data["contact"],
            "note": data["note"],
        }
        if row and all(getattr(row, k) == v for k, v in values.items()):
            continue
        old_contact = str(row.contact) if row and row.contact else ""
        row, _created = Rollout.objects.update_or_create(
            project=project, department=department, defaults=values
        )
        changes.append(history.entry(history.ROLLOUT, before, row.status, **where))
        new_contact = str(row.contact) if row.contact_id else ""
        if new_contact != old_contact:
            changes.append(
                history.entry(history.ROLLOUT_CONTACT, old_contact, new_contact, **where)
            )
    if changes:
        now = timezone.now()
        ProjectChange.objects.create(project=project, user=by, at=now, changes=changes)
        mark_changed([project.pk], by=by, at=now)
    return changes
