"""The facility delivery register (分娩登记, issue 17 item 2): each delivery a facility
performed, with the mother named as in the other real-name registers and one row per
child. It feeds the township's reconciliation (srbgov.reconciliation,
docs/reconciliation.md) instead of a second entry by the village.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from srbgov.core.scope import ScopedQuerySet
from srbgov.providers.models.facilities import Facility
from srbgov.providers.models.register import (
    FacilityRegisterEntry,
    woman_village_column,
)


class DeliverySource(models.TextChoices):
    """How the entry reached the register: the reconciliation treats them alike."""

    CLERK = "clerk", _("登记员录入")
    IMPORT = "import", _("批量导入")
    API = "api", _("接口推送")


class ChildOutcome(models.TextChoices):
    LIVE = "live", _("活产")
    STILLBIRTH = "stillbirth", _("死胎死产")


class ChildSex(models.TextChoices):
    # The same codes as people.Sex, so that a register child and a registry birth
    # compare directly.
    FEMALE = "F", _("女")
    MALE = "M", _("男")


class FacilityDeliveryQuerySet(ScopedQuerySet["FacilityDelivery"]):
    """Scoped by `area_path` on the model (srbgov.core.scope)."""

    def missing_certificate(self) -> FacilityDeliveryQuerySet:
        """Deliveries with a live-born child whose birth certificate number is still
        to be entered (the clerk's "register entries to complete", docs/homes.md)."""
        return self.filter(
            Exists(
                DeliveryChild.objects.filter(
                    delivery=OuterRef("pk"),
                    outcome=ChildOutcome.LIVE,
                    birth_certificate_number="",
                )
            )
        )


class FacilityDelivery(FacilityRegisterEntry):
    """分娩实名登记: one delivery at a facility (twins are one delivery, two children).

    Its area is the mother's village when known, else the facility's area: the
    township whose mothers they are reconciles them, wherever she delivered
    (docs/reconciliation.md §1). The facility's clerk and keepers reach the entry
    through the facility (providers.access).
    """

    facility = models.ForeignKey(
        Facility, models.PROTECT, related_name="deliveries", verbose_name=_("接生机构")
    )
    delivered_on = models.DateField(_("分娩日期"))
    # Read from her identity number: the linkage compares it when the number itself
    # was mistyped (docs/reconciliation.md §2). The registry keeps it in clear too.
    mother_birth_on = models.DateField(_("产妇出生日期"))
    village = woman_village_column(_("产妇所在村"))
    source = models.CharField(
        _("来源"), max_length=8, choices=DeliverySource, default=DeliverySource.CLERK
    )

    objects = FacilityDeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-delivered_on", "-id"]
        verbose_name = _("分娩登记")
        verbose_name_plural = _("分娩登记")
        constraints = [
            models.CheckConstraint(
                condition=Q(source__in=DeliverySource.values),
                name="providers_facilitydelivery_source_valid",
            ),
            # One delivery per mother and day at a facility: a second entry is a
            # double submission, never a second birth.
            models.UniqueConstraint(
                fields=["facility", "id_number_hash", "delivered_on"],
                name="providers_facilitydelivery_once_per_day",
            ),
        ]
        indexes = [
            # The reconciliation looks the registry up by her identity hash.
            models.Index(fields=["id_number_hash"], name="providers_delivery_by_id"),
            # The register page: a facility's entries by date.
            models.Index(
                fields=["facility", "delivered_on"], name="providers_delivery_by_date"
            ),
            # The reconciliation's block: a township's month.
            models.Index(
                fields=["delivered_on", "village"], name="providers_delivery_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.woman_name} {self.delivered_on}"


class DeliveryChildQuerySet(ScopedQuerySet["DeliveryChild"]):
    """Scoped by `area_path` on the model (srbgov.core.scope)."""


class DeliveryChild(models.Model):
    """One child of a delivery: sex, outcome, birth certificate (出生医学证明编号)."""

    delivery = models.ForeignKey(
        FacilityDelivery,
        models.PROTECT,
        related_name="children",
        verbose_name=_("分娩"),
    )
    position = models.PositiveSmallIntegerField(_("胎次序号"), default=1)
    sex = models.CharField(_("性别"), max_length=1, choices=ChildSex)
    outcome = models.CharField(
        _("结局"), max_length=10, choices=ChildOutcome, default=ChildOutcome.LIVE
    )
    birth_order = models.PositiveSmallIntegerField(_("孩次"), null=True, blank=True)
    birth_certificate_number = models.CharField(
        _("出生医学证明编号"), max_length=40, blank=True
    )

    area_path = ("delivery__village", "delivery__facility__area")
    objects = DeliveryChildQuerySet.as_manager()

    class Meta:
        ordering = ["delivery", "position"]
        verbose_name = _("分娩子女")
        verbose_name_plural = _("分娩子女")
        constraints = [
            models.CheckConstraint(
                condition=Q(sex__in=ChildSex.values),
                name="providers_deliverychild_sex_valid",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=ChildOutcome.values),
                name="providers_deliverychild_outcome_valid",
            ),
            models.CheckConstraint(
                condition=Q(birth_order__isnull=True) | Q(birth_order__gte=1),
                name="providers_deliverychild_birth_order_positive",
            ),
            # A certificate number names one child in the whole country.
            models.UniqueConstraint(
                fields=["birth_certificate_number"],
                condition=~Q(birth_certificate_number=""),
                name="providers_deliverychild_certificate_unique",
            ),
            models.UniqueConstraint(
                fields=["delivery", "position"],
                name="providers_deliverychild_position_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delivery} · {self.get_sex_display()}"
