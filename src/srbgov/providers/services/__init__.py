"""Every write to the provider registries (docs/conventions.md §2), one module per register."""

from __future__ import annotations

from srbgov.providers.services.clerks import assign_facility_clerk
from srbgov.providers.services.deliveries import (
    ChildData,
    complete_birth_certificate,
    record_facility_delivery,
)
from srbgov.providers.services.drugs import (
    StockLine,
    add_drug_item,
    drugs_for,
    record_dispensing,
    record_purchase,
    stock_of,
)
from srbgov.providers.services.exams import record_ultrasound_exam
from srbgov.providers.services.patterns import (
    exam_termination_findings,
    raise_exam_termination_alerts,
)
from srbgov.providers.services.prenatal import (
    licence_covering,
    record_genetic_test,
    record_test_result,
    save_prenatal_licence,
)
from srbgov.providers.services.priority import (
    designate_priority,
    end_priority,
    overdue_reviews,
    priority_facility_ids,
    priority_village_ids,
    renew_priority,
    with_priority_mark,
)
from srbgov.providers.services.realname import RealName, county_of, real_name
from srbgov.providers.services.registry import (
    file_operator,
    record_pledge,
    save_device,
    save_facility,
    save_practitioner,
)
from srbgov.providers.services.terminations import (
    certify_verification,
    record_termination,
    request_verification,
    review_verification,
)

__all__ = [
    "ChildData",
    "RealName",
    "StockLine",
    "add_drug_item",
    "assign_facility_clerk",
    "certify_verification",
    "complete_birth_certificate",
    "county_of",
    "designate_priority",
    "drugs_for",
    "end_priority",
    "exam_termination_findings",
    "file_operator",
    "licence_covering",
    "overdue_reviews",
    "priority_facility_ids",
    "priority_village_ids",
    "raise_exam_termination_alerts",
    "real_name",
    "record_dispensing",
    "record_facility_delivery",
    "record_genetic_test",
    "record_pledge",
    "record_purchase",
    "record_termination",
    "record_test_result",
    "record_ultrasound_exam",
    "renew_priority",
    "request_verification",
    "review_verification",
    "save_device",
    "save_facility",
    "save_practitioner",
    "save_prenatal_licence",
    "stock_of",
    "with_priority_mark",
]
