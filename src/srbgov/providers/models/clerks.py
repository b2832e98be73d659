from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srbgov.accounts import roles
from srbgov.core.scope import ScopedQuerySet
from srbgov.providers.models.facilities import Facility


class FacilityClerk(models.Model):
    """The one facility a facility clerk (医疗机构登记员) works at (docs/design.md §3).

    It lives here, not on the User, so that the foundation app `accounts` knows nothing
    of facilities (docs/architecture.md, docs/decisions.md). A link only opens the
    facility while the user holds the facility-clerk role: `providers.access` checks
    the role first, so a link left behind after a role change opens nothing.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="clerk_facility",
        verbose_name=_("登记员账号"),
    )
    facility = models.ForeignKey(
        Facility,
        models.PROTECT,
        related_name="clerks",
        verbose_name=_("所在医疗机构"),
    )
    assigned_at = models.DateTimeField(_("指定时间"), default=timezone.now)

    area_path = "facility__area"
    objects = ScopedQuerySet["FacilityClerk"].as_manager()

    class Meta:
        verbose_name = _("医疗机构登记员")
        verbose_name_plural = _("医疗机构登记员")

    def __str__(self) -> str:
        return f"{self.user} → {self.facility}"

    def clean(self) -> None:
        # The rule accounts_user_facility_only_for_clerk held as a check constraint
        # when the facility was a column of the user; across two tables it lives here.
        user = self.user if self.user_id else None
        if user is None or not roles.is_facility_clerk(user) or user.area is None:
            raise ValidationError(
                {"user": _("只有医疗机构登记员账号可以指定所在医疗机构。")}
            )
        if self.facility_id and not user.area.contains(self.facility.area):
            raise ValidationError({"facility": _("医疗机构不在该登记员的辖区内。")})
