"""The demo county's prenatal diagnosis register, unlicensed-practice survey and
priority villages (issue 17 items 3, 4 and 6; docs/registers.md §7): the county
hospital licensed for prenatal diagnosis with a few tests (one test at an unlicensed
clinic: a finding), a survey round of the first township with a seizure, and two
priority villages of that township, one overdue for review. Entered through the
services, deterministic from the anchor day; a second load enters nothing."""

from __future__ import annotations

from datetime import date, timedelta

from srbgov.accounts.models import Role, User
from srbgov.alerts.models import Alert, AlertKind
from srbgov.areas.models import Area, AreaLevel
from srbgov.oversight.models import Survey
from srbgov.oversight.practice_services import (
    record_seized_item,
    record_survey_visit,
    start_survey,
)
from srbgov.people.crypto import identity_cipher
from srbgov.people.models import Woman
from srbgov.providers.models import (
    Facility,
    FacilityKind,
    PrenatalLicence,
    PriorityDesignation,
)
from srbgov.providers.services import (
    designate_priority,
    record_genetic_test,
    save_prenatal_licence,
)

LICENCE_NUMBER = "黔产诊字〔2025〕第003号"
SURVEY_NAME = "2026年非法行医和“两非”专项排查"
# (kind, indication, note, result, reports sex)
TESTS = [
    ("cfdna", "advanced_age", "", "normal", False),
    ("cfdna", "screening_risk", "", "normal", False),
    ("chromosome", "ultrasound", "", "abnormal", False),
    ("chromosome", "sex_linked", "进行性肌营养不良家族史", "abnormal", True),
    ("cfdna", "history", "", "pending", False),
]


def _user(role: Role, area: Area) -> User | None:
    return (
        User.objects.filter(role=role, area=area, is_active=True)
        .order_by("username")
        .first()
    )


def _tests(hospital: Facility, clinic: Facility | None, by: User, anchor: date) -> int:
    """The licence and the tests of the township's women (numbers from the registry)."""
    save_prenatal_licence(
        by=by,
        facility=hospital,
        number=LICENCE_NUMBER,
        scope="diagnosis",
        valid_from=anchor - timedelta(days=300),
        valid_to=anchor + timedelta(days=800),
    )
    township = by.scope
    # The last women of the registry: the exam demo takes the first ones.
    women = list(Woman.objects.in_area(township).order_by("-pk")[: len(TESTS) + 1])
    cipher = identity_cipher()
    entered = 0
    for index, (woman, spec) in enumerate(zip(women, TESTS, strict=False)):
        kind, indication, note, result, sex = spec
        ordered_on = anchor - timedelta(days=25 - 3 * index)
        record_genetic_test(
            facility=hospital,
            recorded_by=by,
            id_number=cipher.decrypt(woman.id_number_encrypted),
            woman_name=woman.name,
            kind=kind,
            ordered_on=ordered_on,
            gestational_weeks=13 + index,
            indication=indication,
            indication_note=note,
            result=result,
            result_on=None if result == "pending" else ordered_on + timedelta(days=7),
            reports_sex=sex,
        )
        entered += 1
    if clinic is not None and len(women) > len(TESTS):
        woman = women[len(TESTS)]
        # A private clinic has no licence: the township sees the finding.
        record_genetic_test(
            facility=clinic,
            recorded_by=by,
            id_number=cipher.decrypt(woman.id_number_encrypted),
            woman_name=woman.name,
            kind="cfdna",
            ordered_on=anchor - timedelta(days=6),
            gestational_weeks=12,
            indication="other",
            indication_note="本人要求",
        )
        entered += 1
    return entered


def _survey(township: Area, by: User, anchor: date) -> None:
    survey = start_survey(
        by=by,
        area=township,
        name=SURVEY_NAME,
        department="health",
        started_on=anchor - timedelta(days=20),
        ended_on=anchor - timedelta(days=5),
        note="排查个体诊所、无证行医点和药店，重点查B超机和终止妊娠药品。",
    )
    villages = list(township.children.order_by("code")[:2])
    record_survey_visit(
        by=by,
        survey=survey,
        visited_on=anchor - timedelta(days=18),
        place_kind="clinic",
        place_name="刘氏诊所",
        village=villages[0] if villages else None,
        is_licensed=True,
        services_offered="门诊、输液",
    )
    visit = record_survey_visit(
        by=by,
        survey=survey,
        visited_on=anchor - timedelta(days=12),
        place_kind="unlicensed",
        place_name="无证行医点（周某）",
        address="村民自建房",
        village=villages[-1] if villages else None,
        devices_found="便携式B超机1台",
        drugs_found="米非司酮片、米索前列醇片",
        services_offered="B超检查、胎儿性别鉴定（自称）",
        has_problem=True,
        note="当场暂扣，移交卫生监督。",
    )
    record_seized_item(
        by=by,
        visit=visit,
        kind="ultrasound",
        description="便携式B超机",
        quantity=1,
        unit="台",
    )
    record_seized_item(
        by=by, visit=visit, kind="drug", description="米非司酮片", quantity=6, unit="盒"
    )


def _priorities(township: Area, by: User, anchor: date) -> None:
    villages = list(township.children.filter(level=AreaLevel.VILLAGE).order_by("code"))
    if len(villages) < 2:
        return
    # A reason a township could defend: the SRB alert rule's flag (the county's
    # villages tested together, docs/statistics.md), not the shrunken estimate, which
    # is only an ordering and runs above 107 in many normal villages.
    flagged = set(
        Alert.objects.filter(
            kind=AlertKind.SRB_HIGH, area__in=villages, subject_type="village"
        ).values_list("area_id", flat=True)
    )
    first = next((v for v in villages if v.pk in flagged), None)
    if first is not None:
        reason = (
            "近五年合并出生经全县各村一起检验（已校正多重比较）显著高于107，"
            "需核查二孩、三孩此前只有女孩的出生。"
        )
    else:
        first = villages[0]
        reason = "孕情跟踪发现此前只有女孩的孕妇多次外出做B超，需重点跟踪。"
    designate_priority(
        by=by,
        village=first,
        reason=reason,
        designated_on=anchor - timedelta(days=200),
        review_on=anchor + timedelta(days=165),
    )
    # Past its review date: the township's list shows it as overdue.
    designate_priority(
        by=by,
        village=next(v for v in villages if v != first),
        reason="举报线索集中，存在中介活动。",
        designated_on=anchor - timedelta(days=400),
        review_on=anchor - timedelta(days=35),
    )


def load(*, anchor: date) -> int:
    """Returns how many genetic tests it entered (0 when they were there already)."""
    # The first township with an officer, and its county (the demo has one).
    officer = (
        User.objects.filter(role=Role.TOWNSHIP_OFFICER, is_active=True)
        .select_related("area", "area__parent")
        .order_by("area__code", "username")
        .first()
    )
    if officer is None or officer.area is None or officer.area.parent is None:
        return 0
    township, county = officer.area, officer.area.parent
    health = _user(Role.HEALTH_CENTER, township)
    entered = 0
    hospital = (
        Facility.objects.in_area(county)
        .filter(kind=FacilityKind.HOSPITAL)
        .order_by("pk")
        .first()
    )
    clinic = (
        Facility.objects.in_area(township)
        .filter(kind=FacilityKind.CLINIC)
        .order_by("pk")
        .first()
    )
    keeper = None
    if hospital is not None:
        keeper = _user(Role.HEALTH_CENTER, hospital.area) or _user(
            Role.COUNTY_OFFICER, county
        )
    if (
        keeper is not None
        and hospital is not None
        and not PrenatalLicence.objects.filter(number=LICENCE_NUMBER).exists()
    ):
        if clinic is not None and not keeper.scope.contains(clinic.area):
            clinic = None
        entered = _tests(hospital, clinic, keeper, anchor)
    if health is not None and not Survey.objects.filter(name=SURVEY_NAME).exists():
        _survey(township, health, anchor)
    if (
        officer is not None
        and not PriorityDesignation.objects.in_area(township).exists()
    ):
        _priorities(township, officer, anchor)
    return entered
