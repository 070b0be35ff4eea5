"""Each project update carries the department of its project's lead (kept in step with the
lead from then on), with two partial indexes on (department, time): the erfa-day's round reads
each department's newest updates from them, urgent and other, instead of every update since
the previous erfa-day joined to its project's lead (docs/performance.md). The covering index
the round read before (migration 0006, PostgreSQL only) has no reader left.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

OLD_ROUND_INDEX = models.Index(
    fields=["created_at"], include=["id", "project_id", "kind", "for_erfa"],
    name="update_created_round_cov",
)


def fill_departments(apps, schema_editor):
    ProjectUpdate = apps.get_model("projects", "ProjectUpdate")
    Project = apps.get_model("projects", "Project")
    ProjectUpdate.objects.update(
        lead_department_id=Subquery(
            Project.objects.filter(pk=OuterRef("project_id")).values("lead__department_id")
        )
    )


def drop_old_round_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("projects", "ProjectUpdate"), OLD_ROUND_INDEX)


def restore_old_round_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("projects", "ProjectUpdate"), OLD_ROUND_INDEX)


class Migration(migrations.Migration):

    dependencies = [
        ("agents", "0003_user_reset_mailed_at"),
        ("projects", "0007_search_vectors"),
    ]

    operations = [
        migrations.AddField(
            model_name="projectupdate",
            name="lead_department",
            field=models.ForeignKey(
                editable=False, null=True, on_delete=django.db.models.deletion.PROTECT,
                related_name="+", to="agents.department", verbose_name="lead agent's department",
            ),
        ),
        migrations.RunPython(fill_departments, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="projectupdate",
            name="lead_department",
            field=models.ForeignKey(
                editable=False, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                to="agents.department", verbose_name="lead agent's department",
            ),
        ),
        migrations.AddIndex(
            model_name="projectupdate",
            index=models.Index(
                condition=models.Q(("kind", "problem"), ("for_erfa", True), _connector="OR"),
                fields=["lead_department", "created_at", "id"], name="update_round_urgent",
            ),
        ),
        migrations.AddIndex(
            model_name="projectupdate",
            index=models.Index(
                condition=models.Q(
                    ("kind", "problem"), ("for_erfa", True), _connector="OR", _negated=True
                ),
                fields=["lead_department", "created_at", "id"], name="update_round_other",
            ),
        ),
        migrations.RunPython(drop_old_round_index, restore_old_round_index),
    ]
