"""The IT systems and who to ask about them: a right is one person's role for one system."""

from django.conf import settings
from django.db import models
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agents.models.people import User, first_by_name


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
        "agents.Department",
        verbose_name=_("owning department"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_systems",
    )
    description = models.TextField(_("description"), max_length=4000, blank=True)
    people = models.ManyToManyField(User, through="SystemRole", related_name="systems")
    # Set for a system read from OS2kitos (agents/kitos): the municipality's usage of it there.
    # Its name, vendor, description, superusers and IT contact then come from KITOS.
    kitos_uuid = models.UUIDField(
        _("KITOS usage"), null=True, blank=True, unique=True, editable=False
    )
    # A system deleted in KITOS is kept, so that its projects keep their history.
    in_use = models.BooleanField(_("in use"), default=True)

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

    @property
    def from_kitos(self):
        return self.kitos_uuid is not None

    def kitos_url(self):
        """The system's page in KITOS, or "" when it is not read from there."""
        if self.kitos_uuid is None or not settings.KITOS_URL:
            return ""
        return f"{settings.KITOS_URL}/ui/it-systems/it-system-usages/{self.kitos_uuid}"

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


class KitosRun(models.Model):
    """One run of the sync with OS2kitos (agents/kitos/sync.py): when, what it changed, or why
    it failed. A run that failed changed nothing. The last successful run's cursors are where
    the next incremental run starts."""

    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"))
    full = models.BooleanField(_("full run"), default=False)
    succeeded = models.BooleanField(_("succeeded"), default=False)
    error = models.TextField(_("error"), blank=True)
    created = models.PositiveIntegerField(_("systems created"), default=0)
    updated = models.PositiveIntegerField(_("systems updated"), default=0)
    retired = models.PositiveIntegerField(_("systems no longer in use"), default=0)
    roles_added = models.PositiveIntegerField(_("roles added"), default=0)
    roles_removed = models.PositiveIntegerField(_("roles removed"), default=0)
    # The largest lastModified of the usages read, and the latest deletion read.
    cursor = models.DateTimeField(_("changes read up to"), null=True, blank=True)
    deletions_cursor = models.DateTimeField(_("deletions read up to"), null=True, blank=True)
    # Role holders in KITOS with no AgentNet user of the same e-mail address: for the
    # facilitator to create or correct, never created by the sync. Each is a dict of
    # usage (uuid), system, role ("superuser"/"it_contact"), name and email.
    unknown_holders = models.JSONField(_("role holders not found"), default=list, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        get_latest_by = ["started_at", "pk"]
        verbose_name = _("KITOS run")
        verbose_name_plural = _("KITOS runs")

    def __str__(self):
        return f"KITOS {self.started_at:%Y-%m-%d %H:%M}"

    def unknown_superusers(self):
        return [h for h in self.unknown_holders if h["role"] == SystemRole.Role.SUPERUSER]

    def unknown_it_contacts(self):
        return [h for h in self.unknown_holders if h["role"] == SystemRole.Role.IT_CONTACT]
