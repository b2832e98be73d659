"""The demo's device hours (srbgov/demo/patterns.py): the room's hours on the filed
device and one exam after them, raised for the township; loading twice changes
nothing the second time."""

from __future__ import annotations

from datetime import date, time

from srbgov.accounts.models import Role
from srbgov.alerts.models import Alert, AlertKind
from srbgov.demo import patterns, registers
from srbgov.providers.models import PractitionerKind, UltrasoundDevice
from srbgov.providers.services import assign_facility_clerk, file_operator, save_device
from srbgov.providers.tests.builders import make_facility, make_practitioner
from srbgov.testing import BaseTestCase, make_user, make_woman

ANCHOR = date(2026, 11, 1)


class DemoPatternsTests(BaseTestCase):
    def test_it_sets_the_hours_and_raises_one_late_exam_once(self) -> None:
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
        clerk = make_user("jigou", Role.FACILITY_CLERK, self.town_a)
        assign_facility_clerk(by=self.health_a, clerk=clerk, facility=facility)
        make_woman(by=self.cun_a, village=self.village_a, name="王芳")
        registers.load(anchor=ANCHOR)
        self.assertEqual(patterns.load(anchor=ANCHOR), 1)
        self.assertEqual(patterns.load(anchor=ANCHOR), 0)
        device = UltrasoundDevice.objects.get(pk=device.pk)
        self.assertEqual(
            (device.room_opens_at, device.room_closes_at), (time(8, 0), time(17, 30))
        )
        (alert,) = Alert.objects.filter(kind=AlertKind.DEVICE_OUT_OF_HOURS)
        self.assertEqual(alert.area, self.town_a)
