"""A stored text vector on each searchable table, for the search on PostgreSQL (nothing on
other databases).

Ranking a match reads its vector. Built from the text at every search (migration 0004's
indexes are on that expression), it took PostgreSQL longer than the rest of the search on
the large dataset (docs/performance.md). Each table now keeps its vector in a generated
column, search_vector, that PostgreSQL fills in on every insert and update. A GIN index on
that column takes the place of 0004's index. The ORM does not know the column: Django writes
and reads the rows as before, and only projects/search.py reads it.

A generated column fixes the type of the columns it reads. A later migration that changes
one of them (a longer title, say) must drop search_vector first and add it again after.
"""

from django.db import migrations

# table, 0004's index, the new index, the text searched
TABLES = [
    ("projects_project", "project_fts", "project_search", ["title", "summary", "benefit"]),
    ("projects_projectupdate", "projectupdate_fts", "projectupdate_search", ["text"]),
    ("projects_idea", "idea_fts", "idea_search", ["text"]),
    ("agents_system", "system_fts", "system_search", ["name", "description"]),
    ("agents_agent", "agent_fts", "agent_search", ["title", "bio"]),
]


def vector(fields):
    """The expression of 0004's indexes (SearchVector(*fields, config="danish"))."""
    text = " || ' ' || ".join(f"COALESCE({field}, '')" for field in fields)
    return f"to_tsvector('danish'::regconfig, {text})"


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, old_index, index, fields in TABLES:
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN search_vector tsvector"
            f" GENERATED ALWAYS AS ({vector(fields)}) STORED"
        )
        schema_editor.execute(f"CREATE INDEX {index} ON {table} USING gin (search_vector)")
        schema_editor.execute(f"DROP INDEX {old_index}")


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, old_index, index, fields in TABLES:
        schema_editor.execute(f"CREATE INDEX {old_index} ON {table} USING gin ({vector(fields)})")
        schema_editor.execute(f"DROP INDEX {index}")
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN search_vector")


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0006_round_indexes"),
        ("agents", "0002_groups"),
    ]

    operations = [migrations.RunPython(add, remove)]
