# The old providers_storedfile table, now copied to files_storedfile and no longer
# referenced by providers (0004) or oversight (0002).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('oversight', '0002_attachment_in_files_app'),
        ('providers', '0006_stored_files_move_to_files_app'),
    ]

    operations = [
        migrations.DeleteModel(
            name='StoredFile',
        ),
    ]
