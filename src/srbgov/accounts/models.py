from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from srbgov.areas.models import Area, AreaLevel


class Role(models.TextChoices):
    """DESIGN §3: one role at one area per user."""

    VILLAGE_WORKER = "village_worker", _("村计生专干")
    TOWNSHIP_OFFICER = "township_officer", _("乡镇计生办")
    HEALTH_CENTER = "health_center", _("卫生院")
    FACILITY_CLERK = "facility_clerk", _("医疗机构登记员")
    POLICE = "police", _("派出所")
    COUNTY_OFFICER = "county_officer", _("县卫健局")
    TIP_OFFICER = "tip_officer", _("举报受理")
    AUDITOR = "auditor", _("审计员")
    ADMIN = "admin", _("系统管理员")


# The level of area each role is held at.
ROLE_LEVEL: dict[str, str] = {
    Role.VILLAGE_WORKER: AreaLevel.VILLAGE,
    Role.TOWNSHIP_OFFICER: AreaLevel.TOWNSHIP,
    Role.HEALTH_CENTER: AreaLevel.TOWNSHIP,
    # A facility clerk's area is the facility's township until facilities exist.
    Role.FACILITY_CLERK: AreaLevel.TOWNSHIP,
    Role.POLICE: AreaLevel.TOWNSHIP,
    Role.COUNTY_OFFICER: AreaLevel.COUNTY,
    Role.TIP_OFFICER: AreaLevel.COUNTY,
    Role.AUDITOR: AreaLevel.COUNTY,
    Role.ADMIN: AreaLevel.COUNTY,
}


class User(AbstractUser):
    """A staff account. Every user holds one role at one area and sees its subtree only."""

    role = models.CharField(_("角色"), max_length=20, choices=Role, blank=True)
    area = models.ForeignKey(
        Area,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("所属区划"),
    )
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    failed_login_count = models.PositiveSmallIntegerField(
        _("连续登录失败次数"), default=0
    )
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=Q(role="") | Q(role__in=Role.values),
                name="accounts_user_role_valid",
            ),
            # A role without an area would see nothing, or worse, everything.
            models.CheckConstraint(
                condition=Q(role="") | Q(area__isnull=False),
                name="accounts_user_role_has_area",
            ),
        ]

    @property
    def scope(self) -> Area:
        """The area whose subtree this user sees; no area, nothing to see (404)."""
        if self.area is None:
            raise Http404
        return self.area

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username
