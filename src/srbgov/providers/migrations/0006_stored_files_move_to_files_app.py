# Stored files move to the shared srbgov.files app (docs/uploads.md): copy the rows,
# keeping their ids, then point the providers' references at the new table. The old
# table goes in 0007, once oversight's references have moved as well.

import django.db.models.deletion
from django.core.management.color import no_style
from django.db import migrations, models

FIELDS = ["id", "path", "original_name", "content_type", "size", "sha256",
          "uploaded_by_id", "uploaded_at"]


def _copy(apps, schema_editor, source, target):
    old = apps.get_model(*source)
    new = apps.get_model(*target)
    new.objects.using(schema_editor.connection.alias).all().delete()
    new.objects.using(schema_editor.connection.alias).bulk_create(
        [new(**row) for row in old.objects.values(*FIELDS).order_by("id").iterator()]
    )
    # Explicit ids leave a PostgreSQL sequence behind; move it past them.
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [new]):
            cursor.execute(sql)


def forwards(apps, schema_editor):
    _copy(apps, schema_editor, ("providers", "StoredFile"), ("files", "StoredFile"))


def backwards(apps, schema_editor):
    _copy(apps, schema_editor, ("files", "StoredFile"), ("providers", "StoredFile"))
    # Nothing references them any more; a later forward run copies them again.
    apps.get_model("files", "StoredFile").objects.using(
        schema_editor.connection.alias
    ).all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('files', '0001_stored_files'),
        ('providers', '0005_mask_identity_numbers'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.AlterField(
            model_name='pledge',
            name='scan',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='files.storedfile', verbose_name='扫描件'),
        ),
        migrations.AlterField(
            model_name='terminationverification',
            name='evidence',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='files.storedfile', verbose_name='诊断证明'),
        ),
    ]
