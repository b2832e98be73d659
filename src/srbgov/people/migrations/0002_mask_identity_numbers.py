"""Identity numbers show the address code only (docs/security.md §1).

The old mask showed the last 4 characters, which with the birth date in clear rebuilt
the number. The new mask is derived from the old one (its first 6 characters), so no key
is needed. There is no way back: the old mask cannot be rebuilt without decrypting.
"""

from django.db import migrations

NEW_HIDDEN = 12


def mask_women(apps, schema_editor):
    Woman = apps.get_model("people", "Woman")
    batch = []
    for woman in Woman.objects.exclude(id_number_masked__endswith="*" * NEW_HIDDEN).only(
        "pk", "id_number_masked"
    ).iterator(chunk_size=2000):
        woman.id_number_masked = woman.id_number_masked[:6] + "*" * NEW_HIDDEN
        batch.append(woman)
        if len(batch) >= 2000:
            Woman.objects.bulk_update(batch, ["id_number_masked"])
            batch = []
    Woman.objects.bulk_update(batch, ["id_number_masked"])


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [migrations.RunPython(mask_women, migrations.RunPython.noop)]
