"""An officer's decision on a candidate pair of the reconciliation
(docs/reconciliation.md §3): the facility's record and the registry's are, or are
not, the same delivery or termination. The pairs themselves are computed on every
view of the month; only the decisions are stored, and they win over the model."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srbgov.areas.models import Area
from srbgov.core.scope import ScopedQuerySet
from srbgov.pregnancies.models import Outcome
from srbgov.providers.models import FacilityDelivery, TerminationRecord


class PairKind(models.TextChoices):
    BIRTH = "birth", _("分娩")
    TERMINATION = "termination", _("终止妊娠")


class Decision(models.TextChoices):
    CONFIRMED = "confirmed", _("确认为同一例")
    REJECTED = "rejected", _("不是同一例")


class PairDecision(models.Model):
    township = models.ForeignKey(
        Area, models.PROTECT, related_name="+", verbose_name=_("乡镇")
    )
    kind = models.CharField(_("类别"), max_length=12, choices=PairKind)
    delivery = models.ForeignKey(
        FacilityDelivery,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("分娩登记"),
    )
    termination = models.ForeignKey(
        TerminationRecord,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("终止妊娠登记"),
    )
    outcome = models.ForeignKey(
        Outcome, models.PROTECT, related_name="+", verbose_name=_("村级妊娠结局")
    )
    decision = models.CharField(_("结论"), max_length=10, choices=Decision)
    probability = models.FloatField(_("匹配概率"))
    # The differences shown when the officer decided (codes of queries.MISMATCHES).
    mismatches = models.JSONField(_("不一致项"), default=list, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("决定时间"), default=timezone.now)

    area_path = "township"
    objects = ScopedQuerySet["PairDecision"].as_manager()

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("比对结论")
        verbose_name_plural = _("比对结论")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=PairKind.values),
                name="reconciliation_pairdecision_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(decision__in=Decision.values),
                name="reconciliation_pairdecision_decision_valid",
            ),
            # A birth pair names a delivery, a termination pair a register entry.
            models.CheckConstraint(
                condition=(
                    Q(
                        kind=PairKind.BIRTH,
                        delivery__isnull=False,
                        termination__isnull=True,
                    )
                    | Q(
                        kind=PairKind.TERMINATION,
                        delivery__isnull=True,
                        termination__isnull=False,
                    )
                ),
                name="reconciliation_pairdecision_one_side",
            ),
            models.UniqueConstraint(
                fields=["delivery", "outcome"],
                condition=Q(delivery__isnull=False),
                name="reconciliation_pairdecision_birth_once",
            ),
            models.UniqueConstraint(
                fields=["termination", "outcome"],
                condition=Q(termination__isnull=False),
                name="reconciliation_pairdecision_termination_once",
            ),
            models.CheckConstraint(
                condition=Q(probability__gte=0, probability__lte=1),
                name="reconciliation_pairdecision_probability_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_decision_display()}"

    @property
    def facility_record_id(self) -> int:
        return self.delivery_id or self.termination_id or 0
