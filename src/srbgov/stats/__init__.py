"""Pure statistics for the sex ratio at birth (DESIGN §6).

No Django, no ORM, no settings: plain functions over counts (boys, girls) that
return frozen dataclasses carrying numerator, denominator, estimate and interval.
Adapters in ``<app>/queries.py`` feed them plain rows.
"""

from __future__ import annotations

from srbgov.stats.classify import SrbClass, SrbClassification, classify_srb
from srbgov.stats.funnel import (
    FunnelAnalysis,
    FunnelLimits,
    FunnelUnit,
    FunnelZone,
    adjusted_funnel_limits,
    classify_funnel,
    dersimonian_laird_tau2,
    funnel_analysis,
    funnel_curve,
    funnel_limits,
    winsorized_phi,
)
from srbgov.stats.intervals import (
    IntervalMethod,
    ProportionInterval,
    SrbEstimate,
    clopper_pearson_interval,
    jeffreys_interval,
    proportion_interval,
    srb_estimate,
    wilson_interval,
)
from srbgov.stats.monitoring import (
    DEFAULT_ALTERNATIVE_SRB,
    DEFAULT_CUSUM_H,
    CusumResult,
    bernoulli_cusum,
    cusum_arl,
    cusum_weights,
)
from srbgov.stats.pooling import PooledEstimate, rolling_pool
from srbgov.stats.power import (
    DetectableSrb,
    births_for_power,
    exact_power,
    lower_p_value,
    minimum_detectable_srb,
    upper_p_value,
)
from srbgov.stats.reference import (
    DEFAULT_REFERENCE_SRB,
    HIGH_SRB_THRESHOLD,
    LOW_SRB_THRESHOLD,
    REFERENCE_LEVELS,
    REFERENCE_SRB_105,
    REFERENCE_SRB_107,
    REFERENCE_SRB_CHAO_2019,
    p_to_srb,
    srb_to_p,
)
from srbgov.stats.shrinkage import (
    BetaBinomialPrior,
    ShrinkageResult,
    StrengthSource,
    VillageEstimate,
    estimate_prior,
    moment_rho,
    posterior_village,
    shrink_villages,
)

__all__ = [
    "DEFAULT_ALTERNATIVE_SRB",
    "DEFAULT_CUSUM_H",
    "DEFAULT_REFERENCE_SRB",
    "HIGH_SRB_THRESHOLD",
    "LOW_SRB_THRESHOLD",
    "REFERENCE_LEVELS",
    "REFERENCE_SRB_105",
    "REFERENCE_SRB_107",
    "REFERENCE_SRB_CHAO_2019",
    "BetaBinomialPrior",
    "CusumResult",
    "DetectableSrb",
    "FunnelAnalysis",
    "FunnelLimits",
    "FunnelUnit",
    "FunnelZone",
    "IntervalMethod",
    "PooledEstimate",
    "ProportionInterval",
    "ShrinkageResult",
    "SrbClass",
    "SrbClassification",
    "SrbEstimate",
    "StrengthSource",
    "VillageEstimate",
    "adjusted_funnel_limits",
    "bernoulli_cusum",
    "births_for_power",
    "classify_funnel",
    "classify_srb",
    "clopper_pearson_interval",
    "cusum_arl",
    "cusum_weights",
    "dersimonian_laird_tau2",
    "estimate_prior",
    "exact_power",
    "funnel_analysis",
    "funnel_curve",
    "funnel_limits",
    "jeffreys_interval",
    "lower_p_value",
    "minimum_detectable_srb",
    "moment_rho",
    "p_to_srb",
    "posterior_village",
    "proportion_interval",
    "rolling_pool",
    "shrink_villages",
    "srb_estimate",
    "srb_to_p",
    "upper_p_value",
    "wilson_interval",
    "winsorized_phi",
]
