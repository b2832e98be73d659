from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srbgov.areas.models import Area
from srbgov.core.scope import ScopedQuerySet


class AlertKind(models.TextChoices):
    """docs/design.md §5 alert rules. Apps add their kinds here (one line each)."""

    VISIT_OVERDUE = "visit_overdue", _("随访逾期")
    PREGNANCY_DISAPPEARED = "pregnancy_disappeared", _("孕情消失")
    LATE_TERMINATION_UNAPPROVED = (
        "late_termination_unapproved",
        _("14周以上终止妊娠未经查验"),
    )
    FEMALE_INFANT_DEATH = "female_infant_death", _("女婴死亡")
    INFANT_DEATH_LATE_REPORT = "infant_death_late_report", _("婴儿死亡超过24小时报告")
    BIRTH_WITHOUT_CERTIFICATE = "birth_without_certificate", _("出生无出生医学证明编号")
    SRB_HIGH = "srb_high", _("出生性别比偏高")
    TERMINATION_WITHOUT_PREGNANCY = (
        "termination_without_pregnancy",
        _("终止妊娠无孕情登记"),
    )
    DRUG_SOLD_AT_PHARMACY = "drug_sold_at_pharmacy", _("零售药店销售终止妊娠药品")
    # reconciliation/services.py: an officer confirmed that a facility's delivery and
    # the village's birth are one, and the sexes differ (docs/reconciliation.md §4).
    RECONCILED_SEX_MISMATCH = (
        "reconciled_sex_mismatch",
        _("分娩登记与出生登记性别不一致"),
    )
    # providers/services/exams.py, patterns.py (docs/registers.md §2–3).
    EXAM_OFF_FILE = "exam_off_file", _("B超检查使用未备案设备或人员")
    EXAM_THEN_TERMINATION = (
        "exam_then_termination",
        _("14周以上B超检查后30日内终止妊娠或孕情消失"),
    )
    EXAM_FOLLOW_RATE_HIGH = (
        "exam_follow_rate_high",
        _("14周以上B超检查后终止妊娠比例显著高于全县"),
    )
    DEVICE_OUT_OF_HOURS = "device_out_of_hours", _("B超设备在诊室开放时间外使用")
    # providers/services/prenatal.py (docs/registers.md §7).
    GENETIC_TEST_UNLICENSED = (
        "genetic_test_unlicensed",
        _("产前遗传学检测机构无有效产前诊断许可"),
    )
    GENETIC_TEST_SEX_REPORTED = (
        "genetic_test_sex_reported",
        _("遗传学检测报告胎儿性别但无伴性遗传病指征"),
    )


class AlertStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    RESOLVED = "resolved", _("已处理")


class AlertAge(models.TextChoices):
    """How long an alert has waited (the township home and the queue's filter,
    docs/homes.md): a week is the township's routine, a month means it is stuck."""

    WEEK = "week", _("7天内")
    MONTH = "month", _("8至30天")
    OLDER = "older", _("超过30天")


def aged_q(age: str, *, now: datetime) -> Q:
    """Alerts opened within the band `age` before `now`: the one definition the
    queue's filter and the home page's counts share."""
    week, month = now - timedelta(days=7), now - timedelta(days=30)
    if age == AlertAge.WEEK:
        return Q(opened_at__gt=week)
    if age == AlertAge.MONTH:
        return Q(opened_at__gt=month, opened_at__lte=week)
    if age == AlertAge.OLDER:
        return Q(opened_at__lte=month)
    raise ValueError(age)


class AlertQuerySet(ScopedQuerySet["Alert"]):
    def open(self) -> AlertQuerySet:
        return self.filter(status=AlertStatus.OPEN)

    def aged(self, age: str, *, now: datetime) -> AlertQuerySet:
        return self.filter(aged_q(age, now=now))


class Alert(models.Model):
    """预警: raised by a rule about one subject (a pregnancy, a birth, a village...).

    `rule_key` identifies the rule's finding ("pregnancy_disappeared:pregnancy:42"); at most
    one open alert per key, so raising twice (two nightly runs, or a write and the nightly
    run) never duplicates. The subject is named by (subject_type, subject_id), not a
    generic foreign key, so alerts stay readable whatever the subject's app.
    """

    kind = models.CharField(_("类别"), max_length=40, choices=AlertKind)
    rule_key = models.CharField(max_length=120)
    area = models.ForeignKey(
        Area, models.PROTECT, related_name="alerts", verbose_name=_("区划")
    )
    subject_type = models.CharField(_("对象类型"), max_length=40)
    subject_id = models.CharField(_("对象编号"), max_length=40)
    summary = models.CharField(_("摘要"), max_length=200)
    opened_at = models.DateTimeField(_("预警时间"), default=timezone.now)
    status = models.CharField(
        _("状态"), max_length=10, choices=AlertStatus, default=AlertStatus.OPEN
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_alerts",
        verbose_name=_("负责人"),
    )
    resolution = models.TextField(_("处理结果"), blank=True)
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("处理人"),
    )

    area_path = "area"
    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=AlertKind.values), name="alerts_alert_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=AlertStatus.values),
                name="alerts_alert_status_valid",
            ),
            # Idempotent raising: one open alert per finding.
            models.UniqueConstraint(
                fields=["rule_key"],
                condition=Q(status="open"),
                name="alerts_alert_one_open_per_rule_key",
            ),
        ]
        indexes = [
            # The township officer's queue: open alerts of an area, newest first.
            models.Index(
                fields=["status", "area", "opened_at"], name="alerts_alert_queue"
            ),
            models.Index(
                fields=["subject_type", "subject_id"], name="alerts_alert_by_subject"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.summary}"


class AlertNote(models.Model):
    """A note on the work done for an alert (who called whom, what was found)."""

    alert = models.ForeignKey(Alert, models.PROTECT, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(default=timezone.now)
    text = models.TextField(_("处理记录"))

    area_path = "alert__area"
    objects = ScopedQuerySet["AlertNote"].as_manager()

    class Meta:
        ordering = ["written_at", "id"]

    def __str__(self) -> str:
        return self.text[:40]
