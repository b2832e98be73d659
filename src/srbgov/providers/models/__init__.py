"""Providers (“两非”监管 registries): facilities, ultrasound devices, practitioners,
pledges, the real-name termination register and its verification, the drug ledger."""

from __future__ import annotations

from srbgov.providers.models.clerks import FacilityClerk
from srbgov.providers.models.deliveries import (
    ChildOutcome,
    ChildSex,
    DeliveryChild,
    DeliverySource,
    FacilityDelivery,
    FacilityDeliveryQuerySet,
)
from srbgov.providers.models.drugs import (
    DrugDispensing,
    DrugItem,
    DrugPurchase,
)
from srbgov.providers.models.exams import (
    ExamPurpose,
    ExamSource,
    UltrasoundExam,
)
from srbgov.providers.models.facilities import (
    DeviceOperator,
    DeviceStatus,
    Facility,
    FacilityKind,
    FacilityQuerySet,
    FacilityStatus,
    Pledge,
    Practitioner,
    PractitionerKind,
    UltrasoundDevice,
)
from srbgov.providers.models.prenatal import (
    SCOPES_FOR_TEST,
    GeneticTest,
    GeneticTestKind,
    LicenceScope,
    PrenatalLicence,
    TestIndication,
    TestResult,
)
from srbgov.providers.models.priority import PriorityDesignation, PriorityQuerySet
from srbgov.providers.models.terminations import (
    LATE_TERMINATION_WEEKS,
    RealNameRecord,
    TerminationMethod,
    TerminationRecord,
    TerminationVerification,
    VerificationReason,
    VerificationStatus,
)

__all__ = [
    "LATE_TERMINATION_WEEKS",
    "SCOPES_FOR_TEST",
    "ChildOutcome",
    "ChildSex",
    "DeliveryChild",
    "DeliverySource",
    "DeviceOperator",
    "DeviceStatus",
    "DrugDispensing",
    "DrugItem",
    "DrugPurchase",
    "ExamPurpose",
    "ExamSource",
    "Facility",
    "FacilityClerk",
    "FacilityDelivery",
    "FacilityDeliveryQuerySet",
    "FacilityKind",
    "FacilityQuerySet",
    "FacilityStatus",
    "GeneticTest",
    "GeneticTestKind",
    "LicenceScope",
    "Pledge",
    "Practitioner",
    "PractitionerKind",
    "PrenatalLicence",
    "PriorityDesignation",
    "PriorityQuerySet",
    "RealNameRecord",
    "TerminationMethod",
    "TerminationRecord",
    "TerminationVerification",
    "TestIndication",
    "TestResult",
    "UltrasoundDevice",
    "UltrasoundExam",
    "VerificationReason",
    "VerificationStatus",
]
