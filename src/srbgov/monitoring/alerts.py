"""The SRB alert rule (docs/statistics.md): never a village on one year's raw ratio.

A village is raised (AlertKind.SRB_HIGH, subject the village) when, over the pooled
window of its county's policy (the last 3–5 complete years: the current year is not
a year yet), its one-sided exact test against 107 stays significant after
Benjamini–Hochberg across the county's villages at q = 0.025 (`srbgov.stats.srb_verdicts`,
the same call as the ranking page), either for all its births or for its births after
only girls (second and later births whose earlier children are all girls: where
selection concentrates). Two tests at 0.025 each keep the chance of any false village
alert in a county where no village's true SRB exceeds 107 at most 0.05; the seeded
simulation (bench/bench_srb_sim.py) measures it. A township is raised (subject the
township) when the Bernoulli CUSUM of its births since the start of the window, in
birth-date order, with h = `TOWNSHIP_CUSUM_H`, signals within the last 365 days.

Each finding is raised once (`raise_alert(once=True)`): its key names the window (a
village: the pooled years; a township: the window's first year and the day of the last
signal), so the nightly run and a manual run never duplicate, and an alert the officer
resolved does not come back the next night while the same window still finds it; a
new window (a new complete year) or a new signal is a new finding, raised when no
alert of the same subject and finding is still open. Findings that no
longer hold are left for the officer to resolve with what was found (an SRB alert is
a reason to look, not a fact that switches off).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.utils.translation import gettext as _

from srbgov.alerts.models import Alert, AlertKind
from srbgov.alerts.services import make_rule_key, raise_alert
from srbgov.areas.models import Area, AreaLevel
from srbgov.monitoring import queries
from srbgov.monitoring.charts import fmt
from srbgov.monitoring.models import EarlierPattern
from srbgov.pregnancies.models import Birth
from srbgov.stats import TOWNSHIP_CUSUM_H, bernoulli_cusum


@dataclass(frozen=True)
class SrbFinding:
    area: Area
    subject_type: str  # "village" or "township"
    key_suffix: (
        str  # "pooled:2021-2025", "after_girls:2021-2025", "cusum:2021:2026-03-02"
    )
    summary: str

    @property
    def legacy_suffix(self) -> str:
        """The key of the versions before the window was in it ("pooled", …)."""
        return self.key_suffix.split(":", 1)[0]


def village_findings(county: Area, today: date) -> list[SrbFinding]:
    policy = queries.policy_for(county)
    period = queries.window_period(today.year, policy.window_years, today=today)
    villages = queries.villages_of(county)
    findings: list[SrbFinding] = []
    for suffix, pattern, what in (
        ("pooled", None, _("全部出生")),
        ("after_girls", EarlierPattern.GIRLS, _("此前只有女孩的二孩及以上出生")),
    ):
        stats = queries.village_statistics(
            county, period, policy, pattern=pattern, villages=villages
        )
        by_id = {v.pk: v for v in villages}
        window = f"{period.first_month.year}-{period.last_month.year}"
        for row in stats.rows:
            if not row.is_probably_high:
                continue
            findings.append(
                SrbFinding(
                    by_id[row.village_id],
                    "village",
                    f"{suffix}:{window}",
                    _(
                        "%(name)s %(period)s %(what)s：出生 %(n)d，性别比 %(srb)s"
                        "（95%%区间 %(lo)s–%(hi)s），经全县多重检验后仍显著高于107"
                        "（q = %(q).4f）"
                    )
                    % {
                        "name": row.name,
                        "period": period.label,
                        "what": what,
                        "n": row.births,
                        "srb": fmt(row.srb),
                        "lo": fmt(row.lower),
                        "hi": fmt(row.upper),
                        "q": row.q_value if row.q_value is not None else 0.0,
                    },
                )
            )
    return findings


def township_findings(county: Area, today: date) -> list[SrbFinding]:
    policy = queries.policy_for(county)
    period = queries.window_period(today.year, policy.window_years, today=today)
    recent = today - timedelta(days=365)
    findings: list[SrbFinding] = []
    for township in Area.objects.in_area(county).filter(level=AreaLevel.TOWNSHIP):
        births = (
            Birth.objects.in_area(township)
            .filter(born_on__gte=period.first_month, born_on__lte=today)
            .order_by("born_on", "pk")
            .values_list("sex", "born_on")
        )
        sexes = [(sex == "M", born_on) for sex, born_on in births]
        result = bernoulli_cusum(
            [boy for boy, _ in sexes],
            reference_srb=policy.reference_srb,
            h=TOWNSHIP_CUSUM_H,
        )
        if not result.signals or sexes[result.signals[-1]][1] <= recent:
            continue
        last = sexes[result.signals[-1]][1]
        findings.append(
            SrbFinding(
                township,
                "township",
                f"cusum:{period.first_month.year}:{last.isoformat()}",
                _(
                    "%(name)s 出生性别比累积和（CUSUM）自 %(start)s 起报警 %(k)d 次，最近一次 %(on)s"
                )
                % {
                    "name": township.name,
                    "start": period.first_month.isoformat(),
                    "k": len(result.signals),
                    "on": last.isoformat(),
                },
            )
        )
    return findings


def raise_srb_alerts(today: date, *, dry_run: bool = False) -> tuple[int, int]:
    """Apply the rule to every county; returns (findings, alerts newly opened)."""
    found = opened = 0
    for county in Area.objects.filter(level=AreaLevel.COUNTY):
        for finding in village_findings(county, today) + township_findings(
            county, today
        ):
            found += 1
            if dry_run or _already_open(finding):
                continue
            _alert, created = raise_alert(
                kind=AlertKind.SRB_HIGH,
                area=finding.area,
                subject_type=finding.subject_type,
                subject_id=finding.area.pk,
                summary=finding.summary,
                key_suffix=finding.key_suffix,
                once=True,
            )
            opened += created
    return found, opened


def _already_open(finding: SrbFinding) -> bool:
    """The officer has this subject's finding open already, for this window or an
    earlier one, or under the key of the versions before keys named their window
    ("…:pooled"): one open alert per village (or township) and finding, not one per
    window or per CUSUM signal."""
    key = make_rule_key(
        AlertKind.SRB_HIGH, finding.subject_type, finding.area.pk, finding.legacy_suffix
    )
    return (
        Alert.objects.open()
        .filter(Q(rule_key=key) | Q(rule_key__startswith=f"{key}:"))
        .exists()
    )
