"""Reference levels, the SRB <-> proportion-of-boys mapping and count validation.

Units (one convention for the whole package): every SRB, threshold, reference and
alternative that goes in or comes out is **boys per 100 girls** (106.3, never
0.5153). Proportions of boys appear only inside, in ``srb_to_p``/``p_to_srb``, and
in result fields whose name starts with ``p`` (``p``, ``p_lower``, ``p_upper``,
``prior.mean``), which say so in their docstrings.

Counts (boys, girls, births) must be non-negative integers: Python or numpy
integers, or floats with an integral value. Fractions, NaN, infinities, negatives
and booleans raise ``ValueError`` naming the value, instead of being truncated.

The reference level is policy data (docs/statistics.md); the constants here are
only the defaults a county starts from.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any, Final

import numpy as np
import numpy.typing as npt

#: Eastern-Asia reference SRB, Chao, Gerland, Cook & Alkema, "Systematic assessment
#: of the sex ratio at birth for all countries and estimation of national imbalances
#: and regional reference levels", PNAS 116(19):9303-9311, 2019.
REFERENCE_SRB_CHAO_2019: Final = 106.3
#: The conventional biological reference (about 105 boys per 100 girls).
REFERENCE_SRB_105: Final = 105.0
#: Upper end of the official normal range 103-107.
REFERENCE_SRB_107: Final = 107.0
#: Selectable reference levels, by the key stored in county policy.
REFERENCE_LEVELS: Final[dict[str, float]] = {
    "chao2019_eastern_asia": REFERENCE_SRB_CHAO_2019,
    "srb_105": REFERENCE_SRB_105,
    "srb_107": REFERENCE_SRB_107,
}
DEFAULT_REFERENCE_SRB: Final = REFERENCE_SRB_CHAO_2019
#: "Abnormally high" means above 107 (official normal range 103-107).
HIGH_SRB_THRESHOLD: Final = 107.0
#: Lower end of the official normal range; significantly below it is a
#: data-quality signal (boys missing from the register).
LOW_SRB_THRESHOLD: Final = 103.0


def srb_to_p(srb: float) -> float:
    """Proportion of boys for an SRB: p = srb / (100 + srb); inf -> 1."""
    if srb < 0 or math.isnan(srb):
        raise ValueError(f"SRB must be >= 0, got {srb}")
    if math.isinf(srb):
        return 1.0
    return srb / (100.0 + srb)


def p_to_srb(p: float) -> float:
    """SRB for a proportion of boys: 100 p / (1 - p); p = 1 -> math.inf."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"proportion must be in [0, 1], got {p}")
    if p >= 1.0:
        return math.inf
    return 100.0 * p / (1.0 - p)


#: No unit has more births than this (the world has about 1.3e8 a year); beyond it a
#: "count" is a unit or typing mistake, and numpy's int64 and float64 would lose it.
MAX_COUNT = 10**12


def as_count(value: object, name: str = "count") -> int:
    """``value`` as an int, or ValueError unless it is a non-negative integer."""
    if isinstance(value, bool | np.bool_):
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    if isinstance(value, numbers.Integral):
        out = int(value)
    elif isinstance(value, numbers.Real):
        number = float(value)
        if not math.isfinite(number) or not number.is_integer():
            raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
        out = int(number)
    else:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    if out < 0:
        raise ValueError(f"{name} must be >= 0, got {value!r}")
    if out > MAX_COUNT:
        raise ValueError(f"{name} must be at most {MAX_COUNT}, got {value!r}")
    return out


def as_count_array(
    values: Sequence[Any] | npt.NDArray[Any], name: str = "counts"
) -> npt.NDArray[np.int64]:
    """One-dimensional int64 array of counts, or ValueError (see ``as_count``)."""
    if not isinstance(values, np.ndarray) and any(
        isinstance(v, bool | np.bool_) for v in values
    ):  # numpy would make [True, 1] the integers [1, 1]
        raise ValueError(f"{name} must be non-negative integers, got booleans")
    try:
        arr = np.asarray(values)
    except OverflowError:  # an integer beyond every numpy type
        arr = np.asarray(values, dtype=object)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    if arr.dtype == np.bool_:
        raise ValueError(f"{name} must be non-negative integers, got booleans")
    if arr.dtype.kind == "O" or (
        arr.dtype.kind not in "iufb" and arr.size
    ):  # Python objects, or strings ("5"): each checked as one count
        return np.array([as_count(v, name) for v in arr.tolist()], dtype=np.int64)
    if arr.size and arr.dtype.kind == "u" and int(arr.max()) > MAX_COUNT:
        raise ValueError(f"{name} must be at most {MAX_COUNT}, got {int(arr.max())}")
    if arr.size and arr.dtype.kind not in "iu":
        if arr.dtype.kind != "f":
            try:
                arr = arr.astype(np.float64)
            except (TypeError, ValueError):
                raise ValueError(
                    f"{name} must be non-negative integers, got {arr.dtype}"
                ) from None
        bad = ~np.isfinite(arr) | (arr != np.round(arr))
        if bad.any():
            raise ValueError(
                f"{name} must be non-negative integers, got {arr[bad][0]!r} "
                f"at index {int(np.flatnonzero(bad)[0])}"
            )
        if arr.size and float(np.max(arr)) > MAX_COUNT:
            raise ValueError(f"{name} must be at most {MAX_COUNT}, got {np.max(arr)!r}")
    out = arr.astype(np.int64)
    if out.size and out.min() < 0:
        raise ValueError(
            f"{name} must be >= 0, got {int(out.min())} at index {int(np.argmin(out))}"
        )
    if out.size and int(out.max()) > MAX_COUNT:
        raise ValueError(f"{name} must be at most {MAX_COUNT}, got {int(out.max())}")
    return out


def check_counts(boys: object, girls: object) -> tuple[int, int]:
    """(boys, girls) as ints; ValueError unless both are non-negative integers."""
    return as_count(boys, "boys"), as_count(girls, "girls")
