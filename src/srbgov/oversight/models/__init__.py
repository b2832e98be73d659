"""专项整治与案件查处 (campaigns, inspections, cases) and the surveys of unlicensed
practice with the private persons a case is about."""

from __future__ import annotations

from srbgov.oversight.models.cases import (
    CAMPAIGNS_PER_YEAR,
    CHECKLIST,
    Campaign,
    Case,
    CaseSource,
    CaseStatus,
    CaseTask,
    CheckResult,
    Department,
    Disposition,
    Inspection,
    InvestigationRecord,
    RectificationStatus,
    SubjectKind,
)
from srbgov.oversight.models.practice import (
    CasePerson,
    ItemKind,
    PersonRole,
    PlaceKind,
    SeizedItem,
    Survey,
    SurveyVisit,
)

__all__ = [
    "CAMPAIGNS_PER_YEAR",
    "CHECKLIST",
    "Campaign",
    "Case",
    "CasePerson",
    "CaseSource",
    "CaseStatus",
    "CaseTask",
    "CheckResult",
    "Department",
    "Disposition",
    "Inspection",
    "InvestigationRecord",
    "ItemKind",
    "PersonRole",
    "PlaceKind",
    "RectificationStatus",
    "SeizedItem",
    "SubjectKind",
    "Survey",
    "SurveyVisit",
]
