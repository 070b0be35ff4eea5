"""Covering indexes for the round of an erfa-day, from EXPLAIN on the benchmark's large network
(docs/performance.md): the round takes the updates of a month (about 3,000 there) in turns
per department of the project's lead, and PostgreSQL read each of those updates from the
table and every project whole to find its lead. With the columns it needs in the indexes
(INCLUDE) it reads neither table, only the two indexes (index-only scans). PostgreSQL only;
like migrations 0004 and 0005, nothing on other databases.
"""

from django.db import migrations, models

INDEXES = [
    ("projectupdate", models.Index(
        fields=["created_at"], include=["id", "project_id", "kind", "for_erfa"],
        name="update_created_round_cov",
    )),
    ("project", models.Index(fields=["id"], include=["lead_id"], name="project_lead_cov")),
]


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in INDEXES:
        schema_editor.add_index(apps.get_model("projects", model), index)


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in INDEXES:
        schema_editor.remove_index(apps.get_model("projects", model), index)


class Migration(migrations.Migration):

    dependencies = [
        ("projects", "0005_portfolio_indexes"),
    ]

    operations = [
        migrations.RunPython(add_indexes, remove_indexes),
    ]
