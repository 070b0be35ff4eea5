import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agents.models import Agent, Department, Location

# A self or manager level of 0 means "not relevant for my role".
NOT_RELEVANT = 0


class Framework(models.Model):
    """A versioned competency profile. A published version is frozen: new wording makes a
    new version, and assessments keep the words they were made with."""

    name = models.CharField(_("name"), max_length=200)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    published = models.BooleanField(_("published"), default=False)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("competency framework")
        verbose_name_plural = _("competency frameworks")
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="framework_version_unique")
        ]

    def __str__(self):
        return f"{self.name} (v{self.version})"

    def get_absolute_url(self):
        return reverse("competencies:framework", args=[self.pk])


class Area(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="areas")
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["framework", "position", "pk"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self):
        return self.name


class CompetencyQuerySet(models.QuerySet):
    def of_framework(self, framework):
        """A framework's competencies in their order, each with its area."""
        return self.filter(area__framework=framework).select_related("area")


class Competency(models.Model):
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="competencies")
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = CompetencyQuerySet.as_manager()

    class Meta:
        ordering = ["area__position", "position", "pk"]
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")

    def __str__(self):
        return self.name


class Level(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="levels")
    value = models.PositiveSmallIntegerField(
        _("value"), validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    label = models.CharField(_("label"), max_length=60)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        ordering = ["framework", "value"]
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        constraints = [
            models.UniqueConstraint(fields=["framework", "value"], name="level_unique"),
            models.CheckConstraint(condition=Q(value__gte=1, value__lte=9), name="level_range"),
        ]

    def __str__(self):
        return f"{self.value} {self.label}"


class Course(models.Model):
    name = models.CharField(_("name"), max_length=200)
    provider = models.CharField(_("provider"), max_length=150, blank=True)
    ects = models.DecimalField(_("ECTS"), max_digits=4, decimal_places=1, null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("link"), blank=True)
    builds = models.CharField(
        _("builds"), max_length=300, blank=True,
        help_text=_("The competencies the course builds, by name."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self):
        return self.name


class MusRoundQuerySet(models.QuerySet):
    def open(self):
        """The rounds agents still answer in: this year's or a later year's."""
        return self.filter(year__gte=timezone.localdate().year)

    def coverage_changed(self):
        """What these rounds' coverage heatmaps count may have changed: a new version of
        each (MusRound.coverage_version). One query."""
        return self.update(coverage_version=uuid.uuid4())


class MusRound(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="rounds")
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    # By when the agents send their self-assessments and the talks are held: the daily
    # digest reminds of it (agentnet/due.py).
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    # A new value whenever what the coverage heatmap counts may have changed: a batch of
    # assessments let into it (Assessment.in_coverage), or an agent's department
    # (Agent.save()). The heatmap's counts are kept in the cache under it
    # (competencies/services.py: coverage()).
    coverage_version = models.UUIDField(default=uuid.uuid4, editable=False)

    objects = MusRoundQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("MUS round")
        verbose_name_plural = _("MUS rounds")

    def __str__(self):
        return self.name_of(self.year)

    @staticmethod
    def name_of(year):
        return _("MUS %(year)s") % {"year": year}


class AssessmentQuerySet(models.QuerySet):
    def for_page(self):
        """With what an assessment's page and MUS pack show around the answers: the agent,
        their department, the round and the framework."""
        return self.select_related("agent__user", "agent__department", "round", "framework")

    def for_team_list(self):
        """A row per agent and round in a manager's list: only the columns it shows, not the
        assessments' texts."""
        return self.select_related("agent__user", "agent__department", "round").only(
            "status", "agent__user__first_name", "agent__user__last_name",
            "agent__user__username", "agent__department__name", "round__year",
        )


class Assessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent to manager")
        REVIEWED = "reviewed", _("Reviewed")
        CLOSED = "closed", _("Closed")

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="assessments")
    round = models.ForeignKey(MusRound, on_delete=models.PROTECT, related_name="assessments")
    # The manager of this round: the agent's manager when the self-assessment is sent (and,
    # until then, when the round opened). Only they see the assessment, so a later manager
    # does not inherit the reviews and private notes of earlier years.
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("manager of the round"),
        on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.DRAFT)
    # The agent's own words, in short: what the MUS talk is about besides the levels. Sent
    # with the levels, kept with the year's assessment.
    strengths = models.TextField(
        _("my strongest competency and why"), max_length=3000, blank=True
    )
    improve = models.TextField(_("what I want to get better at"), max_length=3000, blank=True)
    role_wishes = models.TextField(_("wishes for tasks and roles"), max_length=3000, blank=True)
    education_wishes = models.TextField(
        _("wishes for further education"), max_length=3000, blank=True,
        help_text=_("For example a diploma module."),
    )
    manager_summary = models.TextField(_("manager's comments"), max_length=3000, blank=True)
    # Seen by the manager only, never by the agent.
    manager_private_note = models.TextField(
        _("private note (the agent never sees it)"), max_length=3000, blank=True
    )
    mus_date = models.DateField(_("MUS date"), null=True, blank=True)
    # Courses chosen for the whole assessment, before a course belonged to a development goal
    # (DevelopmentGoal.course): kept and shown, no longer chosen here.
    courses = models.ManyToManyField(Course, verbose_name=_("courses"), blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The heatmap counts a sent self-assessment under the agent's department of the day it
    # was sent, and only once it is let in with at least MIN_GROUP - 1 others of that
    # department (services.send_to_manager()): see services.coverage() for why.
    coverage_department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    in_coverage = models.BooleanField(default=False)
    # The same, by town: the network's and the towns' coverage count a sent self-assessment
    # under the agent's town of the day it was sent, once at least MIN_GROUP - 1 others of
    # that town came in with it. Towns are big enough to say something where departments
    # are not.
    coverage_location = models.ForeignKey(
        Location, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    in_town_coverage = models.BooleanField(default=False)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-round__year"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(fields=["agent", "round"], name="assessment_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "sent", "reviewed", "closed"]),
                name="assessment_status_known",
            ),
        ]

    def __str__(self):
        return f"{self.agent} – {self.round}"

    def get_absolute_url(self):
        return reverse("competencies:assessment", args=[self.pk])


class RatingQuerySet(models.QuerySet):
    def in_framework_order(self):
        """As the profile lists its competencies, each rating with its competency and area."""
        return self.select_related("competency__area").order_by(
            "competency__area__position", "competency__position", "competency__pk"
        )


class Rating(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="ratings")
    self_level = models.PositiveSmallIntegerField(null=True, blank=True)
    self_comment = models.CharField(max_length=500, blank=True)
    manager_level = models.PositiveSmallIntegerField(null=True, blank=True)
    manager_comment = models.CharField(max_length=500, blank=True)

    objects = RatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "competency"], name="rating_unique"),
            models.CheckConstraint(condition=Q(self_level__lte=9), name="rating_self_range"),
            models.CheckConstraint(condition=Q(manager_level__lte=9), name="rating_mgr_range"),
        ]

    def __str__(self):
        return f"{self.assessment}: {self.competency}"


class DevelopmentGoal(models.Model):
    class Action(models.TextChoices):
        COURSE = "course", _("Course")
        TASK = "task", _("Task")
        MENTOR = "mentor", _("Mentor")
        PROJECT = "project", _("Project")

    class Status(models.TextChoices):
        OPEN = "open", _("Not started")
        RUNNING = "running", _("In progress")
        DONE = "done", _("Reached")
        DROPPED = "dropped", _("Dropped")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(_("goal"), max_length=300)
    competency = models.ForeignKey(
        Competency, verbose_name=_("competency"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )
    action = models.CharField(_("how"), max_length=16, choices=Action, default=Action.TASK)
    # The education a goal is reached through ("take the module …"). Courses chosen before
    # goals had one stay on the assessment (Assessment.courses) and are shown as before.
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="goals",
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.OPEN)
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("development goal")
        verbose_name_plural = _("development goals")

    def __str__(self):
        return self.text


class AuditEntry(models.Model):
    """Who looked at or changed an assessment, when. Read by administrators."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assessment = models.ForeignKey(
        Assessment, on_delete=models.SET_NULL, null=True, related_name="audit"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=40)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action}"
