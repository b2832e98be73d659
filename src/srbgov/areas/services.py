"""Writes to the area tree: by the system administrator, validated, audited, atomic."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from srbgov.areas import codes
from srbgov.areas.models import Area
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record

if TYPE_CHECKING:
    from srbgov.accounts.models import User


def _parent_for(code: str) -> Area | None:
    try:
        parent_code = codes.parent_code(code)
    except codes.AreaCodeError as problem:
        raise ValidationError({"code": [str(problem)]}) from None
    if parent_code is None:
        return None
    parent = Area.objects.filter(code=parent_code).first()
    if parent is None:
        raise ValidationError(
            {
                "code": [
                    f"上级区划 {parent_code} 不存在：请先建立上级（代码前缀必须与上级一致）。"
                ]
            }
        )
    return parent


@transaction.atomic
def save_area(*, by: User, code: str, name: str, area: Area | None = None) -> Area:
    """Create an area, or rename/recode one. The level and the parent follow from the code."""
    code, name = code.strip(), name.strip()
    if not name:
        raise ValidationError({"name": ["请填写名称。"]})
    parent = _parent_for(code)
    level = codes.level_of(code)
    if Area.objects.filter(code=code).exclude(pk=area.pk if area else 0).exists():
        raise ValidationError({"code": [f"区划代码 {code} 已存在。"]})
    if area is not None and area.code != code and area.children.exists():
        raise ValidationError({"code": ["已有下级区划的单位不能修改代码。"]})
    action = AuditAction.UPDATE if area else AuditAction.CREATE
    area = area or Area()
    area.code, area.name, area.level, area.parent = code, name, level, parent
    area.full_clean()
    area.save()
    record(user=by, action=action, obj=area, detail={"code": code})
    return area


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


@transaction.atomic
def import_areas_csv(*, by: User, text: str) -> ImportResult:
    """Import `code,name` rows (a header row is allowed). All rows or none: the first bad
    row stops the import with its line number. Parents may come earlier in the file."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if rows and rows[0] and not rows[0][0].strip().isdigit():
        rows = rows[1:]
    created = updated = 0
    # Parents first, whatever order the file lists them in.
    numbered = [
        (n, r) for n, r in enumerate(rows, start=1) if any(c.strip() for c in r)
    ]
    numbered.sort(key=lambda pair: _depth(pair[1][0].strip()))
    for line, row in numbered:
        if len(row) < 2:
            raise ValidationError(f"第{line}行：每行应为“代码,名称”两列。")
        code, name = row[0].strip(), row[1].strip()
        existing = Area.objects.filter(code=code).first()
        try:
            save_area(by=by, code=code, name=name, area=existing)
        except ValidationError as problem:
            raise ValidationError(
                f"第{line}行（{code}）：{'；'.join(problem.messages)}"
            ) from None
        except codes.AreaCodeError as problem:
            raise ValidationError(f"第{line}行（{code}）：{problem}") from None
        if existing is None:
            created += 1
        else:
            updated += 1
    record(
        user=by,
        action=AuditAction.IMPORT,
        object_type="areas.area",
        object_repr="区划导入",
        detail={"created": created, "updated": updated},
    )
    return ImportResult(created=created, updated=updated)


def _depth(code: str) -> int:
    try:
        return {"county": 0, "township": 1, "village": 2}[codes.level_of(code)]
    except codes.AreaCodeError:
        return 3
