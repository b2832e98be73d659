"""Two indexes fewer on people_woman, which every insert maintains (docs/import.md §6).

- The village foreign key's own index: `people_woman_by_village_name` (village, name)
  begins with the village, so every lookup and join by village uses it instead.
- `people_woman_by_phone`: the only phone search is `phone__contains`
  (people/queries.py), a LIKE '%…%' that a B-tree index cannot serve; nothing looks a
  woman up by her exact phone.

The foreign key constraint itself stays.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('areas', '0001_initial'),
        ('people', '0002_mask_identity_numbers'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='woman',
            name='people_woman_by_phone',
        ),
        migrations.AlterField(
            model_name='woman',
            name='village',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='women', to='areas.area', verbose_name='所在村'),
        ),
    ]
