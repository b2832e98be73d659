"""The kinds of import, by slug (docs/import.md §5 says how to add one)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from srbgov.exchange.kinds.base import Kind
from srbgov.exchange.kinds.pregnancies import BirthsKind, PregnanciesKind, VisitsKind
from srbgov.exchange.kinds.providers import (
    DeliveriesKind,
    DevicesKind,
    ExamsKind,
    FacilitiesKind,
    StaffKind,
    TerminationsKind,
)
from srbgov.exchange.kinds.women import WomenKind

if TYPE_CHECKING:
    from srbgov.accounts.models import User

KINDS: dict[str, Kind] = {
    kind.slug: kind
    for kind in (
        WomenKind(),
        PregnanciesKind(),
        VisitsKind(),
        BirthsKind(),
        FacilitiesKind(),
        DevicesKind(),
        StaffKind(),
        TerminationsKind(),
        ExamsKind(),
        DeliveriesKind(),
    )
}


def kinds_for(user: User) -> list[Kind]:
    return [kind for kind in KINDS.values() if kind.allowed(user)]
