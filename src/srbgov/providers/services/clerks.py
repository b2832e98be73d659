"""Linking a facility clerk's account to the one facility they work at."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.providers.models import Facility, FacilityClerk

if TYPE_CHECKING:
    from srbgov.accounts.models import User


@transaction.atomic
def assign_facility_clerk(
    *, by: User, clerk: User, facility: Facility
) -> FacilityClerk:
    """Link (or re-link) a facility clerk (医疗机构登记员) to their facility.

    docs/design.md §3: a facility clerk sees one facility. The facility's keeper links it
    (卫生院, 计生办 or 县卫健局: both the facility and the account in their area);
    the administrator only creates the account. `FacilityClerk.clean` refuses an
    account of another role and a facility outside the account's area (the clerk's
    scope could not open it). Audited with the facility before and after.
    """
    if not (by.scope.contains(facility.area) and by.scope.contains(clerk.scope)):
        raise ValidationError(_("只能为本辖区的机构和账号指定登记员。"))
    link = FacilityClerk.objects.select_for_update().filter(user=clerk).first()
    before = link.facility_id if link is not None else None
    if link is None:
        link = FacilityClerk(user=clerk, facility=facility)
    link.facility = facility
    link.full_clean()
    link.save()
    record(
        user=by,
        action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
        obj=link,
        detail={"facility": {"before": before, "after": facility.pk}},
    )
    return link
