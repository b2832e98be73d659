"""The tip form's evidence: the shared pipeline (srbgov.files) with the public page's
limits. Photos are re-encoded without metadata and PDFs rewritten without theirs; the
reporter's file name is not kept; files go under PRIVATE_MEDIA_ROOT/tips/ under random
names. Decoding runs before the tip's transaction and holds one of the few anonymous
upload slots (srbgov.files.gate), so a flood waits for nobody (docs/uploads.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile

from srbgov.files import storage
from srbgov.files.clean import MAX_BYTES, CleanFile, clean_upload
from srbgov.files.gate import anonymous_upload_slot

__all__ = ["MAX_BYTES", "MAX_FILES", "CleanFile", "clean_all", "path_of", "store"]

MAX_FILES = 3
# Smaller than staff scans: a tip photo is looked at, not read line by line.
MAX_SIDE = 3000
FOLDER = "tips"


def clean_all(files: Sequence[UploadedFile]) -> list[CleanFile]:
    """Every file cleaned, under one anonymous upload slot (or `Busy`)."""
    if not files:
        return []
    with anonymous_upload_slot():
        return [
            clean_upload(upload, position=position, max_side=MAX_SIDE)
            for position, upload in enumerate(files, start=1)
        ]


def store(clean: CleanFile) -> str:
    """Write the file under a random name (removed again if the transaction rolls
    back) and return that name."""
    return Path(storage.write(clean, folder=FOLDER, dated=False)).name


def relative(stored_name: str) -> str:
    return str(Path(FOLDER) / Path(stored_name).name)


def path_of(stored_name: str) -> Path:
    return storage.absolute(relative(stored_name))
