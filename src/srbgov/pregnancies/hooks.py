"""Extension points of the birth service, for other apps (no signals, docs/conventions.md §2).

`BIRTH_RECORDED`: every function here is called once per live `Birth` created, inside
the same transaction as the birth (so an exception rolls the whole outcome back). Apps
append their function from their `AppConfig.ready()`, e.g. the statistics app adds the
birth to its aggregate count table (docs/design.md §7).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from srbgov.pregnancies.models import Birth

BIRTH_RECORDED: list[Callable[[Birth], None]] = []


def birth_recorded(birth: Birth) -> None:
    """Call every registered hook with the new birth (the birth service does this)."""
    for hook in BIRTH_RECORDED:
        hook(birth)
