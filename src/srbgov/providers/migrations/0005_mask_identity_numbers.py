"""Identity numbers show the address code only (docs/security.md §1), here and in every
stored text that copied a masked number (alert summaries, case summaries...).

Real-name registers are rewritten from their own masked column; every other text column
of every model is searched for the old mask (6 digits, 8 asterisks, 4 characters) and
rewritten by `srbgov.people.identity.redact_old_masks`. The audit log is rewritten by its
own migration (audit 0002), before its hash chain is computed.
"""

from django.db import migrations, models

from srbgov.people.identity import redact_old_masks

OLD_MASK_SQL = r"[0-9]{6}\*{8}[0-9X]{4}"
REAL_NAME_MODELS = ("TerminationRecord", "TerminationVerification", "DrugDispensing")
NEW_HIDDEN = 12


def _rewrite(model, field: str, change) -> None:
    batch = []
    rows = model.objects.filter(**{f"{field}__regex": OLD_MASK_SQL}).only("pk", field)
    for row in rows.iterator(chunk_size=2000):
        setattr(row, field, change(getattr(row, field)))
        batch.append(row)
        if len(batch) >= 2000:
            model.objects.bulk_update(batch, [field])
            batch = []
    model.objects.bulk_update(batch, [field])


def mask_everywhere(apps, schema_editor):
    for name in REAL_NAME_MODELS:
        _rewrite(
            apps.get_model("providers", name),
            "id_number_masked",
            lambda masked: masked[:6] + "*" * NEW_HIDDEN,
        )
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed or meta.label_lower == "audit.auditentry":
            continue
        for field in meta.concrete_fields:
            if isinstance(field, (models.CharField, models.TextField)):
                _rewrite(model, field.attname, redact_old_masks)


class Migration(migrations.Migration):
    dependencies = [
        ("providers", "0004_facility_clerk_link"),
        ("people", "0002_mask_identity_numbers"),
        ("alerts", "0002_drug_sold_at_pharmacy"),
        ("oversight", "0001_campaigns_inspections_cases"),
        ("pregnancies", "0001_follow_up_and_births"),
        ("tips", "0001_tips_rewards_policy"),
        ("monitoring", "0001_birth_counts_and_srb_policy"),
    ]

    operations = [migrations.RunPython(mask_everywhere, migrations.RunPython.noop)]
