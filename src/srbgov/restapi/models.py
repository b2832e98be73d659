"""API tokens and the idempotency keys of pushes (docs/api.md).

A token is shown once when issued; only its SHA-256 is stored (the token is 32 random
bytes, so a plain hash cannot be searched backwards and needs no salt). A facility
client (医疗机构接口) authenticates as a service account that holds the facility-clerk
role at the facility, so it reaches exactly what a facility clerk reaches, through the
same role predicates and the same scope primitive as the pages.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srbgov.core.scope import ScopedQuerySet
from srbgov.providers.models import Facility


class ApiTokenQuerySet(ScopedQuerySet["ApiToken"]):
    """Scoped by `area_path` on the model (srbgov.core.scope)."""

    def live(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """接口令牌: a facility client's (facility set) or a user's own (facility empty)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="api_tokens",
        verbose_name=_("账号"),
    )
    facility = models.ForeignKey(
        Facility,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="api_clients",
        verbose_name=_("医疗机构"),
    )
    name = models.CharField(_("名称"), max_length=60)
    # The first characters of the token, shown in lists so a user can tell tokens apart.
    prefix = models.CharField(_("令牌前缀"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("签发时间"), default=timezone.now)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    # A facility client belongs to its facility's area, a personal token to its user's.
    area_path = ("facility__area", "user__area")
    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_by__isnull=False),
                name="restapi_apitoken_revoked_by_whom",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None


class IdempotentRequest(models.Model):
    """A push made with an `Idempotency-Key` and the answer it got, so that a retry
    with the same key and body gets the same answer and creates nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    key = models.CharField(max_length=100)
    route = models.CharField(max_length=60)
    body_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    area_path = "user__area"
    objects = ScopedQuerySet["IdempotentRequest"].as_manager()

    class Meta:
        constraints = [
            # One answer per key and principal: the last word when two retries race.
            models.UniqueConstraint(
                fields=["user", "key"], name="restapi_idempotentrequest_one_per_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.route} {self.key}"
