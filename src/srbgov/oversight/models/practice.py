"""Unlicensed practice (非法行医排查, issue 17 item 4) and the private persons a case
is about.

Seed: 中水镇 plan §一3 and the health center's duties (卫生院 4, 5): surveys of private
clinics, unlicensed providers and the ultrasound machines of private clinics. A survey
round (排查) visits places; each visit records what was found (devices, drugs,
services offered) and the items seized with their quantities. A case may be about
private persons (intermediaries, unlicensed practitioners), named with an optional
identity number kept like every other (encrypted, keyed hash, masked:
docs/security.md §1). See docs/registers.md §7.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srbgov.areas.models import Area
from srbgov.core.scope import ScopedQuerySet
from srbgov.oversight.models.cases import Case, Department
from srbgov.providers.models import Facility


class Survey(models.Model):
    """排查: one round of a township's survey of private clinics and unlicensed
    providers, by the planning office or the health center."""

    area = models.ForeignKey(
        Area, models.PROTECT, related_name="+", verbose_name=_("排查区划")
    )
    name = models.CharField(_("名称"), max_length=100)
    department = models.CharField(_("牵头部门"), max_length=12, choices=Department)
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    note = models.TextField(_("工作要求"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    area_path = "area"
    objects = ScopedQuerySet["Survey"].as_manager()

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("非法行医排查")
        verbose_name_plural = _("非法行医排查")
        constraints = [
            models.CheckConstraint(
                condition=Q(department__in=Department.values),
                name="oversight_survey_department_valid",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="oversight_survey_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PlaceKind(models.TextChoices):
    CLINIC = "clinic", _("个体诊所")
    UNLICENSED = "unlicensed", _("无证行医点")
    PHARMACY = "pharmacy", _("药店")
    OTHER = "other", _("其他场所")


class SurveyVisit(models.Model):
    """One place visited in a survey, with what was found there."""

    survey = models.ForeignKey(
        Survey, models.PROTECT, related_name="visits", verbose_name=_("排查")
    )
    visited_on = models.DateField(_("排查日期"))
    place_kind = models.CharField(_("场所类别"), max_length=12, choices=PlaceKind)
    facility = models.ForeignKey(
        Facility,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_visits",
        verbose_name=_("已登记机构"),
    )
    place_name = models.CharField(_("场所名称/经营者"), max_length=100)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    village = models.ForeignKey(
        Area,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("所在村"),
    )
    is_licensed = models.BooleanField(_("持有执业许可"), default=False)
    devices_found = models.CharField(_("发现的设备"), max_length=300, blank=True)
    drugs_found = models.CharField(_("发现的药品"), max_length=300, blank=True)
    services_offered = models.CharField(_("提供的服务"), max_length=300, blank=True)
    has_problem = models.BooleanField(_("发现问题"), default=False)
    note = models.TextField(_("情况说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    area_path = "survey__area"
    objects = ScopedQuerySet["SurveyVisit"].as_manager()

    class Meta:
        ordering = ["visited_on", "id"]
        verbose_name = _("排查记录")
        verbose_name_plural = _("排查记录")
        constraints = [
            models.CheckConstraint(
                condition=Q(place_kind__in=PlaceKind.values),
                name="oversight_surveyvisit_place_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.place_name} {self.visited_on}"


class ItemKind(models.TextChoices):
    ULTRASOUND = "ultrasound", _("B超机")
    DRUG = "drug", _("终止妊娠药品")
    INSTRUMENT = "instrument", _("手术器械")
    TEST_KIT = "test_kit", _("胎儿性别检测试剂")
    OTHER = "other", _("其他物品")


class SeizedItem(models.Model):
    """暂扣/没收物品: one line of what a visit seized, with its quantity."""

    visit = models.ForeignKey(
        SurveyVisit, models.PROTECT, related_name="items", verbose_name=_("排查记录")
    )
    kind = models.CharField(_("物品类别"), max_length=12, choices=ItemKind)
    description = models.CharField(_("物品名称/型号"), max_length=120)
    quantity = models.PositiveIntegerField(_("数量"))
    unit = models.CharField(_("单位"), max_length=10)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    area_path = "visit__survey__area"
    objects = ScopedQuerySet["SeizedItem"].as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("查扣物品")
        verbose_name_plural = _("查扣物品")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ItemKind.values),
                name="oversight_seizeditem_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="oversight_seizeditem_quantity_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.description} {self.quantity}{self.unit}"


class PersonRole(models.TextChoices):
    INTERMEDIARY = "intermediary", _("中介人员")
    UNLICENSED = "unlicensed", _("非法行医人员")
    OTHER = "other", _("其他涉案人员")


class CasePerson(models.Model):
    """A private person a case is about (涉案人员): not a filed practitioner."""

    case = models.ForeignKey(
        Case, models.PROTECT, related_name="persons", verbose_name=_("案件")
    )
    role = models.CharField(_("涉案身份"), max_length=14, choices=PersonRole)
    name = models.CharField(_("姓名"), max_length=40)
    # Optional; when given, kept as in the registry (docs/security.md §1).
    id_number_encrypted = models.TextField(blank=True)
    id_number_hash = models.CharField(max_length=64, blank=True)
    id_number_masked = models.CharField(_("身份证号码"), max_length=24, blank=True)
    address = models.CharField(_("住址"), max_length=200, blank=True)
    note = models.CharField(_("情况说明"), max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    area_path = "case__area"
    objects = ScopedQuerySet["CasePerson"].as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("涉案人员")
        verbose_name_plural = _("涉案人员")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=PersonRole.values),
                name="oversight_caseperson_role_valid",
            ),
        ]
        indexes = [
            # The same person across cases, by the keyed hash of her or his number.
            models.Index(fields=["id_number_hash"], name="oversight_person_by_id"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_role_display()}）"
