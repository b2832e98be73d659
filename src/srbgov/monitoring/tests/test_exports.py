"""The villages .xlsx carries what the ranking page shows, and the q-values behind
the flags (docs/statistics.md, "Exports")."""

from __future__ import annotations

import io
from typing import Any, ClassVar

from django.urls import reverse
from openpyxl import load_workbook

from srbgov.monitoring.demo import DemoSummary
from srbgov.monitoring.exports import VILLAGE_HEADERS
from srbgov.monitoring.tests.builders import demo_world
from srbgov.stats import FLAG_Q
from srbgov.testing import BaseTestCase


class VillageExportTests(BaseTestCase):
    summary: ClassVar[DemoSummary]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        _villages, cls.summary = demo_world(cls)

    def sheet(
        self, period: dict[str, str]
    ) -> tuple[list[str], dict[str, tuple[Any, ...]]]:
        self.login(self.xian)
        response = self.client.get(
            reverse("monitoring:export", args=["villages"]), period
        )
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None
        rows = list(sheet.iter_rows(values_only=True))
        headers = [str(h) for h in rows[0]]
        return headers, {str(r[2]): r for r in rows[1:]}

    def test_a_window_exports_p_q_and_the_pages_hint(self) -> None:
        headers, rows = self.sheet({"period": "window", "year": "2025"})
        assert headers == [str(h) for h in VILLAGE_HEADERS]
        p, q, hint = (
            headers.index(h)
            for h in ("单侧精确p值（高于107）", "q值（BH校正）", "提示")
        )
        flagged = rows[self.summary.selection[0]]
        assert flagged[hint] == "显著偏高（已校正多重比较）"
        assert 0 <= flagged[p] <= flagged[q] <= FLAG_Q
        page = self.client.get(
            reverse("monitoring:villages"), {"period": "window", "year": "2025"}
        )
        self.assertContains(page, "显著偏高（已校正多重比较）")
        unflagged = [
            r for name, r in rows.items() if name not in self.summary.selection
        ]
        assert unflagged and all(r[hint] != flagged[hint] for r in unflagged)
        assert all(isinstance(r[q], float) and r[q] > FLAG_Q for r in unflagged if r[3])

    def test_a_single_year_exports_no_verdict(self) -> None:
        headers, rows = self.sheet({"period": "year", "year": "2025"})
        p, q, hint = (
            headers.index(h)
            for h in ("单侧精确p值（高于107）", "q值（BH校正）", "提示")
        )
        zone = headers.index("漏斗图（未调整）")
        for row in rows.values():
            assert (row[p], row[q], row[zone]) == ("—", "—", "—")
            assert row[hint] in ("单年数据不作判断", None, "")
        assert any(row[hint] == "单年数据不作判断" for row in rows.values())
