"""Form widgets that every app's forms share."""

from django import forms


class DateInput(forms.DateInput):
    """The browser's own date picker: it reads and writes ISO dates, whatever the language."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)
