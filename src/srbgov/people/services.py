"""Every write to the women's registry (育龄妇女). Keyword-only, atomic, audited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from srbgov.areas.models import Area, AreaLevel
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.people import identity, textinput
from srbgov.people.crypto import identity_cipher
from srbgov.people.models import Child, Sex, Spouse, Woman

if TYPE_CHECKING:
    from srbgov.accounts.models import User


@dataclass(frozen=True)
class SpouseData:
    name: str
    birth_on: date | None = None
    phone: str = ""


@dataclass(frozen=True)
class ChildData:
    birth_on: date
    sex: str
    name: str = ""
    is_alive: bool = True
    died_on: date | None = None
    pk: int | None = None


class DuplicateWoman(ValidationError):
    """The identity number is registered already; `existing` is that record."""

    def __init__(self, message: str, existing: Woman) -> None:
        super().__init__({"id_number": [message]}, code="duplicate")
        self.existing = existing


def parse_woman_identity(
    raw: str, *, today: date | None = None
) -> identity.IdentityNumber:
    """A woman's GB 11643 number, or a ValidationError under `id_number`. `today`
    lets an import of many rows read the date once (docs/import.md §6)."""
    try:
        return identity.parse(raw, today=today or timezone.localdate(), expect_sex="F")
    except identity.IdentityNumberError as problem:
        raise ValidationError(
            {"id_number": [problem.message]}, code=problem.code
        ) from None


def _phone(raw: str, field: str) -> str:
    try:
        return textinput.clean_phone(raw)
    except textinput.InputError as problem:
        raise ValidationError({field: [problem.message]}, code=problem.code) from None


# A spouse is at least 16 and at most 100 years old: wide enough for every real couple
# the registry serves, narrow enough to catch 1800 and 2100 (docs/security.md §5).
SPOUSE_AGE_RANGE = (16, 100)


def _check_spouse(spouse: SpouseData | None) -> None:
    if spouse is None or spouse.birth_on is None:
        return
    today = timezone.localdate()
    youngest, oldest = SPOUSE_AGE_RANGE
    earliest = _years_before(today, oldest)
    latest = _years_before(today, youngest)
    if not earliest <= spouse.birth_on <= latest:
        raise ValidationError(
            {
                "spouse_birth_on": [
                    f"配偶出生日期 {spouse.birth_on:%Y-%m-%d} 不合理："
                    f"应在 {earliest:%Y-%m-%d} 至 {latest:%Y-%m-%d} 之间"
                    f"（{youngest}–{oldest}周岁）。"
                ]
            }
        )


def _years_before(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def check_village(by: User, village: Area) -> None:
    """A woman is registered in a village of the user's own area (the form and the
    import share it: docs/import.md §3)."""
    if village.level != AreaLevel.VILLAGE:
        raise ValidationError({"village": ["请选择一个村。"]})
    if not by.scope.contains(village):
        raise ValidationError({"village": ["只能登记本辖区内的村。"]})


def _refuse_duplicate(
    by: User, number_hash: str, *, exclude_pk: int | None = None
) -> None:
    existing = (
        Woman.objects.filter(id_number_hash=number_hash)
        .exclude(pk=exclude_pk or 0)
        .first()
    )
    if existing is None:
        return
    if by.scope.contains(existing.village):
        message = f"该身份证号码已登记：{existing.name}（{existing.village.name}）。请打开已有档案，不要重复登记。"
    else:
        # Outside the user's area nothing may be shown of her, not even the village.
        message = (
            "该身份证号码已在其他辖区登记。如她已迁入本村，请联系乡镇计生办办理迁移。"
        )
    raise DuplicateWoman(message, existing)


def _check_children(children: Sequence[ChildData], mother_birth_on: date) -> None:
    today = timezone.localdate()
    for child in children:
        if child.sex not in Sex.values:
            raise ValidationError({"children": ["子女性别必须是男或女。"]})
        if child.birth_on > today:
            raise ValidationError(
                {"children": [f"子女出生日期 {child.birth_on} 不能晚于今天。"]}
            )
        if (child.birth_on - mother_birth_on).days < 12 * 365:
            raise ValidationError(
                {"children": [f"子女出生日期 {child.birth_on} 与母亲年龄不符。"]}
            )
        if child.died_on is not None and (
            child.is_alive or child.died_on < child.birth_on
        ):
            raise ValidationError(
                {"children": ["死亡日期只能填写给已死亡的子女，且不能早于出生日期。"]}
            )


def _save_children(woman: Woman, children: Sequence[ChildData]) -> None:
    """Birth order follows birth date; twins keep the order they were entered in."""
    existing = {c.pk: c for c in woman.children.all()}
    ordered = sorted(enumerate(children), key=lambda pair: (pair[1].birth_on, pair[0]))
    for order, (_, data) in enumerate(ordered, start=1):
        child = existing.pop(data.pk, None) if data.pk else None
        child = child or Child(mother=woman)
        child.name, child.birth_on, child.sex = (
            textinput.clean_name(data.name),
            data.birth_on,
            data.sex,
        )
        child.is_alive, child.died_on, child.birth_order = (
            data.is_alive,
            data.died_on,
            order,
        )
        child.full_clean()
        child.save()
    if existing:
        raise ValidationError(
            {"children": ["子女记录不能删除；如有错误请修改，已故子女请标记为死亡。"]}
        )


def _save_spouse(woman: Woman, spouse: SpouseData | None) -> None:
    current = Spouse.objects.filter(woman=woman).first()
    if spouse is None or not spouse.name:
        return
    current = current or Spouse(woman=woman)
    current.name, current.birth_on, current.phone = (
        textinput.clean_name(spouse.name),
        spouse.birth_on,
        _phone(spouse.phone, "spouse_phone"),
    )
    current.full_clean()
    current.save()


@transaction.atomic
def register_woman(
    *,
    by: User,
    name: str,
    id_number: str,
    village: Area,
    phone: str = "",
    household: str = "",
    note: str = "",
    spouse: SpouseData | None = None,
    children: Sequence[ChildData] = (),
) -> Woman:
    """Register a woman in one's own area. GB 11643 number, refused if already registered."""
    check_village(by, village)
    parsed = parse_woman_identity(id_number)
    cipher = identity_cipher()
    number_hash = cipher.lookup_hash(parsed.number)
    _refuse_duplicate(by, number_hash)
    _check_children(children, parsed.birth_on)
    _check_spouse(spouse)
    woman = Woman(
        name=textinput.clean_name(name),
        id_number_encrypted=cipher.encrypt(parsed.number),
        id_number_hash=number_hash,
        id_number_masked=parsed.masked,
        birth_on=parsed.birth_on,
        phone=_phone(phone, "phone"),
        village=village,
        household=household.strip(),
        note=note.strip(),
    )
    woman.full_clean()
    woman.save()
    _save_spouse(woman, spouse)
    _save_children(woman, children)
    record(
        user=by,
        action=AuditAction.CREATE,
        obj=woman,
        detail={"children": len(children)},
    )
    return woman


@transaction.atomic
def update_woman(
    *,
    by: User,
    woman: Woman,
    name: str,
    village: Area,
    id_number: str = "",
    phone: str = "",
    household: str = "",
    note: str = "",
    spouse: SpouseData | None = None,
    children: Sequence[ChildData] = (),
) -> Woman:
    """Edit a record. An empty `id_number` keeps the stored one (the form never shows it)."""
    woman = Woman.objects.select_for_update().get(pk=woman.pk)
    check_village(by, village)
    changed: list[str] = []
    if id_number.strip():
        parsed = parse_woman_identity(id_number)
        cipher = identity_cipher()
        number_hash = cipher.lookup_hash(parsed.number)
        if number_hash != woman.id_number_hash:
            _refuse_duplicate(by, number_hash, exclude_pk=woman.pk)
            woman.id_number_encrypted = cipher.encrypt(parsed.number)
            woman.id_number_hash = number_hash
            woman.id_number_masked = parsed.masked
            woman.birth_on = parsed.birth_on
            changed.append("id_number")
    _check_children(children, woman.birth_on)
    _check_spouse(spouse)
    new_values: dict[str, Any] = {
        "name": textinput.clean_name(name),
        "village": village,
        "phone": _phone(phone, "phone"),
        "household": household.strip(),
        "note": note.strip(),
    }
    for field, value in new_values.items():
        if getattr(woman, field) != value:
            setattr(woman, field, value)
            changed.append(field)
    woman.updated_at = timezone.now()
    woman.full_clean()
    woman.save()
    _save_spouse(woman, spouse)
    _save_children(woman, children)
    record(user=by, action=AuditAction.UPDATE, obj=woman, detail={"fields": changed})
    return woman


def find_by_identity_number(raw: str) -> str | None:
    """The look-up hash of a typed number, or None when it cannot be a number at all."""
    number = identity.normalize(raw)
    if not identity.NUMBER_SHAPE.fullmatch(number):
        return None
    return identity_cipher().lookup_hash(number)


def confirm_identity_number(*, by: User, woman: Woman, typed: str) -> bool:
    """Does the typed number belong to her? Answered by the keyed hash, so nobody
    needs to see the number (docs/security.md §1). Each question is audited."""
    number_hash = find_by_identity_number(typed)
    matches = number_hash is not None and number_hash == woman.id_number_hash
    record(
        user=by,
        action=AuditAction.READ,
        obj=woman,
        detail={"confirm_id_number": "match" if matches else "no_match"},
    )
    return matches
