"""Form parts shared by the apps, written for pages that draw many fields."""

from html import escape

from django import forms
from django.utils.choices import BaseChoiceIterator
from django.utils.safestring import mark_safe

from agentnet.markup import escaped
from agentnet.models import MailChoice
from agentnet.prepared import Prepared


class ReadOnce(BaseChoiceIterator):
    """Choices made by `make` when first needed, then kept: a select reads its choices
    more than once while it is drawn."""

    def __init__(self, make):
        self.make = make
        self.made = None

    def __iter__(self):
        if self.made is None:
            self.made = self.make()
        return iter(self.made)


class QuickSelect(forms.Select):
    """A select whose (flat) options are written in one pass. Django renders every option via a
    template of its own: with the 300 agents of a large network that took a third of the
    portfolio page, and the level selects most of an assessment (docs/performance.md). The
    options are escaped by the standard library's escape, which Django's wraps (with a check
    for lazy text that costs more than the escaping itself)."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options = []
        for key, label in self.choices:
            selected = " selected" if str(key) in chosen else ""
            options.append(
                f'<option value="{escape(str(key))}"{selected}>'
                f"{escape(str(label))}</option>"
            )
        flat = _flat_attributes(self.build_attrs(self.attrs, attrs))
        html = f'<select name="{escaped(name)}"{flat}>\n' + "\n".join(options) + "\n</select>"
        return mark_safe(html)  # noqa: S308 - the name, attributes and options escaped here


def _flat_attributes(attrs):
    """As django.forms.utils.flatatt writes them (attributes with a value, then those that
    are True, each by name; False and None left out), without format_html_join."""
    valued = sorted((k, v) for k, v in attrs.items() if not isinstance(v, bool) and v is not None)
    flags = sorted(k for k, v in attrs.items() if v is True)
    return "".join(
        [*(f' {escaped(k)}="{escaped(v)}"' for k, v in valued), *(f" {escaped(k)}" for k in flags)]
    )


class FilterForm(forms.Form):
    """A list's filter bar, made from request.GET or None. Each chosen field narrows the list
    by its lookup in LOOKUPS (field name: lookup); with nothing asked the list is whole, and
    a value that is not valid (an id that does not exist) shows no rows and the error beside
    its field, rather than every row."""

    LOOKUPS = {}

    def filter(self, queryset):
        if not self.is_bound:
            return queryset
        if not self.is_valid():
            return queryset.none()
        for name, lookup in self.LOOKUPS.items():
            if self.cleaned_data[name]:
                queryset = queryset.filter(**{lookup: self.cleaned_data[name]})
        return queryset


def options_from_columns(field, columns, label=str, *, read=None):
    """Give a ModelChoiceField a QuickSelect whose options are read, when first drawn, as
    the pk and `columns` of the field's queryset and labelled by label(*columns): no model
    object per option, which for 300 agents cost more than the rest of the page. `read`,
    for a field whose queryset is the same on every form (its class's own), is the same
    read compiled once (option_rows())."""

    def options():
        rows = read.rows() if read else field.queryset.values_list("pk", *columns)
        empty = [] if field.empty_label is None else [("", field.empty_label)]
        return [*empty, *((pk, label(*rest)) for pk, *rest in rows)]

    field.widget = QuickSelect(attrs=field.widget.attrs, choices=ReadOnce(options))


def option_rows(queryset, columns):
    """The pk and `columns` of a field's queryset, read by a query compiled once
    (agentnet/prepared.py): for options_from_columns(read=…) on a filter bar that every
    view of a list draws."""
    return Prepared(queryset.model, lambda: queryset.values_list("pk", *columns))


class MailChoiceForm(forms.ModelForm):
    class Meta:
        model = MailChoice
        fields = [
            "digest", "language", "projects", "erfa_days", "self_assessments", "reviews",
            "goals", "actions", "weekly_summary",
        ]
