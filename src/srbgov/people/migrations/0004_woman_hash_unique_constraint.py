"""The identity number's hash unique by a constraint instead of `unique=True`
(docs/import.md §6): on PostgreSQL, Django builds for a unique CharField a second
index, `people_woman_id_number_hash_…_like` (varchar_pattern_ops, for LIKE
'prefix%'), that no query uses (a hash is looked up by equality) and that every
inserted woman maintained, with a random 64-character key. The uniqueness and its
B-tree index stay; one migration, one transaction, so no moment without them.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('areas', '0001_initial'),
        ('people', '0003_woman_fewer_indexes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='woman',
            name='id_number_hash',
            field=models.CharField(editable=False, max_length=64),
        ),
        migrations.AddConstraint(
            model_name='woman',
            constraint=models.UniqueConstraint(fields=('id_number_hash',), name='people_woman_unique_number_hash'),
        ),
    ]
