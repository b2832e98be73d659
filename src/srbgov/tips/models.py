"""有奖举报: confidential tip-offs, their messages, attachments, rewards and the county's
reward policy (docs/design.md §1.4; seed: 中水镇 plan §二4, XX镇 plan §四4).

What is stored about a reporter is the minimum: no client address, no user agent, no
original file names, dates without the time of day, and the contact and name only
encrypted with the tips key (SRBGOV_TIPS_KEY), which is not the registry's key.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srbgov.areas.models import Area
from srbgov.core.scope import ScopedQuerySet


class Category(models.TextChoices):
    SEX_IDENTIFICATION = "sex_identification", _("非医学需要鉴定胎儿性别")
    SELECTIVE_TERMINATION = "selective_termination", _("非医学需要选择性别终止妊娠")
    DRUG_SALE = "drug_sale", _("违规销售终止妊娠药品")
    INTERMEDIARY = "intermediary", _("为“两非”牵线的中介")
    INFANT_ABANDONMENT = "infant_abandonment", _("遗弃女婴")
    OTHER = "other", _("其他")


# The categories that count as a “两非” lead for the village assessment (XX镇 plan §二:
# each village at least one a year): identification, selective termination, and the
# drug sales and go-betweens that make them possible.
LIANGFEI_CATEGORIES = (
    Category.SEX_IDENTIFICATION,
    Category.SELECTIVE_TERMINATION,
    Category.DRUG_SALE,
    Category.INTERMEDIARY,
)


class TipStatus(models.TextChoices):
    RECEIVED = "received", _("已受理")
    VERIFYING = "verifying", _("核查中")
    VERIFIED = "verified", _("已查实")
    NOT_VERIFIED = "not_verified", _("未查实")
    CLOSED = "closed", _("已结案")


class TipQuerySet(ScopedQuerySet["Tip"]):
    """Scoped by `area_path` on the model (srbgov.core.scope)."""


class Tip(models.Model):
    """举报线索: one report from the public, reachable by its reporter only through the
    receipt code, of which only a keyed hash (HMAC-SHA256) is stored."""

    county = models.ForeignKey(
        Area, models.PROTECT, related_name="tips", verbose_name=_("县")
    )
    category = models.CharField(_("举报事项"), max_length=24, choices=Category)
    place_area = models.ForeignKey(
        Area,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="tips_located",
        verbose_name=_("发生地（乡镇/村）"),
    )
    place_text = models.CharField(_("发生地（补充说明）"), max_length=200, blank=True)
    occurred_on = models.DateField(_("发生日期"), null=True, blank=True)
    occurred_text = models.CharField(_("发生时间（说明）"), max_length=100, blank=True)
    description = models.TextField(_("举报内容"))
    # AES-GCM under the tips key; decrypted only by the tip officer, each time logged.
    contact_encrypted = models.TextField(_("联系方式（加密）"), blank=True)
    name_encrypted = models.TextField(_("举报人姓名（加密）"), blank=True)
    wants_reward = models.BooleanField(_("申请奖励"), default=False)
    receipt_hash = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(
        _("状态"), max_length=16, choices=TipStatus, default=TipStatus.RECEIVED
    )
    township = models.ForeignKey(
        Area,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="tips_assigned",
        verbose_name=_("承办乡镇"),
    )
    # The case (案件) opened from this tip or that it was linked to (oversight app).
    case = models.ForeignKey(
        "oversight.Case",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="tips",
        verbose_name=_("关联案件"),
    )
    # True 查实, False 未查实, None not decided yet; kept when the tip is closed.
    is_verified = models.BooleanField(_("是否查实"), null=True, blank=True)
    verdict_reason = models.TextField(_("核查结论说明"), blank=True)
    decided_on = models.DateField(_("核查结论日期"), null=True, blank=True)
    # The day only: a time to the second could be matched against network logs.
    received_on = models.DateField(_("受理日期"), default=timezone.localdate)
    # Per-code follow-up limit: opens in the current hour (the hour, not the minute).
    follow_up_hour = models.DateTimeField(null=True, blank=True, editable=False)
    follow_up_count = models.PositiveIntegerField(default=0, editable=False)

    area_path = ("township", "county")
    objects = TipQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("举报线索")
        verbose_name_plural = _("举报线索")
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=Category.values),
                name="tips_tip_category_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=TipStatus.values), name="tips_tip_status_valid"
            ),
            # A verdict always carries its reason, and the status agrees with it.
            models.CheckConstraint(
                condition=Q(is_verified__isnull=True) | ~Q(verdict_reason=""),
                name="tips_tip_verdict_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[TipStatus.VERIFIED, TipStatus.NOT_VERIFIED])
                | Q(is_verified=True, status=TipStatus.VERIFIED)
                | Q(is_verified=False, status=TipStatus.NOT_VERIFIED),
                name="tips_tip_status_matches_verdict",
            ),
        ]
        indexes = [
            # The tip officer's list: a county's tips by status, newest first.
            models.Index(
                fields=["county", "status", "received_on"], name="tips_tip_by_status"
            ),
            # A township officer's list of tips assigned to the township.
            models.Index(
                fields=["township", "received_on"], name="tips_tip_by_township"
            ),
        ]

    def __str__(self) -> str:
        return f"举报线索 {self.reference}"

    @property
    def reference(self) -> str:
        return f"JB{self.pk:06d}" if self.pk else "JB—"

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_encrypted or self.name_encrypted)

    @property
    def is_liangfei(self) -> bool:
        return self.category in LIANGFEI_CATEGORIES

    # What the tip's status still allows; the services check the same predicates and
    # the detail page shows a form only when its action applies (docs/homes.md).
    @property
    def can_hand_over(self) -> bool:
        """交乡镇核查: before a verdict; after it the township has done its part."""
        return self.status in (TipStatus.RECEIVED, TipStatus.VERIFYING)

    @property
    def can_take_case(self) -> bool:
        """关联案件 / 据此立案: no case yet, and not found unfounded or closed."""
        return self.case_id is None and self.status in (
            TipStatus.RECEIVED,
            TipStatus.VERIFYING,
            TipStatus.VERIFIED,
        )


class AttachmentKind(models.TextChoices):
    IMAGE = "image", _("照片")
    PDF = "pdf", _("PDF文件")


class TipAttachment(models.Model):
    """A photo (re-encoded, no metadata) or PDF, stored under PRIVATE_MEDIA_ROOT/tips/
    under a random name; the reporter's file name is not kept."""

    tip = models.ForeignKey(Tip, models.PROTECT, related_name="attachments")
    # Set for a file the reporter sent with an answer; empty for the tip's own files.
    message = models.ForeignKey(
        "TipMessage",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("随回复上传"),
    )
    kind = models.CharField(_("类型"), max_length=8, choices=AttachmentKind)
    stored_name = models.CharField(max_length=64, unique=True, editable=False)
    size = models.PositiveIntegerField(_("大小（字节）"))
    position = models.PositiveSmallIntegerField(_("序号"))

    area_path = ("tip__township", "tip__county")
    objects = ScopedQuerySet["TipAttachment"].as_manager()

    class Meta:
        ordering = ["tip", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=AttachmentKind.values),
                name="tips_tipattachment_kind_valid",
            ),
            models.UniqueConstraint(
                fields=["tip", "position"], name="tips_tipattachment_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def extension(self) -> str:
        return self.stored_name.rsplit(".", 1)[-1]

    @property
    def content_type(self) -> str:
        return {"jpg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}[
            self.extension
        ]

    @property
    def display_name(self) -> str:
        return f"附件{self.position}.{self.extension}"


class TipMessage(models.Model):
    """A question from the tip officer or an answer from the reporter (by receipt code)."""

    tip = models.ForeignKey(Tip, models.PROTECT, related_name="messages")
    from_reporter = models.BooleanField(_("举报人发出"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发送人"),
    )
    body = models.TextField(_("内容"))
    sent_on = models.DateField(_("日期"), default=timezone.localdate)

    area_path = ("tip__township", "tip__county")
    objects = ScopedQuerySet["TipMessage"].as_manager()

    class Meta:
        ordering = ["tip", "id"]
        constraints = [
            # The reporter has no account; an officer always does.
            models.CheckConstraint(
                condition=Q(from_reporter=True, author__isnull=True)
                | Q(from_reporter=False, author__isnull=False),
                name="tips_tipmessage_author_matches_side",
            ),
        ]
        indexes = [
            # Per-code limit: the reporter's messages on one tip today.
            models.Index(
                fields=["tip", "from_reporter", "sent_on"], name="tips_message_by_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tip} {self.sent_on}"


class TipPolicy(models.Model):
    """有奖举报政策: a county's reward ranges in yuan (policy data, not code).

    Defaults from the seed: a verified tip 500–1000 (XX镇 plan §四4), up to 3000 for a
    tip that cracks a major case (中水镇 plan §二4 pays 3000); units and staff who crack
    a major case 1000–2025 (XX镇 plan §四4; kept here for the cases app)."""

    county = models.OneToOneField(
        Area, models.PROTECT, related_name="tip_policy", verbose_name=_("县")
    )
    verified_min = models.PositiveIntegerField(_("查实举报奖励下限（元）"), default=500)
    verified_max = models.PositiveIntegerField(
        _("查实举报奖励上限（元）"), default=1000
    )
    major_max = models.PositiveIntegerField(
        _("重大案件举报奖励上限（元）"), default=3000
    )
    merit_min = models.PositiveIntegerField(
        _("查处重大案件有功奖励下限（元）"), default=1000
    )
    merit_max = models.PositiveIntegerField(
        _("查处重大案件有功奖励上限（元）"), default=2025
    )
    hotline = models.CharField(_("举报电话"), max_length=40, blank=True)
    mailbox = models.CharField(_("举报信箱"), max_length=120, blank=True)
    collection_instructions = models.TextField(
        _("领取奖励的方式"),
        default="请携带回执码到县卫生健康局举报受理室领取，无需出示身份证件；领款凭证以回执码签收。",
    )

    area_path = "county"
    objects = ScopedQuerySet["TipPolicy"].as_manager()

    class Meta:
        verbose_name = _("有奖举报政策")
        verbose_name_plural = _("有奖举报政策")
        constraints = [
            models.CheckConstraint(
                condition=Q(verified_min__lte=F("verified_max"))
                & Q(verified_max__lte=F("major_max"))
                & Q(merit_min__lte=F("merit_max")),
                name="tips_tippolicy_ranges_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.county.name} {self._meta.verbose_name}"


class RewardKind(models.TextChoices):
    VERIFIED = "verified", _("查实举报奖励")
    MAJOR = "major", _("重大案件举报奖励")


class RewardStatus(models.TextChoices):
    PROPOSED = "proposed", _("待审批")
    APPROVED = "approved", _("已批准，待领取")
    REJECTED = "rejected", _("未批准")
    PAID = "paid", _("已发放")


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("现金")
    TRANSFER = "transfer", _("银行转账")
    OTHER = "other", _("其他")


class RewardQuerySet(ScopedQuerySet["Reward"]):
    """Scoped by `area_path` on the model (srbgov.core.scope)."""


class Reward(models.Model):
    """举报奖励: proposed by the tip officer, approved by a second county user, paid
    against a receipt signed with the receipt code (or a name the reporter gave)."""

    tip = models.OneToOneField(Tip, models.PROTECT, related_name="reward")
    kind = models.CharField(_("奖励类别"), max_length=12, choices=RewardKind)
    amount = models.PositiveIntegerField(_("金额（元）"))
    reason = models.TextField(_("理由"))
    status = models.CharField(
        _("状态"), max_length=12, choices=RewardStatus, default=RewardStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        verbose_name=_("提出人"),
    )
    proposed_on = models.DateField(_("提出日期"), default=timezone.localdate)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审批人"),
    )
    decided_on = models.DateField(_("审批日期"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    paid_on = models.DateField(_("发放日期"), null=True, blank=True)
    paid_method = models.CharField(
        _("发放方式"), max_length=12, choices=PaymentMethod, blank=True
    )
    payment_note = models.CharField(_("发放说明"), max_length=200, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("经办人"),
    )
    signed_by_code = models.BooleanField(_("凭回执码签收"), default=False)
    signer_name_encrypted = models.TextField(_("签收人姓名（加密）"), blank=True)

    area_path = ("tip__township", "tip__county")
    objects = RewardQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_on", "-id"]
        verbose_name = _("举报奖励")
        verbose_name_plural = _("举报奖励")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=RewardKind.values), name="tips_reward_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=RewardStatus.values),
                name="tips_reward_status_valid",
            ),
            # Four eyes: whoever proposes may not approve.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("proposed_by")),
                name="tips_reward_second_approver",
            ),
            models.CheckConstraint(
                condition=~Q(status=RewardStatus.PAID)
                | (
                    Q(paid_on__isnull=False, decided_by__isnull=False)
                    & ~Q(paid_method="")
                    & (Q(signed_by_code=True) | ~Q(signer_name_encrypted=""))
                ),
                name="tips_reward_paid_is_complete",
            ),
        ]
        indexes = [
            # The approvals list: rewards of a county waiting for a decision.
            models.Index(
                fields=["status", "proposed_on"], name="tips_reward_by_status"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tip.reference} {self.amount}元"


class SpentChallenge(models.Model):
    """A proof-of-work challenge already used, so it cannot be replayed. The challenge
    was made by the server at random: nothing here is tied to a client."""

    digest = models.CharField(max_length=64, unique=True)
    spent_on = models.DateField(default=timezone.localdate)

    class Meta:
        indexes = [
            # Pruning: challenges older than their two-hour life.
            models.Index(fields=["spent_on"], name="tips_spentchallenge_by_day"),
        ]

    def __str__(self) -> str:
        return self.digest[:12]
