"""BirthCount: one row per village, year and cell with twelve monthly counts, instead
of one row per month (docs/statistics.md, "Count tables").

The old rows are deleted and the new ones counted from the births in the same
migration, by SQL frozen here (not by `rebuild_birth_counts`, whose code follows the
model of the day): after `migrate` the statistics are complete at once. Going back
leaves the old table empty: run `manage.py rebuild_birth_counts` after it.
"""

import django.db.models.functions.comparison
from django.db import migrations, models

MONTHS = [f"m{m:02d}" for m in range(1, 13)]


def _fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        year = "CAST(date_part('year', b.born_on) AS integer)"
        month = "CAST(date_part('month', b.born_on) AS integer)"
    else:
        year = "CAST(strftime('%Y', b.born_on) AS integer)"
        month = "CAST(strftime('%m', b.born_on) AS integer)"
    months = ", ".join(
        f"SUM(CASE WHEN {month} = {m} THEN 1 ELSE 0 END)" for m in range(1, 13)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO monitoring_birthcount (village_id, year, order_bucket,
                    pattern, sex, facility_id, {", ".join(MONTHS)}, n)
                SELECT b.village_id, {year},
                       CASE WHEN b.birth_order >= 3 THEN 3
                            WHEN b.birth_order = 2 THEN 2 ELSE 1 END,
                       CASE WHEN b.earlier_boys > 0 AND b.earlier_girls > 0 THEN 'mixed'
                            WHEN b.earlier_girls > 0 THEN 'girls'
                            WHEN b.earlier_boys > 0 THEN 'boys' ELSE 'none' END,
                       b.sex, b.facility_id, {months}, COUNT(*)
                FROM pregnancies_birth b
                GROUP BY 1, 2, 3, 4, 5, 6"""
        )


def _empty(apps, schema_editor):  # type: ignore[no-untyped-def]
    # TRUNCATE on PostgreSQL: a DELETE of millions of rows leaves them dead in the
    # table, and every ALTER and the unique index below would scan them.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("TRUNCATE monitoring_birthcount")
    else:
        schema_editor.execute("DELETE FROM monitoring_birthcount")


def _month(m: int) -> migrations.AddField:
    return migrations.AddField(
        model_name="birthcount",
        name=f"m{m:02d}",
        field=models.PositiveIntegerField(default=0, verbose_name=f"{m}月"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("areas", "0001_initial"),
        ("monitoring", "0003_birthcount_one_unique_index"),
        ("pregnancies", "0002_submission_keys"),
        ("providers", "0008_withdraw_early_termination_alerts"),
    ]

    operations = [
        migrations.RunPython(_empty, _empty),
        migrations.RemoveConstraint(
            model_name="birthcount",
            name="monitoring_birthcount_one_row_per_key",
        ),
        migrations.RemoveField(model_name="birthcount", name="month"),
        migrations.AddField(
            model_name="birthcount",
            name="year",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="年份"),
            preserve_default=False,
        ),
        *[_month(m) for m in range(1, 13)],
        migrations.AlterModelOptions(
            name="birthcount",
            options={"verbose_name": "出生统计", "verbose_name_plural": "出生统计"},
        ),
        migrations.AddConstraint(
            model_name="birthcount",
            constraint=models.UniqueConstraint(
                models.F("village"),
                models.F("year"),
                models.F("order_bucket"),
                models.F("pattern"),
                models.F("sex"),
                django.db.models.functions.comparison.Coalesce(
                    models.F("facility"), models.Value(0)
                ),
                name="monitoring_birthcount_one_row_per_key",
            ),
        ),
        migrations.AddConstraint(
            model_name="birthcount",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    n=models.F("m01")
                    + models.F("m02")
                    + models.F("m03")
                    + models.F("m04")
                    + models.F("m05")
                    + models.F("m06")
                    + models.F("m07")
                    + models.F("m08")
                    + models.F("m09")
                    + models.F("m10")
                    + models.F("m11")
                    + models.F("m12")
                ),
                name="monitoring_birthcount_n_is_the_year",
            ),
        ),
        migrations.RunPython(_fill, _empty),
    ]
