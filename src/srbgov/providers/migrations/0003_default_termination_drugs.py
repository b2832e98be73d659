from django.db import migrations

# The two termination drugs every county's ledger covers; a county adds its own.
DEFAULTS = [
    ("米非司酮片", "25mg×6片", "盒"),
    ("米索前列醇片", "0.2mg×3片", "盒"),
]


def add_defaults(apps, schema_editor):
    DrugItem = apps.get_model("providers", "DrugItem")
    for name, specification, unit in DEFAULTS:
        DrugItem.objects.get_or_create(
            area=None, name=name, defaults={"specification": specification, "unit": unit}
        )


def remove_defaults(apps, schema_editor):
    DrugItem = apps.get_model("providers", "DrugItem")
    DrugItem.objects.filter(area=None, name__in=[d[0] for d in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("providers", "0002_registries_terminations_drug_ledger")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
