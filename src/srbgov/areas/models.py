from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from srbgov.areas import codes
from srbgov.core.scope import ScopedQuerySet

if TYPE_CHECKING:
    from collections.abc import Iterator


class AreaLevel(models.TextChoices):
    COUNTY = "county", _("县")
    TOWNSHIP = "township", _("乡镇")
    VILLAGE = "village", _("村")


class AreaQuerySet(ScopedQuerySet["Area"]):
    def villages(self) -> AreaQuerySet:
        return self.filter(level=AreaLevel.VILLAGE)

    def townships(self) -> AreaQuerySet:
        return self.filter(level=AreaLevel.TOWNSHIP)


class Area(models.Model):
    """行政区划: county → township → village, keyed by the 12-digit 统计用区划代码."""

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    level = models.CharField(_("级别"), max_length=10, choices=AreaLevel)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级区划"),
    )

    area_path = ""
    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=AreaLevel.values), name="areas_area_level_valid"
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True, level=AreaLevel.COUNTY)
                | Q(
                    parent__isnull=False,
                    level__in=[AreaLevel.TOWNSHIP, AreaLevel.VILLAGE],
                ),
                name="areas_area_only_county_is_root",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_prefix(self) -> str:
        return codes.scope_prefix(self.code)

    def contains(self, other: Area) -> bool:
        return other.code.startswith(self.scope_prefix)

    def ancestors(self) -> Iterator[Area]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    @property
    def full_name(self) -> str:
        names = [a.name for a in reversed(list(self.ancestors()))] + [self.name]
        return "".join(names)
