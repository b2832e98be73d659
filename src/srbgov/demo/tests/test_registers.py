"""The demo's exam register (srbgov/demo/registers.py): exams on the filed device, one
exam→termination pattern raised for the woman's township; loading twice enters nothing
the second time."""

from __future__ import annotations

from datetime import date

from srbgov.accounts.models import Role
from srbgov.alerts.models import Alert, AlertKind
from srbgov.demo import registers
from srbgov.providers.models import PractitionerKind, UltrasoundExam
from srbgov.providers.services import assign_facility_clerk, file_operator, save_device
from srbgov.providers.tests.builders import make_facility, make_practitioner
from srbgov.testing import BaseTestCase, make_user, make_woman

ANCHOR = date(2026, 11, 1)


class DemoRegistersTests(BaseTestCase):
    def test_it_enters_exams_and_one_pattern_once(self) -> None:
        facility = make_facility(by=self.health_a, area=self.town_a)
        device = save_device(
            by=self.health_a,
            facility=facility,
            model_name="DC-70",
            serial_number="SN-9",
            filed_on=date(2025, 1, 1),
        )
        sonographer = make_practitioner(
            by=self.health_a,
            facility=facility,
            name="王医生",
            kind=PractitionerKind.ULTRASOUND,
        )
        file_operator(by=self.health_a, device=device, practitioner=sonographer)
        hospital = make_facility(
            by=self.health_a, area=self.town_a, name="甲镇医院", kind="hospital"
        )
        make_practitioner(by=self.health_a, facility=hospital)
        clerk = make_user("jigou", Role.FACILITY_CLERK, self.town_a)
        assign_facility_clerk(by=self.health_a, clerk=clerk, facility=facility)
        for name in ("王芳", "李娜", "张丽"):
            make_woman(by=self.cun_a, village=self.village_a, name=name)
        self.assertEqual(registers.load(anchor=ANCHOR), 4)
        self.assertEqual(registers.load(anchor=ANCHOR), 0)
        self.assertEqual(
            UltrasoundExam.objects.filter(operator__isnull=True).count(), 0
        )
        (alert,) = Alert.objects.filter(kind=AlertKind.EXAM_THEN_TERMINATION)
        self.assertEqual(alert.area.parent, self.town_a)
