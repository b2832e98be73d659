"""Warnings where a record contradicts another (docs/homes.md, "Details"): shown on
the pregnancy page, never blocking, because either record may be the wrong one and
the worker who knows the woman decides which to correct.

- An LMP on or before, or within MIN_CYCLE_DAYS after, a recorded termination of the
  same woman (a pregnancy outcome, or a facility's real-name termination entry): a
  new pregnancy cannot have begun then.
- Two facilities' termination entries for the same woman (same identity number) on
  one day: one of them is a duplicate or a wrong identity number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from srbgov.pregnancies.models import Outcome, OutcomeKind, Pregnancy
from srbgov.providers.contradictions import duplicate_text, same_day_terminations
from srbgov.providers.models import TerminationRecord

# No menstrual period can begin sooner than about two weeks after a termination.
MIN_CYCLE_DAYS = 14
# An LMP this long before a termination belongs to the pregnancy that was ended.
MAX_PREGNANCY_DAYS = 44 * 7


def lmp_conflicts(*, lmp_on: date, terminations: list[date]) -> list[date]:
    """The termination dates that the LMP contradicts (pure; see the module doc)."""
    return sorted(
        t
        for t in set(terminations)
        if t - timedelta(days=MAX_PREGNANCY_DAYS)
        < lmp_on
        < t + timedelta(days=MIN_CYCLE_DAYS)
    )


@dataclass(frozen=True)
class Warning:
    kind: str  # "lmp_after_termination" or "duplicate_termination"
    text: str


def pregnancy_warnings(pregnancy: Pregnancy) -> list[Warning]:
    """Two or three queries, for the pregnancy page only (the caller has scoped the
    pregnancy; the other records are read only to compare dates)."""
    woman = pregnancy.woman
    own_outcome = getattr(pregnancy, "outcome", None)
    outcomes = Outcome.objects.filter(
        pregnancy__woman=woman, kind=OutcomeKind.TERMINATION
    ).exclude(pregnancy=pregnancy)
    dates = list(outcomes.values_list("occurred_on", flat=True))
    entries = TerminationRecord.objects.filter(woman=woman)
    if own_outcome is not None:
        entries = entries.exclude(outcome_id=own_outcome.pk)
    rows = list(entries.values_list("terminated_on", "facility__name"))
    warnings = []
    if pregnancy.lmp_on is not None:
        for day in lmp_conflicts(
            lmp_on=pregnancy.lmp_on, terminations=dates + [d for d, _f in rows]
        ):
            warnings.append(
                Warning(
                    "lmp_after_termination",
                    _(
                        "末次月经 %(lmp)s 与 %(day)s 登记的人工终止妊娠矛盾（终止后%(n)d天内"
                        "不会开始新的末次月经）：请核对末次月经或终止妊娠记录。"
                    )
                    % {
                        "lmp": pregnancy.lmp_on.isoformat(),
                        "day": day.isoformat(),
                        "n": MIN_CYCLE_DAYS,
                    },
                )
            )
    # The same-day rule is the termination register's (providers.contradictions),
    # over every entry linked to her.
    linked = TerminationRecord.objects.filter(woman=woman).values_list(
        "terminated_on", "facility_id", "facility__name"
    )
    for found in same_day_terminations(linked):
        warnings.append(Warning("duplicate_termination", duplicate_text(found)))
    return warnings
