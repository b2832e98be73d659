"""Translation catalogue check (docs/conventions.md §6): every msgid of locale/en has an English
msgstr, none is fuzzy, and the compiled .mo says the same as the .po.

Usage: python scripts/pocheck.py            (exit 1 on any problem)
       python scripts/pocheck.py --fill F   (fill empty msgstr from a JSON dict file)
"""

from __future__ import annotations

import gettext
import json
import re
import sys
from pathlib import Path

PO = (
    Path(__file__).resolve().parent.parent
    / "locale"
    / "en"
    / "LC_MESSAGES"
    / "django.po"
)
ENTRY = re.compile(
    r'(?P<flags>(?:#[^\n]*\n)*)msgid (?P<id>"(?:[^"\\]|\\.)*"(?:\n"(?:[^"\\]|\\.)*")*)\n'
    r'(?:msgid_plural (?P<plural>"(?:[^"\\]|\\.)*"(?:\n"(?:[^"\\]|\\.)*")*)\n)?'
    r'(?P<strs>(?:msgstr(?:\[\d\])? "(?:[^"\\]|\\.)*"(?:\n"(?:[^"\\]|\\.)*")*\n?)+)'
)


def unquote(block: str) -> str:
    return "".join(json.loads(part) for part in re.findall(r'"(?:[^"\\]|\\.)*"', block))


def _is_fuzzy(flags: str) -> bool:
    return any(line.startswith("#,") and "fuzzy" in line for line in flags.splitlines())


def entries(text: str) -> list[tuple[str, str, list[str], bool]]:
    out = []
    for m in ENTRY.finditer(text):
        strs = [
            unquote(s)
            for s in re.findall(
                r'msgstr(?:\[\d\])? ((?:"(?:[^"\\]|\\.)*"\n?)+)', m.group("strs")
            )
        ]
        out.append(
            (
                unquote(m.group("id")),
                unquote(m.group("plural") or '""'),
                strs,
                _is_fuzzy(m.group("flags")),
            )
        )
    return out


def check() -> list[str]:
    problems = []
    found = entries(PO.read_text(encoding="utf-8"))
    with PO.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for msgid, plural, strs, fuzzy in found:
        if not msgid:
            continue
        if fuzzy:
            problems.append(f"fuzzy: {msgid!r}")
        if not all(strs):
            problems.append(f"untranslated: {msgid!r}")
            continue
        got = compiled.ngettext(msgid, plural, 2) if plural else compiled.gettext(msgid)
        want = strs[-1] if plural else strs[0]
        if got != want:
            problems.append(f".mo is out of date for {msgid!r} (run: make messages)")
    return problems


def fill(mapping_file: str) -> None:
    # Each app may keep its own glossary (glossary-<app>.json) beside the shared one.
    mapping: dict[str, str] = {}
    for path in sorted(Path(mapping_file).parent.glob("glossary*.json")):
        mapping.update(json.loads(path.read_text(encoding="utf-8")))
    text = PO.read_text(encoding="utf-8")

    def replace(m: re.Match[str]) -> str:
        msgid = unquote(m.group("id"))
        english = mapping.get(msgid)
        if not msgid or english is None:
            return m.group(0)
        flag_lines = m.group("flags").splitlines(keepends=True)
        if _is_fuzzy(m.group("flags")):
            # msgmerge guessed from a similar msgid; the glossary knows the real one.
            kept = [line for line in flag_lines if not line.startswith(("#|", "#,"))]
            rest = m.group(0)[len(m.group("flags")) : m.start("strs") - m.start(0)]
            quoted = json.dumps(english, ensure_ascii=False)
            if m.group("plural"):
                return (
                    "".join(kept) + rest + f"msgstr[0] {quoted}\nmsgstr[1] {quoted}\n"
                )
            return "".join(kept) + rest + f"msgstr {quoted}\n"
        quoted = json.dumps(english, ensure_ascii=False)
        strs = m.group("strs")
        if m.group("plural"):
            new = f"msgstr[0] {quoted}\nmsgstr[1] {quoted}\n"
        else:
            if unquote(strs.split(" ", 1)[1]):
                return m.group(0)
            new = f"msgstr {quoted}\n"
        return m.group(0)[: m.start("strs") - m.start(0)] + new

    PO.write_text(ENTRY.sub(replace, text), encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--fill":
        fill(sys.argv[2])
        sys.exit(0)
    issues = check()
    for issue in issues:
        print(issue)
    sys.exit(1 if issues else 0)
