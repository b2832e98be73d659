from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StoredFile(models.Model):
    """An uploaded scan or evidence file (责任书扫描件, 诊断证明, 笔录附件), as cleaned by
    `srbgov.files.clean`: re-encoded or rewritten, without metadata.

    The bytes live under settings.PRIVATE_MEDIA_ROOT, outside the web root; `path` is
    relative to it. No URL serves that folder: each owner record has its own scoped view
    (docs/uploads.md).
    """

    path = models.CharField(max_length=200, unique=True)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("上传文件")
        verbose_name_plural = _("上传文件")

    def __str__(self) -> str:
        return self.original_name
