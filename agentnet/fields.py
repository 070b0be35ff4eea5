"""{% load fields %}{% field form.x %}: a form field as the site's forms show it (label,
input, help text and the errors beside it, tied to it for screen readers), drawn in Python.

For filter bars and tables with a field in every row: crispy-forms draws each field
through some ten templates, which made up most of an assessment page with twenty fields
and much of the lists with filters."""

from django import forms, template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag
def field(bound_field):
    widget = bound_field.field.widget
    checkbox = isinstance(widget, forms.CheckboxInput)
    if checkbox:
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    attrs = {}
    described_by = []
    help_html = errors_html = ""
    if bound_field.help_text:
        help_id = f"{bound_field.auto_id}_helptext"
        described_by.append(help_id)
        help_html = format_html('<div id="{}" class="form-text">{}</div>', help_id,
                                bound_field.help_text)
    if bound_field.errors:
        error_id = f"{bound_field.auto_id}_error"
        described_by.append(error_id)
        css += " is-invalid"
        attrs["aria-invalid"] = "true"
        errors_html = format_html(
            '<div id="{}" class="invalid-feedback">{}</div>',
            error_id,
            format_html_join("", "<p><strong>{}</strong></p>", ((e,) for e in bound_field.errors)),
        )
    attrs["class"] = css
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    widget_html = bound_field.as_widget(attrs=attrs)
    if checkbox:
        return format_html(
            '<div class="mb-3 form-check">{}<label for="{}" class="form-check-label">{}</label>'
            "{}{}</div>",
            widget_html, bound_field.id_for_label, bound_field.label, errors_html, help_html,
        )
    return format_html(
        '<div class="mb-3"><label for="{}" class="form-label">{}</label>{}{}{}</div>',
        bound_field.id_for_label, bound_field.label, widget_html, errors_html, help_html,
    )
