"""Pure statistics for the sex ratio at birth (docs/design.md §6).

No Django, no ORM, no settings: plain functions over counts (boys, girls) that
return frozen dataclasses carrying numerator, denominator, estimate and interval.
Adapters in ``<app>/queries.py`` feed them plain rows.

Units: every SRB in and out is boys per 100 girls; proportions of boys only in
fields named ``p*`` (``srbgov.stats.reference``). Counts must be non-negative
integers (``ValueError`` otherwise). Flags follow one error model
(``srbgov.stats.multiple``, ``srbgov.stats.verdicts``) and every zone comes from
exact tails (``srbgov.stats.exact``); see docs/statistics.md.
"""

from __future__ import annotations

from srbgov.stats import simulation
from srbgov.stats.arrays import (
    FunnelArrays,
    ShrunkArrays,
    SrbArrays,
    beta_interval_arrays,
    common_moment_rho,
    detectable_srbs,
    funnel_arrays,
    low_srb_flags,
    shrink_groups,
    srb_estimates,
    upper_tail_arrays,
)
from srbgov.stats.classify import SrbClass, SrbClassification, classify_srb
from srbgov.stats.exact import (
    TAIL_95,
    TAIL_998,
    critical_boys,
    critical_boys_below,
    lower_tail,
    two_sided_p,
    upper_tail,
    zone_chance,
    zone_reachable,
    zones,
)
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
    TOWNSHIP_CUSUM_H,
    CusumResult,
    bernoulli_cusum,
    cusum_arl,
    cusum_path,
    cusum_weights,
)
from srbgov.stats.multiple import FamilyTest, bh_adjust, family_test, tarone_count
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
    as_count,
    as_count_array,
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
from srbgov.stats.verdicts import FLAG_Q, SrbVerdicts, srb_verdicts

__all__ = [
    "DEFAULT_ALTERNATIVE_SRB",
    "DEFAULT_CUSUM_H",
    "DEFAULT_REFERENCE_SRB",
    "FLAG_Q",
    "HIGH_SRB_THRESHOLD",
    "LOW_SRB_THRESHOLD",
    "REFERENCE_LEVELS",
    "REFERENCE_SRB_105",
    "REFERENCE_SRB_107",
    "REFERENCE_SRB_CHAO_2019",
    "TAIL_95",
    "TAIL_998",
    "TOWNSHIP_CUSUM_H",
    "BetaBinomialPrior",
    "CusumResult",
    "DetectableSrb",
    "FamilyTest",
    "FunnelAnalysis",
    "FunnelArrays",
    "FunnelLimits",
    "FunnelUnit",
    "FunnelZone",
    "IntervalMethod",
    "PooledEstimate",
    "ProportionInterval",
    "ShrinkageResult",
    "ShrunkArrays",
    "SrbArrays",
    "SrbClass",
    "SrbClassification",
    "SrbEstimate",
    "SrbVerdicts",
    "StrengthSource",
    "VillageEstimate",
    "adjusted_funnel_limits",
    "as_count",
    "as_count_array",
    "bernoulli_cusum",
    "beta_interval_arrays",
    "bh_adjust",
    "births_for_power",
    "classify_funnel",
    "classify_srb",
    "clopper_pearson_interval",
    "common_moment_rho",
    "critical_boys",
    "critical_boys_below",
    "cusum_arl",
    "cusum_path",
    "cusum_weights",
    "dersimonian_laird_tau2",
    "detectable_srbs",
    "estimate_prior",
    "exact_power",
    "family_test",
    "funnel_analysis",
    "funnel_arrays",
    "funnel_curve",
    "funnel_limits",
    "jeffreys_interval",
    "low_srb_flags",
    "lower_p_value",
    "lower_tail",
    "minimum_detectable_srb",
    "moment_rho",
    "p_to_srb",
    "posterior_village",
    "proportion_interval",
    "rolling_pool",
    "shrink_groups",
    "shrink_villages",
    "simulation",
    "srb_estimate",
    "srb_estimates",
    "srb_to_p",
    "srb_verdicts",
    "tarone_count",
    "two_sided_p",
    "upper_p_value",
    "upper_tail",
    "upper_tail_arrays",
    "wilson_interval",
    "winsorized_phi",
    "zone_chance",
    "zone_reachable",
    "zones",
]
