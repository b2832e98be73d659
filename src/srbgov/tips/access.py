"""The one way staff pages reach tips, attachments and rewards (STYLE §5.4).

Outside one's area, or without the role, a tip does not exist (404). Opening a tip is
logged; an attempt on one outside the area is logged as denied.
"""

from __future__ import annotations

from django.http import Http404

from srbgov.accounts.models import User
from srbgov.accounts.roles import can_decide_tip_rewards, can_read_tips
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.tips.models import Reward, RewardQuerySet, Tip, TipAttachment, TipQuerySet


def tips_for_user(user: User) -> TipQuerySet:
    if not can_read_tips(user):
        raise Http404
    return Tip.objects.in_area(user.scope)


def get_tip_for_user(user: User, pk: int, *, log_read: bool = True) -> Tip:
    tip = (
        tips_for_user(user)
        .select_related("county", "township", "place_area", "place_area__parent")
        .filter(pk=pk)
        .first()
    )
    if tip is None:
        record(
            user=user,
            action=AuditAction.DENIED,
            object_type="tips.tip",
            object_id=str(pk),
        )
        raise Http404
    if log_read:
        record(user=user, action=AuditAction.READ, obj=tip)
    return tip


def get_attachment_for_user(user: User, tip_pk: int, pk: int) -> TipAttachment:
    tip = get_tip_for_user(user, tip_pk, log_read=False)
    attachment = tip.attachments.filter(pk=pk).first()
    if attachment is None:
        raise Http404
    record(
        user=user,
        action=AuditAction.READ,
        obj=attachment,
        object_repr=f"{tip} {attachment.display_name}",
    )
    return attachment


def rewards_for_user(user: User) -> RewardQuerySet:
    if not can_decide_tip_rewards(user):
        raise Http404
    return Reward.objects.in_area(user.scope)


def get_reward_for_user(user: User, pk: int) -> Reward:
    reward = rewards_for_user(user).select_related("tip").filter(pk=pk).first()
    if reward is None:
        record(
            user=user,
            action=AuditAction.DENIED,
            object_type="tips.reward",
            object_id=str(pk),
        )
        raise Http404
    return reward
