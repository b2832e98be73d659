"""The world the request-observed scope matrix walks (imported only by tests).

One record of every kind that a route opens, all inside 甲镇 (most in 一村), and, for
every role in `Role`, one persona at every area of that role's level (`ROLE_LEVEL`):
so for any record the outsiders of a role are simply the personas whose area does not
contain the record's area. Nobody is typed by hand. See docs/access.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import ClassVar

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from srbgov.accounts.models import (
    MFA_REQUIRED_ROLES,
    ROLE_LEVEL,
    Role,
    RoleRequest,
    User,
)
from srbgov.alerts.models import AlertKind
from srbgov.alerts.services import raise_alert
from srbgov.areas.models import Area
from srbgov.assessment.tests.world import assessment_records
from srbgov.care.tests.builders import scope_world_records as care_records
from srbgov.exchange import services as exchange
from srbgov.monitoring.tests.builders import ended_outcome, make_birth
from srbgov.oversight import services as oversight
from srbgov.oversight.models import CaseSource, Department, SubjectKind
from srbgov.oversight.tests.builders import make_campaign, make_inspection
from srbgov.pregnancies.tests.builders import make_pregnancy
from srbgov.providers import services as providers
from srbgov.providers.models import DrugItem, Facility, FacilityClerk, FacilityKind
from srbgov.providers.tests.builders import (
    PDF,
    days_ago,
    make_facility,
    make_practitioner,
    make_verification,
    pdf_upload,
)
from srbgov.providers.tests.prenatal_world import prenatal_records
from srbgov.restapi.tokens import issue_facility_client
from srbgov.testing import (
    Personas,
    TemporaryMediaTestCase,
    make_id_number,
    make_woman,
)
from srbgov.tips import services as tips
from srbgov.tips.tests.builders import file_tip, photo_upload


@dataclass
class World:
    """Records by name, for the route table of the matrix."""

    records: dict[str, models.Model] = field(default_factory=dict)
    # role → the personas holding it, one per area of the role's level
    personas: dict[str, list[User]] = field(default_factory=dict)

    def __getitem__(self, name: str) -> models.Model:
        return self.records[name]


def areas_at(level: str) -> list[Area]:
    return list(Area.objects.filter(level=level).order_by("code"))


def make_role_personas(world: World, facility_of: dict[int, Facility]) -> None:
    """One user per (role, area of the role's level); a facility clerk also holds
    the facility of that township (`facility_of`, by township pk)."""
    for role in Role:
        level = ROLE_LEVEL[role]
        users = []
        for area in areas_at(level):
            # No password: the matrix logs in with force_login, and hashing two
            # dozen passwords would cost more than the requests themselves.
            user = User.objects.create(
                username=f"m_{role.value}_{area.code}",
                role=role,
                area=area,
                password=make_password(None),
            )
            if role in MFA_REQUIRED_ROLES:
                TOTPDevice.objects.create(user=user, name="persona", confirmed=True)
            if role == Role.FACILITY_CLERK:
                FacilityClerk.objects.create(user=user, facility=facility_of[area.pk])
            users.append(user)
        world.personas[role] = users


def build_world(p: type[Personas]) -> World:
    world = World()
    r = world.records
    today = timezone.localdate()
    # Provider oversight (甲镇).
    facility = make_facility(by=p.health_a, area=p.town_a)
    r["facility"] = facility
    operator = make_practitioner(by=p.health_a, facility=facility)
    r["practitioner"] = operator
    r["device"] = providers.save_device(
        by=p.health_a, facility=facility, model_name="DC-70", serial_number="SN-1"
    )
    r["pledge"] = providers.record_pledge(
        by=p.health_a,
        facility=facility,
        practitioner=operator,
        signed_on=days_ago(30),
        expires_on=days_ago(-30),
        scan=pdf_upload("责任书.pdf"),
    )
    r["termination"] = providers.record_termination(
        by=p.health_a,
        facility=facility,
        woman_name="孙丽",
        id_number=make_id_number(),
        terminated_on=days_ago(2),
        gestational_weeks=16,
        method="induction",
        operator=operator,
        medical_reason="胎儿畸形",
    )
    r["delivery"] = providers.record_facility_delivery(
        facility=facility,
        recorded_by=p.health_a,
        mother_id_number=make_id_number(),
        mother_name="周敏",
        delivered_on=days_ago(3),
        children=[providers.ChildData(sex="M")],
        village_code=p.village_a.code,
    )
    r["exam"] = providers.record_ultrasound_exam(
        facility=facility,
        recorded_by=p.health_a,
        id_number=make_id_number(),
        woman_name="吴静",
        examined_on=days_ago(4),
        device_serial="SN-1",
        operator_name=operator.name,
        gestational_weeks=16,
        purpose="routine",
        village_code=p.village_a.code,
    )
    # The REST API: the facility's client token (restapi:token_revoke).
    r["api_token"], _key = issue_facility_client(
        by=p.health_a, facility=facility, name="甲镇卫生院HIS"
    )
    r["verification"] = make_verification(
        by=p.health_a, facility=facility, name="孙丽", id_number=make_id_number()
    )
    drug = (
        DrugItem.objects.filter(area__isnull=True).first() or DrugItem.objects.first()
    )
    if drug is not None:
        providers.record_purchase(
            by=p.health_a,
            facility=facility,
            drug=drug,
            quantity=5,
            purchased_on=days_ago(9),
            supplier="示范县医药公司",
            batch_number="B1",
        )
    # The registry and follow-up (一村).
    woman = make_woman(by=p.cun_a, village=p.village_a, name="王芳")
    r["woman"] = woman
    r["pregnancy"] = make_pregnancy(by=p.cun_a, woman=woman, weeks=12)
    mother = make_woman(by=p.cun_a, village=p.village_a, name="李娜")
    outcome = ended_outcome(by=p.cun_a, woman=mother, on=today - timedelta(days=20))
    r["outcome"] = outcome
    birth = make_birth(
        outcome=outcome, village=p.village_a, sex="F", born_on=outcome.occurred_on
    )
    r["birth"] = birth
    r["child"] = birth.child
    alert, _created = raise_alert(
        kind=AlertKind.VISIT_OVERDUE,
        area=p.village_a,
        subject_type="pregnancy",
        subject_id=r["pregnancy"].pk,
        summary="王芳 随访逾期",
    )
    r["alert"] = alert
    # Campaigns, inspections and cases (甲镇); the case is referred to the police.
    campaign = make_campaign(by=p.zhen_a, name="甲镇春季整治")
    r["campaign"] = campaign
    inspection = make_inspection(by=p.health_a, campaign=campaign, facility=facility)
    r["inspection"] = inspection
    case = oversight.open_case(
        by=p.zhen_a,
        area=p.town_a,
        title="B超非法鉴定",
        source=CaseSource.INSPECTION,
        summary="检查发现",
        subject_kind=SubjectKind.FACILITY,
        subject_facility=facility,
        inspection=inspection,
    )
    r["task"] = oversight.add_case_task(
        by=p.zhen_a,
        case=case,
        department=Department.POLICE,
        description="协查",
        due_on=today + timedelta(days=5),
    )
    case.refresh_from_db()
    r["case"] = case
    r["record"] = oversight.add_investigation_record(
        by=p.zhen_a,
        case=case,
        recorded_on=today,
        interviewee="王某",
        investigators=["张计生", "杨民警"],
        content="询问笔录",
        attachment=SimpleUploadedFile("笔录.pdf", PDF),
    )
    # A tip of the county, assigned to 甲镇, verified, with a photo and a reward.
    tip = file_tip(p.county, place_area=p.village_a, files=[photo_upload()]).tip
    tip = tips.assign_township(by=p.tips, tip=tip, township=p.town_a)
    tip = tips.decide(by=p.tips, tip=tip, verified=True, reason="现场查获B超机。")
    r["tip"] = tip
    r["attachment"] = tip.attachments.get()
    r["reward"] = tips.propose_reward(
        by=p.tips, tip=tip, kind="verified", amount=800, reason="查实"
    )
    # Areas (the administrator's) and follow-up rules are area records themselves.
    r["village"] = p.village_a
    r["township"] = p.town_a
    r.update(assessment_records(p))  # indicators, rectification, monthly report
    # Accounts (the administrator's): a village worker of 一村 and a role request
    # about her, waiting for a second administrator.
    r["account"] = p.cun_a
    r["role_request"] = RoleRequest.objects.create(
        user=p.cun_a, role=Role.AUDITOR, area=p.county, requested_by=p.admin
    )
    r.update(care_records(p))  # girl care and publicity (甲镇 一村)
    r.update(prenatal_records(p, facility))  # prenatal tests, priority villages
    # Personas of every role at every area of its level; clerks hold a facility of
    # their township (甲镇's is the facility above).
    facility_of = {p.town_a.pk: facility}
    for town in Area.objects.filter(level="township").exclude(pk=p.town_a.pk):
        facility_of[town.pk] = Facility.objects.create(
            name=f"{town.name}诊所", kind=FacilityKind.CLINIC, area=town
        )
    make_role_personas(world, facility_of)
    # An import of 甲镇's facility clerk (a kind every role that imports and keeps
    # 甲镇's registers may open; a clerk opens only her own jobs).
    (clerk,) = [
        u for u in world.personas[Role.FACILITY_CLERK] if u.area_id == p.town_a.pk
    ]
    r["import_job"] = exchange.upload_table(
        by=clerk,
        kind="terminations",
        upload=SimpleUploadedFile("甲镇.csv", "机构,妇女姓名,身份证号码\n".encode()),
    )
    return world


class WorldTestCase(TemporaryMediaTestCase):
    """A test case over the world (the scope matrix, the list pages), its stored
    files in a media folder of the class's own."""

    world: ClassVar[World]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.world = build_world(cls)
