"""The people who sign in, and the roles their groups give them."""

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from agents.models.network import Agent

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
        return self.display_name(self.first_name, self.last_name, self.username)

    @staticmethod
    def display_name(first_name, last_name, username):
        """How a person is named: their full name, or their user name without one."""
        return f"{first_name} {last_name}".strip() or username

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
