from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srbgov.core.scope import ScopedQuerySet
from srbgov.files.models import StoredFile
from srbgov.people.models import Woman
from srbgov.providers.models.facilities import Facility, Practitioner

# Provincial rule (松坪乡 agreement §3): terminations at 14 weeks or more need a
# verification of medical need (终止妊娠查验) before they are lawful.
LATE_TERMINATION_WEEKS = 14


class RealNameRecord(models.Model):
    """A woman named in a facility's register (实名登记): linked to the registry when her
    identity number is found there; the number itself is stored as in the registry
    (encrypted, keyed hash for look-up, masked for display)."""

    woman = models.ForeignKey(
        Woman, models.PROTECT, null=True, blank=True, related_name="+"
    )
    woman_name = models.CharField(_("姓名"), max_length=40)
    id_number_encrypted = models.TextField()
    id_number_hash = models.CharField(max_length=64)
    id_number_masked = models.CharField(_("身份证号码"), max_length=24)

    class Meta:
        abstract = True


class VerificationReason(models.TextChoices):
    """The three medical reasons the law allows for a termination at 14 weeks or more."""

    FETAL_GENETIC = "fetal_genetic", _("胎儿患严重遗传性疾病")
    FETAL_DEFECT = "fetal_defect", _("胎儿有严重缺陷")
    MATERNAL_DISEASE = "maternal_disease", _("孕妇患严重疾病，继续妊娠危及生命健康")


class VerificationStatus(models.TextChoices):
    REQUESTED = "requested", _("待乡镇审核")
    REVIEWED = "reviewed", _("待县级出具证明")
    CERTIFIED = "certified", _("已出具证明")
    REJECTED = "rejected", _("审核未通过")


class TerminationVerificationQuerySet(ScopedQuerySet["TerminationVerification"]):
    """Scoped by `area_path` on the model (srbgov.core.scope)."""


class TerminationVerification(RealNameRecord):
    """终止妊娠查验: medical reason, evidence, township review, county certificate."""

    facility = models.ForeignKey(
        Facility, models.PROTECT, related_name="verifications", verbose_name=_("机构")
    )
    reason = models.CharField(_("医学原因"), max_length=20, choices=VerificationReason)
    diagnosis_facility = models.CharField(_("诊断机构"), max_length=100)
    diagnosis = models.TextField(_("诊断意见"))
    diagnosed_on = models.DateField(_("诊断日期"))
    evidence = models.ForeignKey(
        StoredFile, models.PROTECT, related_name="+", verbose_name=_("诊断证明")
    )
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=VerificationStatus,
        default=VerificationStatus.REQUESTED,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("乡镇审核时间"), null=True, blank=True)
    review_note = models.TextField(_("乡镇审核意见"), blank=True)
    certificate_number = models.CharField(_("县级证明编号"), max_length=40, blank=True)
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    certified_at = models.DateTimeField(_("出具证明时间"), null=True, blank=True)

    area_path = "facility__area"
    objects = TerminationVerificationQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("终止妊娠查验")
        verbose_name_plural = _("终止妊娠查验")
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=VerificationReason.values),
                name="providers_terminationverification_reason_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=VerificationStatus.values),
                name="providers_terminationverification_status_valid",
            ),
            # Each step names who and when.
            models.CheckConstraint(
                condition=Q(status=VerificationStatus.REQUESTED)
                | Q(reviewed_by__isnull=False, reviewed_at__isnull=False),
                name="providers_terminationverification_reviewed_by_whom",
            ),
            models.CheckConstraint(
                condition=~Q(status=VerificationStatus.CERTIFIED)
                | (
                    Q(certified_by__isnull=False, certified_at__isnull=False)
                    & ~Q(certificate_number="")
                ),
                name="providers_terminationverification_certificate",
            ),
        ]
        indexes = [
            # A ≥14-week entry looks for her verification by identity hash.
            models.Index(fields=["id_number_hash"], name="providers_verif_by_id"),
        ]

    def __str__(self) -> str:
        return f"{self.woman_name} · {self.get_reason_display()}"

    @property
    def is_complete(self) -> bool:
        return self.status == VerificationStatus.CERTIFIED


class TerminationMethod(models.TextChoices):
    MEDICAL = "medical", _("药物流产")
    ASPIRATION = "aspiration", _("负压吸引术")
    CURETTAGE = "curettage", _("钳刮术")
    INDUCTION = "induction", _("中期引产")


class TerminationRecordQuerySet(ScopedQuerySet["TerminationRecord"]):
    """Scoped by `area_path` on the model (srbgov.core.scope)."""


class TerminationRecord(RealNameRecord):
    """终止妊娠实名登记: one termination performed at a facility."""

    facility = models.ForeignKey(
        Facility, models.PROTECT, related_name="terminations", verbose_name=_("机构")
    )
    terminated_on = models.DateField(_("手术日期"))
    gestational_weeks = models.PositiveSmallIntegerField(_("孕周"))
    method = models.CharField(_("方式"), max_length=12, choices=TerminationMethod)
    operator = models.ForeignKey(
        Practitioner,
        models.PROTECT,
        related_name="terminations",
        verbose_name=_("手术人员"),
    )
    medical_reason = models.TextField(_("医学原因"))
    verification = models.OneToOneField(
        TerminationVerification,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="termination",
        verbose_name=_("查验"),
    )
    # The pregnancy outcome this entry recorded (pregnancies app), when there was one.
    outcome_id = models.PositiveIntegerField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    area_path = "facility__area"
    objects = TerminationRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-terminated_on", "-id"]
        verbose_name = _("终止妊娠登记")
        verbose_name_plural = _("终止妊娠登记")
        constraints = [
            models.CheckConstraint(
                condition=Q(method__in=TerminationMethod.values),
                name="providers_terminationrecord_method_valid",
            ),
            models.CheckConstraint(
                condition=Q(gestational_weeks__gte=1, gestational_weeks__lte=42),
                name="providers_terminationrecord_weeks_range",
            ),
        ]
        indexes = [
            # Searching the register for one woman by her identity number.
            models.Index(fields=["id_number_hash"], name="providers_termination_by_id"),
            # The register page and the week histogram: a facility's entries by date.
            models.Index(
                fields=["facility", "terminated_on"],
                name="providers_termination_by_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.woman_name} {self.terminated_on} {self.gestational_weeks}周"

    @property
    def is_late(self) -> bool:
        return self.gestational_weeks >= LATE_TERMINATION_WEEKS

    @property
    def needs_verification(self) -> bool:
        return self.is_late and (
            self.verification is None or not self.verification.is_complete
        )
