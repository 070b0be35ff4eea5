from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agentnet.widgets import JINJA2_RENDERER, DateInput
from competencies.models import (
    NOT_RELEVANT,
    Assessment,
    Competency,
    Course,
    DevelopmentGoal,
    Framework,
    MusRound,
)

# The assessment's page has a level select for every competency of the profile: Django's
# template engine writes each option through two templates of its own, which made the selects
# half of the page's time; its forms render through the Jinja2 form renderer instead.


def level_choices(levels):
    """The choices of a level field, given the framework's levels."""
    return [
        ("", _("Not answered")),
        *((level.value, f"{level.value} – {level.label}") for level in levels),
        (NOT_RELEVANT, _("Not relevant for my role")),
    ]


class RatingForm(forms.Form):
    """One competency's level and comment, for either the agent's or the manager's column."""

    level = forms.TypedChoiceField(label=_("Level"), coerce=int, required=False,
                                   empty_value=None)
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)

    default_renderer = JINJA2_RENDERER

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = choices


def rating_forms(ratings, data, *, side, choices):
    """A form per rating, prefixed by the rating's id, initialised from the given side."""
    forms_by_rating = []
    for rating in ratings:
        initial = {
            "level": getattr(rating, f"{side}_level"),
            "comment": getattr(rating, f"{side}_comment"),
        }
        form = RatingForm(data, prefix=f"r{rating.pk}", initial=initial, choices=choices)
        # Every row has the same labels; the competency's name tells a screen reader which.
        name = rating.competency.name
        form.fields["level"].widget.attrs["aria-label"] = _("Level: %(name)s") % {"name": name}
        # The scale's descriptions are read beside the choice (the assessment page's #scale).
        form.fields["level"].widget.attrs["aria-describedby"] = "scale"
        form.fields["comment"].widget.attrs["aria-label"] = _("Comment: %(name)s") % {
            "name": name
        }
        forms_by_rating.append((rating, form))
    return forms_by_rating


def foreign_ratings(data, ratings):
    """Ids of posted ratings that do not belong to this assessment."""
    own = {str(r.pk) for r in ratings}
    posted = {key[1:].split("-", 1)[0] for key in (data or {}) if key.startswith("r")
              and key.endswith("-level")}
    return posted - own


class AgentPartForm(forms.ModelForm):
    # Sending cannot be undone: the box must be ticked with "Send to manager" (checked in
    # the view, which knows the button; no script needed).
    confirm = forms.BooleanField(
        label=_("I am ready to send"), required=False,
        help_text=_("Tick it before “Send to manager”: once sent, your part is locked."),
    )

    class Meta:
        model = Assessment
        fields = ["strengths", "improve", "role_wishes", "education_wishes"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}


class ManagerPartForm(forms.ModelForm):
    confirm = forms.BooleanField(
        label=_("I am ready to close the assessment"), required=False,
        help_text=_("Tick it before “Save and close the assessment”: once closed, nothing "
                    "can be changed."),
    )

    class Meta:
        model = Assessment
        fields = ["mus_date", "manager_summary", "manager_private_note"]
        widgets = {
            "mus_date": DateInput(),
            "manager_summary": forms.Textarea(attrs={"rows": 3}),
            "manager_private_note": forms.Textarea(attrs={"rows": 3}),
        }


class GoalForm(forms.ModelForm):
    default_renderer = JINJA2_RENDERER

    class Meta:
        model = DevelopmentGoal
        fields = ["text", "competency", "action", "course", "deadline"]
        widgets = {"deadline": DateInput()}
        help_texts = {"course": _("The course the goal is reached through, if any.")}

    def __init__(self, *args, framework, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competency"].queryset = Competency.objects.of_framework(framework)
        self.fields["course"].queryset = Course.objects.all()
        self.fields["course"].empty_label = _("No course")

    def clean(self):
        cleaned = super().clean()
        # A course makes the goal one reached by a course, whatever "how" said.
        if cleaned.get("course"):
            cleaned["action"] = DevelopmentGoal.Action.COURSE
        return cleaned

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline and deadline < timezone.localdate():
            raise forms.ValidationError(
                _("The deadline cannot be in the past."), code="past_deadline"
            )
        return deadline


class TeamFilterForm(forms.Form):
    """The manager's list of assessments, narrowed to a round and a status (say, the ones sent
    and waiting for their view)."""

    round = forms.ModelChoiceField(
        label=_("Round"), queryset=MusRound.objects.order_by("-year"), required=False,
        empty_label=_("All rounds"),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *Assessment.Status.choices],
        required=False,
    )

    def filter(self, assessments):
        """The assessments chosen; with nothing asked, all of them; and none for a choice that
        is not valid (a round that does not exist), whose error shows beside its field."""
        if not self.is_bound:
            return assessments
        if not self.is_valid():
            return assessments.none()
        for name in ("round", "status"):
            if self.cleaned_data[name]:
                assessments = assessments.filter(**{name: self.cleaned_data[name]})
        return assessments


class GoalStatusForm(forms.Form):
    """The status of one agreed goal, which the manager updates at later talks."""

    # Left out of a post, the status stays as it is.
    status = forms.ChoiceField(
        label=_("Status"), choices=DevelopmentGoal.Status.choices, required=False,
    )
    default_renderer = JINJA2_RENDERER

    def __init__(self, *args, goal, **kwargs):
        super().__init__(*args, prefix=f"g{goal.pk}", initial={"status": goal.status}, **kwargs)
        self.goal = goal
        self.fields["status"].widget.attrs.update(
            {"class": "form-select form-select-sm", "aria-label": _("Status: %(goal)s")
             % {"goal": goal.text}}
        )


class OpenRoundForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    framework = forms.ModelChoiceField(
        label=_("Competency framework"), queryset=Framework.objects.filter(published=True)
    )

    def clean_year(self):
        year = self.cleaned_data["year"]
        if MusRound.objects.filter(year=year).exists():
            raise forms.ValidationError(_("There is already a MUS round for %(year)s."),
                                        code="exists", params={"year": year})
        return year
