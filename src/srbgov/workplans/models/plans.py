"""The organisation of the work and its plans (docs/assessment.md "Organisation and work plans").

The leading group and its office with members and duties (XX镇 plan §五, 湫坡头镇 plan
§三1), the departments and their duties (中水镇 plan §三), and work plans (实施方案) with the
three phases of 湫坡头镇 plan §五 and tasks per department with owners and deadlines.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srbgov.areas.models import Area
from srbgov.core.scope import ScopedQuerySet


class Body(models.TextChoices):
    LEADING_GROUP = "leading_group", _("领导小组")
    OFFICE = "office", _("领导小组办公室")
    DEPARTMENT = "department", _("成员单位")


class Member(models.Model):
    """One seat: a person of the leading group or office, or a department, with its duty."""

    area = models.ForeignKey(
        Area, models.PROTECT, related_name="+", verbose_name=_("区划")
    )
    body = models.CharField(_("机构"), max_length=14, choices=Body)
    name = models.CharField(_("姓名/单位"), max_length=60)
    position = models.CharField(
        _("职务"), max_length=60, blank=True
    )  # 组长, 副组长, 成员
    duties = models.TextField(_("职责"), blank=True)
    position_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    area_path = "area"
    objects = ScopedQuerySet["Member"].as_manager()

    class Meta:
        ordering = ["area__code", "body", "position_order", "id"]
        verbose_name = _("组织成员")
        verbose_name_plural = _("组织成员")

    def __str__(self) -> str:
        return f"{self.get_body_display()} {self.name}"


class WorkPlan(models.Model):
    """实施方案: a year's or a campaign's plan with three phases and a report due date."""

    area = models.ForeignKey(
        Area, models.PROTECT, related_name="+", verbose_name=_("区划")
    )
    title = models.CharField(_("标题"), max_length=120)
    year = models.PositiveSmallIntegerField(_("年度"))
    goals = models.TextField(_("工作目标"))
    mobilise_starts_on = models.DateField(_("动员部署开始"))
    mobilise_ends_on = models.DateField(_("动员部署结束"))
    implement_starts_on = models.DateField(_("组织实施开始"))
    implement_ends_on = models.DateField(_("组织实施结束"))
    review_starts_on = models.DateField(_("总结验收开始"))
    review_ends_on = models.DateField(_("总结验收结束"))
    report_due_on = models.DateField(_("书面材料报送期限"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    area_path = "area"
    objects = ScopedQuerySet["WorkPlan"].as_manager()

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("实施方案")
        verbose_name_plural = _("实施方案")
        constraints = [
            models.CheckConstraint(
                condition=Q(mobilise_starts_on__lte=models.F("mobilise_ends_on"))
                & Q(mobilise_ends_on__lte=models.F("implement_starts_on"))
                & Q(implement_starts_on__lte=models.F("implement_ends_on"))
                & Q(implement_ends_on__lte=models.F("review_starts_on"))
                & Q(review_starts_on__lte=models.F("review_ends_on")),
                name="workplans_workplan_phases_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def phases(self) -> list[tuple[str, object, object]]:
        return [
            (str(_("动员部署")), self.mobilise_starts_on, self.mobilise_ends_on),
            (str(_("组织实施")), self.implement_starts_on, self.implement_ends_on),
            (str(_("总结验收")), self.review_starts_on, self.review_ends_on),
        ]


class Phase(models.TextChoices):
    MOBILISE = "mobilise", _("动员部署")
    IMPLEMENT = "implement", _("组织实施")
    REVIEW = "review", _("总结验收")


class PlanTaskQuerySet(ScopedQuerySet["PlanTask"]):
    def overdue(self, *, on: object) -> PlanTaskQuerySet:
        return self.filter(done_on__isnull=True, due_on__lt=on)


class PlanTask(models.Model):
    """A task with an owner and a deadline: of a work plan (in one of its phases) or a
    follow-up task of a joint meeting (联席会议 decisions, docs/assessment.md §4)."""

    plan = models.ForeignKey(
        WorkPlan, models.PROTECT, related_name="tasks", null=True, blank=True
    )
    meeting = models.ForeignKey(
        "workplans.JointMeeting",
        models.PROTECT,
        related_name="tasks",
        null=True,
        blank=True,
        verbose_name=_("联席会议"),
    )
    phase = models.CharField(_("阶段"), max_length=10, choices=Phase, blank=True)
    department = models.CharField(_("责任单位"), max_length=60)
    description = models.TextField(_("任务"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("责任人账号"),
    )
    owner_name = models.CharField(_("责任人"), max_length=60)
    due_on = models.DateField(_("完成期限"))
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    progress_note = models.TextField(_("进展情况"), blank=True)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    area_path = ("plan__area", "meeting__area")
    objects = PlanTaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("方案任务")
        verbose_name_plural = _("方案任务")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="workplans_plantask_progress_percent",
            ),
            # A task belongs to exactly one of a plan (with its phase) or a meeting.
            models.CheckConstraint(
                condition=(Q(plan__isnull=False, meeting__isnull=True) & ~Q(phase=""))
                | Q(plan__isnull=True, meeting__isnull=False, phase=""),
                name="workplans_plantask_plan_or_meeting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department}：{self.description[:20]}"

    @property
    def source_title(self) -> str:
        """The plan's title, or the meeting it was decided at."""
        if self.plan is not None:
            return self.plan.title
        meeting = self.meeting
        return str(meeting) if meeting is not None else ""
