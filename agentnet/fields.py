"""{% load fields %}{% field form.x %}: a form field as the site's forms show it (label,
input, help text and the errors beside it, tied to it for screen readers), drawn in Python;
{% fields form %}: a whole form so, its errors that belong to no field first.

For filter bars, tables with a field in every row and the forms of the busiest pages:
crispy-forms draws each field through some ten templates, which made up most of an
assessment page with twenty fields and much of the lists with filters."""

from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from agentnet.markup import escaped

register = template.Library()


@register.simple_tag
def fields(form):
    errors = form.non_field_errors()
    html = [
        format_html(
            '<div class="alert alert-danger" role="alert">{}</div>',
            format_html_join("", "<p>{}</p>", ((e,) for e in errors)),
        )
        if errors
        else "",
        *(str(hidden) for hidden in form.hidden_fields()),
        *(field(bound_field) for bound_field in form.visible_fields()),
    ]
    return mark_safe("".join(html))  # noqa: S308 - each part is escaped where it is made


def _described(bound_field, errors_css="invalid-feedback"):
    """The ids of the field's help text and errors, and their HTML."""
    described_by = []
    help_html = errors_html = ""
    if bound_field.help_text:
        help_id = f"{bound_field.auto_id}_helptext"
        described_by.append(help_id)
        help_html = mark_safe(  # noqa: S308 - escaped here
            f'<div id="{escaped(help_id)}" class="form-text">{escaped(bound_field.help_text)}'
            "</div>"
        )
    if bound_field.errors:
        error_id = f"{bound_field.auto_id}_error"
        described_by.append(error_id)
        messages = "".join(f"<p><strong>{escaped(e)}</strong></p>" for e in bound_field.errors)
        errors_html = mark_safe(  # noqa: S308 - escaped here
            f'<div id="{escaped(error_id)}" class="{escaped(errors_css)}">{messages}</div>'
        )
    return " ".join(described_by), help_html, errors_html


def _choice_list(bound_field):
    """A fieldset of checkboxes or radio buttons, its label the legend; grouped choices are
    listed one after another, and a disabled field's boxes are disabled."""
    # Shown although no sibling input is marked invalid (Bootstrap hides it otherwise).
    described_by, help_html, errors_html = _described(bound_field, "invalid-feedback d-block")
    current = bound_field.value()
    chosen = {str(v) for v in (current if isinstance(current, list | tuple) else [current])}
    marks = ' aria-invalid="true"' if bound_field.errors else ""
    if bound_field.field.disabled:
        marks += " disabled"
    if described_by:
        marks += f' aria-describedby="{escaped(described_by)}"'
    kind, name = escaped(bound_field.field.widget.input_type), escaped(bound_field.html_name)
    invalid = " is-invalid" if bound_field.errors else ""
    boxes = []
    for index, (value, label) in enumerate(_flat(bound_field.field.choices)):
        box_id = escaped(f"{bound_field.auto_id}_{index}")
        checked = " checked" if str(value) in chosen else ""
        boxes.append(
            f'<div class="form-check"><input type="{kind}" name="{name}" value="{escaped(value)}"'
            f' id="{box_id}" class="form-check-input{invalid}"{checked}{marks}><label'
            f' for="{box_id}" class="form-check-label">{escaped(label)}</label></div>'
        )
    return mark_safe(  # noqa: S308 - every value and label escaped above
        f'<fieldset class="mb-3"><legend class="form-label fs-6">{escaped(bound_field.label)}'
        f"</legend>{''.join(boxes)}{errors_html}{help_html}</fieldset>"
    )


def _flat(choices):
    """The options of grouped choices one after another. (Django's flatten_choices() first
    asks whether there are any, which for a model's choices is a query of its own.)"""
    for value, label in choices:
        if isinstance(label, list | tuple):
            yield from label
        else:
            yield value, label


@register.simple_tag
def field(bound_field):
    widget = bound_field.field.widget
    if isinstance(widget, forms.RadioSelect):  # also CheckboxSelectMultiple
        return _choice_list(bound_field)
    checkbox = isinstance(widget, forms.CheckboxInput)
    if checkbox:
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    attrs = {}
    described_by, help_html, errors_html = _described(bound_field)
    if bound_field.errors:
        css += " is-invalid"
        attrs["aria-invalid"] = "true"
    attrs["class"] = css
    if described_by:
        attrs["aria-describedby"] = described_by
    widget_html = bound_field.as_widget(attrs=attrs)
    label = f'for="{escaped(bound_field.id_for_label)}"'
    # Written out rather than by format_html, whose check of every argument for lazy text
    # took longer than the escaping on a page of twenty fields.
    if checkbox:
        html = (
            f'<div class="mb-3 form-check">{widget_html}<label {label} class="form-check-label">'
            f"{escaped(bound_field.label)}</label>{errors_html}{help_html}</div>"
        )
    else:
        html = (
            f'<div class="mb-3"><label {label} class="form-label">{escaped(bound_field.label)}'
            f"</label>{widget_html}{errors_html}{help_html}</div>"
        )
    return mark_safe(html)  # noqa: S308 - the widget is Django's HTML, the rest escaped here
