"""Extension points of the provider registers, for apps above them (no signals).

providers sits below pregnancies and oversight in the app layers
(docs/architecture.md): a Birth and an Outcome refer to a Facility, an Inspection to a
Facility, so providers must not import them. What the registers need from those apps
comes through these lists, which the apps fill from their `AppConfig.ready()`:

`TERMINATION_REGISTERED`: called with (by, entry) for each new register entry, inside
the entry's transaction; pregnancies closes her open pregnancy as an induced
termination (docs/decisions.md).

`TERMINATION_CERTIFIED`: called with (by, entry, verification) when the county
certifies the verification an entry used; pregnancies gives the outcome its approval.

`EXAM_RECORDED`: called with the new ultrasound exam inside its transaction;
pregnancies raises the “孕情消失” half of the exam pattern for her
(pregnancies/exam_patterns.py, docs/registers.md §3).

`PATTERN_PASSES`: name → county pass of an app above providers for the nightly
`raise_register_patterns` (returns how many alerts it opened).

`FACILITY_PANELS`: context name → function of the facility, for the facility page
(births delivered there, inspections by year); the template shows what is present.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from srbgov.accounts.models import User
    from srbgov.providers.models import (
        Facility,
        TerminationRecord,
        TerminationVerification,
        UltrasoundExam,
    )

TERMINATION_REGISTERED: list[Callable[[User, TerminationRecord], None]] = []
TERMINATION_CERTIFIED: list[
    Callable[[User, TerminationRecord, TerminationVerification], None]
] = []
EXAM_RECORDED: list[Callable[[UltrasoundExam], None]] = []
PATTERN_PASSES: dict[str, Callable[[], int]] = {}
FACILITY_PANELS: dict[str, Callable[[Facility], Any]] = {}


def termination_registered(*, by: User, entry: TerminationRecord) -> None:
    for hook in TERMINATION_REGISTERED:
        hook(by, entry)


def termination_certified(
    *, by: User, entry: TerminationRecord, verification: TerminationVerification
) -> None:
    for hook in TERMINATION_CERTIFIED:
        hook(by, entry, verification)


def exam_recorded(*, exam: UltrasoundExam) -> None:
    for hook in EXAM_RECORDED:
        hook(exam)


def pattern_passes() -> dict[str, int]:
    return {name: run() for name, run in PATTERN_PASSES.items()}


def facility_panels(facility: Facility) -> dict[str, Any]:
    return {name: panel(facility) for name, panel in FACILITY_PANELS.items()}


def register(hooks: list[Any], hook: Any) -> None:
    """Append once: ready() may run more than once (tests, reloads)."""
    if hook not in hooks:
        hooks.append(hook)
