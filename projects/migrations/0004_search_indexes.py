"""GIN indexes for the Danish full-text search on PostgreSQL (nothing on other databases).

Each index is built from the same SearchVector expression as projects/search.py, so PostgreSQL
can use it for the search page.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEXES = [
    ("projects", "project", "project_fts", ["title", "summary", "benefit"]),
    ("projects", "projectupdate", "projectupdate_fts", ["text"]),
    ("projects", "idea", "idea_fts", ["text"]),
    ("agents", "system", "system_fts", ["name", "description"]),
    ("agents", "agent", "agent_fts", ["title", "bio"]),
]


def _index(fields, name):
    return GinIndex(SearchVector(*fields, config="danish"), name=name)


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for app_label, model, name, fields in INDEXES:
        schema_editor.add_index(apps.get_model(app_label, model), _index(fields, name))


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for app_label, model, name, fields in INDEXES:
        schema_editor.remove_index(apps.get_model(app_label, model), _index(fields, name))


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0003_rollout_idea"),
        ("agents", "0002_groups"),
    ]

    operations = [migrations.RunPython(add, remove)]
