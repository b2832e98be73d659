from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from srbgov.accounts.models import User
from srbgov.oversight import services
from srbgov.oversight.models import CHECKLIST, Campaign, CheckResult, Inspection
from srbgov.providers.models import Facility


def make_campaign(
    *, by: User, name: str = "春季专项整治", starts: date | None = None
) -> Campaign:
    start = starts or timezone.localdate() - timedelta(days=20)
    return services.create_campaign(
        by=by,
        name=name,
        deploy_starts_on=start,
        deploy_ends_on=start + timedelta(days=5),
        implement_starts_on=start + timedelta(days=6),
        implement_ends_on=start + timedelta(days=40),
        summary_starts_on=start + timedelta(days=41),
        summary_ends_on=start + timedelta(days=50),
        report_due_on=start + timedelta(days=55),
    )


def make_inspection(
    *, by: User, campaign: Campaign, facility: Facility, failed: bool = True
) -> Inspection:
    checklist = {key: CheckResult.PASS for key, _label in CHECKLIST}
    if failed:
        checklist["drug_ledger"] = CheckResult.FAIL
    today = timezone.localdate()
    return services.record_inspection(
        by=by,
        campaign=campaign,
        facility=facility,
        inspected_on=today - timedelta(days=1),
        inspectors=["张计生", "刘卫生"],
        checklist=checklist,
        findings="药品台账不全" if failed else "",
        rectify_by=today + timedelta(days=14) if failed else None,
    )
