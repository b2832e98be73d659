"""Real-name entries (实名登记): the woman's identity number checked and stored exactly
as the women's registry does (people/services.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from srbgov.areas.models import Area
from srbgov.people.crypto import identity_cipher
from srbgov.people.models import Woman
from srbgov.people.services import parse_woman_identity
from srbgov.providers.models import Facility, RealNameRecord


@dataclass(frozen=True)
class RealName:
    woman: Woman | None
    name: str
    encrypted: str
    number_hash: str
    masked: str

    def apply(self, entry: RealNameRecord) -> None:
        entry.woman = self.woman
        entry.woman_name = self.name
        entry.id_number_encrypted = self.encrypted
        entry.id_number_hash = self.number_hash
        entry.id_number_masked = self.masked


def real_name(*, name: str, id_number: str) -> RealName:
    """GB 11643-check a woman's number, encrypt it, and link her registry record when
    the keyed hash finds one (in any area: the link is used, never shown)."""
    parsed = parse_woman_identity(id_number)
    cipher = identity_cipher()
    number_hash = cipher.lookup_hash(parsed.number)
    woman = Woman.objects.filter(id_number_hash=number_hash).first()
    name = name.strip() or (woman.name if woman else "")
    if not name:
        raise ValidationError({"woman_name": ["请填写姓名。"]})
    return RealName(
        woman=woman,
        name=name,
        encrypted=cipher.encrypt(parsed.number),
        number_hash=number_hash,
        masked=parsed.masked,
    )


def copy_real_name(entry: RealNameRecord) -> RealName:
    return RealName(
        woman=entry.woman,
        name=entry.woman_name,
        encrypted=entry.id_number_encrypted,
        number_hash=entry.id_number_hash,
        masked=entry.id_number_masked,
    )


def county_of(area: Area) -> Area:
    ancestors = list(area.ancestors())
    return ancestors[-1] if ancestors else area


def check_entry(
    *,
    facility: Facility,
    pharmacy_refused: str,
    on: date,
    on_field: str,
    future_refused: str,
    gestational_weeks: int,
) -> None:
    """What every real-name register entry of a pregnancy checks, each register in
    its own words: not at a pharmacy, not dated after today, 1 to 42 weeks."""
    if facility.is_pharmacy:
        raise ValidationError({"facility": [pharmacy_refused]})
    if on > timezone.localdate():
        raise ValidationError({on_field: [future_refused]})
    if not 1 <= gestational_weeks <= 42:
        raise ValidationError({"gestational_weeks": [_("孕周应在1到42之间。")]})
