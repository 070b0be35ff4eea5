import unicodedata

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from agentnet.widgets import JINJA2_RENDERER
from agents import handover, services, sso
from agents.models import NAME_MAX, Agent, Department, Location, ManagerChange, System, User
from agents.permissions import MANAGER


class AgentProfileForm(forms.ModelForm):
    """The fields an agent keeps up to date about themselves."""

    first_name = forms.CharField(label=_("first name"), max_length=NAME_MAX)
    last_name = forms.CharField(label=_("last name"), max_length=NAME_MAX)

    class Meta:
        model = Agent
        fields = ["title", "phone", "location", "time_share", "bio"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.instance.user
        self.fields["first_name"].initial = user.first_name
        self.fields["last_name"].initial = user.last_name
        self.order_fields(["first_name", "last_name"])

    @transaction.atomic
    def save(self, commit=True):
        agent = super().save(commit=False)
        agent.user.first_name = self.cleaned_data["first_name"]
        agent.user.last_name = self.cleaned_data["last_name"]
        if commit:
            agent.user.save(update_fields=["first_name", "last_name"])
            agent.save()
        return agent


class ManagerField:
    """For a ModelForm of Agent with the manager field: the signed-in user (`changed_by`)
    cannot choose themselves (said beside the field), and a new manager is set by
    services.change_manager(), which keeps the change and mails the agent, not by saving
    the form's instance."""

    changed_by = None
    how = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # With the manager from HR's data at each single sign-on, no form sets it.
        if "manager" in self.fields and sso.manager_from_provider():
            self.fields["manager"].disabled = True
            self.fields["manager"].help_text = _(
                "Set from HR's data when the agent signs in with their work account."
            )

    def clean_manager(self):
        manager = self.cleaned_data["manager"]
        if self.manager_changes(manager):
            services.check_manager(manager, by=self.changed_by, agent=self.instance)
        return manager

    def manager_changes(self, manager):
        return self.initial.get("manager") != (manager.pk if manager else None)

    def keep_manager(self):
        """Put the agent's present manager back on the instance before it is saved; returns
        the chosen one, for change_manager() once the agent is saved."""
        chosen = self.cleaned_data.get("manager")
        self.instance.manager_id = self.initial.get("manager")
        return chosen


class AgentAssignmentForm(ManagerField, AgentProfileForm):
    """The facilitator's version: also department, manager and whether the agent is active."""

    how = ManagerChange.How.PORTAL

    class Meta(AgentProfileForm.Meta):
        fields = [*AgentProfileForm.Meta.fields, "department", "manager", "is_active"]

    def __init__(self, *args, changed_by, **kwargs):
        super().__init__(*args, **kwargs)
        self.changed_by = changed_by

    @transaction.atomic
    def save(self, commit=True):
        manager = self.keep_manager()
        agent = super().save(commit=commit)
        if commit:
            services.change_manager(agent, manager, by=self.changed_by, how=self.how)
        return agent


class AgentAdminForm(ManagerField, forms.ModelForm):
    """The admin's form of an agent (on its own and inline on its user's page); the admin
    sets `changed_by` on the class it makes for each request."""

    how = ManagerChange.How.ADMIN

    class Meta:
        model = Agent
        fields = ["user", "title", "department", "location", "manager", "time_share", "joined",
                  "phone", "bio", "is_active"]

    def save(self, commit=True):
        manager = self.keep_manager() if "manager" in self.fields else None
        agent = super().save(commit=commit)
        if "manager" not in self.fields:
            return agent
        if commit:
            # An inline form saves itself.
            services.change_manager(agent, manager, by=self.changed_by, how=self.how)
        else:
            # The admin saves the agent (ModelAdmin.save_model), then sets this one.
            self.chosen_manager = manager
        return agent


class DirectorySearchForm(forms.Form):
    """Filters of the agent directory. Unknown ids are refused, not ignored silently."""

    q = forms.CharField(label=_("Name"), max_length=100, required=False)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.all(), required=False,
        empty_label=_("All departments"),
    )
    location = forms.ModelChoiceField(
        label=_("Town"), queryset=Location.objects.all(), required=False,
        empty_label=_("All towns"),
    )
    system = forms.ModelChoiceField(
        label=_("Superuser of"), queryset=System.objects.only("name"), required=False,
        empty_label=_("All systems"),
    )

    def filter(self, queryset):
        if not self.is_valid():
            return queryset.none()
        data = self.cleaned_data
        if data["q"]:
            for word in data["q"].split():
                queryset = queryset.filter(
                    Q(user__first_name__icontains=word) | Q(user__last_name__icontains=word)
                )
        if data["department"]:
            queryset = queryset.filter(department=data["department"])
        if data["location"]:
            queryset = queryset.filter(location=data["location"])
        if data["system"]:
            queryset = queryset.filter(
                user__system_roles__system=data["system"],
                user__system_roles__role="superuser",
            ).distinct()
        return queryset


class SystemSearchForm(forms.Form):
    q = forms.CharField(label=_("System"), max_length=100, required=False)


class DepartmentFilterForm(forms.Form):
    """The department list's filter bar: with nothing asked the list is whole; a kind that
    does not exist shows no rows and the error beside its field."""

    q = forms.CharField(label=_("Name"), max_length=100, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Line and staff")), *Department.Kind.choices],
        required=False,
    )

    def filter(self, queryset):
        if not self.is_bound:
            return queryset
        if not self.is_valid():
            return queryset.none()
        if self.cleaned_data["q"]:
            queryset = queryset.filter(name__icontains=self.cleaned_data["q"])
        if self.cleaned_data["kind"]:
            queryset = queryset.filter(kind=self.cleaned_data["kind"])
        return queryset


class AgentImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Semicolon- or comma-separated, UTF-8 or Windows-1252, first row is the header."
        ),
    )



class HandOverForm(forms.Form):
    """Whom a person's roles go to, and which of them."""

    # The successor is chosen among everyone who can sign in: a select of 300 people.
    default_renderer = JINJA2_RENDERER

    # The choices are everyone who can sign in, read as names rather than as model objects:
    # a network of 300 people is 300 options, and a page's cost should not grow with them.
    successor = forms.TypedChoiceField(
        label=_("Hand over to"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Projects can only go to an agent, and agents only to a manager."),
    )
    parts = forms.MultipleChoiceField(
        label=_("What to hand over"), widget=forms.CheckboxSelectMultiple, required=False
    )
    leaves = forms.BooleanField(
        label=_("The person leaves: close the agent profile and the sign-in"),
        help_text=_(
            "They are no longer listed among the agents and can no longer sign in. What they "
            "did stays in the history."
        ),
        required=False,
    )

    def __init__(self, *args, person, holdings, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.by = by
        people = (
            User.objects.filter(is_active=True)
            .exclude(pk=person.pk)
            .order_by("first_name", "last_name", "username")
            .values_list("pk", "first_name", "last_name", "username", "agent__department__name")
        )
        # Two people of the same name are told apart by their department, where they are
        # agents.
        choices = [("", "---------")]
        for pk, first, last, username, department in people:
            name = User.display_name(first, last, username)
            choices.append((pk, f"{name} ({department})" if department else name))
        self.fields["successor"].choices = choices
        parts = [
            (holding.part.key, f"{holding.part.label} ({len(holding)})")
            for holding in holdings.nonempty()
        ]
        if parts:
            self.fields["parts"].choices = parts
            self.fields["parts"].initial = [key for key, _label in parts]
        else:
            del self.fields["successor"], self.fields["parts"]
        agent = getattr(person, "agent", None)
        if agent is None or not agent.is_active:
            del self.fields["leaves"]

    @property
    def has_work(self):
        """False when the person holds nothing and has no active agent profile."""
        return bool(self.fields)

    def clean_successor(self):
        pk = self.cleaned_data["successor"]
        if pk is None:
            return None
        successor = User.objects.filter(pk=pk, is_active=True).select_related("agent").first()
        if successor is None:
            raise forms.ValidationError(
                _("This person can no longer sign in. Choose someone else."), code="inactive"
            )
        return successor

    def clean(self):
        data = super().clean()
        parts = set(data.get("parts", []))
        successor = data.get("successor")
        if not parts and not data.get("leaves"):
            # Beside the first choice the form offers (none for a person who holds nothing).
            field = next((name for name in ("parts", "leaves") if name in self.fields), None)
            self.add_error(
                field, forms.ValidationError(_("Choose at least one thing to do."), code="nothing")
            )
        if not parts or "successor" in self.errors:
            return data
        if successor is None:
            self.add_error(
                "successor",
                forms.ValidationError(_("Choose who takes over."), code="required"),
            )
            return data
        refused = []
        if any(handover.PARTS[key].needs_agent for key in parts) and not (
            Agent.objects.active().filter(user=successor).exists()
        ):
            refused.append((
                "not_agent",
                _("%(name)s is not an active agent and cannot take over projects. Choose an "
                  "agent, or leave the projects out."),
            ))
        if handover.MANAGED_AGENTS in parts and not successor.groups.filter(name=MANAGER).exists():
            refused.append((
                "not_manager",
                _("%(name)s is not a manager and cannot take over the agents. Choose a "
                  "manager, or leave the agents out."),
            ))
        if handover.MANAGED_AGENTS in parts and successor == self.by:
            refused.append((
                "self_manager",
                _("You cannot make yourself the manager of the agents. Choose someone else, "
                  "or leave the agents out."),
            ))
        for code, message in refused:
            self.add_error(
                "successor",
                forms.ValidationError(message, code=code, params={"name": successor}),
            )
        return data


class SignInForm(AuthenticationForm):
    """Django sets the user name's max_length after building the field, so it is never
    validated; an over-long name would reach django-axes and overflow its column."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        # With single sign-on only, the work account is the way in; superusers keep their
        # password for when the identity provider is down.
        if settings.SSO_ONLY and not user.is_superuser:
            raise forms.ValidationError(_("Sign in with your work account."), code="sso_only")


def _same_address(first, second):
    """E-mail addresses compared as Django's reset form compares them: Unicode-normalised and
    case-folded, so that a look-alike address gets no link."""
    def fold(address):
        return unicodedata.normalize("NFKC", address).casefold()

    return fold(first) == fold(second)


class PasswordResetRequestForm(PasswordResetForm):
    """Asks for a link to choose a new password. Unlike Django's form, it also answers an
    account that waits for its first password (an imported agent): the link is how they
    choose it. Not an account whose password sign-in was switched off, nor a closed one, and
    not an account that was sent a link less than User.RESET_MAIL_INTERVAL ago (the page
    that follows reads the same either way)."""

    def get_users(self, email):
        users = User.objects.filter(email__iexact=email, is_active=True)
        return (
            user for user in users
            if (user.has_usable_password() or user.awaits_first_password)
            and _same_address(email, user.email)
            and user.claim_reset_mail()
        )

    def send_mail(self, subject_template_name, email_template_name, context, from_email,
                  to_email, html_email_template_name=None):
        """Written now (the link's token is made in this request), sent by a task."""
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        services.send_password_link.enqueue(subject, body, to_email)
