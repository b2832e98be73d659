"""Priority villages and units (重点村、重点单位, issue 17 item 6).

Seed: 湫坡头镇 plan §四(一)2–3 names priority villages and units for closer work. The
township officer designates them with a reason and a review date; a designation is
renewed (a new review date) or ended, never deleted (docs/registers.md §7). The
statistics rank villages (monitoring); a designation is the officer's decision, kept
apart from the ranking.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srbgov.areas.models import Area
from srbgov.core.scope import ScopedQuerySet
from srbgov.providers.models.facilities import Facility


class PriorityQuerySet(ScopedQuerySet["PriorityDesignation"]):
    """Scoped by `area_path` on the model (srbgov.core.scope)."""

    def active_on(self, on: date) -> PriorityQuerySet:
        """Designations in force on that day: designated by then, not yet ended."""
        return self.filter(designated_on__lte=on).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=on)
        )


class PriorityDesignation(models.Model):
    """重点村/重点单位: one village or one facility designated by its township."""

    township = models.ForeignKey(
        Area, models.PROTECT, related_name="+", verbose_name=_("确定单位（乡镇）")
    )
    village = models.ForeignKey(
        Area,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="priority_designations",
        verbose_name=_("重点村"),
    )
    facility = models.ForeignKey(
        Facility,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="priority_designations",
        verbose_name=_("重点单位"),
    )
    reason = models.CharField(_("确定理由"), max_length=300)
    designated_on = models.DateField(_("确定日期"))
    review_on = models.DateField(_("复核日期"))
    ended_on = models.DateField(_("撤销日期"), null=True, blank=True)
    end_reason = models.CharField(_("撤销理由"), max_length=300, blank=True)
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    area_path = "township"
    objects = PriorityQuerySet.as_manager()

    class Meta:
        ordering = ["review_on", "id"]
        verbose_name = _("重点村/重点单位")
        verbose_name_plural = _("重点村/重点单位")
        constraints = [
            models.CheckConstraint(
                condition=Q(village__isnull=False, facility__isnull=True)
                | Q(village__isnull=True, facility__isnull=False),
                name="providers_prioritydesignation_one_subject",
            ),
            models.CheckConstraint(
                condition=Q(review_on__gt=F("designated_on")),
                name="providers_prioritydesignation_review_after",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(ended_on__gte=F("designated_on")),
                name="providers_prioritydesignation_ended_after",
            ),
            # One designation in force per village and per facility.
            models.UniqueConstraint(
                fields=["village"],
                condition=Q(ended_on__isnull=True, village__isnull=False),
                name="providers_prioritydesignation_one_open_village",
            ),
            models.UniqueConstraint(
                fields=["facility"],
                condition=Q(ended_on__isnull=True, facility__isnull=False),
                name="providers_prioritydesignation_one_open_facility",
            ),
        ]
        indexes = [
            # The overdue-review list of a township: open designations by review date.
            models.Index(
                fields=["township", "review_on"], name="providers_priority_review"
            ),
        ]

    def __str__(self) -> str:
        return self.subject_name

    @property
    def subject_name(self) -> str:
        if self.village_id is not None:
            return self.village.name  # type: ignore[union-attr]
        return self.facility.name  # type: ignore[union-attr]

    @property
    def is_village(self) -> bool:
        return self.village_id is not None

    @property
    def is_active(self) -> bool:
        return self.ended_on is None

    def is_overdue(self, today: date) -> bool:
        return self.ended_on is None and self.review_on < today
