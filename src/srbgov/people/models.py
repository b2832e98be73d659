from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srbgov.areas.models import Area
from srbgov.core.scope import ScopedQuerySet


class Sex(models.TextChoices):
    FEMALE = "F", _("女")
    MALE = "M", _("男")


class WomanQuerySet(ScopedQuerySet["Woman"]):
    """Scoped by `area_path` on the model (srbgov.core.scope)."""


class Woman(models.Model):
    """育龄妇女/服务对象: a woman the village worker serves.

    The identity number is stored encrypted; `id_number_hash` (keyed HMAC) finds duplicates
    and exact searches; `id_number_masked` is what lists and exports show.
    """

    name = models.CharField(_("姓名"), max_length=40)
    id_number_encrypted = models.TextField(_("身份证号码（加密）"))
    # Unique by a constraint in Meta, not `unique=True`: on PostgreSQL that also
    # builds a second index (varchar_pattern_ops, for LIKE 'prefix%') that no
    # query uses and every insert maintains (docs/import.md §6).
    id_number_hash = models.CharField(max_length=64, editable=False)
    id_number_masked = models.CharField(_("身份证号码"), max_length=18)
    birth_on = models.DateField(_("出生日期"))
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    # No index of its own: `people_woman_by_village_name` begins with the village
    # and serves every lookup by village; one index fewer to maintain on each
    # insert (docs/import.md §6).
    village = models.ForeignKey(
        Area,
        models.PROTECT,
        related_name="women",
        verbose_name=_("所在村"),
        db_index=False,
    )
    household = models.CharField(_("户籍地址/门牌"), max_length=120, blank=True)
    note = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    area_path = "village"
    objects = WomanQuerySet.as_manager()

    class Meta:
        ordering = ["village__code", "name", "id"]
        verbose_name = _("育龄妇女")
        verbose_name_plural = _("育龄妇女")
        # The phone search is `phone__contains` (people/queries.py), a LIKE '%…%'
        # that no B-tree index serves: the phone has none (docs/import.md §6).
        indexes = [
            # Name search within one's area, and every lookup by village.
            models.Index(
                fields=["village", "name"], name="people_woman_by_village_name"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_hash"], name="people_woman_unique_number_hash"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.id_number_masked}）"

    def age_on(self, on: date) -> int:
        b = self.birth_on
        return on.year - b.year - ((on.month, on.day) < (b.month, b.day))


class Spouse(models.Model):
    """配偶. Minimal on purpose (PIPL: collect the minimum)."""

    woman = models.OneToOneField(
        Woman, models.PROTECT, related_name="spouse", verbose_name=_("妻子")
    )
    name = models.CharField(_("配偶姓名"), max_length=40)
    birth_on = models.DateField(_("配偶出生日期"), null=True, blank=True)
    phone = models.CharField(_("配偶联系电话"), max_length=20, blank=True)

    area_path = "woman__village"
    objects = ScopedQuerySet["Spouse"].as_manager()

    class Meta:
        verbose_name = _("配偶")
        verbose_name_plural = _("配偶")

    def __str__(self) -> str:
        return self.name


class Child(models.Model):
    """子女: a child of a woman in the registry, with its birth order among her children."""

    mother = models.ForeignKey(
        Woman, models.PROTECT, related_name="children", verbose_name=_("母亲")
    )
    name = models.CharField(_("姓名"), max_length=40, blank=True)
    birth_on = models.DateField(_("出生日期"))
    sex = models.CharField(_("性别"), max_length=1, choices=Sex)
    birth_order = models.PositiveSmallIntegerField(_("孩次"))
    is_alive = models.BooleanField(_("是否存活"), default=True)
    died_on = models.DateField(_("死亡日期"), null=True, blank=True)

    area_path = "mother__village"
    objects = ScopedQuerySet["Child"].as_manager()

    class Meta:
        ordering = ["mother", "birth_order", "id"]
        verbose_name = _("子女")
        verbose_name_plural = _("子女")
        constraints = [
            models.CheckConstraint(
                condition=Q(sex__in=Sex.values), name="people_child_sex_valid"
            ),
            models.CheckConstraint(
                condition=Q(birth_order__gte=1),
                name="people_child_birth_order_positive",
            ),
            models.CheckConstraint(
                condition=Q(is_alive=True, died_on__isnull=True) | Q(is_alive=False),
                name="people_child_death_date_only_if_died",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.name or '—'}（{self.get_sex_display()}，{self.birth_on:%Y-%m-%d}）"
        )
