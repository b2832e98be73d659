"""New tips and rewards waiting on the tip officer's home page (docs/homes.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from srbgov.accounts.roles import can_decide_tip_rewards, can_handle_tips
from srbgov.core.home import HomeItem, HomeRow, list_url, register_item
from srbgov.tips.access import rewards_for_user, tips_for_user
from srbgov.tips.models import RewardStatus, TipStatus
from srbgov.tips.queries import awaiting_reply

if TYPE_CHECKING:
    from srbgov.accounts.models import User


def new_tips(user: User) -> list[HomeRow]:
    n = tips_for_user(user).filter(status=TipStatus.RECEIVED).count()
    return [HomeRow("", n, list_url("tips:tip_list", status=TipStatus.RECEIVED))]


def rewards_waiting(user: User) -> list[HomeRow]:
    n = rewards_for_user(user).filter(status=RewardStatus.PROPOSED).count()
    url = list_url("tips:reward_list", status=RewardStatus.PROPOSED)
    return [HomeRow("", n, url)]


def messages_unanswered(user: User) -> list[HomeRow]:
    n = awaiting_reply(tips_for_user(user)).count()
    return [HomeRow("", n, list_url("tips:tip_list", awaiting_reply="on"))]


def register_home_items() -> None:
    register_item(
        HomeItem(
            key="tips_messages_unanswered",
            section="todo",
            label=_("举报人来信待回复"),
            allowed=can_handle_tips,
            rows=messages_unanswered,
            order=32,
        )
    )
    register_item(
        HomeItem(
            key="tips_received",
            section="todo",
            label=_("新受理的举报"),
            allowed=can_handle_tips,
            rows=new_tips,
            order=30,
        )
    )
    register_item(
        HomeItem(
            key="tips_rewards_proposed",
            section="review",
            label=_("待审批的举报奖励"),
            allowed=can_decide_tip_rewards,
            rows=rewards_waiting,
            order=31,
        )
    )
