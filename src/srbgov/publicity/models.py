"""Publicity and training (宣传、培训): the activities of villages and townships and the
plan whose targets they count towards (docs/care.md §4). Seed: 炉山镇 summary §一,
XX镇 plan §三(一), 湫坡头镇 plan §四(一)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srbgov.areas.models import Area
from srbgov.core.scope import ScopedQuerySet
from srbgov.files.models import StoredFile


class ActivityKind(models.TextChoices):
    BANNER = "banner", _("标语、横幅")
    LEAFLET = "leaflet", _("宣传资料发放")
    BROADCAST = "broadcast", _("广播")
    TELEVISION = "television", _("电视")
    MEETING = "meeting", _("群众会议")
    HOME_VISIT = "home_visit", _("入户宣传")
    NEW_CUSTOMS = "new_customs", _("婚育新风进万家活动")
    CARE_FOR_GIRLS = "care_for_girls", _("关爱女孩活动")
    FESTIVAL_VISIT = "festival_visit", _("节日慰问")
    TRAINING = "training", _("业务培训")


class PublicityPlan(models.Model):
    """A township's (or the county's) yearly publicity plan: a target count of
    activities per kind (`targets`: kind → number)."""

    area = models.ForeignKey(
        Area, models.PROTECT, related_name="+", verbose_name=_("乡镇")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("计划名称"), max_length=120)
    targets = models.JSONField(_("目标（次数）"), default=dict)

    area_path = "area"
    objects = ScopedQuerySet["PublicityPlan"].as_manager()

    class Meta:
        ordering = ["-year", "area__code"]
        verbose_name = _("宣传计划")
        verbose_name_plural = _("宣传计划")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "year", "name"], name="publicity_plan_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"


class Activity(models.Model):
    """一次宣传或培训活动, with what it reached (items handed out or put up, people)."""

    area = models.ForeignKey(
        Area, models.PROTECT, related_name="+", verbose_name=_("村或乡镇")
    )
    kind = models.CharField(_("类别"), max_length=16, choices=ActivityKind)
    held_on = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=120)
    items = models.PositiveIntegerField(_("数量（幅、份、次）"), default=0)
    participants = models.PositiveIntegerField(_("参加人数"), default=0)
    plan = models.ForeignKey(
        PublicityPlan,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("所属计划"),
    )
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    area_path = "area"
    objects = ScopedQuerySet["Activity"].as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("宣传培训活动")
        verbose_name_plural = _("宣传培训活动")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ActivityKind.values),
                name="publicity_activity_kind_valid",
            ),
        ]
        indexes = [
            # activity_counts(): activities of an area subtree in a period.
            models.Index(fields=["held_on", "kind"], name="publicity_activity_by_date"),
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.get_kind_display()}"


class ActivityPhoto(models.Model):
    """A photo of the activity, cleaned by the upload pipeline (docs/uploads.md)."""

    activity = models.ForeignKey(Activity, models.PROTECT, related_name="photos")
    file = models.OneToOneField(StoredFile, models.PROTECT, related_name="+")

    area_path = "activity__area"
    objects = ScopedQuerySet["ActivityPhoto"].as_manager()

    def __str__(self) -> str:
        return self.file.original_name


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class Bulletin(models.Model):
    """简报: a township's or the county's bulletin, drafted from the period's activities
    and figures, edited, then published to the users of its area (docs/care.md §5).
    `body` is the draft text of reports/officialdoc.py (# headings, | tables |)."""

    area = models.ForeignKey(
        Area, models.PROTECT, related_name="+", verbose_name=_("乡镇或县")
    )
    number = models.CharField(_("期号"), max_length=40)
    title = models.CharField(_("标题"), max_length=120)
    period_start = models.DateField(_("起始日期"))
    period_end = models.DateField(_("截止日期"))
    body = models.TextField(_("正文"))
    status = models.CharField(
        _("状态"), max_length=10, choices=BulletinStatus, default=BulletinStatus.DRAFT
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    area_path = "area"
    objects = ScopedQuerySet["Bulletin"].as_manager()

    class Meta:
        ordering = ["-period_end", "-id"]
        verbose_name = _("简报")
        verbose_name_plural = _("简报")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=BulletinStatus.values),
                name="publicity_bulletin_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="publicity_bulletin_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.number}）"
