from django import forms
from django.utils.translation import gettext_lazy as _

from agentnet.widgets import JINJA2_RENDERER, DateInput
from agents.models import Agent, Department, System
from projects.models import Idea, Project, ProjectType, ProjectUpdate, Rollout, StrategyGoal
from projects.strategy import Period


class ProjectForm(forms.ModelForm):
    # The version the user started from; a different one in the database means someone else
    # saved in between.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Project
        fields = [
            "title",
            "summary",
            "lead",
            "status",
            "phase",
            "departments",
            "co_agents",
            "systems",
            "goals",
            "types",
            "start_date",
            "target_date",
            "hours_saved_per_year",
            "realised_hours_per_year",
            "benefit",
            "dpia_done",
            "journalised",
            "dpa_in_place",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "types": forms.CheckboxSelectMultiple,
            "start_date": DateInput(),
            "target_date": DateInput(),
        }

    def __init__(self, *args, lead=None, can_choose_lead=False, **kwargs):
        super().__init__(*args, **kwargs)
        agents = Agent.objects.active().select_related("user")
        self.fields["co_agents"].queryset = agents
        self.fields["departments"].queryset = Department.objects.all()
        self.fields["systems"].queryset = System.objects.all()
        self.fields["goals"].queryset = StrategyGoal.objects.all()
        self.fields["types"].queryset = ProjectType.objects.all()
        for name in ("departments", "co_agents", "systems", "goals"):
            self.fields[name].widget.attrs["size"] = 6
        if can_choose_lead:
            self.fields["lead"].queryset = agents
        else:
            del self.fields["lead"]
            if lead is not None and self.instance.lead_id is None:
                self.instance.lead = lead
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.fields["hours_saved_per_year"].help_text = _("At most 100,000 hours a year.")

    def clean(self):
        data = super().clean()
        start, target = data.get("start_date"), data.get("target_date")
        if start and target and target < start:
            self.add_error(
                "target_date",
                forms.ValidationError(
                    _("The target date must not be before the start date."), code="dates_order"
                ),
            )
        lead = data.get("lead") or getattr(self.instance, "lead", None)
        if lead is not None and lead in data.get("co_agents", []):
            self.add_error(
                "co_agents",
                forms.ValidationError(
                    _("The lead agent cannot also be a co-agent."), code="lead_is_co_agent"
                ),
            )
        return data


class UpdateForm(forms.ModelForm):
    class Meta:
        model = ProjectUpdate
        fields = ["kind", "text", "for_erfa"]
        widgets = {
            "kind": forms.RadioSelect,
            "text": forms.Textarea(attrs={"rows": 3}),
        }


class PortfolioFilterForm(forms.Form):
    """The portfolio's filters; an id that does not exist is an error, not an empty match."""

    # A select of every agent in the network: drawn by the Jinja2 form renderer, several
    # times faster than the template engine (agentnet/widgets.py).
    default_renderer = JINJA2_RENDERER

    SORTS = {
        "activity": ("-last_activity_at", _("Latest activity")),
        "title": ("title", _("Title")),
        "target": ("target_date", _("Target date")),
        "status": ("status", _("Status")),
    }

    q = forms.CharField(label=_("Title contains"), max_length=100, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *Project.Status.choices],
        required=False,
    )
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.all(), required=False,
        empty_label=_("All departments"),
    )
    type = forms.ModelChoiceField(
        label=_("Type"), queryset=ProjectType.objects.all(), required=False,
        empty_label=_("All types"),
    )
    system = forms.ModelChoiceField(
        label=_("System"), queryset=System.objects.all(), required=False,
        empty_label=_("All systems"),
    )
    goal = forms.ModelChoiceField(
        label=_("Strategy goal"), queryset=StrategyGoal.objects.all(), required=False,
        empty_label=_("All goals"),
    )
    agent = forms.ModelChoiceField(
        label=_("Agent"),
        # Only what an option shows of each of the network's agents: their name.
        queryset=Agent.objects.active()
        .select_related("user")
        .only("user__first_name", "user__last_name", "user__username"),
        required=False, empty_label=_("All agents"),
    )
    stale = forms.BooleanField(label=_("Only stale (no update for 60 days)"), required=False)
    # What a figure of the strategy page counts, so that its link lists exactly those
    # projects: kept through a new filter as hidden fields, and named above the list.
    period = forms.CharField(label=_("Under way in"), required=False, widget=forms.HiddenInput)
    started = forms.CharField(label=_("Started in"), required=False, widget=forms.HiddenInput)
    ended = forms.CharField(label=_("Ended in"), required=False, widget=forms.HiddenInput)
    benefit = forms.BooleanField(
        label=_("Counted in the benefit"), required=False, widget=forms.HiddenInput
    )
    lead_department = forms.ModelChoiceField(
        label=_("Lead agent's department"), queryset=Department.objects.all(), required=False,
        widget=forms.HiddenInput,
    )
    sort = forms.ChoiceField(
        label=_("Sort by"), choices=[(k, v[1]) for k, v in SORTS.items()], required=False,
    )

    def _clean_period(self, name):
        text = self.cleaned_data[name]
        if not text:
            return None
        period = Period.parse(text)
        if period is None:
            raise forms.ValidationError(
                _("Give a year (2026) or a quarter (2026-2)."), code="period"
            )
        return period

    def clean_period(self):
        return self._clean_period("period")

    def clean_started(self):
        return self._clean_period("started")

    def clean_ended(self):
        return self._clean_period("ended")

    def strategy_filters(self):
        """The hidden filters set by a link from the strategy page, with their values, to
        name above the list."""
        if not self.is_bound or not self.is_valid():
            return []
        return [
            (self.fields[name].label, self.cleaned_data[name])
            for name in ("period", "started", "ended", "benefit", "lead_department")
            if self.cleaned_data[name]
        ]

    def projects(self, projects=None):
        """The projects the filters choose from `projects` (by default, as the project
        table shows them): every project, latest activity first, when no filter is given."""
        if projects is None:
            projects = Project.objects.for_table()
        return self.filter(projects) if self.is_bound else projects.order_by("-last_activity_at")

    def filter(self, projects):
        if not self.is_valid():
            return projects.none()
        data = self.cleaned_data
        if data["q"]:
            projects = projects.filter(title__icontains=data["q"])
        if data["status"]:
            projects = projects.filter(status=data["status"])
        for name, lookup in [
            ("department", "departments"),
            ("type", "types"),
            ("system", "systems"),
            ("goal", "goals"),
        ]:
            if data[name]:
                projects = projects.filter(**{lookup: data[name]})
        if data["agent"]:
            projects = projects.of_agent(data["agent"])
        if data["stale"]:
            projects = projects.stale()
        for name, method in [("period", "active_in"), ("started", "started_in"),
                             ("ended", "ended_in")]:
            if data[name]:
                projects = getattr(projects, method)(data[name].first, data[name].last)
        if data["benefit"]:
            projects = projects.counting_benefit()
        if data["lead_department"]:
            projects = projects.filter(lead__department=data["lead_department"])
        order = self.SORTS[data["sort"] or "activity"][0]
        return projects.order_by(order, "-pk")


class RolloutRowForm(forms.Form):
    """One department in a project's rollout matrix; no status means not part of the rollout."""

    # A row per department, each with its selects (agentnet/widgets.py).
    default_renderer = JINJA2_RENDERER

    department = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Not part of the rollout")), *Rollout.Status.choices],
        required=False,
    )
    date = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    contact = forms.TypedChoiceField(label=_("Contact person"), coerce=int, required=False,
                                     empty_value=None)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, contact_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The choices are shared by every row so the page costs one query for them.
        self.fields["contact"].choices = contact_choices
        for name, field in self.fields.items():
            css = "form-select form-select-sm" if name in ("status", "contact") else (
                "form-control form-control-sm"
            )
            field.widget.attrs["class"] = css

    def full_clean(self):
        super().full_clean()
        # Bootstrap marks a field red only with this class on the widget.
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] += " is-invalid"


class BaseRolloutFormSet(forms.BaseFormSet):
    def __init__(self, *args, departments, **kwargs):
        self.departments = {d.pk: d for d in departments}
        super().__init__(*args, **kwargs)

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            pk = form.cleaned_data.get("department")
            if pk not in self.departments or pk in seen:
                raise forms.ValidationError(_("The list of departments has changed; reload."),
                                            code="departments")
            seen.add(pk)


RolloutFormSet = forms.formset_factory(
    RolloutRowForm, formset=BaseRolloutFormSet, extra=0, max_num=500, validate_max=True
)


class IdeaForm(forms.ModelForm):
    class Meta:
        model = Idea
        fields = ["text", "department", "occasion", "heard_on", "status", "shelved_reason"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3}), "heard_on": DateInput()}

    def clean(self):
        data = super().clean()
        if data.get("status") == Idea.Status.SHELVED and not data.get("shelved_reason"):
            self.add_error(
                "shelved_reason",
                forms.ValidationError(_("Say why the idea is put aside."), code="reason"),
            )
        if data.get("status") == Idea.Status.BECAME_PROJECT and not self.instance.project_id:
            self.add_error(
                "status",
                forms.ValidationError(
                    _("Use “Make this a project” to turn the idea into a project."),
                    code="no_project",
                ),
            )
        return data


class IdeaFilterForm(forms.Form):
    """The idea list's filters; an id that does not exist is an error beside its field and
    shows no ideas, rather than every idea."""

    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *Idea.Status.choices],
        required=False,
    )
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.all(), required=False,
        empty_label=_("All departments"),
    )

    def filter(self, ideas):
        if not self.is_bound:
            return ideas
        if not self.is_valid():
            return ideas.none()
        for name in ("status", "department"):
            if self.cleaned_data[name]:
                ideas = ideas.filter(**{name: self.cleaned_data[name]})
        return ideas


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, min_length=2, required=False)


class StrategyFilterForm(forms.Form):
    """The strategy page's filters. The lists of goals and departments are those the page
    has already read for its figures (one query each), so the choices cost no query."""

    period = forms.ChoiceField(label=_("Period"), required=False)
    goal = forms.TypedChoiceField(
        label=_("Strategy goal"), coerce=int, required=False, empty_value=None
    )
    department = forms.TypedChoiceField(
        label=_("Department"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, goals, departments, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = {g.pk: g for g in goals}
        self.departments = {d.pk: d for d in departments}
        self.fields["period"].choices = periods
        self.fields["goal"].choices = [("", _("All goals")), *((g.pk, str(g)) for g in goals)]
        self.fields["department"].choices = [
            ("", _("All departments")), *((d.pk, d.name) for d in departments)
        ]

    def chosen(self, default_period):
        """The period, goal and department chosen; the defaults where nothing (valid) is."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "period": Period.parse(data.get("period")) or default_period,
            "goal": self.goals.get(data.get("goal")),
            "department": self.departments.get(data.get("department")),
        }
