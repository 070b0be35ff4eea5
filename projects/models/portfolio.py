"""A project, the strategy goals it serves and the kinds of work it is."""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Prefetch, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agents.models import Agent, Department, System

TITLE_MAX = 200
SUMMARY_MAX = 4000
UPDATE_MAX = 4000
MAX_HOURS_PER_YEAR = 100_000
STALE_AFTER = timedelta(days=60)
# An update the round brings first: a problem, or one flagged for the erfa-day.
URGENT = Q(kind="problem") | Q(for_erfa=True)


class StrategyGoal(models.Model):
    """A goal of the municipality's digitalisation strategy, for a period of years."""

    title = models.CharField(_("title"), max_length=TITLE_MAX)
    description = models.TextField(_("description"), max_length=SUMMARY_MAX, blank=True)
    first_year = models.PositiveSmallIntegerField(_("from year"))
    last_year = models.PositiveSmallIntegerField(_("to year"))

    class Meta:
        ordering = ["-first_year", "title"]
        verbose_name = _("strategy goal")
        verbose_name_plural = _("strategy goals")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year")), name="goal_period_in_order"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.first_year}–{self.last_year})"

    def get_absolute_url(self):
        return reverse("projects:goal", args=[self.pk])


class ProjectType(models.Model):
    """A kind of solution, such as RPA, SMS, self-service, video or robot."""

    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("project type")
        verbose_name_plural = _("project types")

    def __str__(self):
        return self.name


class ProjectQuerySet(models.QuerySet):
    # What a list of projects shows of each (projects/mine.html, _project_table.html): the
    # summary and the benefit texts are left in the database.
    LIST_COLUMNS = (
        "title", "status", "last_activity_at",
        "lead__user__first_name", "lead__user__last_name", "lead__user__username",
    )

    def for_list(self):
        """Projects as a list shows them: title, status, lead agent, last activity."""
        return self.select_related("lead__user").only(*self.LIST_COLUMNS)

    def for_table(self):
        """Projects as the project table shows them: for_list() and the names of the
        departments each serves and of its types."""
        return self.for_list().prefetch_related(*self._names())

    def for_export(self):
        """Projects with all that the Excel and CSV export shows (projects/export.py)."""
        return self.select_related("lead__user", "lead__department").prefetch_related(
            *self._names()
        )

    @staticmethod
    def _names():
        return [
            Prefetch("departments", queryset=Department.objects.only("name")),
            Prefetch("types", queryset=ProjectType.objects.only("name")),
        ]

    def for_search(self):
        """Projects as a search hit shows them (projects/search.html)."""
        return self.select_related("lead__user")

    def for_detail(self):
        """A project with everything its page and its forms read, a query per relation."""
        # Rollouts and ideas are defined beside the updates, which refer to Project.
        from projects.models.work import Idea, Rollout

        return self.select_related("lead__user", "lead__department").prefetch_related(
            Prefetch("co_agents", queryset=Agent.objects.select_related("user", "department")),
            Prefetch(
                "rollouts",
                queryset=Rollout.objects.select_related("department", "contact").order_by(
                    "department__name"
                ),
            ),
            Prefetch("ideas", queryset=Idea.objects.select_related("department")),
            "departments",
            "systems",
            "goals",
            "types",
        )

    def counting_benefit(self):
        """The projects whose benefit the strategy page adds up: those with an expected or a
        realised benefit, except the dropped ones (what was never delivered saves nothing)."""
        return self.exclude(status=Project.Status.DROPPED).filter(
            Q(hours_saved_per_year__isnull=False) | Q(realised_hours_per_year__isnull=False)
        )

    def active_in(self, first, last):
        """The projects under way at some time from `first` to `last` (dates): started by
        `last` (or with no start date) and not ended before `first`."""
        return self.filter(
            Q(start_date__lte=last) | Q(start_date__isnull=True),
            Q(ended_on__gte=first) | Q(ended_on__isnull=True),
        )

    def started_in(self, first, last):
        return self.filter(start_date__range=(first, last))

    def ended_in(self, first, last):
        return self.filter(ended_on__range=(first, last))

    def stale(self, now=None):
        cutoff = (now or timezone.now()) - STALE_AFTER
        return self.filter(Q(last_activity_at__lt=cutoff), status__in=Project.OPEN_STATUSES)

    def of_agent(self, agent):
        """The projects the agent leads or works on.

        Two indexed look-ups joined by a UNION: an OR of lead and co-agent across the
        co-agents join can use no index, so it would read both tables whole."""
        led = Project.objects.filter(lead=agent).values("pk")
        joined = Project.co_agents.through.objects.filter(agent=agent).values("project_id")
        return self.filter(pk__in=led.union(joined))


class Project(models.Model):
    class Status(models.TextChoices):
        IDEA = "idea", _("Idea")
        PLANNED = "planned", _("Planned")
        RUNNING = "running", _("In progress")
        PAUSED = "paused", _("Paused")
        DONE = "done", _("Completed")
        DROPPED = "dropped", _("Abandoned")

    class Phase(models.TextChoices):
        ANALYSIS = "analysis", _("Analysis")
        PROCUREMENT = "procurement", _("Procurement")
        DEVELOPMENT = "development", _("Development")
        PILOT = "pilot", _("Pilot")
        IMPLEMENTATION = "implementation", _("Implementation")
        OPERATION = "operation", _("Operation")

    OPEN_STATUSES = [Status.IDEA, Status.PLANNED, Status.RUNNING, Status.PAUSED]

    title = models.CharField(_("title"), max_length=TITLE_MAX)
    summary = models.TextField(_("summary"), max_length=SUMMARY_MAX, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.PLANNED)
    phase = models.CharField(_("phase"), max_length=16, choices=Phase, blank=True)
    lead = models.ForeignKey(
        Agent, verbose_name=_("lead agent"), on_delete=models.PROTECT, related_name="led_projects"
    )
    co_agents = models.ManyToManyField(
        Agent, verbose_name=_("co-agents"), blank=True, related_name="co_projects"
    )
    departments = models.ManyToManyField(
        Department, verbose_name=_("departments served"), blank=True, related_name="projects"
    )
    systems = models.ManyToManyField(
        System, verbose_name=_("systems used"), blank=True, related_name="projects"
    )
    goals = models.ManyToManyField(
        StrategyGoal, verbose_name=_("strategy goals"), blank=True, related_name="projects"
    )
    types = models.ManyToManyField(
        ProjectType, verbose_name=_("type"), blank=True, related_name="projects"
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    hours_saved_per_year = models.PositiveIntegerField(
        _("expected hours saved per year"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_HOURS_PER_YEAR)],
    )
    realised_hours_per_year = models.PositiveIntegerField(
        _("realised hours saved per year"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_HOURS_PER_YEAR)],
    )
    benefit = models.CharField(
        _("benefit for quality or service"),
        max_length=500,
        blank=True,
        help_text=_("One sentence: what gets better for citizens or colleagues."),
    )
    dpia_done = models.BooleanField(_("DPIA done"), default=False)
    journalised = models.BooleanField(_("correspondence journalised"), default=False)
    dpa_in_place = models.BooleanField(_("data processing agreement in place"), default=False)
    # Raised on every save; a form posted with an older number was edited by someone else.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    # The day the project was completed or abandoned, kept by save(): when its benefit
    # began (or did not), as the strategy page counts by quarter.
    ended_on = models.DateField(_("ended"), null=True, blank=True, editable=False)
    # The last update or change: what "stale" and the default sort look at.
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-last_activity_at"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="project_title_required"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("title"), TITLE_MAX), name="project_title_length"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["idea", "planned", "running", "paused", "done", "dropped"]),
                name="project_status_known",
            ),
            # A comparison with NULL is unknown, which a CHECK lets pass: empty dates are fine.
            models.CheckConstraint(
                condition=Q(target_date__gte=F("start_date")), name="project_dates_in_order"
            ),
            models.CheckConstraint(
                condition=Q(hours_saved_per_year__lte=MAX_HOURS_PER_YEAR),
                name="project_expected_benefit_plausible",
            ),
            models.CheckConstraint(
                condition=Q(realised_hours_per_year__lte=MAX_HOURS_PER_YEAR),
                name="project_realised_benefit_plausible",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-last_activity_at"]),
            models.Index(fields=["-last_activity_at"]),
            models.Index(fields=["title"]),
            # The portfolio sorted by target date or status: each sort's own order, so the
            # first page is read without sorting every project (docs/performance.md: EXPLAIN).
            models.Index(fields=["target_date", "-id"]),
            models.Index(fields=["status", "-id"]),
            # The strategy page counts projects by the quarter they ended in.
            models.Index(fields=["ended_on"]),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        adding = self._state.adding
        fields = kwargs.get("update_fields")
        if fields is None or "status" in fields:
            self._keep_ended_on()
            if fields is not None:
                kwargs["update_fields"] = {*fields, "ended_on"}
        super().save(*args, **kwargs)
        if not adding and (fields is None or "lead" in fields or "lead_id" in fields):
            # The lead may have changed: the updates' department follows (ProjectUpdate).
            self.updates.follow_leads()

    def get_absolute_url(self):
        return reverse("projects:detail", args=[self.pk])

    def _keep_ended_on(self):
        if self.status in (self.Status.DONE, self.Status.DROPPED):
            if self.ended_on is None:
                self.ended_on = timezone.localdate()
        else:
            self.ended_on = None

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    @property
    def is_stale(self):
        return self.is_open and self.last_activity_at < timezone.now() - STALE_AFTER
