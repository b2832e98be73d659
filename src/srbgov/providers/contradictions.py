"""Termination entries that contradict one another (docs/registers.md §8): two
facilities' real-name entries for the same woman (the same identity-number hash) on
the same day. One of them is a duplicate or carries a wrong identity number. Shown as
a warning — on the termination entry page and on her pregnancy page
(`srbgov.pregnancies.contradictions`) — never blocking: either entry may be the wrong
one, and the facilities are asked to check.

Why the same day and not "within a few days": an incomplete medical termination
completed by curettage at another facility days later is lawful care, two entries
that are both right; two facilities on one day is not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from srbgov.providers.access import terminations_for_user
from srbgov.providers.models import TerminationRecord

if TYPE_CHECKING:
    from srbgov.accounts.models import User


@dataclass(frozen=True)
class SameDay:
    """A day on which more than one facility recorded her termination."""

    day: date
    facilities: int
    names: tuple[str, ...]  # the facilities' names, sorted


def same_day_terminations(entries: Iterable[tuple[date, int, str]]) -> list[SameDay]:
    """The days of (date, facility id, facility name) entries on which two or more
    facilities recorded a termination, in date order (pure)."""
    by_day: dict[date, dict[int, str]] = {}
    for day, facility_id, name in entries:
        by_day.setdefault(day, {})[facility_id] = name
    return [
        SameDay(day, len(facilities), tuple(sorted(set(facilities.values()))))
        for day, facilities in sorted(by_day.items())
        if len(facilities) > 1
    ]


def duplicate_text(found: SameDay, names: Iterable[str] | None = None) -> str:
    """The warning's sentence; `names` when some facilities may not be named."""
    return _(
        "%(day)s 有%(n)d家机构登记了她的终止妊娠（%(names)s）：可能重复登记或身份证号"
        "有误，请与机构核实。"
    ) % {
        "day": found.day.isoformat(),
        "n": found.facilities,
        "names": "、".join(found.names if names is None else names),
    }


def termination_warnings(entry: TerminationRecord, *, user: User) -> list[str]:
    """The warnings of one entry's page: another facility's entry for the same
    identity number on the same day, among the entries this user may open (one
    query). Entries outside them are not compared at all: a count of "some facility
    elsewhere" would tell anyone who can type an identity number where a woman had
    lawful care (docs/access.md, docs/security.md §6). A facility clerk therefore sees
    none; the township's and the county's keepers see those of their area."""
    entries = terminations_for_user(user).filter(
        id_number_hash=entry.id_number_hash, terminated_on=entry.terminated_on
    )
    found = same_day_terminations(
        entries.values_list("terminated_on", "facility_id", "facility__name")
    )
    return [duplicate_text(day) for day in found]
