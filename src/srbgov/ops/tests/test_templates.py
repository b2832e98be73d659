"""The content security policy allows no inline script, so no template may hold one."""

from __future__ import annotations

import re
from pathlib import Path

import srbgov

TEMPLATES = sorted(Path(srbgov.__file__).parent.rglob("templates/**/*.html"))
# A <script> element without src= runs inline; an on...= attribute is an inline handler.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"javascript:", re.IGNORECASE)


def offences(text: str) -> list[str]:
    return [
        match.group(0)
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER, JAVASCRIPT_URL)
        for match in pattern.finditer(text)
    ]


def test_the_guard_finds_each_kind_of_inline_script() -> None:
    assert offences("<script>alert(1)</script>")
    assert offences('<button onclick="go()">')
    assert offences('<a href="javascript:go()">')
    assert not offences('<script src="/static/tips/pow.js" defer></script>')
    assert not offences('<form method="post" action="/x/">')


def test_no_template_runs_inline_script() -> None:
    assert TEMPLATES, "no templates found"
    found = {
        str(path): hits for path in TEMPLATES if (hits := offences(path.read_text()))
    }
    assert found == {}
