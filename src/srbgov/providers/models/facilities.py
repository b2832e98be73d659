from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srbgov.areas.models import Area
from srbgov.core.scope import ScopedQuerySet
from srbgov.files.models import StoredFile


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


class FacilityQuerySet(ScopedQuerySet["Facility"]):
    """Scoped by `area_path` on the model (srbgov.core.scope)."""


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
    head_name = models.CharField(_("负责人"), max_length=40, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)

    area_path = "area"
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

    @property
    def is_pharmacy(self) -> bool:
        return self.kind == FacilityKind.PHARMACY


class PractitionerKind(models.TextChoices):
    ULTRASOUND = "ultrasound", _("B超操作人员")
    TERMINATION = "termination", _("终止妊娠手术人员")
    PHARMACIST = "pharmacist", _("药师/药品销售人员")


class Practitioner(models.Model):
    """从业人员: an ultrasound operator, termination staff member or pharmacist."""

    facility = models.ForeignKey(
        Facility, models.PROTECT, related_name="practitioners", verbose_name=_("机构")
    )
    name = models.CharField(_("姓名"), max_length=40)
    kind = models.CharField(_("岗位"), max_length=20, choices=PractitionerKind)
    qualification = models.CharField(_("执业资格"), max_length=60, blank=True)
    qualification_number = models.CharField(
        _("资格证书编号"), max_length=60, blank=True
    )
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    is_active = models.BooleanField(_("在岗"), default=True)

    area_path = "facility__area"
    objects = ScopedQuerySet["Practitioner"].as_manager()

    class Meta:
        ordering = ["facility__name", "kind", "name"]
        verbose_name = _("从业人员")
        verbose_name_plural = _("从业人员")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=PractitionerKind.values),
                name="providers_practitioner_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"


class DeviceStatus(models.TextChoices):
    IN_USE = "in_use", _("在用")
    STOPPED = "stopped", _("停用")
    SCRAPPED = "scrapped", _("报废")


class UltrasoundDevice(models.Model):
    """B超设备: filed with the health bureau together with its operators."""

    facility = models.ForeignKey(
        Facility, models.PROTECT, related_name="devices", verbose_name=_("机构")
    )
    model_name = models.CharField(_("型号"), max_length=80)
    serial_number = models.CharField(_("出厂编号"), max_length=60)
    purchased_on = models.DateField(_("购置日期"), null=True, blank=True)
    filed_on = models.DateField(_("备案日期"), null=True, blank=True)
    room = models.CharField(_("安放科室/房间"), max_length=60, blank=True)
    # The room's opening hours: an exam outside them is a finding (docs/registers.md
    # §3); left empty, the device has no hours to keep.
    room_opens_at = models.TimeField(_("诊室开放时间"), null=True, blank=True)
    room_closes_at = models.TimeField(_("诊室关闭时间"), null=True, blank=True)
    is_fetal_sex_capable = models.BooleanField(_("可显示胎儿性别"), default=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=DeviceStatus, default=DeviceStatus.IN_USE
    )
    operators: models.ManyToManyField[Practitioner, DeviceOperator] = (
        models.ManyToManyField(
            Practitioner,
            through="DeviceOperator",
            related_name="devices",
            verbose_name=_("操作人员"),
        )
    )

    area_path = "facility__area"
    objects = ScopedQuerySet["UltrasoundDevice"].as_manager()

    class Meta:
        ordering = ["facility__name", "model_name", "serial_number"]
        verbose_name = _("B超设备")
        verbose_name_plural = _("B超设备")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DeviceStatus.values),
                name="providers_ultrasounddevice_status_valid",
            ),
            models.UniqueConstraint(
                fields=["facility", "serial_number"],
                name="providers_ultrasounddevice_serial_unique",
            ),
            models.CheckConstraint(
                condition=Q(room_opens_at__isnull=True, room_closes_at__isnull=True)
                | Q(room_opens_at__lt=F("room_closes_at")),
                name="providers_ultrasounddevice_hours_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.model_name}（{self.serial_number}）"

    def outside_hours(self, at: time) -> bool:
        """Whether `at` falls outside the room's hours (never, when it has none)."""
        if self.room_opens_at is None or self.room_closes_at is None:
            return False
        return not self.room_opens_at <= at < self.room_closes_at


class DeviceOperator(models.Model):
    """An operator filed (备案) for a device."""

    device = models.ForeignKey(UltrasoundDevice, models.PROTECT)
    practitioner = models.ForeignKey(Practitioner, models.PROTECT)
    filed_on = models.DateField(_("备案日期"), default=timezone.localdate)

    area_path = "device__facility__area"
    objects = ScopedQuerySet["DeviceOperator"].as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["device", "practitioner"],
                name="providers_deviceoperator_once_per_device",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.device} · {self.practitioner}"


def scan_column() -> models.ForeignKey[StoredFile | None, StoredFile | None]:
    """The scan of a filed paper (责任书, 产前诊断许可证), stored through the upload
    pipeline (docs/uploads.md); optional, as the paper may be filed later."""
    return models.ForeignKey(
        StoredFile,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("扫描件"),
    )


class Pledge(models.Model):
    """责任书: signed by the facility head (no practitioner) or by a practitioner."""

    facility = models.ForeignKey(
        Facility, models.PROTECT, related_name="pledges", verbose_name=_("机构")
    )
    practitioner = models.ForeignKey(
        Practitioner,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="pledges",
        verbose_name=_("签订人员"),
    )
    signer_name = models.CharField(_("签订人"), max_length=40)
    signed_on = models.DateField(_("签订日期"))
    expires_on = models.DateField(_("有效期至"))
    scan = scan_column()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    area_path = "facility__area"
    objects = ScopedQuerySet["Pledge"].as_manager()

    class Meta:
        ordering = ["-signed_on", "-id"]
        verbose_name = _("责任书")
        verbose_name_plural = _("责任书")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gt=F("signed_on")),
                name="providers_pledge_expires_after_signed",
            ),
        ]
        indexes = [
            # The gaps page: pledges of a facility still valid / expiring soon.
            models.Index(
                fields=["facility", "expires_on"], name="providers_pledge_expiry"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signer_name} {self.signed_on}—{self.expires_on}"

    @property
    def is_head_pledge(self) -> bool:
        return self.practitioner_id is None
