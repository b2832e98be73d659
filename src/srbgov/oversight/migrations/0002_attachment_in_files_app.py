# Investigation-record attachments now reference srbgov.files (docs/uploads.md); the
# rows were copied, ids kept, by providers 0004.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('files', '0001_stored_files'),
        ('oversight', '0001_campaigns_inspections_cases'),
        ('providers', '0006_stored_files_move_to_files_app'),
    ]

    operations = [
        migrations.AlterField(
            model_name='investigationrecord',
            name='attachment',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='files.storedfile', verbose_name='附件'),
        ),
    ]
