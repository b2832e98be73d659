"""Demo tip-offs: the county's reward policy and three tips at different stages.
Deterministic and idempotent: each demo tip has a fixed receipt code (demo only), so the
follow-up page can be tried with it; a second run finds them and changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from srbgov.accounts.models import Role, User
from srbgov.areas.models import Area
from srbgov.tips import receipt, services
from srbgov.tips.models import Category, Tip, TipPolicy

# Demo receipt codes (never valid outside the demo database).
DEMO_CODES = ["DEM00000000000000001", "DEM00000000000000002", "DEM00000000000000003"]


@transaction.atomic
def load(*, county: Area, townships: list[Area], anchor: date) -> None:
    TipPolicy.objects.get_or_create(
        county=county,
        defaults={"hotline": "0851-12345678", "mailbox": "县卫生健康局一楼举报信箱"},
    )
    cipher = services.tips_cipher()
    if Tip.objects.filter(
        receipt_hash=receipt.receipt_hash(cipher, DEMO_CODES[0])
    ).exists():
        return
    officer = User.objects.filter(role=Role.TIP_OFFICER, area=county).first()
    approver = User.objects.filter(role=Role.COUNTY_OFFICER, area=county).first()
    if officer is None or approver is None:
        return
    qiupotou, zhongshui = townships[0], townships[1]
    village = qiupotou.children.order_by("code").first()
    first = _tip(
        DEMO_CODES[0],
        county=county,
        category=Category.SEX_IDENTIFICATION,
        place_area=village,
        place_text="镇卫生院对面的私人诊所",
        description="晚上有人开车带孕妇去诊所做B超看男女，每次收费800元。",
        contact="13800000000（演示）",
        wants_reward=True,
        received_on=anchor - timedelta(days=60),
    )
    services.assign_township(by=officer, tip=first, township=qiupotou)
    services.ask_reporter(by=officer, tip=first, body="一般是星期几晚上？大约几点？")
    services.reporter_reply(tip=first, body="多在周五晚上九点以后。")
    services.decide(
        by=officer, tip=first, verified=True, reason="联合检查当场查获，证据确凿。"
    )
    reward = services.propose_reward(
        by=officer, tip=first, kind="verified", amount=800, reason="线索准确具体。"
    )
    reward = services.decide_reward(by=approver, reward=reward, approve=True)
    second = _tip(
        DEMO_CODES[1],
        county=county,
        category=Category.DRUG_SALE,
        place_area=zhongshui,
        description="街上药店不用处方就卖打胎药。",
        received_on=anchor - timedelta(days=20),
    )
    services.assign_township(by=officer, tip=second, township=zhongshui)
    services.ask_reporter(by=officer, tip=second, body="是哪一家药店？药名记得吗？")
    _tip(
        DEMO_CODES[2],
        county=county,
        category=Category.INTERMEDIARY,
        place_text="县城汽车站附近",
        description="有人在车站发小广告，说能联系“看男女”。",
        received_on=anchor - timedelta(days=3),
    )


def _tip(code: str, *, received_on: date, **fields: object) -> Tip:
    filed = services.submit_tip(**fields)  # type: ignore[arg-type]
    cipher = services.tips_cipher()
    Tip.objects.filter(pk=filed.tip.pk).update(
        receipt_hash=receipt.receipt_hash(cipher, code), received_on=received_on
    )
    filed.tip.refresh_from_db()
    return filed.tip
