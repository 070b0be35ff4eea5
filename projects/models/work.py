"""What happens to a project: its log of updates and changes, its rollout per department,
and the ideas heard at staff meetings that become projects."""


from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agents.models import Department
from projects.models.portfolio import (
    UPDATE_MAX,
    URGENT,
    Project,
)


def _lead_department(project):
    """The department of the lead of `project` (an id, or an OuterRef to one), as a query."""
    return Project.objects.filter(pk=project).order_by().values("lead__department_id")[:1]


class ProjectUpdateQuerySet(models.QuerySet):
    def for_search(self):
        """Updates as a search hit shows them: with their projects and authors."""
        return self.select_related("project", "author")

    def follow_leads(self):
        """Give these updates the department of their project's lead where they have
        another: after a project changed lead or its lead changed department. One query."""
        department = Subquery(_lead_department(OuterRef("project_id")))
        return self.exclude(lead_department_id=department).update(lead_department_id=department)


class ProjectUpdate(models.Model):
    """A dated entry in a project's log: progress, a problem, a milestone or a decision."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("Progress")
        PROBLEM = "problem", _("Problem")
        MILESTONE = "milestone", _("Milestone")
        DECISION = "decision", _("Decision")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="updates"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="project_updates",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind, default=Kind.PROGRESS)
    text = models.TextField(_("update"), max_length=UPDATE_MAX)
    for_erfa = models.BooleanField(
        _("bring to the erfa-day"),
        default=False,
        help_text=_("Puts the update first in the round at the next erfa-day."),
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now, db_index=True)
    # The department of the project's lead, kept in step with the lead (Project.save(),
    # Agent.save(), the hand-over): the erfa-day's round takes its turns by it, and reads
    # each department's newest updates from indexes of its own (meetings/turns.py).
    lead_department = models.ForeignKey(
        Department,
        verbose_name=_("lead agent's department"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    objects = ProjectUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("project update")
        verbose_name_plural = _("project updates")
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="update_text_required"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("text"), UPDATE_MAX), name="update_text_length"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["progress", "problem", "milestone", "decision"]),
                name="update_kind_known",
            ),
        ]
        indexes = [
            models.Index(fields=["project", "-created_at"]),
            # A department's newest updates in the round, its urgent ones (problems and those
            # flagged for the erfa-day) first: two partial indexes, each read newest first.
            models.Index(
                fields=["lead_department", "created_at", "id"], condition=URGENT,
                name="update_round_urgent",
            ),
            models.Index(
                fields=["lead_department", "created_at", "id"], condition=~URGENT,
                name="update_round_other",
            ),
        ]

    def __str__(self):
        return f"{self.project}: {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if self.lead_department_id is None:
            self.lead_department_id = _lead_department(self.project_id).get()[
                "lead__department_id"
            ]
        super().save(*args, **kwargs)


class ProjectChange(models.Model):
    """The change history of a project: who changed which fields, when."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="changes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    # [{"field": label, "old": text, "new": text}, ...]
    changes = models.JSONField(default=list)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("project change")
        verbose_name_plural = _("project changes")
        indexes = [models.Index(fields=["project", "-at"])]

    def __str__(self):
        return f"{self.project} ({self.at:%Y-%m-%d %H:%M})"


class Rollout(models.Model):
    """One department's row in a project's rollout: where the solution has been introduced."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        INTRODUCED = "introduced", _("Introduced")
        IN_USE = "in_use", _("In use")
        DECLINED = "declined", _("Declined")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="rollouts"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.CASCADE,
        related_name="rollouts",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status, default=Status.NOT_STARTED
    )
    date = models.DateField(_("date"), null=True, blank=True)
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rollout_contacts",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["department__name"]
        verbose_name = _("rollout row")
        verbose_name_plural = _("rollout")
        constraints = [
            models.UniqueConstraint(fields=["project", "department"], name="rollout_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["not_started", "introduced", "in_use", "declined"]),
                name="rollout_status_known",
            ),
        ]

    def __str__(self):
        return f"{self.project} – {self.department}: {self.get_status_display()}"


class IdeaQuerySet(models.QuerySet):
    def for_search(self):
        """Ideas as a search hit shows them: with the department they came from."""
        return self.select_related("department")


class Idea(models.Model):
    """What staff said at a meeting: "Hvor ville det være smart, hvis vi kunne …"."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        INVESTIGATING = "investigating", _("Being looked into")
        BECAME_PROJECT = "project", _("Became a project")
        SHELVED = "shelved", _("Put aside")

    text = models.TextField(
        _("the idea"),
        max_length=2000,
        help_text=_("In the words you heard: “Wouldn't it be smart if we could …”"),
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="ideas",
    )
    occasion = models.CharField(
        _("occasion"), max_length=200, blank=True,
        help_text=_("E.g. the staff meeting in home care."),
    )
    heard_on = models.DateField(_("date"), default=timezone.localdate)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.NEW)
    shelved_reason = models.CharField(_("why it was put aside"), max_length=500, blank=True)
    project = models.ForeignKey(
        Project, verbose_name=_("became the project"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="ideas",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.SET_NULL,
        null=True, related_name="recorded_ideas",
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = IdeaQuerySet.as_manager()

    class Meta:
        ordering = ["-heard_on", "-pk"]
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="idea_text_required"),
            models.CheckConstraint(
                condition=Q(status__in=["new", "investigating", "project", "shelved"]),
                name="idea_status_known",
            ),
            models.CheckConstraint(
                condition=~Q(status="shelved") | ~Q(shelved_reason=""),
                name="idea_shelved_has_reason",
            ),
        ]

    def __str__(self):
        # How an idea is named in lists: the start of its text.
        return self.text if len(self.text) <= 60 else f"{self.text[:59]}…"

    def get_absolute_url(self):
        return reverse("projects:idea", args=[self.pk])

