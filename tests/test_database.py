"""How the portal talks to its database."""

import pytest
from django import forms
from django.db import connection

from competencies.models import Course

pytestmark = pytest.mark.django_db


def test_model_choices_are_read_without_a_server_side_cursor(monkeypatch):
    """On PostgreSQL a field's choices read through a server-side cursor cost four round
    trips (DECLARE, FETCH, FETCH, CLOSE) and a cursor held past the commit; a named cursor is
    such a cursor. (SQLite has none, so there the test shows nothing new.)"""
    Course.objects.create(name="Procesoptimering", provider="Akademiet")
    opened = []
    create_cursor = connection.create_cursor

    def recording(name=None):
        opened.append(name)
        return create_cursor(name)

    monkeypatch.setattr(connection, "create_cursor", recording)
    field = forms.ModelMultipleChoiceField(queryset=Course.objects.all())

    choices = list(field.choices)

    assert len(choices) == 1
    assert opened and all(name is None for name in opened)
