"""The network: departments, towns, the agents in them and who manages whom."""

from decimal import Decimal

from django.apps import apps
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Count, Prefetch, Q, Sum
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agents.models.people import User
from agents.models.systems import SystemRole

TITLE_MAX = 200
BIO_MAX = 2000
PHONE_MAX = 30


class DepartmentQuerySet(models.QuerySet):
    def without_agent(self):
        """Departments with no active agent: the network wants one in every area."""
        return self.exclude(agents__is_active=True)

    def coverage(self):
        """How many departments there are and how many of them have no active agent, in one
        query: {"total": …, "without_agent": …}."""
        has_agent = Agent.objects.active().filter(department=models.OuterRef("pk"))
        return self.aggregate(
            total=models.Count("pk"),
            without_agent=models.Count("pk", filter=~models.Exists(has_agent)),
        )

    def for_list(self, agents_shown):
        """The departments as their list shows them: each with the department it is part of,
        its number of active agents (agent_count) and the first `agents_shown` of them by
        name (shown_agents). A few names per department keep the page's cost flat as the
        network grows."""
        active = Agent.objects.active().select_related("user").order_by(
            "user__first_name", "user__last_name", "pk"
        )
        return (
            self.select_related("parent")
            .annotate(agent_count=Count("agents", filter=Q(agents__is_active=True)))
            .prefetch_related(
                Prefetch("agents", queryset=active[:agents_shown], to_attr="shown_agents")
            )
        )


class Department(models.Model):
    class Kind(models.TextChoices):
        LINE = "fag", _("Line department")
        STAFF = "stab", _("Staff department")

    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=4, choices=Kind, default=Kind.LINE)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    # The organisation unit in OS2kitos that is this department, once the sync has matched
    # them by name: a later rename on either side keeps the match.
    kitos_uuid = models.UUIDField(_("KITOS unit"), null=True, blank=True, unique=True)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="department_name_required"),
            models.CheckConstraint(condition=Q(kind__in=["fag", "stab"]), name="department_kind"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("agents:department", args=[self.pk])


class Location(models.Model):
    """A town (and address) where agents sit."""

    name = models.CharField(_("town"), max_length=80, unique=True)
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("town")
        verbose_name_plural = _("towns")
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="location_name_required"),
        ]

    def __str__(self):
        return self.name


class AgentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def for_list(self):
        """The agents with what a list of them shows: their users, departments and towns."""
        return self.select_related("user", "department", "location")

    def with_superuser_roles(self):
        """Each agent's user with the systems they are superuser of (superuser_roles)."""
        roles = SystemRole.objects.filter(role=SystemRole.Role.SUPERUSER).select_related("system")
        return self.prefetch_related(
            Prefetch("user__system_roles", queryset=roles, to_attr="superuser_roles")
        )

    def for_page(self):
        """An agent as their page shows them, with their roles for systems (all_system_roles).
        """
        roles = SystemRole.objects.select_related("system").order_by("system__name", "role")
        return self.select_related("user", "department", "location", "manager").prefetch_related(
            Prefetch("user__system_roles", queryset=roles, to_attr="all_system_roles")
        )

    def capacity(self):
        """Number of active agents and the sum of their time shares in percent."""
        return self.active().aggregate(agents=Count("pk"), percent=Sum("time_share", default=0))


phone_validator = RegexValidator(
    r"^\+?[0-9 ]{8,20}$",
    _("Enter a phone number of 8 to 20 digits; spaces and a leading + are allowed."),
    code="invalid_phone",
)


class Agent(models.Model):
    """A digital agent: a user's role in the network."""

    user = models.OneToOneField(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="agent"
    )
    title = models.CharField(_("job title"), max_length=TITLE_MAX)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="agents"
    )
    location = models.ForeignKey(
        Location, verbose_name=_("town"), on_delete=models.PROTECT, related_name="agents"
    )
    manager = models.ForeignKey(
        User,
        verbose_name=_("manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_agents",
        limit_choices_to={"groups__name": "Leder"},
    )
    time_share = models.PositiveSmallIntegerField(
        _("time as agent (%)"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("The share of working time spent as a digital agent, 0 to 100 percent."),
    )
    joined = models.DateField(_("joined the network"), default=timezone.localdate)
    phone = models.CharField(
        _("phone"), max_length=PHONE_MAX, blank=True, validators=[phone_validator]
    )
    bio = models.TextField(
        _("about me"),
        max_length=BIO_MAX,
        blank=True,
        help_text=_("What you work with and what colleagues can ask you about."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = AgentQuerySet.as_manager()

    class Meta:
        ordering = ["user__first_name", "user__last_name"]
        verbose_name = _("agent")
        verbose_name_plural = _("agents")
        constraints = [
            models.CheckConstraint(
                condition=Q(time_share__gte=0, time_share__lte=100), name="agent_time_share_pct"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="agent_title_required"),
            # SQLite does not enforce max_length, so the limits are checked explicitly.
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("title"), TITLE_MAX), name="agent_title_length"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("bio"), BIO_MAX), name="agent_bio_length"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("phone"), PHONE_MAX), name="agent_phone_length"
            ),
        ]
        indexes = [models.Index(fields=["is_active", "department"])]

    def __str__(self):
        return str(self.user)

    def save(self, *args, **kwargs):
        adding = self._state.adding
        super().save(*args, **kwargs)
        fields = kwargs.get("update_fields")
        if not adding and (fields is None or "department" in fields or "department_id" in fields):
            # The department may have changed: the updates of the projects this agent leads
            # follow (projects.ProjectUpdate.lead_department), and the coverage heatmaps of
            # the rounds the agent was assessed in count anew. Those apps build on this
            # one, hence get_model().
            updates = apps.get_model("projects", "ProjectUpdate").objects
            updates.filter(project__lead=self).follow_leads()
            rounds = apps.get_model("competencies", "MusRound").objects
            rounds.filter(assessments__agent=self).coverage_changed()

    def get_absolute_url(self):
        return reverse("agents:agent", args=[self.pk])

    @property
    def fte(self):
        return Decimal(self.time_share) / 100


class ManagerChange(models.Model):
    """Who became an agent's manager, instead of whom, by whom, when and how. The manager
    reads the agent's assessments, so every change is kept (agents.services.change_manager()
    writes it); the audit log of the competencies app builds on this app and cannot be used
    here."""

    class How(models.TextChoices):
        PORTAL = "portal", _("The agent's page in the portal")
        ADMIN = "admin", _("The admin")
        IMPORT = "import", _("CSV import")
        HAND_OVER = "hand_over", _("Hand-over of roles")
        SSO = "sso", _("HR's data at sign-in with the work account")

    agent = models.ForeignKey(
        Agent, verbose_name=_("agent"), on_delete=models.CASCADE, related_name="manager_changes"
    )
    previous = models.ForeignKey(
        User, verbose_name=_("previous manager"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )
    new = models.ForeignKey(
        User, verbose_name=_("new manager"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    changed_by = models.ForeignKey(
        User, verbose_name=_("changed by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    how = models.CharField(_("how"), max_length=16, choices=How)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("change of manager")
        verbose_name_plural = _("changes of manager")
        constraints = [
            models.CheckConstraint(
                condition=Q(how__in=["portal", "admin", "import", "hand_over", "sso"]),
                name="manager_change_how",
            ),
        ]

    def __str__(self):
        return f"{self.agent}: {self.previous or '–'} → {self.new or '–'}"
