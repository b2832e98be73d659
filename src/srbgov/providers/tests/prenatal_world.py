"""The scope matrix's records of the prenatal register, the priority designations and
the unlicensed-practice surveys (issue 17 items 3, 4 and 6), in 甲镇 (imported only by
tests: core/tests/scope_world.py)."""

from __future__ import annotations

from django.db import models

from srbgov.oversight.practice_services import record_survey_visit, start_survey
from srbgov.providers import services
from srbgov.providers.models import Facility
from srbgov.providers.tests.builders import days_ago, pdf_upload
from srbgov.testing import Personas, make_id_number


def prenatal_records(p: type[Personas], facility: Facility) -> dict[str, models.Model]:
    licence = services.save_prenatal_licence(
        by=p.health_a,
        facility=facility,
        number="黔产诊字2026-01",
        scope="diagnosis",
        valid_from=days_ago(100),
        valid_to=days_ago(-100),
        scan=pdf_upload("许可证.pdf"),
    )
    test = services.record_genetic_test(
        facility=facility,
        recorded_by=p.health_a,
        id_number=make_id_number(),
        woman_name="郑洁",
        kind="cfdna",
        ordered_on=days_ago(6),
        gestational_weeks=13,
        indication="advanced_age",
        village_code=p.village_a.code,
    )
    priority = services.designate_priority(
        by=p.zhen_a,
        village=p.village_a,
        reason="出生性别比偏高",
        designated_on=days_ago(10),
        review_on=days_ago(-300),
    )
    survey = start_survey(
        by=p.health_a,
        area=p.town_a,
        name="甲镇非法行医排查",
        department="health",
        started_on=days_ago(5),
    )
    visit = record_survey_visit(
        by=p.health_a,
        survey=survey,
        visited_on=days_ago(2),
        place_kind="unlicensed",
        place_name="无证诊疗点",
        village=p.village_a,
    )
    return {
        "licence": licence,
        "genetic_test": test,
        "priority": priority,
        "survey": survey,
        "survey_visit": visit,
    }
