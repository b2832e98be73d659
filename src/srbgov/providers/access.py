"""The one way views and exports reach provider records (STYLE §5.4).

Health centers and township officers keep the facilities of their township; the county
sees all of its own; a facility clerk (医疗机构登记员) sees one facility only: its
termination register, the births it delivered and its drug ledger. Everything else
answers 404, for missing and forbidden alike.
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

from srbgov.accounts import roles
from srbgov.accounts.models import Role, User
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.core.http import require
from srbgov.providers.models import (
    DrugDispensing,
    Facility,
    FacilityClerk,
    FacilityQuerySet,
    Pledge,
    Practitioner,
    TerminationRecord,
    TerminationVerification,
    UltrasoundDevice,
)


def facilities_for_user(user: User) -> FacilityQuerySet:
    """The facilities a user may open: the area's, or the clerk's one facility."""
    if roles.is_facility_clerk(user):
        facility_id = clerk_facility_id(user)
        if facility_id is None:
            raise Http404
        return Facility.objects.filter(
            pk=facility_id, area__code__startswith=user.scope.scope_prefix
        )
    require(roles.can_keep_facilities, user)
    return Facility.objects.in_area(user.scope)


def clerk_facility_id(user: User) -> int | None:
    """The facility a facility clerk works at (providers.FacilityClerk), if linked."""
    return (
        FacilityClerk.objects.filter(user=user)
        .values_list("facility_id", flat=True)
        .first()
    )


def clerk_candidates_for(user: User, facility: Facility) -> QuerySet[User]:
    """Facility-clerk accounts the keeper may link to the facility: held at the
    facility's area or above it, but inside the keeper's own area."""
    areas = [facility.area, *facility.area.ancestors()]
    return User.objects.filter(
        role=Role.FACILITY_CLERK,
        is_active=True,
        area__in=[a for a in areas if user.scope.contains(a)],
    ).order_by("username")


def kept_facilities_for_user(user: User) -> FacilityQuerySet:
    """The facilities whose registries (devices, staff, pledges) the user keeps."""
    require(roles.can_keep_facilities, user)
    return Facility.objects.in_area(user.scope)


M = TypeVar("M", bound=Model)


def _one(qs: QuerySet[M], user: User, pk: int, object_type: str) -> M:
    obj = qs.filter(pk=pk).first()
    if obj is None:
        record(
            user=user,
            action=AuditAction.DENIED,
            object_type=object_type,
            object_id=str(pk),
        )
        raise Http404
    return obj


def get_facility_for_user(user: User, pk: int, *, keep: bool = False) -> Facility:
    facilities = kept_facilities_for_user(user) if keep else facilities_for_user(user)
    facility = _one(
        facilities.select_related("area", "area__parent"),
        user,
        pk,
        "providers.facility",
    )
    return facility


def get_device_for_user(user: User, pk: int) -> UltrasoundDevice:
    devices = UltrasoundDevice.objects.filter(
        facility__in=kept_facilities_for_user(user)
    ).select_related("facility")
    device = _one(devices, user, pk, "providers.ultrasounddevice")
    return device


def practitioners_for_user(user: User) -> QuerySet[Practitioner]:
    return Practitioner.objects.filter(facility__in=kept_facilities_for_user(user))


def get_practitioner_for_user(user: User, pk: int) -> Practitioner:
    """A practitioner's archive holds personal data (qualification, phone): logged."""
    found = _one(
        practitioners_for_user(user).select_related("facility", "facility__area"),
        user,
        pk,
        "providers.practitioner",
    )
    record(user=user, action=AuditAction.READ, obj=found)
    return found


def get_pledge_for_user(user: User, pk: int) -> Pledge:
    pledges = Pledge.objects.filter(
        facility__in=kept_facilities_for_user(user)
    ).select_related("facility", "scan")
    pledge = _one(pledges, user, pk, "providers.pledge")
    return pledge


def terminations_for_user(user: User) -> QuerySet[TerminationRecord]:
    return TerminationRecord.objects.filter(facility__in=facilities_for_user(user))


def get_termination_for_user(
    user: User, pk: int, *, log_read: bool = True
) -> TerminationRecord:
    """A real-name register entry: every opening is a logged read of personal data."""
    entry = _one(
        terminations_for_user(user).select_related(
            "facility", "facility__area", "operator", "verification"
        ),
        user,
        pk,
        "providers.terminationrecord",
    )
    if log_read:
        record(user=user, action=AuditAction.READ, obj=entry)
    return entry


def verifications_for_user(user: User) -> QuerySet[TerminationVerification]:
    """Facility staff see their facilities' requests; the township officer reviews
    those of the township, the county certifies the county's."""
    if roles.can_review_terminations(user) or roles.can_certify_terminations(user):
        return TerminationVerification.objects.in_area(user.scope)
    return TerminationVerification.objects.filter(
        facility__in=facilities_for_user(user)
    )


def get_verification_for_user(
    user: User, pk: int, *, log_read: bool = True
) -> TerminationVerification:
    found = _one(
        verifications_for_user(user).select_related(
            "facility", "facility__area", "evidence", "requested_by", "reviewed_by"
        ),
        user,
        pk,
        "providers.terminationverification",
    )
    if log_read:
        record(user=user, action=AuditAction.READ, obj=found)
    return found


def dispensings_for_user(user: User) -> QuerySet[DrugDispensing]:
    return DrugDispensing.objects.filter(facility__in=facilities_for_user(user))
