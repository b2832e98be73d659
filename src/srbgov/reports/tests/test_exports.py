"""Exports declared once: text cells are never formulas; the machinery logs each
export itself (srbgov.reports, docs/access.md)."""

from __future__ import annotations

import io
from typing import Any

from django.test import RequestFactory
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from srbgov.accounts.models import Role
from srbgov.audit.models import AuditAction, AuditEntry
from srbgov.audit.services import record
from srbgov.reports.exports import Column, Export
from srbgov.reports.xlsx import FORMULA_PREFIXES, rows_to_xlsx
from srbgov.testing import BaseTestCase, make_user

INJECTION = '=HYPERLINK("http://x","y")'


def cells(content: bytes) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows()]


# Text openpyxl can store at all (XML forbids most control characters).
TEXT = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc"), blacklist_characters="\x85"
    ),
    max_size=30,
)


# No deadline: writing and reading a workbook takes 50-300 ms on the shared machine, and
# a slow example is noise, not a property.
@settings(deadline=None)
@given(st.sampled_from(["=", "+", "-", "@"]), TEXT)
def test_text_that_looks_like_a_formula_reads_back_as_the_same_text(
    prefix: str, rest: str
) -> None:
    value = prefix + rest
    (cell,) = cells(rows_to_xlsx(title="t", headers=["h"], rows=[[value]]))[1]
    assert cell.data_type == "s"
    assert cell.value == value


def test_every_dangerous_prefix_is_written_as_text() -> None:
    rows = [[p + "cmd|' /C calc'!A0"] for p in FORMULA_PREFIXES]
    for (cell,) in cells(rows_to_xlsx(title="t", headers=["h"], rows=rows))[1:]:
        assert cell.data_type == "s", repr(cell.value)


def test_numbers_and_dates_stay_numbers() -> None:
    (number, negative) = cells(
        rows_to_xlsx(title="t", headers=["a", "b"], rows=[[3, -2]])
    )[1]
    assert (number.data_type, negative.data_type) == ("n", "n")
    assert negative.value == -2


class ExportMachineryTests(BaseTestCase):
    def test_the_auditors_export_keeps_a_formula_user_name_as_text(self) -> None:
        villain = make_user(INJECTION, Role.VILLAGE_WORKER, self.village_a)
        record(user=villain, action=AuditAction.LOGIN)
        self.login(self.auditor)
        response = self.client.get(reverse("audit:entry_export"))
        found = [
            cell
            for row in cells(response.content)
            for cell in row
            if cell.value == INJECTION
        ]
        self.assertTrue(found)
        self.assertTrue(all(cell.data_type == "s" for cell in found))

    def test_a_declaration_writes_its_audit_record_and_its_sheet(self) -> None:
        export: Export[tuple[str, int]] = Export(
            title="名单",
            object_type="people.woman",
            columns=(Column("姓名", lambda r: r[0]), Column("数", lambda r: r[1])),
        )
        request = RequestFactory().get("/x", {"village": "1"})
        request.user = self.zhen_a
        response = export.response(request, [("王芳", 2), ("李娜", 0)])  # type: ignore[arg-type]
        rows = [[c.value for c in row] for row in cells(response.content)]
        self.assertEqual(rows, [["姓名", "数"], ["王芳", 2], ["李娜", 0]])
        entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
        self.assertEqual(entry.username, "zhen_a")
        self.assertEqual(entry.detail, {"filters": {"village": "1"}, "rows": 2})
        self.assertEqual(export.table([("王芳", 2)]).rows, [["王芳", 2]])
