"""The demo county: believable, deterministic, idempotent.

One county with the four townships the seed documents name, 8–12 villages each with
12-digit codes, a few thousand women with valid GB 11643 numbers, spouses and children
born over several years. Running it twice changes nothing the second time.

This package is the top layer (docs/architecture.md): it alone may import every app,
so that no foundation app has to import the feature apps whose demo data it loads.
The areas, users and women are made here; each feature app keeps its own `demo.py`
with a `load(...)` that this module calls in dependency order.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection, transaction
from django.utils import timezone

from srbgov.accounts.models import Role, User
from srbgov.areas.models import Area, AreaLevel
from srbgov.demo import assessment as assessment_demo
from srbgov.demo import care as care_demo
from srbgov.demo import deliveries as deliveries_demo
from srbgov.demo import organisation as organisation_demo
from srbgov.demo import patterns as patterns_demo
from srbgov.demo import prenatal as prenatal_demo
from srbgov.demo import registers as registers_demo
from srbgov.monitoring import demo as monitoring_demo
from srbgov.oversight import demo as oversight_demo
from srbgov.people import identity
from srbgov.people.crypto import identity_cipher
from srbgov.people.models import Child, Spouse, Woman
from srbgov.pregnancies import demo as pregnancies_demo
from srbgov.tips import demo as tips_demo

COUNTY = ("520999000000", "示范县")
# The four townships of the seed documents (湫坡头镇, 中水镇, 松坪乡, 炉山镇).
TOWNSHIPS = [
    ("520999101000", "湫坡头镇", 10),
    ("520999102000", "中水镇", 9),
    ("520999201000", "松坪乡", 8),
    ("520999103000", "炉山镇", 12),
]
VILLAGE_NAMES = [
    "东坪村",
    "西沟村",
    "南庄村",
    "北塬村",
    "柳湾村",
    "杨家村",
    "李家河村",
    "高山村",
    "石门村",
    "双龙村",
    "新华村",
    "红星村",
    "太平村",
    "和平村",
    "青松村",
    "龙泉村",
    "桃园村",
    "凤凰村",
    "白马村",
    "金竹村",
    "马鞍村",
    "长岭村",
    "上坝村",
    "下坝村",
    "水井村",
    "土桥村",
    "黄泥村",
    "枫香村",
    "花溪村",
    "大坪村",
    "小河村",
    "茶园村",
    "新民村",
    "团结村",
    "光明村",
    "向阳村",
    "民主村",
    "建设村",
    "胜利村",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN_FEMALE = [
    "芳",
    "娟",
    "敏",
    "静",
    "丽",
    "艳",
    "娜",
    "霞",
    "玲",
    "燕",
    "红",
    "梅",
    "琳",
    "婷",
    "雪",
    "慧",
    "莉",
    "萍",
    "颖",
    "倩",
    "佳",
    "欣",
    "月",
    "兰",
    "凤",
    "秀",
    "琴",
    "丹",
    "洁",
    "蓉",
]
GIVEN_MALE = [
    "伟",
    "强",
    "军",
    "勇",
    "杰",
    "涛",
    "明",
    "超",
    "刚",
    "平",
    "辉",
    "鹏",
    "华",
    "飞",
    "鑫",
    "波",
    "斌",
    "宇",
    "浩",
    "磊",
    "林",
    "峰",
    "建",
    "志",
    "军",
    "成",
    "亮",
    "海",
]
DEMO_PASSWORD = "srbgov-demo-2026"  # noqa: S105  (printed by `make run`; demo only)
WOMEN_PER_VILLAGE = (60, 90)
# Demo ages are fixed against this day, so the demo is the same whenever it is loaded.
ANCHOR_DAY = date(2026, 11, 1)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    area: str


def _areas() -> tuple[Area, list[Area], list[Area]]:
    county, _ = Area.objects.get_or_create(
        code=COUNTY[0], defaults={"name": COUNTY[1], "level": AreaLevel.COUNTY}
    )
    townships: list[Area] = []
    villages: list[Area] = []
    names = iter(VILLAGE_NAMES)
    for code, name, n_villages in TOWNSHIPS:
        township, _ = Area.objects.get_or_create(
            code=code,
            defaults={"name": name, "level": AreaLevel.TOWNSHIP, "parent": county},
        )
        townships.append(township)
        for i in range(n_villages):
            village_code = code[:9] + f"{201 + i:03d}"
            village, _ = Area.objects.get_or_create(
                code=village_code,
                defaults={
                    "name": next(names),
                    "level": AreaLevel.VILLAGE,
                    "parent": township,
                },
            )
            villages.append(village)
    return county, townships, villages


def _users(
    county: Area, townships: list[Area], villages: list[Area]
) -> list[DemoLogin]:
    qiupotou = townships[0]
    specs = [
        ("cun_a", Role.VILLAGE_WORKER, villages[0], "王", "村专干甲"),
        ("cun_b", Role.VILLAGE_WORKER, villages[1], "李", "村专干乙"),
        ("zhen", Role.TOWNSHIP_OFFICER, qiupotou, "张", "计生办"),
        ("zhen_zs", Role.TOWNSHIP_OFFICER, townships[1], "赵", "中水计生办"),
        ("wsy", Role.HEALTH_CENTER, qiupotou, "刘", "卫生院"),
        ("jigou", Role.FACILITY_CLERK, qiupotou, "陈", "登记员"),
        ("pcs", Role.POLICE, qiupotou, "杨", "派出所"),
        ("xian", Role.COUNTY_OFFICER, county, "黄", "卫健局"),
        (
            "xian_cw",
            Role.COUNTY_OFFICER,
            county,
            "孙",
            "卫健局财务",
        ),  # care batches: 2nd person
        ("jubao", Role.TIP_OFFICER, county, "周", "举报受理"),
        ("shenji", Role.AUDITOR, county, "吴", "审计员"),
        ("admin", Role.ADMIN, county, "徐", "管理员"),
    ]
    logins: list[DemoLogin] = []
    for username, role, area, last, first in specs:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                role=role,
                area=area,
                last_name=last,
                first_name=first,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        logins.append(DemoLogin(username, str(Role(role).label), area.full_name))
    return logins


def _people(villages: list[Area], today: date) -> int:
    """Women aged 18–49 in every village, with spouses and children (2008 onwards)."""
    rng = random.Random(20260101)  # noqa: S311  (demo data, not security)
    cipher = identity_cipher()
    known = set(Woman.objects.values_list("id_number_hash", flat=True))
    sequence = 0
    new_women: list[Woman] = []
    plans: list[
        tuple[int, tuple[str, int] | None, list[tuple[date, str, bool, str, int]]]
    ] = []
    for village in villages:
        for _ in range(rng.randint(*WOMEN_PER_VILLAGE)):
            sequence += 1
            # Every value is drawn before the existence check, so a second run draws the
            # same sequence and recognises every woman it made the first time.
            birth_on = ANCHOR_DAY - timedelta(days=rng.randint(18 * 365, 49 * 365))
            number = identity.make_number(
                village.code[:6], birth_on, sequence % 500, "F"
            )
            name = (
                rng.choice(SURNAMES)
                + rng.choice(GIVEN_FEMALE)
                + rng.choice(["", *GIVEN_FEMALE])
            )
            phone = f"1{rng.choice('3589')}{rng.randint(0, 999999999):09d}"
            household = f"{village.name}{rng.randint(1, 12)}组{rng.randint(1, 80)}号"
            married = rng.random() < 0.85
            spouse = (
                rng.choice(SURNAMES) + rng.choice(GIVEN_MALE),
                rng.randint(-400, 1500),
            )
            children = (
                _children(rng, birth_on, min(today, ANCHOR_DAY)) if married else []
            )
            number_hash = cipher.lookup_hash(number)
            if number_hash in known:
                continue
            known.add(number_hash)
            new_women.append(
                Woman(
                    name=name,
                    id_number_encrypted=cipher.encrypt(number),
                    id_number_hash=number_hash,
                    id_number_masked=identity.mask(number),
                    birth_on=birth_on,
                    phone=phone,
                    village=village,
                    household=household,
                )
            )
            plans.append((len(new_women) - 1, spouse if married else None, children))
    Woman.objects.bulk_create(new_women, batch_size=500)
    saved = {
        w.id_number_hash: w
        for w in Woman.objects.filter(
            id_number_hash__in=[w.id_number_hash for w in new_women]
        )
    }
    spouses: list[Spouse] = []
    kids: list[Child] = []
    for index, spouse_plan, children in plans:
        woman = saved[new_women[index].id_number_hash]
        if spouse_plan is not None:
            spouses.append(
                Spouse(
                    woman=woman,
                    name=spouse_plan[0],
                    birth_on=woman.birth_on - timedelta(days=spouse_plan[1]),
                )
            )
        for order, (born_on, sex, alive, given, lived_days) in enumerate(
            children, start=1
        ):
            kids.append(
                Child(
                    mother=woman,
                    name=woman.name[0] + given,
                    birth_on=born_on,
                    sex=sex,
                    birth_order=order,
                    is_alive=alive,
                    died_on=None if alive else born_on + timedelta(days=lived_days),
                )
            )
    Spouse.objects.bulk_create(spouses, batch_size=500)
    Child.objects.bulk_create(kids, batch_size=500)
    return len(new_women)


def _children(
    rng: random.Random, mother_birth_on: date, until: date
) -> list[tuple[date, str, bool, str, int]]:
    """(birth date, sex, alive, given name, days lived if died) for each child."""
    first_possible = max(mother_birth_on + timedelta(days=20 * 365), date(2008, 1, 1))
    n = rng.choices([0, 1, 2, 3], weights=[10, 40, 40, 10])[0]
    children: list[tuple[date, str, bool, str, int]] = []
    born_on = first_possible + timedelta(days=rng.randint(0, 1500))
    for _ in range(n):
        sex = "M" if rng.random() < 0.515 else "F"
        alive = rng.random() > 0.004
        given = rng.choice(GIVEN_MALE if sex == "M" else GIVEN_FEMALE)
        lived_days = rng.randint(1, 300)
        if born_on < until:
            children.append((born_on, sex, alive, given, lived_days))
        born_on += timedelta(days=rng.randint(500, 1800))
    return children


def _analyze() -> None:
    """Fresh statistics for PostgreSQL's planner, inside the load's transaction
    (ANALYZE samples this transaction's own new rows). Without them every table of a
    new database looks empty, and the care and pattern steps' joins ran as nested
    loops over every woman: minutes a query. SQLite plans without statistics."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


@transaction.atomic
def load_demo_county() -> tuple[list[DemoLogin], int]:
    county, townships, villages = _areas()
    logins = _users(county, townships, villages)
    created = _people(villages, timezone.localdate())
    _analyze()
    pregnancies_demo.load(villages=villages, by=User.objects.get(username="xian"))
    oversight_demo.load(county=county, townships=townships, anchor=ANCHOR_DAY)
    tips_demo.load(county=county, townships=townships, anchor=ANCHOR_DAY)
    monitoring_demo.load(
        villages=villages, by=User.objects.get(username="xian"), anchor=ANCHOR_DAY
    )
    _analyze()
    deliveries_demo.load(anchor=ANCHOR_DAY)
    # Care and publicity first: the assessment's scorecards count their activities.
    care_demo.load(county=county, townships=townships, anchor=ANCHOR_DAY)
    registers_demo.load(anchor=ANCHOR_DAY)
    patterns_demo.load(anchor=ANCHOR_DAY)
    prenatal_demo.load(anchor=ANCHOR_DAY)
    assessment_demo.load(townships=townships, anchor=ANCHOR_DAY)
    organisation_demo.load(townships=townships, anchor=ANCHOR_DAY)
    return logins, created
