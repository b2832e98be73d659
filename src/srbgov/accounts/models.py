from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import F, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srbgov.areas.models import Area, AreaLevel


class Role(models.TextChoices):
    """docs/design.md §3: one role at one area per user."""

    VILLAGE_WORKER = "village_worker", _("村计生专干")
    TOWNSHIP_OFFICER = "township_officer", _("乡镇计生办")
    HEALTH_CENTER = "health_center", _("卫生院")
    FACILITY_CLERK = "facility_clerk", _("医疗机构登记员")
    POLICE = "police", _("派出所")
    COUNTY_OFFICER = "county_officer", _("县卫健局")
    TIP_OFFICER = "tip_officer", _("举报受理")
    AUDITOR = "auditor", _("审计员")
    ADMIN = "admin", _("系统管理员")


# The level of area each role is held at: an administrator may grant a role only at an
# area of this level inside their own subtree, so never a role above their own level
# (docs/administration.md).
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


# Roles that open sensitive data: granting one, or changing the area of one, waits for a
# second administrator (the two-person rule, docs/administration.md).
SENSITIVE_ROLES = frozenset(
    {Role.TIP_OFFICER, Role.AUDITOR, Role.COUNTY_OFFICER, Role.ADMIN}
)
# Roles that must log in with a second factor (TOTP); the others may.
MFA_REQUIRED_ROLES = SENSITIVE_ROLES


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
    # Set when an administrator resets the password: the administrator knew it, so the
    # user chooses a new one before anything else.
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=False)

    # The administrator's reach (accounts/access.py), by the scope primitive.
    area_path = "area"

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

    @property
    def is_locked(self) -> bool:
        return bool(self.locked_until and self.locked_until > timezone.now())


class RoleRequestStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")


class RoleRequest(models.Model):
    """角色变更申请: a grant or change of a sensitive role, waiting for a second
    administrator. Until approved the account keeps what it had (or nothing, if new)."""

    user = models.ForeignKey(
        User, models.PROTECT, related_name="role_requests", verbose_name=_("用户")
    )
    role = models.CharField(_("申请角色"), max_length=20, choices=Role)
    area = models.ForeignKey(
        Area, models.PROTECT, related_name="+", verbose_name=_("申请区划")
    )
    before_role = models.CharField(_("原角色"), max_length=20, blank=True)
    before_area = models.ForeignKey(
        Area,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("原区划"),
    )
    requested_by = models.ForeignKey(
        User, models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    reason = models.CharField(_("理由"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=RoleRequestStatus,
        default=RoleRequestStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        User,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审批人"),
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)

    # Whose account it is decides who may see the request; the area asked for is
    # checked as well (accounts/access.py).
    area_path = "user__area"

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("角色变更申请")
        verbose_name_plural = _("角色变更申请")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RoleRequestStatus.values),
                name="accounts_rolerequest_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(role__in=Role.values),
                name="accounts_rolerequest_role_valid",
            ),
            # The two-person rule, held by the database as well as the service.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("requested_by")),
                name="accounts_rolerequest_second_person_decides",
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("user")),
                name="accounts_rolerequest_not_decided_by_its_subject",
            ),
            # One open request per account: a second would race the first.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status="pending"),
                name="accounts_rolerequest_one_pending_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user.username} → {self.get_role_display()} @ {self.area.name}"

    @property
    def before_role_label(self) -> str:
        return str(Role(self.before_role).label) if self.before_role else ""
