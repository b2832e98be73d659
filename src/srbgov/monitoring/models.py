"""出生性别比监测: birth count tables and the county's statistics policy (docs/design.md §6, §7).

Two count tables, both maintained in the transaction of every birth (the
`BIRTH_RECORDED` hook) and rebuilt from `pregnancies.Birth` by `rebuild_birth_counts`:

- `BirthCount`: village × year × birth-order bucket × earlier-children pattern × sex ×
  delivering facility → twelve monthly counts `m01`…`m12` and their sum `n`. Every
  breakdown reads it (zulip's analytics count tables). One row a year, not a month:
  with 20–100 births a village a year a row per month held nearly one row per birth,
  and the rebuild wrote, checked and indexed a copy of the births table
  (docs/statistics.md, "Count tables").
- `VillageYearCount`: village × year → boys, girls. The same births summed per year
  and over the cells, 1 row per village: the all-village statistics (funnel, ranking,
  alerts) read this one.

Earlier-children pattern (the sexes of the mother's earlier live-born children at this
birth, `Birth.earlier_boys`/`earlier_girls`): `none` (no earlier child: first births),
`girls` (only girls), `boys` (only boys), `mixed`. With the order buckets 1, 2, 3+ this
answers "second births after a girl" (bucket 2, `girls`) and "third births after two
girls" (bucket 3+, `girls`: for a third birth exactly two girls; fourth and later births
after only girls fall in the same cell).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from srbgov.areas.models import Area
from srbgov.core.scope import ScopedQuerySet
from srbgov.people.models import Sex
from srbgov.providers.models import Facility


class OrderBucket(models.IntegerChoices):
    FIRST = 1, _("一孩")
    SECOND = 2, _("二孩")
    THIRD_PLUS = 3, _("三孩及以上")


class EarlierPattern(models.TextChoices):
    NONE = "none", _("此前无子女")
    GIRLS = "girls", _("此前只有女孩")
    BOYS = "boys", _("此前只有男孩")
    MIXED = "mixed", _("此前有男有女")


def order_bucket(birth_order: int) -> int:
    """Birth order 1, 2, 3+ → bucket 1, 2, 3."""
    return min(max(birth_order, 1), 3)


def earlier_pattern(earlier_boys: int, earlier_girls: int) -> str:
    if earlier_boys and earlier_girls:
        return EarlierPattern.MIXED
    if earlier_girls:
        return EarlierPattern.GIRLS
    if earlier_boys:
        return EarlierPattern.BOYS
    return EarlierPattern.NONE


class BirthCountQuerySet(ScopedQuerySet["BirthCount"]):
    """Scoped by `area_path` on the model (srbgov.core.scope)."""


MONTH_FIELDS = tuple(f"m{month:02d}" for month in range(1, 13))


def month_field(month: int) -> str:
    """The column of a calendar month (1–12) in `BirthCount`."""
    return MONTH_FIELDS[month - 1]


def _month_count(month: int) -> models.PositiveIntegerField[int, int]:
    return models.PositiveIntegerField(
        format_lazy(_("{month}月"), month=month), default=0
    )


class BirthCount(models.Model):
    """出生统计: live births counted by village, year, month and the cells of docs/design.md §6."""

    # No separate index: the unique constraint's index leads with the village. No
    # database FK either: the rows are derived from births, which carry the FK, and
    # per-row FK triggers tripled the time of rebuilding millions of rows.
    village = models.ForeignKey(
        Area,
        models.PROTECT,
        related_name="+",
        verbose_name=_("村"),
        db_index=False,
        db_constraint=False,
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    order_bucket = models.PositiveSmallIntegerField(_("孩次"), choices=OrderBucket)
    pattern = models.CharField(_("此前子女性别"), max_length=6, choices=EarlierPattern)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex)
    facility = models.ForeignKey(
        Facility,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("接生机构"),
        db_constraint=False,
        # No index of its own: the facility table groups an area's rows found by
        # village and year; one index less to build in every rebuild.
        db_index=False,
    )
    m01 = _month_count(1)
    m02 = _month_count(2)
    m03 = _month_count(3)
    m04 = _month_count(4)
    m05 = _month_count(5)
    m06 = _month_count(6)
    m07 = _month_count(7)
    m08 = _month_count(8)
    m09 = _month_count(9)
    m10 = _month_count(10)
    m11 = _month_count(11)
    m12 = _month_count(12)
    n = models.PositiveIntegerField(_("出生数"), default=0)  # the year: m01 + … + m12

    area_path = "village"
    objects = BirthCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("出生统计")
        verbose_name_plural = _("出生统计")
        constraints = [
            # One row per key, an unknown place of delivery (NULL facility) counting as
            # one key: NULLs are distinct in a plain UNIQUE on both databases, so the
            # facility enters the index as COALESCE(facility, 0). One index instead of
            # a full one plus a partial one (each rebuild builds it over millions of
            # rows; docs/statistics.md, "Count tables").
            models.UniqueConstraint(
                F("village"),
                F("year"),
                F("order_bucket"),
                F("pattern"),
                F("sex"),
                Coalesce(F("facility"), Value(0)),
                name="monitoring_birthcount_one_row_per_key",
            ),
            models.CheckConstraint(
                condition=Q(order_bucket__in=OrderBucket.values),
                name="monitoring_birthcount_order_bucket_valid",
            ),
            models.CheckConstraint(
                condition=Q(pattern__in=EarlierPattern.values),
                name="monitoring_birthcount_pattern_valid",
            ),
            models.CheckConstraint(
                condition=Q(sex__in=Sex.values), name="monitoring_birthcount_sex_valid"
            ),
            # The whole-year readers read `n` alone: it may never drift from the
            # months (the hook bumps both in one UPDATE).
            models.CheckConstraint(
                condition=Q(
                    n=F("m01")
                    + F("m02")
                    + F("m03")
                    + F("m04")
                    + F("m05")
                    + F("m06")
                    + F("m07")
                    + F("m08")
                    + F("m09")
                    + F("m10")
                    + F("m11")
                    + F("m12")
                ),
                name="monitoring_birthcount_n_is_the_year",
            ),
        ]
        # No index by year: an area's breakdowns join its villages to the unique
        # index, which leads with village and year.

    def __str__(self) -> str:
        return f"{self.village_id} {self.year} {self.sex} {self.n}"


class VillageYearCountQuerySet(ScopedQuerySet["VillageYearCount"]):
    """Scoped by `area_path` on the model (srbgov.core.scope)."""


class VillageYearCount(models.Model):
    """出生统计（按村按年）: boys and girls born in a village in a year."""

    # No separate index: the unique constraint's index leads with the village. No
    # database FK either: the rows are derived from births, which carry the FK, and
    # per-row FK triggers tripled the time of rebuilding millions of rows.
    village = models.ForeignKey(
        Area,
        models.PROTECT,
        related_name="+",
        verbose_name=_("村"),
        db_index=False,
        db_constraint=False,
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    boys = models.PositiveIntegerField(_("男"), default=0)
    girls = models.PositiveIntegerField(_("女"), default=0)

    area_path = "village"
    objects = VillageYearCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("出生统计（年）")
        verbose_name_plural = _("出生统计（年）")
        constraints = [
            models.UniqueConstraint(
                fields=["village", "year"],
                name="monitoring_villageyearcount_one_row_per_village_year",
            ),
        ]
        indexes = [
            # All villages' counts for a year or window (funnel, ranking, alerts).
            models.Index(
                fields=["year", "village", "boys", "girls"],
                name="monitoring_year_by_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.year}: {self.boys}/{self.girls}"


class ReferenceLevel(models.TextChoices):
    """Keys of `srbgov.stats.REFERENCE_LEVELS`."""

    CHAO_2019 = "chao2019_eastern_asia", _("106.3（东亚参考值，Chao 等 2019）")
    SRB_105 = "srb_105", _("105")
    SRB_107 = "srb_107", _("107")


class IntervalChoice(models.TextChoices):
    """Values of `srbgov.stats.IntervalMethod`."""

    WILSON = "wilson", _("Wilson（默认）")
    JEFFREYS = "jeffreys", _("Jeffreys")
    CLOPPER_PEARSON = "clopper_pearson", _("Clopper-Pearson（精确法）")


class SrbPolicy(models.Model):
    """出生性别比监测口径: a county's reference level, interval method and pooling
    window (docs/design.md §6: policy data, edited by the county officer). A county without a
    row uses the defaults (106.3, Wilson, 5 years)."""

    county = models.OneToOneField(
        Area, models.PROTECT, related_name="srb_policy", verbose_name=_("县")
    )
    reference_level = models.CharField(
        _("参考水平"),
        max_length=24,
        choices=ReferenceLevel,
        default=ReferenceLevel.CHAO_2019,
    )
    interval_method = models.CharField(
        _("区间方法"),
        max_length=16,
        choices=IntervalChoice,
        default=IntervalChoice.WILSON,
    )
    window_years = models.PositiveSmallIntegerField(
        _("合并年数"), default=5, help_text=_("预警合并最近3至5年的出生。")
    )
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("更新人"),
    )

    area_path = "county"
    objects = ScopedQuerySet["SrbPolicy"].as_manager()

    class Meta:
        verbose_name = _("性别比监测口径")
        verbose_name_plural = _("性别比监测口径")
        constraints = [
            models.CheckConstraint(
                condition=Q(reference_level__in=ReferenceLevel.values),
                name="monitoring_srbpolicy_reference_valid",
            ),
            models.CheckConstraint(
                condition=Q(interval_method__in=IntervalChoice.values),
                name="monitoring_srbpolicy_interval_valid",
            ),
            models.CheckConstraint(
                condition=Q(window_years__gte=3, window_years__lte=5),
                name="monitoring_srbpolicy_window_3_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.county.name}：{self.get_reference_level_display()}"
