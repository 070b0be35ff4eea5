from django.db import migrations


def to_backlog(apps, schema_editor):
    """Proposals whose agenda item was deleted were left "placed" on nothing, out of sight:
    they go back to the backlog."""
    TopicProposal = apps.get_model("meetings", "TopicProposal")
    TopicProposal.objects.filter(status="placed", item__isnull=True).update(status="backlog")


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0003_notes_label"),
    ]

    operations = [
        migrations.RunPython(to_backlog, migrations.RunPython.noop),
    ]
