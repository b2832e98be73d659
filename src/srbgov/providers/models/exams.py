"""The real-name ultrasound exam register (B超检查实名登记, issue 17 item 1): each exam a
facility's B超 device performed, with the device, the operator, the woman named as in
the other real-name registers, the gestational weeks and the medical purpose.

An exam by a device or an operator not on file is itself a finding (docs/registers.md §2):
the entry keeps what the facility typed (`device_serial`, `operator_name`) and links the
filed device and operator when they are on file.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from srbgov.core.scope import ScopedQuerySet
from srbgov.providers.models.facilities import (
    Facility,
    Practitioner,
    UltrasoundDevice,
)
from srbgov.providers.models.register import (
    FacilityRegisterEntry,
    woman_village_column,
)
from srbgov.providers.models.terminations import LATE_TERMINATION_WEEKS


class ExamSource(models.TextChoices):
    CLERK = "clerk", _("登记员录入")
    API = "api", _("接口推送")


class ExamPurpose(models.TextChoices):
    """The medical indication of the exam (检查目的)."""

    ROUTINE = "routine", _("常规产前检查")
    DATING = "dating", _("核对孕周")
    ANOMALY = "anomaly", _("胎儿畸形筛查")
    BLEEDING = "bleeding", _("阴道出血/腹痛")
    GROWTH = "growth", _("胎儿生长发育评估")
    OTHER = "other", _("其他医学指征")


class UltrasoundExamQuerySet(ScopedQuerySet["UltrasoundExam"]):
    """Scoped by `area_path` on the model (srbgov.core.scope)."""


class UltrasoundExam(FacilityRegisterEntry):
    """B超检查实名登记: one exam of a pregnant woman at a facility.

    Its area is the woman's village when known, else the facility's area, as in the
    delivery register: her township follows up the patterns (docs/registers.md §3).
    """

    facility = models.ForeignKey(
        Facility, models.PROTECT, related_name="exams", verbose_name=_("检查机构")
    )
    examined_on = models.DateField(_("检查日期"))
    # When the facility's system or the clerk gives it: checked against the room's
    # hours of the device (docs/registers.md §3).
    examined_at = models.TimeField(_("检查时间"), null=True, blank=True)
    device = models.ForeignKey(
        UltrasoundDevice,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="exams",
        verbose_name=_("备案设备"),
    )
    device_serial = models.CharField(_("设备出厂编号"), max_length=60)
    operator = models.ForeignKey(
        Practitioner,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="exams",
        verbose_name=_("备案操作人员"),
    )
    operator_name = models.CharField(_("操作人员"), max_length=40)
    gestational_weeks = models.PositiveSmallIntegerField(_("孕周"))
    purpose = models.CharField(_("检查目的"), max_length=10, choices=ExamPurpose)
    indication = models.CharField(_("医学指征说明"), max_length=200, blank=True)
    village = woman_village_column(_("孕妇所在村"))
    source = models.CharField(
        _("来源"), max_length=8, choices=ExamSource, default=ExamSource.CLERK
    )

    objects = UltrasoundExamQuerySet.as_manager()

    class Meta:
        ordering = ["-examined_on", "-id"]
        verbose_name = _("B超检查登记")
        verbose_name_plural = _("B超检查登记")
        constraints = [
            models.CheckConstraint(
                condition=Q(gestational_weeks__gte=1, gestational_weeks__lte=42),
                name="providers_ultrasoundexam_weeks_range",
            ),
            models.CheckConstraint(
                condition=Q(purpose__in=ExamPurpose.values),
                name="providers_ultrasoundexam_purpose_valid",
            ),
            models.CheckConstraint(
                condition=Q(source__in=ExamSource.values),
                name="providers_ultrasoundexam_source_valid",
            ),
        ]
        indexes = [
            # The pattern pass joins exams and terminations on her identity hash.
            models.Index(
                fields=["id_number_hash", "examined_on"], name="providers_exam_by_id"
            ),
            models.Index(
                fields=["facility", "examined_on"], name="providers_exam_by_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.woman_name} {self.examined_on} {self.gestational_weeks}周"

    @property
    def is_late(self) -> bool:
        """At 14 weeks or more the sex can be seen: the exams the patterns follow."""
        return self.gestational_weeks >= LATE_TERMINATION_WEEKS

    @property
    def off_file(self) -> bool:
        return self.device_id is None or self.operator_id is None
