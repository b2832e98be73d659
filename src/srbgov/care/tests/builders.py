"""Builders for girl-care tests (imported only by tests)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import models

from srbgov.accounts.models import Role, User
from srbgov.areas.models import Area
from srbgov.care import services
from srbgov.care.households import confirm_household, refresh_households
from srbgov.care.models import (
    AmountPeriod,
    Application,
    BenefitProgram,
    CareHousehold,
    PublicNotice,
)
from srbgov.people.services import ChildData, SpouseData
from srbgov.testing import Personas, make_id_number, make_woman

ACCOUNT = "6217003810012345678"


def make_reward_program(*, by: User, county: Area) -> BenefitProgram:
    """农村部分计划生育家庭奖励扶助, as docs/care.md §2 states its rule."""
    return services.save_program(
        by=by,
        name="农村部分计划生育家庭奖励扶助",
        kinds=["one_daughter", "two_daughters", "bereaved"],
        min_age=60,
        age_of="either",
        residence="rural",
        must_live_in_village=False,
        starts_on=date(2004, 1, 1),
        ends_on=None,
        amount=Decimal("960.00"),
        period=AmountPeriod.YEARLY,
        notice_days=7,
        documents="户口簿\n身份证\n结婚证",
        source="国办发〔2004〕21号",
    )


def make_two_daughter_household(
    *,
    by: User,
    village: Area,
    name: str = "张秀英",
    mother_born: date = date(1966, 6, 15),
    father_born: date | None = date(1964, 9, 1),
    confirm: bool = True,
    on: date = date(2026, 7, 1),
) -> CareHousehold:
    woman = make_woman(
        by=by,
        village=village,
        name=name,
        id_number=make_id_number(birth_on=mother_born),
        spouse=SpouseData(name="李建国", birth_on=father_born),
        children=[
            ChildData(birth_on=date(1990, 3, 1), sex="F", name="李红"),
            ChildData(birth_on=date(1993, 5, 1), sex="F", name="李梅"),
        ],
    )
    refresh_households(area=village, women=[woman.pk])
    household = CareHousehold.objects.get(woman=woman)
    if confirm:
        household = confirm_household(
            by=by,
            household=household,
            residence="rural",
            lives_in_village=True,
            mother_birth_on=mother_born,
            father_birth_on=father_born,
            only_child_disabled=False,
            on=on,
        )
    return household


def enrol(
    *,
    worker: User,
    township: User,
    county: User,
    household: CareHousehold,
    program: BenefitProgram,
    on: date,
) -> tuple[Application, PublicNotice]:
    """Apply → review → notice (posted on `on`) → approve after the notice."""
    from datetime import timedelta

    application = services.apply(
        by=worker,
        household=household,
        program=program,
        payee_name=household.woman.name,
        bank_name="农村信用社",
        account=ACCOUNT,
        on=on,
    )
    services.review(by=township, application=application, approve=True)
    notice = services.post_notice(
        by=township,
        village=household.woman.village,
        program=program,
        posted_on=on,
        days=program.notice_days,
    )
    application.refresh_from_db()
    services.approve(
        by=county,
        application=application,
        approve=True,
        on=on + timedelta(days=program.notice_days),
    )
    application.refresh_from_db()
    return application, notice


def scope_world_records(p: type[Personas]) -> dict[str, models.Model]:
    """One record of every kind the care and publicity routes open, in 甲镇 一村, for
    the request-observed scope matrix (core/tests/scope_world.py)."""
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from srbgov.files.tests.samples import jpeg_with_gps
    from srbgov.publicity import services as publicity

    today = timezone.localdate()
    second = User.objects.create(
        username="care_world_approver", role=Role.COUNTY_OFFICER, area=p.county
    )
    program = make_reward_program(by=p.xian, county=p.county)
    household = make_two_daughter_household(
        by=p.cun_a,
        village=p.village_a,
        name="关秀英",
        mother_born=date(1960, 1, 1),
        on=today,
    )
    application, notice = enrol(
        worker=p.cun_a,
        township=p.zhen_a,
        county=p.xian,
        household=household,
        program=program,
        on=today - timedelta(days=30),
    )
    batch = services.prepare_batch(by=p.xian, program=program, year=today.year)
    services.approve_batch(by=second, batch=batch)
    activity = publicity.record_activity(
        by=p.cun_a,
        area=p.village_a,
        kind="banner",
        held_on=today,
        place="一村村委会",
        items=12,
        photos=[
            SimpleUploadedFile("IMG.jpg", jpeg_with_gps(), content_type="image/jpeg")
        ],
    )
    from srbgov.publicity import bulletins

    bulletin = bulletins.draft_bulletin(
        by=p.zhen_a,
        area=p.town_a,
        number="第1期",
        period_start=today - timedelta(days=30),
        period_end=today,
    )
    return {
        "publicity_bulletin": bulletin,
        "care_household": household,
        "care_program": program,
        "care_application": application,
        "care_notice": notice,
        "care_batch": batch,
        "care_payment": batch.payments.get(),
        "publicity_activity": activity,
        "publicity_photo": activity.photos.get(),
    }
