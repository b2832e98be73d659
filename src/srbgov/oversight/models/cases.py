"""专项整治与案件查处: inspection campaigns, inspections of facilities, and cases.

Seed: 炉山镇 summary §四 (“三个一整顿”), 湫坡头镇 plan §四(一)2 (checks), docs/design.md §5 (at
least four concentrated campaigns a year, with phases and deadlines). The law's
penalties fall on those who perform or arrange “两非” (Population and Family Planning
Law Arts. 39–40), never on women or couples (docs/design.md §2).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srbgov.alerts.models import Alert
from srbgov.areas.models import Area
from srbgov.core.scope import ScopedQuerySet
from srbgov.files.models import StoredFile
from srbgov.providers.models import Facility, Practitioner

# docs/design.md §5: at least four concentrated inspection campaigns a year.
CAMPAIGNS_PER_YEAR = 4


class Campaign(models.Model):
    """专项整治: phases 部署 (deploy), 实施 (implement), 总结 (summary); report due."""

    area = models.ForeignKey(
        Area, models.PROTECT, related_name="+", verbose_name=_("组织单位区划")
    )
    name = models.CharField(_("名称"), max_length=100)
    deploy_starts_on = models.DateField(_("部署阶段开始"))
    deploy_ends_on = models.DateField(_("部署阶段结束"))
    implement_starts_on = models.DateField(_("实施阶段开始"))
    implement_ends_on = models.DateField(_("实施阶段结束"))
    summary_starts_on = models.DateField(_("总结阶段开始"))
    summary_ends_on = models.DateField(_("总结阶段结束"))
    report_due_on = models.DateField(_("总结报告报送期限"))
    note = models.TextField(_("工作要求"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    area_path = "area"
    objects = ScopedQuerySet["Campaign"].as_manager()

    class Meta:
        ordering = ["-deploy_starts_on", "-id"]
        verbose_name = _("专项整治")
        verbose_name_plural = _("专项整治")
        constraints = [
            models.CheckConstraint(
                condition=Q(deploy_ends_on__gte=F("deploy_starts_on"))
                & Q(implement_starts_on__gte=F("deploy_starts_on"))
                & Q(implement_ends_on__gte=F("implement_starts_on"))
                & Q(summary_starts_on__gte=F("implement_starts_on"))
                & Q(summary_ends_on__gte=F("summary_starts_on"))
                & Q(report_due_on__gte=F("summary_starts_on")),
                name="oversight_campaign_phases_in_order",
            ),
        ]
        indexes = [
            # Campaigns per year of a county (the at-least-four rule) and the list.
            models.Index(
                fields=["area", "deploy_starts_on"], name="oversight_campaign_by_year"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def year(self) -> int:
        return self.deploy_starts_on.year


class CheckResult(models.TextChoices):
    PASS = "pass", _("符合")
    FAIL = "fail", _("不符合")
    NOT_APPLICABLE = "na", _("不适用")


# The checklist of an inspection (湫坡头镇 plan §四(一)2, 中水镇 plan §三): key → label.
CHECKLIST: list[tuple[str, Any]] = [
    ("warning_signs", _("张贴禁止“两非”警示标识")),
    ("device_register", _("B超设备登记台账及时更新")),
    ("operator_filed", _("B超操作人员已备案")),
    ("operator_pledges", _("操作人员签订责任书")),
    ("ultrasound_log", _("B超检查登记完整")),
    ("termination_register", _("终止妊娠实名登记完整")),
    ("late_verification", _("14周以上终止妊娠有查验证明")),
    ("drug_ledger", _("终止妊娠药品购销台账完整")),
]


class RectificationStatus(models.TextChoices):
    NONE = "none", _("无需整改")
    OPEN = "open", _("整改中")
    CLOSED = "closed", _("已整改")


class Inspection(models.Model):
    """一次检查: a facility inspected within a campaign by at least two inspectors."""

    campaign = models.ForeignKey(
        Campaign, models.PROTECT, related_name="inspections", verbose_name=_("专项整治")
    )
    facility = models.ForeignKey(
        Facility, models.PROTECT, related_name="inspections", verbose_name=_("机构")
    )
    inspected_on = models.DateField(_("检查日期"))
    inspectors = models.JSONField(_("检查人员"), default=list)
    checklist = models.JSONField(_("检查项目"), default=dict)
    findings = models.TextField(_("发现的问题"), blank=True)
    rectify_by = models.DateField(_("整改期限"), null=True, blank=True)
    rectification = models.CharField(
        _("整改状态"),
        max_length=8,
        choices=RectificationStatus,
        default=RectificationStatus.NONE,
    )
    followed_up_on = models.DateField(_("复查日期"), null=True, blank=True)
    follow_up_note = models.TextField(_("复查情况"), blank=True)
    followed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    area_path = "facility__area"
    objects = ScopedQuerySet["Inspection"].as_manager()

    class Meta:
        ordering = ["-inspected_on", "-id"]
        verbose_name = _("检查")
        verbose_name_plural = _("检查")
        constraints = [
            models.CheckConstraint(
                condition=Q(rectification__in=RectificationStatus.values),
                name="oversight_inspection_rectification_valid",
            ),
            models.CheckConstraint(
                condition=Q(rectification=RectificationStatus.NONE)
                | Q(rectify_by__isnull=False),
                name="oversight_inspection_rectify_by_set",
            ),
            models.CheckConstraint(
                condition=~Q(rectification=RectificationStatus.CLOSED)
                | Q(followed_up_on__isnull=False, followed_up_by__isnull=False),
                name="oversight_inspection_closed_by_follow_up",
            ),
        ]
        indexes = [
            # Campaign coverage: distinct facilities inspected per campaign.
            models.Index(
                fields=["campaign", "facility"], name="oversight_inspection_coverage"
            ),
            # Open rectifications by deadline.
            models.Index(
                fields=["rectification", "rectify_by"],
                name="oversight_rectification_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.facility} {self.inspected_on}"

    def failed_items(self) -> list[str]:
        labels = dict(CHECKLIST)
        return [
            str(labels.get(k, k))
            for k, v in self.checklist.items()
            if v == CheckResult.FAIL
        ]


class CaseSource(models.TextChoices):
    TIP = "tip", _("举报线索")
    INSPECTION = "inspection", _("检查发现")
    ALERT = "alert", _("预警")
    # A visit of an unlicensed-practice survey that found a problem
    # (docs/registers.md §7.2).
    SURVEY = "survey", _("非法行医排查")


class SubjectKind(models.TextChoices):
    FACILITY = "facility", _("医疗机构/药店")
    PRACTITIONER = "practitioner", _("从业人员")
    INTERMEDIARY = "intermediary", _("中介/非法行医人员")
    UNKNOWN = "unknown", _("身份不明")


class Disposition(models.TextChoices):
    UNFOUNDED = "unfounded", _("查无实据")
    PENALTY = "penalty", _("行政处罚")
    LICENCE = "licence", _("吊销/暂停执业许可")
    POLICE = "police", _("移送公安机关")
    CRIMINAL = "criminal", _("刑事立案")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("调查中")
    CLOSED = "closed", _("已结案")


class Case(models.Model):
    """案件: a suspected “两非” act investigated to a disposition by the departments."""

    area = models.ForeignKey(
        Area, models.PROTECT, related_name="+", verbose_name=_("承办区划")
    )
    number = models.CharField(_("案件编号"), max_length=20, blank=True)
    title = models.CharField(_("案由"), max_length=120)
    source = models.CharField(_("来源"), max_length=12, choices=CaseSource)
    inspection = models.ForeignKey(
        Inspection,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("来源检查"),
    )
    alert = models.ForeignKey(
        Alert,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("来源预警"),
    )
    survey_visit = models.ForeignKey(
        "oversight.SurveyVisit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("来源排查记录"),
    )
    tip_reference = models.CharField(_("举报编号"), max_length=40, blank=True)
    subject_kind = models.CharField(_("当事人类别"), max_length=14, choices=SubjectKind)
    subject_facility = models.ForeignKey(
        Facility,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("涉案机构"),
    )
    subject_practitioner = models.ForeignKey(
        Practitioner,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("涉案人员"),
    )
    subject_description = models.CharField(_("当事人情况"), max_length=200, blank=True)
    summary = models.TextField(_("简要案情"))
    status = models.CharField(
        _("状态"), max_length=8, choices=CaseStatus, default=CaseStatus.OPEN
    )
    disposition = models.CharField(
        _("处理结果"), max_length=10, choices=Disposition, blank=True
    )
    penalty_amount = models.DecimalField(
        _("罚没金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    legal_basis = models.CharField(_("法律依据"), max_length=200, blank=True)
    licence_action = models.CharField(_("执业许可处理"), max_length=200, blank=True)
    disposition_note = models.TextField(_("处理说明"), blank=True)
    disposed_on = models.DateField(_("处理日期"), null=True, blank=True)
    disposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Set when the case goes to the police (a 派出所 task or a referral disposition):
    # from then on the police of its area see it (docs/design.md §3).
    referred_to_police_at = models.DateTimeField(
        _("移送公安时间"), null=True, blank=True
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("立案时间"), default=timezone.now)

    area_path = "area"
    objects = ScopedQuerySet["Case"].as_manager()

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        constraints = [
            models.CheckConstraint(
                condition=Q(source__in=CaseSource.values),
                name="oversight_case_source_valid",
            ),
            models.CheckConstraint(
                condition=Q(subject_kind__in=SubjectKind.values),
                name="oversight_case_subject_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(disposition="") | Q(disposition__in=Disposition.values),
                name="oversight_case_disposition_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=CaseStatus.values),
                name="oversight_case_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(source=CaseSource.INSPECTION)
                | Q(inspection__isnull=False),
                name="oversight_case_inspection_source",
            ),
            models.CheckConstraint(
                condition=~Q(source=CaseSource.ALERT) | Q(alert__isnull=False),
                name="oversight_case_alert_source",
            ),
            models.CheckConstraint(
                condition=~Q(source=CaseSource.SURVEY) | Q(survey_visit__isnull=False),
                name="oversight_case_survey_source",
            ),
            models.CheckConstraint(
                condition=~Q(disposition=Disposition.PENALTY)
                | (Q(penalty_amount__gt=0) & ~Q(legal_basis="")),
                name="oversight_case_penalty_amount_and_basis",
            ),
            models.UniqueConstraint(
                fields=["number"],
                condition=~Q(number=""),
                name="oversight_case_number_unique",
            ),
        ]
        indexes = [
            # The case list of an area, open first.
            models.Index(fields=["area", "status"], name="oversight_case_by_area"),
            # The police list: cases referred to the police of an area.
            models.Index(
                fields=["referred_to_police_at", "area"],
                name="oversight_case_referred",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    @property
    def is_referred_to_police(self) -> bool:
        return self.referred_to_police_at is not None


class Department(models.TextChoices):
    PLANNING_OFFICE = "planning", _("计生办")
    HEALTH_CENTER = "health", _("卫生院")
    POLICE = "police", _("派出所")
    DISCIPLINE = "discipline", _("纪委")
    DRUG_REGULATOR = "drug", _("药监")


class CaseTask(models.Model):
    """A department's task in a case, with its due date."""

    case = models.ForeignKey(Case, models.PROTECT, related_name="tasks")
    department = models.CharField(_("承办部门"), max_length=12, choices=Department)
    description = models.CharField(_("任务"), max_length=200)
    due_on = models.DateField(_("完成期限"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    result = models.TextField(_("办理结果"), blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    area_path = "case__area"
    objects = ScopedQuerySet["CaseTask"].as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("部门任务")
        verbose_name_plural = _("部门任务")
        constraints = [
            models.CheckConstraint(
                condition=Q(department__in=Department.values),
                name="oversight_casetask_department_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_department_display()}：{self.description}"


class InvestigationRecord(models.Model):
    """调查笔录: an interview or site record, by at least two investigators."""

    case = models.ForeignKey(Case, models.PROTECT, related_name="records")
    recorded_on = models.DateField(_("调查日期"))
    place = models.CharField(_("地点"), max_length=120, blank=True)
    interviewee = models.CharField(_("被调查人"), max_length=60)
    investigators = models.JSONField(_("调查人"), default=list)
    content = models.TextField(_("笔录内容"))
    attachment = models.ForeignKey(
        StoredFile,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("附件"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    area_path = "case__area"
    objects = ScopedQuerySet["InvestigationRecord"].as_manager()

    class Meta:
        ordering = ["recorded_on", "id"]
        verbose_name = _("调查笔录")
        verbose_name_plural = _("调查笔录")

    def __str__(self) -> str:
        return f"{self.recorded_on} {self.interviewee}"
