"""The form renderer (settings.FORM_RENDERER): Django's, except that it writes the simplest
widgets itself.

Django draws every widget through a template of its own plus the template of its
attributes; for the inputs and text areas of a form that is most of the work of drawing
it (a fifth of the assessment page, with its twenty fields). Those templates only place
the widget's name, value and attributes, so they are written here in Python, to the same
HTML (tests/test_renderers.py compares the two on generated widgets). Every other
widget template still goes through the template engine. No installed app overrides these
templates (the test checks that too): one that did would be passed over.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from agentnet.markup import escaped

WIDGETS = "django/forms/widgets/"
# The widget templates that are no more than an include of input.html.
INPUTS = {
    f"{WIDGETS}{kind}.html"
    for kind in (
        "input", "text", "email", "number", "date", "datetime", "time", "url", "password",
        "hidden", "search", "tel", "color", "checkbox",
    )
}
TEXTAREA = f"{WIDGETS}textarea.html"


def attributes(attrs):
    """As django/forms/widgets/attrs.html: False leaves an attribute out, True writes its
    name alone."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {escaped(name)}")
        if value is not True:
            parts.append(f'="{escaped(str(value))}"')
    return "".join(parts)


def input_html(widget):
    value = widget["value"]
    shown = "" if value is None else f' value="{escaped(str(value))}"'
    return (
        f'<input type="{escaped(widget["type"])}" '
        f'name="{escaped(widget["name"])}"{shown}{attributes(widget["attrs"])}>'
    )


def textarea_html(widget):
    value = widget["value"]
    text = escaped(value) if value else ""
    return (
        f'<textarea name="{escaped(widget["name"])}"{attributes(widget["attrs"])}>'
        f"\n{text}</textarea>"
    )


class Renderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name in INPUTS:
            return mark_safe(input_html(context["widget"]))  # noqa: S308 - escaped above
        if template_name == TEXTAREA:
            return mark_safe(textarea_html(context["widget"]))  # noqa: S308 - escaped above
        return super().render(template_name, context, request)
