"""Reference levels and the SRB <-> proportion-of-boys mapping.

The reference level is policy data (DESIGN §6); the constants here are only the
defaults a county starts from. SRB is always "boys per 100 girls".
"""

from __future__ import annotations

import math
from typing import Final

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


def check_counts(boys: int, girls: int) -> None:
    """Raise ValueError unless both counts are non-negative integers."""
    if boys < 0 or girls < 0:
        raise ValueError(f"counts must be >= 0, got boys={boys} girls={girls}")
