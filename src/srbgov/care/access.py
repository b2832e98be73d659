"""The one way care views and exports reach care records (docs/access.md)."""

from __future__ import annotations

from django.db.models import QuerySet

from srbgov.accounts.models import User
from srbgov.care import roles
from srbgov.care.models import (
    Application,
    BenefitProgram,
    CareHousehold,
    Payment,
    PaymentBatch,
    PublicNotice,
    RecheckFinding,
)
from srbgov.care.services import county_of
from srbgov.core.http import require
from srbgov.core.scope import get_for_user


def households_for_user(user: User) -> QuerySet[CareHousehold]:
    require(roles.can_see_care, user)
    return CareHousehold.objects.visible_to(user).select_related(
        "woman", "woman__village", "woman__village__parent"
    )


def get_household_for_user(
    user: User, pk: object, *, log_read: bool = True
) -> CareHousehold:
    return get_for_user(households_for_user(user), user, pk, log_read=log_read)


def programs_for_user(user: User) -> QuerySet[BenefitProgram]:
    """The programmes of the user's county: a village worker applies for them and a
    township reviews them, though they are the county's records."""
    require(roles.can_see_care, user)
    return BenefitProgram.objects.in_area(county_of(user.scope))


def get_program_for_user(user: User, pk: object) -> BenefitProgram:
    require(roles.can_manage_programs, user)
    return get_for_user(BenefitProgram.objects.visible_to(user), user, pk)


def applications_for_user(user: User) -> QuerySet[Application]:
    require(roles.can_see_care, user)
    return Application.objects.visible_to(user).select_related(
        "program", "household__woman__village__parent", "notice"
    )


def get_application_for_user(
    user: User, pk: object, *, log_read: bool = True
) -> Application:
    return get_for_user(applications_for_user(user), user, pk, log_read=log_read)


def notices_for_user(user: User) -> QuerySet[PublicNotice]:
    require(roles.can_see_notices, user)
    return PublicNotice.objects.visible_to(user).select_related(
        "village__parent", "program"
    )


def get_notice_for_user(user: User, pk: object) -> PublicNotice:
    return get_for_user(notices_for_user(user), user, pk)


def batches_for_user(user: User) -> QuerySet[PaymentBatch]:
    require(roles.can_handle_payments, user)
    return PaymentBatch.objects.visible_to(user).select_related(
        "program", "prepared_by", "approved_by"
    )


def get_batch_for_user(
    user: User, pk: object, *, log_read: bool = True
) -> PaymentBatch:
    return get_for_user(batches_for_user(user), user, pk, log_read=log_read)


def payments_for_user(user: User) -> QuerySet[Payment]:
    require(roles.can_see_care, user)
    return Payment.objects.visible_to(user).select_related(
        "batch__program", "application__household__woman__village__parent"
    )


def get_payment_for_user(user: User, pk: object) -> Payment:
    require(roles.can_handle_payments, user)
    return get_for_user(payments_for_user(user), user, pk, log_read=False)


def findings_for_user(user: User) -> QuerySet[RecheckFinding]:
    require(roles.can_run_recheck, user)
    return RecheckFinding.objects.visible_to(user).select_related(
        "application__program", "application__household__woman__village"
    )
