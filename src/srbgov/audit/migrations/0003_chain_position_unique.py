"""Every entry has its chain position now (0002): make it required and unique, so the
chain cannot fork. Separate from 0002 so that no schema change follows its data
rewrite in one PostgreSQL transaction."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_hash_chain")]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="seq",
            field=models.BigIntegerField(unique=True, verbose_name="链序号"),
        ),
    ]
