"""{% load fields %}{% field form.x %}: a form field as the site's forms show it (label,
input, the errors beside it and tied to it for screen readers), drawn in Python.

For tables with a field in every row: crispy-forms draws each field through some ten
templates, which made up most of an assessment page with twenty fields."""

from django import forms, template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag
def field(bound_field):
    widget = bound_field.field.widget
    css = "form-select" if isinstance(widget, forms.Select) else "form-control"
    attrs = {"class": css}
    errors = ""
    if bound_field.errors:
        error_id = f"{bound_field.auto_id}_error"
        attrs.update({"class": f"{css} is-invalid", "aria-invalid": "true",
                      "aria-describedby": error_id})
        errors = format_html(
            '<div id="{}" class="invalid-feedback">{}</div>',
            error_id,
            format_html_join("", "<p><strong>{}</strong></p>", ((e,) for e in bound_field.errors)),
        )
    return format_html(
        '<div class="mb-3"><label for="{}" class="form-label">{}</label>{}{}</div>',
        bound_field.id_for_label,
        bound_field.label,
        bound_field.as_widget(attrs=attrs),
        errors,
    )
