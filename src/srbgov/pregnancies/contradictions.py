"""Warnings where a record contradicts another (docs/homes.md, "Details"): shown on
the pregnancy page, never blocking, because either record may be the wrong one and
the worker who knows the woman decides which to correct.

- An LMP on or before, or within MIN_CYCLE_DAYS after, a recorded termination of the
  same woman (a pregnancy outcome, or a facility's real-name termination entry): a
  new pregnancy cannot have begun then.
- Two facilities' termination entries for the same woman (same identity number) on
  one day: one of them is a duplicate or a wrong identity number.

A facility's entry reaches the village only when the village may know of it
(docs/security.md §6): at 14 weeks or more, or when it closed one of her pregnancies
under follow-up or falls on the day such a pregnancy ended in a termination (a second
entry of the same care). An earlier termination with no pregnancy the village
registered is her own lawful care and appears in no warning. Facilities outside the
reader's county are counted, never named.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from srbgov.accounts.models import User
from srbgov.pregnancies.models import Outcome, OutcomeKind, Pregnancy
from srbgov.providers.contradictions import duplicate_text, same_day_terminations
from srbgov.providers.models import Facility, TerminationRecord
from srbgov.providers.models.terminations import LATE_TERMINATION_WEEKS
from srbgov.providers.services.realname import county_of

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


def _known_to_the_village(woman_id: int) -> QuerySet[TerminationRecord]:
    """Her facility entries the village may know of (see the module doc)."""
    ended_on = Outcome.objects.filter(
        pregnancy__woman_id=woman_id, kind=OutcomeKind.TERMINATION
    ).values("occurred_on")
    return TerminationRecord.objects.filter(woman_id=woman_id).filter(
        Q(gestational_weeks__gte=LATE_TERMINATION_WEEKS)
        | Q(outcome_id__isnull=False)
        | Q(terminated_on__in=ended_on)
    )


def pregnancy_warnings(pregnancy: Pregnancy, *, user: User) -> list[Warning]:
    """Two or three queries, for the pregnancy page only (the caller has scoped the
    pregnancy; the other records are read only to compare dates)."""
    woman = pregnancy.woman
    own_outcome = getattr(pregnancy, "outcome", None)
    outcomes = Outcome.objects.filter(
        pregnancy__woman=woman, kind=OutcomeKind.TERMINATION
    ).exclude(pregnancy=pregnancy)
    dates = list(outcomes.values_list("occurred_on", flat=True))
    linked = list(
        _known_to_the_village(woman.pk).values_list(
            "terminated_on", "facility_id", "facility__name", "outcome_id"
        )
    )
    own_pk = own_outcome.pk if own_outcome is not None else None
    # Her own outcome's entry is the termination this pregnancy ended in.
    rows = [
        day for day, _f, _n, outcome in linked if outcome is None or outcome != own_pk
    ]
    warnings = []
    if pregnancy.lmp_on is not None:
        for day in lmp_conflicts(lmp_on=pregnancy.lmp_on, terminations=dates + rows):
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
    # over the entries linked to her that the village may know of.
    found_days = same_day_terminations((d, f, n) for d, f, n, _o in linked)
    if found_days:
        # Her county's facilities are named (the village works with them); one
        # elsewhere is only counted: where she went is not the village's to know.
        named = set(
            Facility.objects.in_area(county_of(user.scope))
            .filter(pk__in={facility for _d, facility, _n, _o in linked})
            .values_list("pk", flat=True)
        )
        for found in found_days:
            that_day = {f: n for d, f, n, _o in linked if d == found.day}
            shown = sorted(n for f, n in that_day.items() if f in named)
            outside = found.facilities - len(shown)
            if outside > 0:
                shown.append(_("辖区外机构%(n)d家") % {"n": outside})
            warnings.append(
                Warning("duplicate_termination", duplicate_text(found, shown))
            )
    return warnings
