"""The one way staff pages reach tips, attachments and rewards: declarations over the
scope primitive (srbgov.core.scope, docs/access.md).

Outside one's area, or without the role, a tip does not exist (404). Opening a tip is
logged; an attempt on one outside the area is logged as denied.
"""

from __future__ import annotations

from django.http import Http404

from srbgov.accounts.models import User
from srbgov.accounts.roles import can_decide_tip_rewards, can_read_tips
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.core.http import require
from srbgov.core.scope import get_for_user, parse_id
from srbgov.tips.models import Reward, RewardQuerySet, Tip, TipAttachment, TipQuerySet


def tips_for_user(user: User) -> TipQuerySet:
    require(can_read_tips, user)
    return Tip.objects.visible_to(user)


def get_tip_for_user(user: User, pk: object, *, log_read: bool = True) -> Tip:
    tips = tips_for_user(user).select_related(
        "county", "township", "place_area", "place_area__parent"
    )
    return get_for_user(tips, user, pk, log_read=log_read)


def get_attachment_for_user(user: User, tip_pk: object, pk: object) -> TipAttachment:
    tip = get_tip_for_user(user, tip_pk, log_read=False)
    attachment = tip.attachments.filter(pk=parse_id(pk)).first()
    if attachment is None:
        raise Http404
    # The read names the tip, so the auditor sees whose evidence was opened.
    record(
        user=user,
        action=AuditAction.READ,
        obj=attachment,
        object_repr=f"{tip} {attachment.display_name}",
    )
    return attachment


def rewards_for_user(user: User) -> RewardQuerySet:
    require(can_decide_tip_rewards, user)
    return Reward.objects.visible_to(user)


def get_reward_for_user(user: User, pk: object, *, log_read: bool = True) -> Reward:
    rewards = rewards_for_user(user).select_related("tip")
    return get_for_user(rewards, user, pk, log_read=log_read)
