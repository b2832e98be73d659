from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilesConfig(AppConfig):
    name = "srbgov.files"
    verbose_name = _("上传文件")

    def ready(self) -> None:
        from PIL import Image

        from srbgov.files.clean import MAX_PIXELS

        # Pillow's own bomb guard warns above MAX_IMAGE_PIXELS and refuses above twice
        # that; anything that opens an image in this process gets our cap (docs/uploads.md).
        Image.MAX_IMAGE_PIXELS = MAX_PIXELS
