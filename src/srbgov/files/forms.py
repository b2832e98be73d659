from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from srbgov.files.clean import MAX_BYTES

# Help text of every staff file input: what is accepted and what happens to it.
UPLOAD_HELP = _(
    "PDF 或图片（JPG、PNG），不超过 %(mb)d MB。上传时会清除照片的拍摄地点、机型和PDF的作者等信息。"
) % {"mb": MAX_BYTES // 2**20}
