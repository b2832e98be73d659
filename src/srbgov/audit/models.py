from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    READ = "read", _("查看")
    CREATE = "create", _("新增")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    EXPORT = "export", _("导出")
    IMPORT = "import", _("导入")
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOGOUT = "logout", _("退出")
    REVEAL = "reveal", _("解密查看")
    DENIED = "denied", _("越权访问被拒")


class AppendOnlyError(RuntimeError):
    pass


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("审计日志不可修改。")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("审计日志不可删除。")


class AuditEntry(models.Model):
    """审计日志: who read or changed which record, when, from where. Append-only.

    The application refuses updates and deletes here; on PostgreSQL and SQLite triggers
    (audit/triggers.py) refuse them, and replacement, in the database too. Each entry
    carries `entry_hash`, chained to the entry before it by `prev_hash` in `seq` order
    (audit/chain.py, docs/security.md §3), so a change made around the triggers shows.
    """

    at = models.DateTimeField(_("时间"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("用户"),
    )
    # Kept as text too, so the entry reads the same if the account is renamed.
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)
    action = models.CharField(_("操作"), max_length=16, choices=AuditAction)
    object_type = models.CharField(_("对象类型"), max_length=40, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=40, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    # Position in the hash chain: 1, 2, 3... with no gap (unique: the chain cannot fork).
    seq = models.BigIntegerField(_("链序号"), unique=True)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计日志")
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=AuditAction.values),
                name="audit_auditentry_action_valid",
            ),
        ]
        indexes = [
            # The auditor filters by object ("who read this woman's record") and by user.
            models.Index(
                fields=["object_type", "object_id"], name="audit_entry_by_object"
            ),
            models.Index(fields=["user", "at"], name="audit_entry_by_user"),
            models.Index(fields=["at"], name="audit_entry_by_time"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_repr}"
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("审计日志不可修改。")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("审计日志不可删除。")


class AuditChainHead(models.Model):
    """The end of the hash chain: one row (pk 1), locked by every writer so that entries
    join the chain one at a time on both databases. Also tells the verifier where the
    chain must end, so entries cut off the end are noticed."""

    seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(pk=1), name="audit_chainhead_single_row"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seq} {self.last_hash[:12]}"


class AuditChainCheck(models.Model):
    """One run of `manage.py verify_audit_chain`: what it found (the auditor's page shows
    the latest run and checks the entries written since)."""

    checked_at = models.DateTimeField(default=timezone.now)
    entries = models.BigIntegerField()
    through_seq = models.BigIntegerField()
    through_hash = models.CharField(max_length=64)
    is_intact = models.BooleanField()
    broken_entry_id = models.BigIntegerField(null=True, blank=True)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-checked_at", "-id"]

    def __str__(self) -> str:
        return f"{self.checked_at:%Y-%m-%d %H:%M} {self.is_intact}"
