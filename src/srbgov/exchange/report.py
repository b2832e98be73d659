"""The error report travels, so it masks identity numbers; the uploader's own
corrected report gets them back from her stored file (docs/import.md §3).

The report goes back to the user who uploaded the file, who had the numbers; but it
is a file that is mailed, copied to a USB stick and left on desktops. So each
identity number in it is masked as the pages mask it (`people.identity.mask`,
docs/security.md §1), except on a row whose error is in the identity number itself:
that number is what she must correct, and she cannot correct what she cannot see.

So that a corrected report can still be uploaded as it is, its sheet is named after
its job ("错误报告-<id>") and keeps the 行号 column: when the same user uploads it
again, a masked cell is replaced by the number on that row of her stored original,
if the original's number masks to the same text. Anyone else's upload of the file
restores nothing (the masked cells are then the row's errors).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from srbgov.exchange.kinds.base import Kind
from srbgov.exchange.models import ImportJob
from srbgov.exchange.tabular import RawTable, map_headers
from srbgov.people.identity import mask, normalize

ROW_NUMBER = "行号"
ERRORS = "错误"
SHEET_PREFIX = "错误报告-"
_SHEET = re.compile(re.escape(SHEET_PREFIX) + r"(\d+)")
_MASKED = re.compile(r"[0-9]{6}\*{12}")
IDENTITY_KEY = "id_number"


def sheet_title(job: ImportJob) -> str:
    return f"{SHEET_PREFIX}{job.pk}"


def identity_positions(kind: Kind, headers: Sequence[str]) -> list[int]:
    """Where the kind's identity-number columns stand in these headers."""
    positions, _problems = map_headers(
        headers,
        columns=[(c.key, c.header, False, c.aliases) for c in kind.columns],
    )
    return [
        positions[c.key]
        for c in kind.columns
        if c.key == IDENTITY_KEY and c.key in positions
    ]


def identity_headers(kind: Kind) -> set[str]:
    return {c.header for c in kind.columns if c.key == IDENTITY_KEY}


def masked_cells(cells: list[str], positions: Sequence[int]) -> list[str]:
    masked = list(cells)
    for position in positions:
        if position < len(masked) and masked[position]:
            masked[position] = mask(normalize(masked[position]))
    return masked


def source_job(job: ImportJob, sheet_name: str) -> ImportJob | None:
    """The job whose report this upload is, if the same user uploaded both."""
    found = _SHEET.fullmatch(sheet_name)
    if found is None:
        return None
    # An earlier job only: a chain of corrected reports ends at the original.
    return ImportJob.objects.filter(
        pk=int(found.group(1)),
        pk__lt=job.pk,
        created_by_id=job.created_by_id,
        kind=job.kind,
    ).first()


def restore_numbers(table: RawTable, *, kind: Kind, source: RawTable) -> RawTable:
    """The masked identity cells of a corrected report, filled from the rows of its
    job's original file (by 行号), where the original masks to the same text."""
    if ROW_NUMBER not in table.headers:
        return table
    at_row = table.headers.index(ROW_NUMBER)
    positions = identity_positions(kind, table.headers)
    source_positions = identity_positions(kind, source.headers)
    if not positions or len(source_positions) != len(positions):
        return table
    originals = dict(source.rows)
    rows: list[tuple[int, list[str]]] = []
    for number, cells in table.rows:
        cells = list(cells)
        reference = cells[at_row] if at_row < len(cells) else ""
        original = originals.get(int(reference)) if reference.isdigit() else None
        for here, there in zip(positions, source_positions, strict=True):
            if (
                original is not None
                and here < len(cells)
                and _MASKED.fullmatch(cells[here])
                and there < len(original)
                and mask(normalize(original[there])) == cells[here]
            ):
                cells[here] = original[there]
        rows.append((number, cells))
    return RawTable(headers=table.headers, rows=rows)
