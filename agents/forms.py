from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agentnet.forms import options_from_columns
from agents.models import NAME_MAX, Agent, Department, Location, System


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


class AgentAssignmentForm(AgentProfileForm):
    """The facilitator's version: also department, manager and whether the agent is active."""

    class Meta(AgentProfileForm.Meta):
        fields = [*AgentProfileForm.Meta.fields, "department", "manager", "is_active"]


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
        label=_("Superuser of"), queryset=System.objects.all(), required=False,
        empty_label=_("All systems"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("department", "location", "system"):
            options_from_columns(self.fields[name], ["name"])

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


class AgentImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Semicolon- or comma-separated, UTF-8 or Windows-1252, first row is the header."
        ),
    )



class SignInForm(AuthenticationForm):
    """Django sets the user name's max_length after building the field, so it is never
    validated; an over-long name would reach django-axes and overflow its column."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))
