"""The SRB alert rule (DESIGN §6): never a village on one year's raw ratio.

A village is raised (AlertKind.SRB_HIGH, subject the village) when, over the pooled
window of its county's policy (3–5 years ending this year), the empirical-Bayes
probability that its true SRB exceeds 107 is above 0.95, either for all its births or
for its births after only girls (second and later births whose earlier children are all
girls: where selection concentrates, DESIGN §6). A township is raised (subject the
township) when the Bernoulli CUSUM of its births in the window, in birth-date order,
signals. `raise_alert` makes both idempotent: one open alert per finding, so the
nightly run and a manual run never duplicate. Findings that no longer hold are left for
the officer to resolve with what was found (an SRB alert is a reason to look, not a
fact that switches off).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from srbgov.alerts.models import AlertKind
from srbgov.alerts.services import raise_alert
from srbgov.areas.models import Area, AreaLevel
from srbgov.monitoring import queries
from srbgov.monitoring.charts import fmt
from srbgov.monitoring.models import EarlierPattern
from srbgov.pregnancies.models import Birth
from srbgov.stats import bernoulli_cusum


@dataclass(frozen=True)
class SrbFinding:
    area: Area
    subject_type: str  # "village" or "township"
    key_suffix: str  # "pooled", "after_girls" or "cusum"
    summary: str


def village_findings(county: Area, today: date) -> list[SrbFinding]:
    policy = queries.policy_for(county)
    period = queries.window_period(today.year, policy.window_years)
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
        for row in stats.rows:
            if not row.is_probably_high:
                continue
            findings.append(
                SrbFinding(
                    by_id[row.village_id],
                    "village",
                    suffix,
                    _(
                        "%(name)s %(period)s %(what)s：出生 %(n)d，性别比 %(srb)s"
                        "（收缩估计 %(shr)s），高于107的概率 %(p).0f%%"
                    )
                    % {
                        "name": row.name,
                        "period": period.label,
                        "what": what,
                        "n": row.births,
                        "srb": fmt(row.srb),
                        "shr": fmt(row.shrunk_srb),
                        "p": 100 * row.prob_above,
                    },
                )
            )
    return findings


def township_findings(county: Area, today: date) -> list[SrbFinding]:
    policy = queries.policy_for(county)
    period = queries.window_period(today.year, policy.window_years)
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
            (boy for boy, _ in sexes), reference_srb=policy.reference_srb
        )
        if not result.signals:
            continue
        last = sexes[result.signals[-1]][1]
        findings.append(
            SrbFinding(
                township,
                "township",
                "cusum",
                _(
                    "%(name)s 出生性别比累积和（CUSUM）在 %(period)s 报警 %(k)d 次，最近一次 %(on)s"
                )
                % {
                    "name": township.name,
                    "period": period.label,
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
            if dry_run:
                continue
            _alert, created = raise_alert(
                kind=AlertKind.SRB_HIGH,
                area=finding.area,
                subject_type=finding.subject_type,
                subject_id=finding.area.pk,
                summary=finding.summary,
                key_suffix=finding.key_suffix,
            )
            opened += created
    return found, opened
