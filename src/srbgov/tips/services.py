"""Every write to the tip-offs (有奖举报). Keyword-only, atomic; staff actions audited.

The reporter's own actions (filing, answering) are not written to the audit log: its
entries carry the second they happened, which could be matched against a network log
to find the reporter. The tip and its messages, dated by the day, are their record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from srbgov.areas.models import Area, AreaLevel
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.oversight import services as oversight_services
from srbgov.oversight.models import Case, CaseSource, CaseStatus
from srbgov.people.crypto import FieldCipher, cipher_for
from srbgov.tips import receipt, uploads
from srbgov.tips.models import (
    PaymentMethod,
    Reward,
    RewardKind,
    RewardStatus,
    Tip,
    TipAttachment,
    TipMessage,
    TipPolicy,
    TipStatus,
)

if TYPE_CHECKING:
    from srbgov.accounts.models import User

# Per receipt code: how often the follow-up page opens in an hour, and how many answers
# a day. Past the limit the page answers exactly as for a wrong code.
FOLLOW_UPS_PER_HOUR = 30
REPLIES_PER_DAY = 10
MAX_TEXT = 5000


def tips_cipher() -> FieldCipher:
    """The tips key, separate from the registry's (docs/design.md §2)."""
    return cipher_for(settings.TIPS_ENCRYPTION_KEY, "SRBGOV_TIPS_KEY")


def policy_for(county: Area) -> TipPolicy:
    """The county's reward policy; the seed defaults until the administrator saves one."""
    return TipPolicy.objects.filter(county=county).first() or TipPolicy(county=county)


@dataclass(frozen=True)
class Filed:
    tip: Tip
    code: str  # shown once to the reporter, never stored


def submit_tip(
    *,
    county: Area,
    category: str,
    description: str,
    place_area: Area | None = None,
    place_text: str = "",
    occurred_on: date | None = None,
    occurred_text: str = "",
    contact: str = "",
    name: str = "",
    wants_reward: bool = False,
    files: Sequence[UploadedFile] = (),
) -> Filed:
    """File a tip from the public page. Returns the receipt code, which exists nowhere
    else: only its keyed hash is saved.

    The files are decoded and re-encoded first, outside any transaction and under an
    anonymous upload slot (`uploads.clean_all`, which may answer `Busy`); only then is
    the transaction opened to write the tip, the cleaned files and their rows."""
    if county.level != AreaLevel.COUNTY:
        raise ValidationError({"county": ["请选择县。"]})
    if place_area is not None and not county.contains(place_area):
        raise ValidationError({"place_area": ["发生地不在本县。"]})
    if not description.strip():
        raise ValidationError({"description": ["请写明举报的具体内容。"]})
    if len(files) > uploads.MAX_FILES:
        raise ValidationError({"files": ["最多上传3个文件。"]})
    if today_is_before(occurred_on):
        raise ValidationError({"occurred_on": ["发生日期不能晚于今天。"]})
    cleaned = uploads.clean_all(files)
    return _record_tip(
        county=county,
        category=category,
        description=description,
        place_area=place_area,
        place_text=place_text,
        occurred_on=occurred_on,
        occurred_text=occurred_text,
        contact=contact,
        name=name,
        wants_reward=wants_reward,
        cleaned=cleaned,
    )


@transaction.atomic
def _record_tip(
    *,
    county: Area,
    category: str,
    description: str,
    place_area: Area | None,
    place_text: str,
    occurred_on: date | None,
    occurred_text: str,
    contact: str,
    name: str,
    wants_reward: bool,
    cleaned: Sequence[uploads.CleanFile],
) -> Filed:
    cipher = tips_cipher()
    code = receipt.new_code()
    tip = Tip(
        county=county,
        category=category,
        place_area=place_area,
        place_text=place_text.strip(),
        occurred_on=occurred_on,
        occurred_text=occurred_text.strip(),
        description=description.strip()[:MAX_TEXT],
        contact_encrypted=cipher.encrypt(contact.strip()) if contact.strip() else "",
        name_encrypted=cipher.encrypt(name.strip()) if name.strip() else "",
        wants_reward=wants_reward,
        receipt_hash=receipt.receipt_hash(cipher, code),
    )
    tip.full_clean()
    tip.save()
    # A file written here is removed again if the transaction rolls back
    # (srbgov.files.storage): nothing half-written stays on disk.
    for position, clean in enumerate(cleaned, start=1):
        TipAttachment.objects.create(
            tip=tip,
            kind=clean.kind,
            stored_name=uploads.store(clean),
            size=len(clean.content),
            position=position,
        )
    return Filed(tip=tip, code=code)


def today_is_before(day: date | None) -> bool:
    return day is not None and day > timezone.localdate()


def find_by_receipt(typed_code: str) -> Tip | None:
    """The tip for a typed receipt code, or None: for a wrong code, a malformed one, or a
    right one past its hourly limit alike. The same work is done in every case (one
    keyed hash, one indexed query), so the time taken tells nothing either."""
    cipher = tips_cipher()
    code = receipt.normalize(typed_code)
    hashed = receipt.receipt_hash(cipher, code or "-" * receipt.LENGTH)
    tip = Tip.objects.filter(receipt_hash=hashed).first()
    if tip is None or not code or not receipt.matches(cipher, code, tip.receipt_hash):
        return None
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    if tip.follow_up_hour != hour:
        Tip.objects.filter(pk=tip.pk).update(follow_up_hour=hour, follow_up_count=1)
        return tip
    if tip.follow_up_count >= FOLLOW_UPS_PER_HOUR:
        return None
    Tip.objects.filter(pk=tip.pk).update(follow_up_count=F("follow_up_count") + 1)
    return tip


def reporter_reply(
    *, tip: Tip, body: str, files: Sequence[UploadedFile] = ()
) -> TipMessage:
    """The reporter answers the tip officer, holding only the receipt code, with up to
    three photos or PDFs, cleaned like the tip's own before the transaction opens."""
    if tip.status == TipStatus.CLOSED:
        raise ValidationError(
            {"body": ["本举报已结案，不能再补充。如有新情况请重新举报。"]}
        )
    if not body.strip():
        raise ValidationError({"body": ["请填写回复内容。"]})
    if len(files) > uploads.MAX_FILES:
        raise ValidationError({"evidence": ["最多上传3个文件。"]})
    return _save_reply(tip=tip, body=body, cleaned=uploads.clean_all(files))


@transaction.atomic
def _save_reply(
    *, tip: Tip, body: str, cleaned: Sequence[uploads.CleanFile]
) -> TipMessage:
    # The row lock orders two answers arriving at once: the day's count and the
    # attachment positions stay right.
    tip = _locked(tip)
    today = timezone.localdate()
    sent_today = TipMessage.objects.filter(
        tip=tip, from_reporter=True, sent_on=today
    ).count()
    if sent_today >= REPLIES_PER_DAY:
        raise ValidationError({"body": ["今天的补充次数已达上限，请明天再来。"]})
    message = TipMessage(
        tip=tip, from_reporter=True, body=body.strip()[:MAX_TEXT], sent_on=today
    )
    message.full_clean()
    message.save()
    last = tip.attachments.aggregate(last=Max("position"))["last"] or 0
    for offset, clean in enumerate(cleaned, start=1):
        TipAttachment.objects.create(
            tip=tip,
            message=message,
            kind=clean.kind,
            stored_name=uploads.store(clean),
            size=len(clean.content),
            position=last + offset,
        )
    return message


@transaction.atomic
def ask_reporter(*, by: User, tip: Tip, body: str) -> TipMessage:
    """The tip officer's question, read by the reporter on the follow-up page."""
    if not body.strip():
        raise ValidationError({"body": ["请填写要询问举报人的问题。"]})
    if tip.status == TipStatus.CLOSED:
        raise ValidationError({"body": ["本举报已结案。"]})
    message = TipMessage(
        tip=tip, from_reporter=False, author=by, body=body.strip()[:MAX_TEXT]
    )
    message.full_clean()
    message.save()
    record(user=by, action=AuditAction.CREATE, obj=message, object_repr=str(tip))
    return message


def _locked(tip: Tip) -> Tip:
    return Tip.objects.select_for_update().get(pk=tip.pk)


@transaction.atomic
def assign_township(*, by: User, tip: Tip, township: Area) -> Tip:
    """Triage: the township that verifies the tip; a received tip is now being verified."""
    tip = _locked(tip)
    if township.level != AreaLevel.TOWNSHIP or not tip.county.contains(township):
        raise ValidationError({"township": ["请选择本县的乡镇。"]})
    if tip.status == TipStatus.CLOSED:
        raise ValidationError({"township": ["本举报已结案。"]})
    if not tip.can_hand_over:
        raise ValidationError({"township": ["已作出核查结论，不能再交乡镇核查。"]})
    tip.township = township
    if tip.status == TipStatus.RECEIVED:
        tip.status = TipStatus.VERIFYING
    tip.full_clean()
    tip.save()
    record(
        user=by,
        action=AuditAction.UPDATE,
        obj=tip,
        detail={"township": township.code, "status": tip.status},
    )
    return tip


@transaction.atomic
def decide(*, by: User, tip: Tip, verified: bool, reason: str) -> Tip:
    """查实 or 未查实, always with the reason."""
    tip = _locked(tip)
    if not reason.strip():
        raise ValidationError({"reason": ["请写明核查结论的理由。"]})
    if tip.status == TipStatus.CLOSED:
        raise ValidationError({"reason": ["本举报已结案。"]})
    if hasattr(tip, "reward") and tip.reward.status != RewardStatus.REJECTED:
        raise ValidationError({"reason": ["已提出奖励，不能再改核查结论。"]})
    tip.status = TipStatus.VERIFIED if verified else TipStatus.NOT_VERIFIED
    tip.is_verified = verified
    tip.verdict_reason = reason.strip()
    tip.decided_on = timezone.localdate()
    tip.full_clean()
    tip.save()
    record(user=by, action=AuditAction.UPDATE, obj=tip, detail={"status": tip.status})
    return tip


@transaction.atomic
def close_tip(*, by: User, tip: Tip) -> Tip:
    tip = _locked(tip)
    if tip.status not in (TipStatus.VERIFIED, TipStatus.NOT_VERIFIED):
        raise ValidationError({"status": ["请先作出核查结论，再结案。"]})
    reward = getattr(tip, "reward", None)
    if reward is not None and reward.status in (
        RewardStatus.PROPOSED,
        RewardStatus.APPROVED,
    ):
        raise ValidationError({"status": ["奖励尚未审批或发放，暂不能结案。"]})
    tip.status = TipStatus.CLOSED
    tip.save(update_fields=["status"])
    record(user=by, action=AuditAction.UPDATE, obj=tip, detail={"status": "closed"})
    return tip


@dataclass(frozen=True)
class Revealed:
    contact: str
    name: str


@transaction.atomic
def reveal_contact(*, by: User, tip: Tip, reason: str) -> Revealed:
    """Decrypt the reporter's contact and name for the tip officer; the reason is kept
    in the audit log (AuditAction.REVEAL), which the auditor reads."""
    reason = reason.strip()
    if len(reason) < 4:
        raise ValidationError({"reason": ["请写明查看举报人信息的理由（至少4个字）。"]})
    cipher = tips_cipher()
    revealed = Revealed(
        contact=cipher.decrypt(tip.contact_encrypted) if tip.contact_encrypted else "",
        name=cipher.decrypt(tip.name_encrypted) if tip.name_encrypted else "",
    )
    record(
        user=by,
        action=AuditAction.REVEAL,
        obj=tip,
        object_repr=f"{tip}：{reason}",
        detail={"reason": reason},
    )
    return revealed


def reward_range(policy: TipPolicy, kind: str) -> tuple[int, int]:
    """Seed: verified 500–1000 (XX镇); a tip that cracks a major case up to 3000 (中水镇)."""
    if kind == RewardKind.MAJOR:
        return policy.verified_max, policy.major_max
    return policy.verified_min, policy.verified_max


@transaction.atomic
def propose_reward(
    *, by: User, tip: Tip, kind: str, amount: int, reason: str
) -> Reward:
    tip = _locked(tip)
    if tip.status != TipStatus.VERIFIED:
        raise ValidationError({"amount": ["只有查实的举报才能给予奖励。"]})
    if not reason.strip():
        raise ValidationError({"reason": ["请写明奖励金额的理由。"]})
    low, high = reward_range(policy_for(tip.county), kind)
    if not low <= amount <= high:
        raise ValidationError(
            {"amount": [f"奖励金额须在本县政策范围 {low}–{high} 元之内。"]}
        )
    reward = Reward.objects.filter(tip=tip).first()
    if reward is not None and reward.status != RewardStatus.REJECTED:
        raise ValidationError({"amount": ["本举报已提出过奖励。"]})
    reward = reward or Reward(tip=tip, proposed_by=by)
    reward.kind, reward.amount, reward.reason = kind, amount, reason.strip()
    reward.proposed_by, reward.proposed_on = by, timezone.localdate()
    reward.status, reward.decided_by, reward.decided_on = (
        RewardStatus.PROPOSED,
        None,
        None,
    )
    reward.full_clean()
    reward.save()
    record(
        user=by,
        action=AuditAction.CREATE,
        obj=reward,
        detail={"amount": amount, "kind": kind},
    )
    return reward


@transaction.atomic
def decide_reward(*, by: User, reward: Reward, approve: bool, note: str = "") -> Reward:
    """The second county user's decision; the proposer cannot approve their own."""
    reward = Reward.objects.select_for_update().get(pk=reward.pk)
    if reward.status != RewardStatus.PROPOSED:
        raise ValidationError({"note": ["该奖励不在待审批状态。"]})
    if reward.proposed_by_id == by.pk:
        raise ValidationError({"note": ["奖励须由提出人以外的另一名县级人员审批。"]})
    if not approve and not note.strip():
        raise ValidationError({"note": ["不批准时请写明意见。"]})
    reward.status = RewardStatus.APPROVED if approve else RewardStatus.REJECTED
    reward.decided_by, reward.decided_on = by, timezone.localdate()
    reward.decision_note = note.strip()
    reward.full_clean()
    reward.save()
    record(
        user=by, action=AuditAction.UPDATE, obj=reward, detail={"status": reward.status}
    )
    return reward


@transaction.atomic
def pay_reward(
    *,
    by: User,
    reward: Reward,
    paid_on: date,
    method: str,
    receipt_code: str = "",
    signer_name: str = "",
    note: str = "",
) -> Reward:
    """Record the payment. The receipt is signed with the receipt code, which proves the
    collector holds it without naming them; a name only if the reporter chose to give it."""
    reward = Reward.objects.select_for_update().select_related("tip").get(pk=reward.pk)
    if reward.status != RewardStatus.APPROVED:
        raise ValidationError({"paid_on": ["只有已批准的奖励才能发放。"]})
    if method not in PaymentMethod.values:
        raise ValidationError({"method": ["请选择发放方式。"]})
    if paid_on > timezone.localdate() or paid_on < reward.decided_on:  # type: ignore[operator]
        raise ValidationError({"paid_on": ["发放日期须在审批之后、今天之前。"]})
    cipher = tips_cipher()
    signed_by_code = bool(receipt_code.strip())
    if signed_by_code and not receipt.matches(
        cipher, receipt.normalize(receipt_code), reward.tip.receipt_hash
    ):
        raise ValidationError({"receipt_code": ["回执码与本举报不符，不能发放。"]})
    if not signed_by_code and not signer_name.strip():
        raise ValidationError(
            {"receipt_code": ["请由领取人输入回执码签收，或填写签收人姓名。"]}
        )
    reward.status = RewardStatus.PAID
    reward.paid_on, reward.paid_method, reward.paid_by = paid_on, method, by
    reward.payment_note = note.strip()[:200]
    reward.signed_by_code = signed_by_code
    reward.signer_name_encrypted = (
        cipher.encrypt(signer_name.strip()) if signer_name.strip() else ""
    )
    reward.full_clean()
    reward.save()
    record(
        user=by,
        action=AuditAction.UPDATE,
        obj=reward,
        detail={"status": "paid", "signed_by_code": signed_by_code},
    )
    return reward


def cases_to_link(tip: Tip) -> QuerySet[Case]:
    """Open cases of the tip's county, for the tip officer to link the tip to."""
    return (
        Case.objects.in_area(tip.county)
        .filter(status=CaseStatus.OPEN)
        .select_related("area")
    )


def _attach_case(by: User, tip: Tip, case: Case) -> Tip:
    tip.case = case
    if case.area.level == AreaLevel.TOWNSHIP:
        # The township that works the case verifies the tip and sees it (not the contact).
        tip.township = case.area
    if tip.status == TipStatus.RECEIVED:
        tip.status = TipStatus.VERIFYING
    tip.full_clean()
    tip.save()
    record(
        user=by,
        action=AuditAction.UPDATE,
        obj=tip,
        detail={"case": case.number, "township": tip.township_id},
    )
    return tip


@transaction.atomic
def link_case(*, by: User, tip: Tip, case: Case) -> Tip:
    tip = _locked(tip)
    if not tip.county.contains(case.area):
        raise ValidationError({"case": ["只能关联本县的案件。"]})
    if tip.status == TipStatus.CLOSED:
        raise ValidationError({"case": ["本举报已结案。"]})
    if not tip.can_take_case:
        raise ValidationError(
            {"case": ["本举报已关联案件或核查未查实，不能再关联案件。"]}
        )
    return _attach_case(by, tip, case)


@transaction.atomic
def open_case_from_tip(
    *,
    by: User,
    tip: Tip,
    township: Area,
    title: str,
    subject_kind: str,
    subject_description: str = "",
) -> Tip:
    """立案 from a tip through the cases app's own service; the case gets the tip's
    reference and its content, never the reporter's contact or name."""
    tip = _locked(tip)
    if tip.case_id is not None:
        raise ValidationError({"title": ["本举报已关联案件。"]})
    if not tip.can_take_case:
        raise ValidationError({"title": ["本举报核查未查实或已结案，不能据此立案。"]})
    if township.level != AreaLevel.TOWNSHIP or not tip.county.contains(township):
        raise ValidationError({"township": ["请选择本县的乡镇。"]})
    case = oversight_services.open_case(
        by=by,
        area=township,
        title=title,
        source=CaseSource.TIP,
        summary=tip.description,
        subject_kind=subject_kind,
        subject_description=subject_description,
        tip_reference=tip.reference,
    )
    return _attach_case(by, tip, case)


TIP_POLICY_FIELDS = (
    "verified_min",
    "verified_max",
    "major_max",
    "merit_min",
    "merit_max",
    "hotline",
    "mailbox",
    "collection_instructions",
)


@transaction.atomic
def save_policy(*, by: User, county: Area, values: dict[str, object]) -> TipPolicy:
    """Save the county's reward policy (the administrator's edit). The audit entry keeps
    every field before and after: raising a reward limit is visible to the auditor
    (docs/administration.md)."""
    if county.level != AreaLevel.COUNTY or not by.scope.contains(county):
        raise ValidationError(_("只能设置本县的有奖举报政策。"))
    policy = TipPolicy.objects.select_for_update().filter(
        county=county
    ).first() or TipPolicy(county=county)
    created = policy.pk is None
    before = None if created else {f: getattr(policy, f) for f in TIP_POLICY_FIELDS}
    for field in TIP_POLICY_FIELDS:
        if field in values:
            setattr(policy, field, values[field])
    if not (
        policy.verified_min <= policy.verified_max <= policy.major_max
        and policy.merit_min <= policy.merit_max
    ):
        raise ValidationError(
            _("奖励范围须满足：下限 ≤ 上限 ≤ 重大案件上限，有功奖励下限 ≤ 上限。")
        )
    policy.full_clean()
    policy.save()
    record(
        user=by,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=policy,
        detail={
            "change": "tip_policy",
            "before": before,
            "after": {f: getattr(policy, f) for f in TIP_POLICY_FIELDS},
        },
    )
    return policy
