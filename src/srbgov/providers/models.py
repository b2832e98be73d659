from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from srbgov.areas.models import Area


class FacilityKind(models.TextChoices):
    HOSPITAL = "hospital", _("医院")
    HEALTH_CENTER = "health_center", _("乡镇卫生院")
    CLINIC = "clinic", _("个体诊所")
    VILLAGE_CLINIC = "village_clinic", _("村卫生室")
    PHARMACY = "pharmacy", _("药店")


class FacilityStatus(models.TextChoices):
    OPEN = "open", _("正常执业")
    SUSPENDED = "suspended", _("暂停执业")
    CLOSED = "closed", _("已关闭")


class FacilityQuerySet(models.QuerySet["Facility"]):
    def in_area(self, area: Area) -> FacilityQuerySet:
        return self.filter(area__code__startswith=area.scope_prefix)


class Facility(models.Model):
    """医疗机构/药店: where births, ultrasound, terminations and drug sales happen."""

    name = models.CharField(_("机构名称"), max_length=100)
    kind = models.CharField(_("机构类别"), max_length=20, choices=FacilityKind)
    licence_number = models.CharField(_("执业许可证号"), max_length=60, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    area = models.ForeignKey(
        Area, models.PROTECT, related_name="facilities", verbose_name=_("所在区划")
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=FacilityStatus, default=FacilityStatus.OPEN
    )

    objects = FacilityQuerySet.as_manager()

    class Meta:
        ordering = ["area__code", "name"]
        verbose_name = _("医疗机构")
        verbose_name_plural = _("医疗机构")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=FacilityKind.values),
                name="providers_facility_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=FacilityStatus.values),
                name="providers_facility_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name
