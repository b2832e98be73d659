from __future__ import annotations

import io
import itertools
from datetime import date, timedelta
from typing import ClassVar

from django.core.management import call_command

from srbgov.alerts.models import Alert, AlertKind
from srbgov.alerts.services import resolve_alert
from srbgov.areas.models import Area
from srbgov.monitoring import demo, queries
from srbgov.monitoring.alerts import raise_srb_alerts
from srbgov.monitoring.counts import rebuild_birth_counts
from srbgov.monitoring.tests.builders import ANCHOR, demo_world
from srbgov.pregnancies.models import Birth, Outcome, Pregnancy
from srbgov.testing import BaseTestCase


class DemoAndAlertTests(BaseTestCase):
    villages: ClassVar[list[Area]]
    summary: ClassVar[demo.DemoSummary]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.villages, cls.summary = demo_world(cls)

    def test_the_demo_is_idempotent_and_its_births_are_registry_children(self) -> None:
        births = Birth.objects.count()
        assert births == self.summary.births > 5000
        assert demo.load(villages=self.villages, by=self.xian, anchor=ANCHOR) is None
        assert Birth.objects.count() == births
        # Every birth is a child of its mother, with the same sex and date.
        mismatched = [
            b.pk
            for b in Birth.objects.select_related("child")[:500]
            if (b.child.sex, b.child.birth_on, b.child.mother_id)
            != (b.sex, b.born_on, b.mother_id)
        ]
        assert mismatched == []
        assert rebuild_birth_counts(dry_run=True).keys_changed == 0

    def test_selection_villages_are_alerted_and_the_noisy_village_is_not(self) -> None:
        alerts = Alert.objects.filter(kind=AlertKind.SRB_HIGH)
        alerted = {a.area.name for a in alerts if a.subject_type == "village"}
        assert set(self.summary.selection) <= alerted
        assert self.summary.noisy not in alerted
        # Raw SRB of the noisy village's alarming year: 12 boys, 5 girls (240).
        county = self.county
        policy = queries.policy_for(county)
        year = queries.village_statistics(
            county, queries.year_period(ANCHOR.year - 1), policy
        )
        noisy = next(r for r in year.rows if r.name == self.summary.noisy)
        assert (noisy.boys, noisy.girls) == (12, 5)
        assert noisy.zone == "within" and noisy.prob_above < 0.95
        assert noisy.detectable is not None and noisy.detectable > 240

    def test_raising_again_opens_nothing_new(self) -> None:
        before = Alert.objects.count()
        found, opened = raise_srb_alerts(ANCHOR)
        assert found >= 2 and opened == 0
        out = io.StringIO()
        call_command("raise_srb_alerts", "--dry-run", "--on", "2026-11-01", stdout=out)
        assert "findings" in out.getvalue()
        assert Alert.objects.count() == before

    def test_a_resolved_alert_is_not_raised_again_for_the_same_window(self) -> None:
        village_alerts = Alert.objects.filter(
            kind=AlertKind.SRB_HIGH, subject_type="village"
        )
        assert village_alerts.exists()
        # Keys name the pooled window (2021–2025 on the anchor day, 2026-11-01).
        assert all(
            a.rule_key.endswith(("pooled:2021-2025", "after_girls:2021-2025"))
            for a in village_alerts
        )
        for alert in Alert.objects.filter(kind=AlertKind.SRB_HIGH):
            resolve_alert(
                by=self.xian, alert=alert, resolution="已核查：入户核实出生情况"
            )
        found, opened = raise_srb_alerts(ANCHOR + timedelta(days=1))
        assert found >= 2 and opened == 0
        assert not Alert.objects.open().filter(kind=AlertKind.SRB_HIGH).exists()
        # A new complete year makes a new window: the selecting villages again.
        _found, opened = raise_srb_alerts(date(2027, 1, 2))
        reopened = Alert.objects.open().filter(
            kind=AlertKind.SRB_HIGH, subject_type="village"
        )
        assert opened >= 1
        assert {a.area.name for a in reopened} <= set(self.summary.selection)
        assert all(":2022-2026" in a.rule_key for a in reopened)

    def test_a_new_window_opens_nothing_while_the_old_one_is_open(self) -> None:
        open_before = Alert.objects.open().filter(kind=AlertKind.SRB_HIGH).count()
        assert open_before >= 2
        _found, opened = raise_srb_alerts(date(2027, 1, 2))
        assert opened == 0
        assert (
            Alert.objects.open().filter(kind=AlertKind.SRB_HIGH).count() == open_before
        )

    def test_an_alert_open_under_the_old_key_is_not_opened_twice(self) -> None:
        alert = Alert.objects.filter(
            kind=AlertKind.SRB_HIGH, subject_type="village"
        ).first()
        assert alert is not None
        window_key = alert.rule_key
        alert.rule_key = window_key.rsplit(":", 1)[0]  # "…:pooled", as before
        alert.save()
        _found, opened = raise_srb_alerts(ANCHOR)
        assert opened == 0
        assert not Alert.objects.filter(rule_key=window_key).exists()

    def test_a_low_village_is_a_data_quality_flag_not_selection(self) -> None:
        policy = queries.policy_for(self.county)
        stats = queries.village_statistics(
            self.county, queries.window_period(2026, 5), policy
        )
        for row in stats.rows:
            if row.is_low:
                assert not row.is_probably_high
                assert row.zone in ("below_95", "below_998", "within")


class BelievableDemoTests(BaseTestCase):
    """The demo's births could have happened: mothers of child-bearing age, births
    at least nine months apart, villages of believable size, nothing registered
    after the day the demo is anchored to."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.villages, cls.summary = demo_world(cls)

    villages: ClassVar[list[Area]]
    summary: ClassVar[demo.DemoSummary]

    def test_every_birth_is_one_its_mother_could_have_had(self) -> None:
        by_mother: dict[int, list[Birth]] = {}
        for birth in Birth.objects.select_related("mother"):
            by_mother.setdefault(birth.mother_id, []).append(birth)
        for births in by_mother.values():
            births.sort(key=lambda b: b.born_on)
            mother = births[0].mother
            for earlier, later in itertools.pairwise(births):
                assert (later.born_on - earlier.born_on).days >= 270
            for b in births:
                age = (b.born_on - mother.birth_on).days / 365.25
                assert 18 <= age <= 49, (mother.pk, age)
        per_village_year: dict[tuple[int, int], int] = {}
        for village_id, born_on in Birth.objects.values_list("village_id", "born_on"):
            key = (village_id, born_on.year)
            per_village_year[key] = per_village_year.get(key, 0) + 1
        # A large Chinese administrative village (7,000 people at 13 births per
        # 1,000) has about 90 births a year; the demo stays within that.
        assert max(per_village_year.values()) <= 120

    def test_nothing_is_registered_or_born_after_the_anchor(self) -> None:
        assert not Birth.objects.filter(born_on__gte=ANCHOR).exists()
        assert not Pregnancy.objects.filter(registered_on__gt=ANCHOR).exists()
        assert not Outcome.objects.filter(discharge_on__gt=ANCHOR).exists()
        assert not Outcome.objects.filter(occurred_on__gt=ANCHOR).exists()
