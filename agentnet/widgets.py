"""Form widgets that every app's forms share."""

from django import forms
from django.forms.renderers import Jinja2


class DateInput(forms.DateInput):
    """The browser's own date picker: it reads and writes ISO dates, whatever the language."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ListSelect(forms.Select):
    """A select whose list can be long (every agent of the network): its template writes the
    options in one loop, where Django's own includes a template per option, which on a
    network of 300 agents cost more than the rest of the page. (The form renderer finds a
    widget's template in an app's templates/ folder: agentnet/templates/.)"""

    template_name = "agentnet/widgets/list_select.html"


# Django's Jinja2 form renderer draws the same widgets from Django's own Jinja2 copies of their
# templates, several times faster than the template engine: for forms with many selects or a
# select of everyone in the network. One instance, so its templates are loaded once, as
# FORM_RENDERER's are.
JINJA2_RENDERER = Jinja2()
