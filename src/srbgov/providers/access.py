"""The one way views and exports reach provider records: declarations over the scope
primitive (srbgov.core.scope, docs/access.md).

Health centers and township officers keep the facilities of their township; the county
sees all of its own; a facility clerk (医疗机构登记员) sees one facility only: its
termination register, the births it delivered and its drug ledger. Everything else
answers 404, for missing and forbidden alike.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from srbgov.accounts import roles
from srbgov.accounts.models import Role, User
from srbgov.core.http import require
from srbgov.core.scope import ScopedQuerySet, get_for_user
from srbgov.providers.models import (
    DrugDispensing,
    DrugPurchase,
    Facility,
    FacilityClerk,
    FacilityDelivery,
    FacilityDeliveryQuerySet,
    FacilityQuerySet,
    GeneticTest,
    Pledge,
    Practitioner,
    PrenatalLicence,
    PriorityDesignation,
    PriorityQuerySet,
    TerminationRecord,
    TerminationVerification,
    UltrasoundDevice,
    UltrasoundExam,
)


def facilities_for_user(user: User) -> FacilityQuerySet:
    """The facilities a user may open: the area's, or the clerk's one facility."""
    if roles.is_facility_clerk(user):
        facility_id = clerk_facility_id(user)
        if facility_id is None:
            raise Http404
        return Facility.objects.visible_to(user).filter(pk=facility_id)
    require(roles.can_keep_facilities, user)
    return Facility.objects.visible_to(user)


def register_facilities_for_user(user: User) -> FacilityQuerySet:
    """The facilities whose registers the user may write to (pharmacies keep none)."""
    return facilities_for_user(user).exclude(kind="pharmacy")


def writes_register_of(user: User, facility_id: int) -> bool:
    """Whether the user writes the registers of this facility (not merely sees an
    entry of it because the mother is of her area)."""
    return register_facilities_for_user(user).filter(pk=facility_id).exists()


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
    return Facility.objects.visible_to(user)


def get_facility_for_user(
    user: User, pk: object, *, keep: bool = False, log_read: bool = True
) -> Facility:
    facilities = kept_facilities_for_user(user) if keep else facilities_for_user(user)
    return get_for_user(
        facilities.select_related("area", "area__parent"), user, pk, log_read=log_read
    )


def devices_for_user(user: User) -> ScopedQuerySet[UltrasoundDevice]:
    return UltrasoundDevice.objects.filter(facility__in=kept_facilities_for_user(user))


def get_device_for_user(
    user: User, pk: object, *, log_read: bool = True
) -> UltrasoundDevice:
    devices = devices_for_user(user).select_related("facility")
    return get_for_user(devices, user, pk, log_read=log_read)


def practitioners_for_user(user: User) -> ScopedQuerySet[Practitioner]:
    return Practitioner.objects.filter(facility__in=kept_facilities_for_user(user))


def get_practitioner_for_user(
    user: User, pk: object, *, log_read: bool = True
) -> Practitioner:
    """A practitioner's archive holds personal data (qualification, phone): logged."""
    people = practitioners_for_user(user).select_related("facility", "facility__area")
    return get_for_user(people, user, pk, log_read=log_read)


def get_pledge_for_user(user: User, pk: object, *, log_read: bool = True) -> Pledge:
    pledges = Pledge.objects.filter(
        facility__in=kept_facilities_for_user(user)
    ).select_related("facility", "scan")
    return get_for_user(pledges, user, pk, log_read=log_read)


def terminations_for_user(user: User) -> ScopedQuerySet[TerminationRecord]:
    return TerminationRecord.objects.filter(facility__in=facilities_for_user(user))


def get_termination_for_user(
    user: User, pk: object, *, log_read: bool = True
) -> TerminationRecord:
    """A real-name register entry: every opening is a logged read of personal data."""
    entries = terminations_for_user(user).select_related(
        "facility", "facility__area", "operator", "verification"
    )
    return get_for_user(entries, user, pk, log_read=log_read)


def verifications_for_user(user: User) -> QuerySet[TerminationVerification]:
    """Facility staff see their facilities' requests; the township officer reviews
    those of the township, the county certifies the county's."""
    if roles.can_review_terminations(user) or roles.can_certify_terminations(user):
        return TerminationVerification.objects.visible_to(user)
    return TerminationVerification.objects.filter(
        facility__in=facilities_for_user(user)
    )


def get_verification_for_user(
    user: User, pk: object, *, log_read: bool = True
) -> TerminationVerification:
    verifications = verifications_for_user(user).select_related(
        "facility", "facility__area", "evidence", "requested_by", "reviewed_by"
    )
    return get_for_user(verifications, user, pk, log_read=log_read)


def purchases_for_user(user: User) -> ScopedQuerySet[DrugPurchase]:
    return DrugPurchase.objects.filter(facility__in=facilities_for_user(user))


def dispensings_for_user(user: User) -> ScopedQuerySet[DrugDispensing]:
    return DrugDispensing.objects.filter(facility__in=facilities_for_user(user))


def deliveries_for_user(user: User) -> ScopedQuerySet[FacilityDelivery]:
    """The delivery register: a clerk's facility only; the keepers see the deliveries
    at their facilities and those of the mothers of their area, wherever she
    delivered (the entry's area is her village when known)."""
    facilities = facilities_for_user(user)
    at_facilities = FacilityDelivery.objects.filter(facility__in=facilities)
    if roles.is_facility_clerk(user):
        return at_facilities
    return at_facilities | FacilityDelivery.objects.visible_to(user)


def deliveries_to_complete(
    user: User, entries: ScopedQuerySet[FacilityDelivery] | None = None
) -> ScopedQuerySet[FacilityDelivery]:
    """What the user must complete (docs/homes.md): deliveries at a facility whose
    register she writes with a live-born child still without a certificate number.
    The home page counts this; the register's 待补录 filter lists it."""
    entries = deliveries_for_user(user) if entries is None else entries
    at_my_facilities: FacilityDeliveryQuerySet = entries.filter(  # type: ignore[assignment]
        facility__in=register_facilities_for_user(user)
    )
    return at_my_facilities.missing_certificate()


def get_delivery_for_user(
    user: User, pk: object, *, log_read: bool = True
) -> FacilityDelivery:
    """A real-name register entry: every opening is a logged read of personal data."""
    entries = deliveries_for_user(user).select_related(
        "facility", "facility__area", "village", "recorded_by"
    )
    return get_for_user(entries, user, pk, log_read=log_read)


def get_delivery_to_write_for_user(user: User, pk: object) -> FacilityDelivery:
    """An entry at a facility whose register the user writes, for a change. One seen
    only because the mother is of her area is a 404 like any other, denied in the
    audit log by the one getter."""
    entries = deliveries_for_user(user).filter(
        facility__in=register_facilities_for_user(user)
    )
    return get_for_user(entries, user, pk, log_read=False)


def exams_for_user(user: User) -> ScopedQuerySet[UltrasoundExam]:
    """The ultrasound exam register, reached like the delivery register: a clerk's
    facility only; the keepers see their facilities' exams and their women's."""
    facilities = facilities_for_user(user)
    at_facilities = UltrasoundExam.objects.filter(facility__in=facilities)
    if roles.is_facility_clerk(user):
        return at_facilities
    return at_facilities | UltrasoundExam.objects.visible_to(user)


def get_exam_for_user(
    user: User, pk: object, *, log_read: bool = True
) -> UltrasoundExam:
    """A real-name register entry: every opening is a logged read of personal data."""
    entries = exams_for_user(user).select_related(
        "facility", "facility__area", "village", "device", "operator", "recorded_by"
    )
    return get_for_user(entries, user, pk, log_read=log_read)


# --- prenatal diagnosis and priority villages (issue 17 items 3 and 6) -------------


def licences_for_user(user: User) -> ScopedQuerySet[PrenatalLicence]:
    """Licences for prenatal diagnosis of the facilities the user keeps."""
    return PrenatalLicence.objects.filter(facility__in=kept_facilities_for_user(user))


def get_licence_for_user(
    user: User, pk: object, *, log_read: bool = True
) -> PrenatalLicence:
    licences = licences_for_user(user).select_related("facility", "scan")
    return get_for_user(licences, user, pk, log_read=log_read)


def genetic_tests_for_user(user: User) -> ScopedQuerySet[GeneticTest]:
    """The genetic test register, reached like the exam register: a clerk's
    facility only; the keepers see their facilities' tests and their women's."""
    facilities = facilities_for_user(user)
    at_facilities = GeneticTest.objects.filter(facility__in=facilities)
    if roles.is_facility_clerk(user):
        return at_facilities
    return at_facilities | GeneticTest.objects.visible_to(user)


def get_genetic_test_for_user(
    user: User, pk: object, *, log_read: bool = True
) -> GeneticTest:
    """A real-name register entry: every opening is a logged read of personal data."""
    entries = genetic_tests_for_user(user).select_related(
        "facility", "facility__area", "village", "licence", "recorded_by"
    )
    return get_for_user(entries, user, pk, log_read=log_read)


def priorities_for_user(user: User) -> PriorityQuerySet:
    require(roles.can_see_priorities, user)
    return PriorityDesignation.objects.visible_to(user)


def get_priority_for_user(
    user: User, pk: object, *, log_read: bool = True
) -> PriorityDesignation:
    entries = priorities_for_user(user).select_related(
        "township", "village", "facility", "designated_by"
    )
    return get_for_user(entries, user, pk, log_read=log_read)
