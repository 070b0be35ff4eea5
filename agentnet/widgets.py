"""Form widgets that every app's forms share."""

from django import forms
from django.forms.renderers import Jinja2


class DateInput(forms.DateInput):
    """The browser's own date picker: it reads and writes ISO dates, whatever the language."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


# Django's Jinja2 form renderer draws the same widgets from Django's own Jinja2 copies of their
# templates, several times faster than the template engine: for forms with many selects or a
# select of everyone in the network. One instance, so its templates are loaded once, as
# FORM_RENDERER's are.
JINJA2_RENDERER = Jinja2()
