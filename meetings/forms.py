from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agentnet.widgets import DateInput
from agents.models import Agent, Location
from meetings.models import (
    MATERIAL_MAX_MB,
    MATERIAL_TYPES,
    Action,
    AgendaItem,
    Meeting,
    Speaker,
    TopicProposal,
)
from projects.models import Project


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["date", "start_time", "end_time", "location", "room", "theme"]
        widgets = {"date": DateInput(), "start_time": TimeInput(), "end_time": TimeInput()}

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error(
                "end_time",
                forms.ValidationError(_("The erfa-day must end after it starts."), code="order"),
            )
        day = data.get("date")
        if day:
            clash = Meeting.objects.filter(date=day).exclude(status=Meeting.Status.CANCELLED)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(
                    "date",
                    forms.ValidationError(
                        _("There is already an erfa-day on that date."), code="taken"
                    ),
                )
        return data


WEEKDAYS = [
    (0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")),
    (4, _("Friday")),
]
ORDINALS = [(1, _("first")), (2, _("second")), (3, _("third")), (4, _("fourth")), (-1, _("last"))]
MONTHS = [
    (1, _("January")), (2, _("February")), (3, _("March")), (4, _("April")), (5, _("May")),
    (6, _("June")), (7, _("July")), (8, _("August")), (9, _("September")), (10, _("October")),
    (11, _("November")), (12, _("December")),
]


class SeriesForm(forms.Form):
    """E.g. the first Thursday of every month, 9–15, except July."""

    ordinal = forms.TypedChoiceField(label=_("Which"), choices=ORDINALS, coerce=int, initial=1)
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=WEEKDAYS, coerce=int, initial=3)
    first_month = forms.DateField(
        label=_("From the month of"), widget=DateInput(),
        help_text=_("Any date in the first month."),
    )
    months = forms.IntegerField(label=_("Number of months"), min_value=1, max_value=24,
                                initial=12)
    skip_months = forms.TypedMultipleChoiceField(
        label=_("Except in"), choices=MONTHS, coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple, initial=[7],
    )
    start_time = forms.TimeField(label=_("Starts"), widget=TimeInput(), initial="09:00")
    end_time = forms.TimeField(label=_("Ends"), widget=TimeInput(), initial="15:00")
    location = forms.ModelChoiceField(label=_("Town"), queryset=Location.objects.all())
    room = forms.CharField(label=_("Room"), max_length=120, required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error(
                "end_time",
                forms.ValidationError(_("The erfa-day must end after it starts."), code="order"),
            )
        return data


def clean_material(file):
    """A newly uploaded material file must be of an allowed type and size; one already
    stored is left as it is."""
    if not isinstance(file, UploadedFile):
        return file
    extension = file.name.rpartition(".")[2].lower() if "." in file.name else ""
    if extension not in MATERIAL_TYPES:
        raise forms.ValidationError(
            _(
                "Upload a PDF, an office document (Word, Excel, PowerPoint or OpenDocument) "
                "or an image (PNG, JPEG, GIF or WebP)."
            ),
            code="file_type",
        )
    if file.size > MATERIAL_MAX_MB * 1024 * 1024:
        raise forms.ValidationError(
            _("The file is too large: at most %(limit)d MB."),
            code="file_size",
            params={"limit": MATERIAL_MAX_MB},
        )
    return file


class SavedMaterial:
    """A saved file as the file input shows it: its name, linking to the signed-in view
    that serves it (nothing serves /media/)."""

    def __init__(self, item):
        self.url = reverse("meetings:material", args=[item.pk])
        self.name = item.material_file.name.rpartition("/")[2]

    def __str__(self):
        return self.name


class MaterialInput(forms.ClearableFileInput):
    item = None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if context["widget"]["is_initial"] and self.item is not None:
            context["widget"]["value"] = SavedMaterial(self.item)
        return context


class AgendaItemAdminForm(forms.ModelForm):
    """The admin's agenda items take material on the same terms as the portal's form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        widget = MaterialInput()
        widget.item = self.instance if self.instance.pk else None
        self.fields["material_file"].widget = widget

    class Meta:
        model = AgendaItem
        fields = [
            "position", "section", "kind", "title", "duration", "presenter", "speaker",
            "description", "material_url", "material_file",
        ]

    def clean_material_file(self):
        return clean_material(self.cleaned_data.get("material_file"))


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = [
            "section", "kind", "title", "description", "duration", "presenter", "speaker",
            "projects", "material_url", "material_file",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = Agent.objects.active().select_related("user")
        self.fields["speaker"].queryset = Speaker.objects.all()
        self.fields["projects"].queryset = Project.objects.filter(
            status__in=Project.OPEN_STATUSES
        ).order_by("title")
        self.fields["projects"].widget.attrs["size"] = 6
        self.fields["material_file"].help_text = _(
            "PDF, office document or image, at most %(limit)d MB."
        ) % {"limit": MATERIAL_MAX_MB}

    def clean_material_file(self):
        return clean_material(self.cleaned_data.get("material_file"))

    def clean(self):
        data = super().clean()
        if data.get("presenter") and data.get("speaker"):
            self.add_error(
                "speaker",
                forms.ValidationError(
                    _("Choose either an agent or an external speaker, not both."),
                    code="two_presenters",
                ),
            )
        return data


class MinutesForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["notes", "decisions"]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 6}),
            "decisions": forms.Textarea(attrs={"rows": 3}),
        }


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ["text", "owner", "deadline", "done"]
        widgets = {"deadline": DateInput()}


ActionFormSet = forms.inlineformset_factory(
    AgendaItem, Action, form=ActionForm, extra=2, can_delete=True, max_num=50
)


class SpeakerForm(forms.ModelForm):
    class Meta:
        model = Speaker
        fields = ["name", "organisation", "email", "topic"]


class ProposalForm(forms.ModelForm):
    class Meta:
        model = TopicProposal
        fields = ["kind", "title", "description"]
        widgets = {"kind": forms.RadioSelect, "description": forms.Textarea(attrs={"rows": 4})}


class PlaceProposalForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("Erfa-day"),
        queryset=Meeting.objects.exclude(status__in=["held", "cancelled"]).order_by("date"),
    )


class ArchiveSearchForm(forms.Form):
    q = forms.CharField(label=_("Topic"), max_length=100, required=False)


class ConfirmForm(forms.Form):
    """The step before an action that cannot be undone: the box must be ticked, so a click
    by mistake (or a POST without it) changes nothing."""

    confirm = forms.BooleanField(
        required=True,
        error_messages={"required": _("Tick the box to confirm, or go back.")},
    )

    def __init__(self, *args, label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = label
