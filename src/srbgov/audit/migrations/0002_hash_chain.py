"""The audit log's hash chain (docs/security.md §3).

Existing entries are first brought under the identity-number rule (the old mask showed
the last 4 characters; docs/security.md §1), then chained in id order. Both rewrite
entries, which the append-only triggers refuse: they are dropped here, as the owner that
runs migrations may, and reinstalled by the post_migrate hook (audit/triggers.py).
"""

import django.utils.timezone
from django.db import migrations, models

from srbgov.audit import chain
from srbgov.people.identity import redact_old_masks

DROP = {
    "postgresql": [
        "DROP TRIGGER IF EXISTS audit_auditentry_append_only ON audit_auditentry",
    ],
    "sqlite": [
        "DROP TRIGGER IF EXISTS audit_auditentry_no_update",
        "DROP TRIGGER IF EXISTS audit_auditentry_no_delete",
        "DROP TRIGGER IF EXISTS audit_auditentry_no_replace",
    ],
}


def chain_existing(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for statement in DROP.get(connection.vendor, []):
            cursor.execute(statement)
    AuditEntry = apps.get_model("audit", "AuditEntry")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    prev = chain.GENESIS
    seq = 0
    batch = []
    fields = ["object_repr", "seq", "prev_hash", "entry_hash"]
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=5000):
        seq += 1
        entry.object_repr = redact_old_masks(entry.object_repr)
        entry.seq = seq
        entry.prev_hash = prev
        entry.entry_hash = chain.entry_hash(
            chain.ChainFields(
                seq=seq,
                at=entry.at,
                user_id=entry.user_id,
                username=entry.username,
                ip_address=entry.ip_address,
                action=entry.action,
                object_type=entry.object_type,
                object_id=entry.object_id,
                object_repr=entry.object_repr,
                detail=entry.detail,
            ),
            prev,
        )
        prev = entry.entry_hash
        batch.append(entry)
        if len(batch) >= 5000:
            AuditEntry.objects.bulk_update(batch, fields)
            batch = []
    AuditEntry.objects.bulk_update(batch, fields)
    AuditChainHead.objects.create(pk=1, seq=seq, last_hash=prev)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("people", "0002_mask_identity_numbers"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="seq",
            field=models.BigIntegerField(null=True, verbose_name="链序号"),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="prev_hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditentry",
            name="entry_hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.BigIntegerField(default=0)),
                ("last_hash", models.CharField(max_length=64)),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(condition=models.Q(("pk", 1)), name="audit_chainhead_single_row")
                ],
            },
        ),
        migrations.CreateModel(
            name="AuditChainCheck",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("checked_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("entries", models.BigIntegerField()),
                ("through_seq", models.BigIntegerField()),
                ("through_hash", models.CharField(max_length=64)),
                ("is_intact", models.BooleanField()),
                ("broken_entry_id", models.BigIntegerField(blank=True, null=True)),
                ("message", models.TextField(blank=True)),
            ],
            options={"ordering": ["-checked_at", "-id"]},
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
    ]
