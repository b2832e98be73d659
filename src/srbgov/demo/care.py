"""Demo girl care and publicity (docs/care.md §6): the national programmes, older
couples with daughters and two special families in 湫坡头镇, a paid year (2025, with one
payment returned by the bank and paid on retry) and the 2026 batch, and a year of
publicity and training in every township. Deterministic (fixed seed and dates) and
idempotent: a second run finds the programmes and changes nothing."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from srbgov.accounts.models import User
from srbgov.areas.models import Area
from srbgov.care import services
from srbgov.care.households import confirm_household, refresh_households
from srbgov.care.models import (
    AmountPeriod,
    Application,
    ApplicationStatus,
    BenefitProgram,
    CareHousehold,
)
from srbgov.people import identity
from srbgov.people.services import ChildData, SpouseData, register_woman
from srbgov.publicity import services as publicity
from srbgov.publicity.models import Activity, ActivityKind

REWARD = "农村部分计划生育家庭奖励扶助"
# (mother's birth date, father's, children as (sex, birth date, died on))
COUPLES: list[tuple[str, date, date | None, list[tuple[str, date, date | None]]]] = [
    (
        "张秀英",
        date(1958, 3, 2),
        date(1956, 7, 9),
        [("F", date(1982, 5, 1), None), ("F", date(1986, 2, 3), None)],
    ),
    ("王桂芳", date(1960, 8, 19), date(1959, 1, 5), [("F", date(1984, 9, 9), None)]),
    (
        "李玉兰",
        date(1962, 1, 28),
        date(1960, 11, 2),
        [("F", date(1985, 4, 4), None), ("F", date(1989, 6, 6), None)],
    ),
    ("赵淑珍", date(1963, 12, 1), date(1962, 3, 3), [("F", date(1988, 1, 1), None)]),
    (
        "陈凤英",
        date(1964, 5, 5),
        None,
        [("F", date(1990, 2, 2), None), ("F", date(1993, 3, 3), None)],
    ),
    ("刘翠兰", date(1967, 4, 10), date(1965, 12, 12), [("F", date(1992, 8, 8), None)]),
    (
        "杨春梅",
        date(1968, 9, 9),
        date(1966, 2, 20),
        [("M", date(1994, 1, 5), date(2015, 3, 1))],
    ),
    (
        "黄秀兰",
        date(1970, 6, 6),
        date(1969, 6, 1),
        [("F", date(1996, 7, 7), date(2019, 9, 1))],
    ),
]


def _program(county: Area, name: str, **fields: object) -> BenefitProgram:
    program = BenefitProgram(county=county, name=name, **fields)
    program.full_clean()
    program.save()
    return program


def _programs(county: Area) -> list[BenefitProgram]:
    common = {"residence": "rural", "starts_on": date(2004, 1, 1), "notice_days": 7}
    return [
        _program(
            county,
            REWARD,
            kinds=["one_daughter", "two_daughters", "bereaved"],
            min_age=60,
            age_of="either",
            amount=Decimal("960.00"),
            period=AmountPeriod.YEARLY,
            documents="户口簿\n身份证\n结婚证\n子女情况证明",
            source="国办发〔2004〕21号；标准见 docs/care.md §2",
            **common,
        ),
        _program(
            county,
            "计划生育家庭特别扶助（独生子女死亡）",
            kinds=["bereaved"],
            min_age=49,
            age_of="mother",
            amount=Decimal("170.00"),
            period=AmountPeriod.MONTHLY,
            documents="户口簿\n身份证\n独生子女死亡证明",
            source="国人口发〔2007〕78号；国卫家庭发〔2013〕41号（农村标准）",
            **common,
        ),
        _program(
            county,
            "计划生育家庭特别扶助（独生子女伤残）",
            kinds=["disabled"],
            min_age=49,
            age_of="mother",
            amount=Decimal("150.00"),
            period=AmountPeriod.MONTHLY,
            documents="户口簿\n身份证\n残疾人证（三级以上）",
            source="国人口发〔2007〕78号；国卫家庭发〔2013〕41号（农村标准）",
            **common,
        ),
    ]


def _couples(village: Area, by: User) -> list[CareHousehold]:
    women = []
    for i, (name, mother, father, kids) in enumerate(COUPLES):
        women.append(
            register_woman(
                by=by,
                name=name,
                id_number=identity.make_number("520999", mother, 400 + i, "F"),
                village=village,
                phone="",
                spouse=SpouseData(name=f"{name[0]}先生", birth_on=father),
                children=[
                    ChildData(birth_on=b, sex=sex, is_alive=d is None, died_on=d)
                    for sex, b, d in kids
                ],
            )
        )
    refresh_households(area=village)
    out = []
    for woman, (_n, mother, father, _k) in zip(women, COUPLES, strict=True):
        household = CareHousehold.objects.get(woman=woman)
        out.append(
            confirm_household(
                by=by,
                household=household,
                residence="rural",
                lives_in_village=True,
                mother_birth_on=mother,
                father_birth_on=father,
                only_child_disabled=False,
                on=date(2025, 2, 20),
            )
        )
    return out


def _pay_year(
    programs: list[BenefitProgram], *, year: int, by: User, second: User
) -> None:
    for program in programs:
        try:
            batch = services.prepare_batch(by=by, program=program, year=year)
        except ValidationError:
            continue  # nobody enrolled in this programme
        services.approve_batch(by=second, batch=batch)
        first = batch.payments.order_by("id").first()
        if year == 2025 and program.name == REWARD and first is not None:
            services.record_return(
                by=by, payment=first, returned_on=date(year, 4, 20), reason="账户已冻结"
            )
            services.close_batch(by=by, batch=batch)
            services.change_account(
                by=by,
                application=first.application,
                bank_name="农业银行",
                account="6228480000000012345",
            )
            retry = services.prepare_batch(by=second, program=program, year=year)
            services.approve_batch(by=by, batch=retry)
            services.close_batch(by=by, batch=retry)
        else:
            services.close_batch(by=by, batch=batch)


def _enrol(
    households: list[CareHousehold],
    programs: list[BenefitProgram],
    *,
    worker: User,
    township: User,
    county: User,
) -> None:
    applied = date(2025, 3, 3)
    for household in households:
        for program in programs:
            decision = services.decide(household=household, program=program, on=applied)
            if not decision.qualifies:
                continue
            services.apply(
                by=worker,
                household=household,
                program=program,
                payee_name=household.woman.name,
                bank_name="农村信用社",
                account=f"62170038{household.woman.pk:011d}",
                on=applied,
            )
    for application in Application.objects.in_area(worker.scope).filter(
        status=ApplicationStatus.SUBMITTED
    ):
        services.review(by=township, application=application, approve=True)
    for program in programs:
        try:
            notice = services.post_notice(
                by=township,
                village=worker.scope,
                program=program,
                posted_on=date(2025, 3, 10),
                days=program.notice_days,
            )
        except ValidationError:
            continue
        for application in notice.applications.all():
            services.approve(
                by=county, application=application, approve=True, on=date(2025, 3, 25)
            )


def _publicity(townships: list[Area], by: User, anchor: date) -> None:
    rng = random.Random(15)  # noqa: S311  (demo data, not security)
    year = anchor.year
    targets = {
        ActivityKind.BANNER: 20,
        ActivityKind.LEAFLET: 12,
        ActivityKind.MEETING: 6,
        ActivityKind.NEW_CUSTOMS: 2,
        ActivityKind.CARE_FOR_GIRLS: 2,
        ActivityKind.TRAINING: 2,
    }
    counts = {
        ActivityKind.BANNER: (30, 80),
        ActivityKind.LEAFLET: (200, 1500),
        ActivityKind.BROADCAST: (1, 4),
        ActivityKind.MEETING: (20, 120),
        ActivityKind.HOME_VISIT: (5, 40),
        ActivityKind.NEW_CUSTOMS: (50, 300),
        ActivityKind.CARE_FOR_GIRLS: (30, 200),
        ActivityKind.FESTIVAL_VISIT: (5, 30),
        ActivityKind.TRAINING: (15, 60),
        ActivityKind.TELEVISION: (1, 3),
    }
    start = date(year, 1, 1)
    for township in townships:
        plan = publicity.save_plan(
            by=by,
            area=township,
            year=year,
            name=f"{year}年综合治理出生人口性别比宣传计划",
            targets={str(k): v for k, v in targets.items()},
        )
        activities = []
        for village in township.children.order_by("code"):
            for _ in range(rng.randint(4, 9)):
                kind = rng.choice(list(ActivityKind))
                low, high = counts[kind]
                n = rng.randint(low, high)
                people = kind in (
                    "meeting",
                    "new_customs",
                    "care_for_girls",
                    "training",
                )
                activities.append(
                    Activity(
                        area=village,
                        kind=kind,
                        held_on=start
                        + timedelta(days=rng.randint(0, (anchor - start).days)),
                        place=f"{village.name}村委会",
                        items=0 if people else n,
                        participants=n if people else 0,
                        plan=plan,
                        recorded_by=by,
                    )
                )
        # Staff training at the township (XX镇 plan: train the staff).
        activities.append(
            Activity(
                area=township,
                kind=ActivityKind.TRAINING,
                held_on=date(year, 3, 15),
                place=f"{township.name}计生办会议室",
                participants=rng.randint(25, 45),
                plan=plan,
                recorded_by=by,
                note="村计生专干业务培训：孕情跟踪服务、关爱女孩政策",
            )
        )
        Activity.objects.bulk_create(activities)


@transaction.atomic
def load(*, county: Area, townships: list[Area], anchor: date) -> None:
    if BenefitProgram.objects.filter(county=county, name=REWARD).exists():
        return
    officer = User.objects.filter(username="xian").first()
    worker = User.objects.filter(username="cun_a").first()
    township = User.objects.filter(username="zhen").first()
    # The batch approver: a second county officer (the two-person rule).
    second = User.objects.filter(username="xian_cw").first()
    if officer is None or worker is None or township is None or second is None:
        return
    if worker.area is None:
        return
    programs = _programs(county)
    households = _couples(worker.area, officer)
    for area in townships:
        refresh_households(area=area)
    _enrol(households, programs, worker=worker, township=township, county=officer)
    _pay_year(programs, year=2025, by=officer, second=second)
    services.run_recheck(
        by=township, area=township.scope, year=2026, on=date(2026, 1, 12)
    )
    _pay_year(programs, year=2026, by=officer, second=second)
    _publicity(townships, officer, anchor)
