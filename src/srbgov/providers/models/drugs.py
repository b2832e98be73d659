from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srbgov.areas.models import Area
from srbgov.core.scope import ScopedQuerySet
from srbgov.providers.models.facilities import Facility
from srbgov.providers.models.terminations import RealNameRecord


class DrugItem(models.Model):
    """终止妊娠药品: mifepristone and misoprostol for everyone (no area), plus what a
    county adds for itself."""

    area = models.ForeignKey(
        Area,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("添加的县"),
    )
    name = models.CharField(_("药品名称"), max_length=60)
    specification = models.CharField(_("规格"), max_length=60, blank=True)
    unit = models.CharField(_("单位"), max_length=10, default="盒")

    area_path = "area"
    objects = ScopedQuerySet["DrugItem"].as_manager()

    class Meta:
        ordering = ["area__code", "name"]
        verbose_name = _("终止妊娠药品")
        verbose_name_plural = _("终止妊娠药品")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "name"], name="providers_drugitem_name_per_county"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.specification}".strip()


class DrugPurchase(models.Model):
    """购进: a facility's purchase of a termination drug."""

    facility = models.ForeignKey(
        Facility, models.PROTECT, related_name="drug_purchases", verbose_name=_("机构")
    )
    drug = models.ForeignKey(
        DrugItem, models.PROTECT, related_name="+", verbose_name=_("药品")
    )
    quantity = models.PositiveIntegerField(_("数量"))
    purchased_on = models.DateField(_("购进日期"))
    supplier = models.CharField(_("供货单位"), max_length=100)
    batch_number = models.CharField(_("批号"), max_length=40, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    area_path = "facility__area"
    objects = ScopedQuerySet["DrugPurchase"].as_manager()

    class Meta:
        ordering = ["-purchased_on", "-id"]
        verbose_name = _("药品购进")
        verbose_name_plural = _("药品购进")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="providers_drugpurchase_positive"
            ),
        ]
        indexes = [
            # The ledger page and the stock sum: a facility's purchases by date.
            models.Index(
                fields=["facility", "purchased_on"], name="providers_purchase_by_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.drug} +{self.quantity}"


class DrugDispensing(RealNameRecord):
    """发药/销售: real-name, by prescription. At a retail pharmacy it is itself a finding."""

    facility = models.ForeignKey(
        Facility,
        models.PROTECT,
        related_name="drug_dispensings",
        verbose_name=_("机构"),
    )
    drug = models.ForeignKey(
        DrugItem, models.PROTECT, related_name="+", verbose_name=_("药品")
    )
    quantity = models.PositiveIntegerField(_("数量"))
    dispensed_on = models.DateField(_("发药日期"))
    prescription_number = models.CharField(_("处方编号"), max_length=40, blank=True)
    prescriber = models.CharField(_("开方医师"), max_length=40, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    area_path = "facility__area"
    objects = ScopedQuerySet["DrugDispensing"].as_manager()

    class Meta:
        ordering = ["-dispensed_on", "-id"]
        verbose_name = _("药品发放")
        verbose_name_plural = _("药品发放")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="providers_drugdispensing_positive"
            ),
        ]
        indexes = [
            # Searching the ledger for one woman by her identity number.
            models.Index(fields=["id_number_hash"], name="providers_dispense_by_id"),
            # The ledger page and the stock sum: a facility's dispensing by date.
            models.Index(
                fields=["facility", "dispensed_on"], name="providers_dispense_by_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.drug} -{self.quantity} {self.woman_name}"
