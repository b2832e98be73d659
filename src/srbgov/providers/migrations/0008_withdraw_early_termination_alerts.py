"""Privacy of lawful care (docs/security.md §6): a termination before 14 weeks of a
woman with no registered pregnancy no longer alerts her village. Alerts raised for such
entries before this rule are withdrawn (with their notes); the register entries stay.
Alerts about a woman whose pregnancy was registered (the village knew of it) stay.
"""

from django.db import migrations

LATE_TERMINATION_WEEKS = 14


def withdraw(apps, schema_editor):
    Alert = apps.get_model("alerts", "Alert")
    AlertNote = apps.get_model("alerts", "AlertNote")
    TerminationRecord = apps.get_model("providers", "TerminationRecord")
    Pregnancy = apps.get_model("pregnancies", "Pregnancy")
    alerts = Alert.objects.filter(
        kind="termination_without_pregnancy",
        subject_type="providers.terminationrecord",
    )
    withdrawn = []
    for alert in alerts.iterator():
        entry = TerminationRecord.objects.filter(pk=alert.subject_id).first()
        if entry is None or entry.gestational_weeks >= LATE_TERMINATION_WEEKS:
            continue
        if entry.woman_id and Pregnancy.objects.filter(woman_id=entry.woman_id).exists():
            continue
        withdrawn.append(alert.pk)
    AlertNote.objects.filter(alert_id__in=withdrawn).delete()
    Alert.objects.filter(pk__in=withdrawn).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("providers", "0007_remove_old_stored_file"),
        ("alerts", "0002_drug_sold_at_pharmacy"),
        ("pregnancies", "0002_submission_keys"),
    ]

    operations = [migrations.RunPython(withdraw, migrations.RunPython.noop)]
