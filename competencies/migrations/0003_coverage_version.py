"""A version of what each MUS round's coverage heatmap counts, under which the counts are kept."""

import uuid

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('competencies', '0002_facilitator_permissions'),
    ]

    operations = [
        migrations.AddField(
            model_name='musround',
            name='coverage_version',
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
    ]
