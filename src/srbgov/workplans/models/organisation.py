"""Responsibility books, joint meetings and supervision visits (docs/assessment.md §4).

Seed: 湫坡头镇 plan §三 (层层签订目标管理责任书, 联席会议制度), XX镇 plan §四3 and §五
(督查, 限期整改), 炉山镇 summary §二. These are the offices' and villages' own work: no model
here holds a person's record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srbgov.areas.models import Area
from srbgov.core.scope import ScopedQuerySet
from srbgov.files.models import StoredFile
from srbgov.workplans.models.plans import Member


class BookStatus(models.TextChoices):
    DRAFT = "draft", _("待签订")
    SIGNED = "signed", _("已签订")


class ResponsibilityBook(models.Model):
    """责任书: the level above (county or township) and one party below it — a township,
    a village, or a member unit (department) of the township — for one year."""

    issuer = models.ForeignKey(
        Area, models.PROTECT, related_name="+", verbose_name=_("发出单位")
    )
    party_area = models.ForeignKey(
        Area,
        models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("签订乡镇/村"),
    )
    party_unit = models.ForeignKey(
        Member,
        models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("签订成员单位"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("标题"), max_length=120)
    # A snapshot of the year's assessment indicators at drafting: [{"key", "name",
    # "target"}]; the book keeps what was signed even if the indicators change later.
    indicators = models.JSONField(_("考核指标"), default=list, blank=True)
    targets = models.TextField(_("其他目标和责任"), blank=True)
    status = models.CharField(
        _("状态"), max_length=8, choices=BookStatus, default=BookStatus.DRAFT
    )
    signed_on = models.DateField(_("签订日期"), null=True, blank=True)
    signer_name = models.CharField(_("签订人"), max_length=60, blank=True)
    scan = models.ForeignKey(
        StoredFile,
        models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("签字盖章扫描件"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    # The party's area (a township or village) when there is one, else the issuing
    # township (a member unit's book): the party sees its book, the issuer sees all.
    area_path = ("party_area", "issuer")
    objects = ScopedQuerySet["ResponsibilityBook"].as_manager()

    class Meta:
        ordering = ["-year", "issuer__code", "party_area__code", "id"]
        verbose_name = _("责任书")
        verbose_name_plural = _("责任书")
        constraints = [
            models.CheckConstraint(
                condition=Q(party_area__isnull=True) ^ Q(party_unit__isnull=True),
                name="workplans_book_one_party",
            ),
            models.CheckConstraint(
                condition=Q(status=BookStatus.DRAFT)
                | Q(
                    status=BookStatus.SIGNED,
                    signed_on__isnull=False,
                    scan__isnull=False,
                ),
                name="workplans_book_signed_has_scan",
            ),
            models.UniqueConstraint(
                fields=["year", "issuer", "party_area"],
                condition=Q(party_area__isnull=False),
                name="workplans_book_one_per_area_year",
            ),
            models.UniqueConstraint(
                fields=["year", "issuer", "party_unit"],
                condition=Q(party_unit__isnull=False),
                name="workplans_book_one_per_unit_year",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def party_name(self) -> str:
        if self.party_area is not None:
            return self.party_area.name
        return self.party_unit.name if self.party_unit is not None else ""


class JointMeeting(models.Model):
    """联席会议: the leading group with its member departments, on a date, with topics,
    decisions and follow-up tasks (`PlanTask` rows with `meeting` set)."""

    area = models.ForeignKey(
        Area, models.PROTECT, related_name="+", verbose_name=_("区划")
    )
    held_on = models.DateField(_("会议日期"))
    convener = models.CharField(_("召集人"), max_length=60)
    attendees = models.ManyToManyField(
        Member, related_name="meetings", verbose_name=_("参会成员"), blank=True
    )
    other_attendees = models.CharField(_("其他参会人员"), max_length=200, blank=True)
    topics = models.TextField(_("议题"))
    decisions = models.TextField(_("会议决定"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    area_path = "area"
    objects = ScopedQuerySet["JointMeeting"].as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("联席会议")
        verbose_name_plural = _("联席会议")

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {_('联席会议')}"


class SupervisionVisit(models.Model):
    """督查: a team of the township (or county) visits a village or a member unit and
    records its findings; each finding to put right is a `SupervisionItem`."""

    area = models.ForeignKey(
        Area, models.PROTECT, related_name="+", verbose_name=_("组织督查单位")
    )
    visited_area = models.ForeignKey(
        Area,
        models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("被督查村/乡镇"),
    )
    visited_unit = models.ForeignKey(
        Member,
        models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("被督查成员单位"),
    )
    visited_on = models.DateField(_("督查日期"))
    team = models.CharField(_("督查组成员"), max_length=200)
    findings = models.TextField(_("督查发现"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    # The visited village (it sees its visit and answers the items), else the
    # organiser's area (a member unit has no area of its own).
    area_path = ("visited_area", "area")
    objects = ScopedQuerySet["SupervisionVisit"].as_manager()

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("督查")
        verbose_name_plural = _("督查")
        constraints = [
            models.CheckConstraint(
                condition=Q(visited_area__isnull=True) ^ Q(visited_unit__isnull=True),
                name="workplans_supervision_one_visited",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visited_on:%Y-%m-%d} {_('督查')} {self.visited_name}"

    @property
    def visited_name(self) -> str:
        if self.visited_area is not None:
            return self.visited_area.name
        return self.visited_unit.name if self.visited_unit is not None else ""


class ItemStatus(models.TextChoices):
    OPEN = "open", _("待整改")
    REPORTED = "reported", _("已报整改情况")
    CLOSED = "closed", _("整改完成")


class SupervisionItemQuerySet(ScopedQuerySet["SupervisionItem"]):
    def unfinished(self) -> SupervisionItemQuerySet:
        return self.exclude(status=ItemStatus.CLOSED)

    def overdue(self, *, on: object) -> SupervisionItemQuerySet:
        return self.unfinished().filter(deadline__lt=on)


class SupervisionItem(models.Model):
    """整改事项: one problem a supervision visit found, to put right by a deadline. The
    visited unit reports its measures; the township reviews and closes (or returns)."""

    visit = models.ForeignKey(SupervisionVisit, models.PROTECT, related_name="items")
    description = models.TextField(_("存在问题"))
    deadline = models.DateField(_("整改期限"))
    status = models.CharField(
        _("状态"), max_length=8, choices=ItemStatus, default=ItemStatus.OPEN
    )
    measures = models.TextField(_("整改措施"), blank=True)
    reported_on = models.DateField(_("报告日期"), null=True, blank=True)
    review_note = models.TextField(_("审核意见"), blank=True)
    closed_on = models.DateField(_("完成日期"), null=True, blank=True)

    area_path = ("visit__visited_area", "visit__area")
    objects = SupervisionItemQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("督查整改事项")
        verbose_name_plural = _("督查整改事项")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ItemStatus.values),
                name="workplans_supervisionitem_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status=ItemStatus.CLOSED) | Q(closed_on__isnull=False),
                name="workplans_supervisionitem_closed_has_date",
            ),
        ]
        indexes = [
            # The overdue list and the home figure: unfinished items by deadline.
            models.Index(
                fields=["status", "deadline"], name="workplans_item_by_deadline"
            ),
        ]

    def __str__(self) -> str:
        return self.description[:30]
