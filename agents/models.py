from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.apps import apps
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import AbstractUser, Group
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Sum, Window
from django.db.models.functions import Length, RowNumber
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from agentnet.prepared import Prepared

TITLE_MAX = 200
BIO_MAX = 2000
PHONE_MAX = 30
NAME_MAX = 150

# The groups that give a role in AgentNet (agents.permissions asks for them).
FACILITATOR = "Facilitator"
MANAGER = "Leder"


@dataclass(frozen=True)
class Access:
    """What a signed-in user may act as: the roles their groups give, and their agent
    profile (None without one). See User.access."""

    roles: frozenset
    agent: "Agent | None"


class User(AbstractUser):
    """A person who signs in: an agent, a manager, the facilitator or an IT contact."""

    # Everyone is shown by name across the portal, so a name is required.
    REQUIRED_FIELDS = ["email", "first_name", "last_name"]

    class Meta(AbstractUser.Meta):
        ordering = ["first_name", "last_name", "username"]
        constraints = [
            models.CheckConstraint(condition=~Q(first_name=""), name="user_first_name_required"),
        ]

    # An account made without a password (an imported agent) waits for its person to choose
    # one by the link of "Glemt din adgangskode": unusable for signing in like Django's own,
    # but told apart from an account whose password sign-in the admin switched off.
    FIRST_PASSWORD = f"{UNUSABLE_PASSWORD_PREFIX}first-password:"

    # One link to choose a password per account in this time, however often the form asks:
    # the form answers anyone, and must not be a way to fill someone's inbox.
    RESET_MAIL_INTERVAL = timedelta(minutes=10)
    reset_mailed_at = models.DateTimeField(
        _("password link last sent"), null=True, blank=True, editable=False
    )

    def __str__(self):
        return self.name_of(self.first_name, self.last_name, self.username)

    def await_first_password(self):
        self.password = self.FIRST_PASSWORD + get_random_string(40)

    @cached_property
    def access(self):
        """The user's roles and agent profile, read together in one query the first time a
        request asks: most pages ask both, and the answer holds for the rest of the request.
        """

        def in_group(name):
            return Exists(Group.objects.filter(user=OuterRef("pk"), name=name))

        found = (
            User.objects.select_related("agent")
            .annotate(is_facilitator=in_group(FACILITATOR), is_manager=in_group(MANAGER))
            .filter(pk=self.pk)
            .first()
        )
        if found is None:  # deleted while the request ran
            return Access(roles=frozenset(), agent=None)
        roles = frozenset(
            role
            for role, held in ((FACILITATOR, found.is_facilitator), (MANAGER, found.is_manager))
            if held
        )
        agent = getattr(found, "agent", None)
        if agent is not None:
            agent.user = self
        return Access(roles=roles, agent=agent)

    @property
    def awaits_first_password(self):
        return self.password.startswith(self.FIRST_PASSWORD)

    def claim_reset_mail(self):
        """True, with the time noted, if no link to choose a password was mailed within
        RESET_MAIL_INTERVAL. One conditional UPDATE: of two requests at the same moment,
        one gets the mail."""
        now = timezone.now()
        claimed = (
            User.objects.filter(pk=self.pk)
            .filter(
                Q(reset_mailed_at__isnull=True)
                | Q(reset_mailed_at__lte=now - self.RESET_MAIL_INTERVAL)
            )
            .update(reset_mailed_at=now)
        )
        return claimed == 1

    @staticmethod
    def name_of(first_name, last_name, username):
        """How a person is shown, from the columns alone (lists of many names read only those);
        "" where an optional person is missing (all three None)."""
        if username is None:
            return ""
        return f"{first_name} {last_name}".strip() or username


def name_columns(relation):
    """The columns User.name_of() takes, read through `relation` (e.g. "owner")."""
    return tuple(f"{relation}__{column}" for column in ("first_name", "last_name", "username"))


NAME_COLUMNS = name_columns("user")


def first_by_name(queryset, groups, count):
    """The first `count` rows of each group (the columns `groups`) by the person's name,
    ordered by group and then name: one query, however many groups."""
    return (
        queryset.annotate(
            place=Window(
                RowNumber(),
                partition_by=[F(column) for column in groups],
                order_by=[F("user__first_name"), F("user__last_name"), F("pk")],
            )
        )
        .filter(place__lte=count)
        .order_by(*groups, "place")
    )


class DepartmentQuerySet(models.QuerySet):
    def without_agent(self):
        """Departments with no active agent: the network wants one in every area."""
        return self.exclude(agents__is_active=True)

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


class SystemQuerySet(models.QuerySet):
    def for_list(self, names_shown):
        """The systems as their list shows them: with the owning department, the number of
        superusers and IT contacts (superuser_count, it_contact_count) and the first
        `names_shown` of each by name (role_list). A few names per role keep the page's cost
        flat however many superusers a system has."""
        superuser, it_contact = SystemRole.Role.SUPERUSER, SystemRole.Role.IT_CONTACT
        first = first_by_name(
            SystemRole.objects.filter(role__in=[superuser, it_contact]).select_related("user"),
            ["system_id", "role"],
            names_shown,
        )
        return (
            self.select_related("owner_department")
            .annotate(
                superuser_count=Count("roles", filter=Q(roles__role=superuser)),
                it_contact_count=Count("roles", filter=Q(roles__role=it_contact)),
            )
            .prefetch_related(Prefetch("roles", queryset=first, to_attr="role_list"))
        )

    def for_page(self):
        """A system as its page shows it: the owning department and the people in its roles
        (role_list, by role and name, with their agent profiles)."""
        roles = SystemRole.objects.select_related("user", "user__agent").order_by(
            "role", "user__first_name", "user__last_name"
        )
        return self.select_related("owner_department").prefetch_related(
            Prefetch("roles", queryset=roles, to_attr="role_list")
        )


class System(models.Model):
    """An IT system or fagsystem, with the people to ask about it."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    vendor = models.CharField(_("vendor"), max_length=120, blank=True)
    owner_department = models.ForeignKey(
        Department,
        verbose_name=_("owning department"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_systems",
    )
    description = models.TextField(_("description"), max_length=4000, blank=True)
    people = models.ManyToManyField(User, through="SystemRole", related_name="systems")

    objects = SystemQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("system")
        verbose_name_plural = _("systems")
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="system_name_required"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("agents:system", args=[self.pk])

    def people_with(self, role):
        """People holding a role, from the system's role_list (SystemQuerySet)."""
        return [r for r in self.role_list if r.role == role]

    @property
    def superusers(self):
        return self.people_with(SystemRole.Role.SUPERUSER)

    @property
    def owners(self):
        return self.people_with(SystemRole.Role.OWNER)

    @property
    def it_contacts(self):
        return self.people_with(SystemRole.Role.IT_CONTACT)


class SystemRole(models.Model):
    """A right: one person holds one role for one system (superuser, system owner, IT contact)."""

    class Role(models.TextChoices):
        SUPERUSER = "superuser", _("Superuser")
        OWNER = "owner", _("System owner")
        IT_CONTACT = "it_contact", _("IT contact")

    system = models.ForeignKey(
        System, verbose_name=_("system"), on_delete=models.CASCADE, related_name="roles"
    )
    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="system_roles"
    )
    role = models.CharField(
        _("role"), max_length=16, choices=Role, default=Role.SUPERUSER
    )
    note = models.CharField(
        _("note"), max_length=200, blank=True, help_text=_("E.g. the module or area covered.")
    )

    class Meta:
        ordering = ["system__name", "role"]
        verbose_name = _("system role")
        verbose_name_plural = _("system roles")
        constraints = [
            models.UniqueConstraint(fields=["system", "user", "role"], name="system_role_unique"),
            models.CheckConstraint(
                condition=Q(role__in=["superuser", "owner", "it_contact"]), name="system_role_kind"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.system}"



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


class RoleChange(models.Model):
    """A role (the group Facilitator or Leder) given to or taken from a person, by whom,
    when and how. The identity provider's app roles set them at each single sign-on
    (agents.sso.set_roles()); every change is kept, as the changes of manager are."""

    class How(models.TextChoices):
        SSO = "sso", _("Sign-in with the work account")

    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="role_changes"
    )
    role = models.CharField(_("role"), max_length=150)
    added = models.BooleanField(_("given"), help_text=_("Given, or else taken away."))
    changed_by = models.ForeignKey(
        User, verbose_name=_("changed by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    how = models.CharField(_("how"), max_length=16, choices=How)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("change of role")
        verbose_name_plural = _("changes of role")
        constraints = [
            models.CheckConstraint(condition=Q(how__in=["sso"]), name="role_change_how"),
        ]

    def __str__(self):
        sign = "+" if self.added else "−"
        return f"{self.user}: {sign}{self.role}"

# Every department by name, as columns: the erfa-day's round and the heatmap list them all.
# Kept only until those apps read Department.objects themselves.
DEPARTMENT_NAMES = Prepared(
    Department, lambda: Department.objects.order_by("name").values_list("pk", "name")
)
