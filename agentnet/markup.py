"""HTML written in Python for the lists that a template would take long to write."""

from html import escape

from django.utils.safestring import SafeString


def escaped(value):
    """`value` as the template's autoescaping writes it: escaped by the standard library's
    html.escape (which Django's escape also uses), unless it is marked safe already."""
    return value if isinstance(value, SafeString) else escape(str(value))
