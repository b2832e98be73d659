"""What users type, made safe before it is checked or stored. Pure: no Django.

Phones and Chinese input methods give full-width characters (`１３８`, `－`, the
ideographic space); those are folded to ASCII as NFKC folds them. Nothing else is
folded: other Unicode digits (Arabic-Indic `٣`, superscript `²`, circled `③`) pass
`str.isdigit()` but are not what a worker meant to type in a number, so numbers accept
the ASCII digits 0–9 only and anything else is a form error (docs/security.md §2).
Names are NFKC-normalised and lose the invisible formatting characters, among them the
bidirectional overrides that would make a name display reversed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

IDEOGRAPHIC_SPACE = "\u3000"


class InputError(ValueError):
    """Why typed text is refused; `message` is the user's words (Chinese)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _fold_char(ch: str) -> str:
    # The Halfwidth and Fullwidth Forms block: NFKC of U+FF01–U+FF5E is U+0021–U+007E.
    if "\uff01" <= ch <= "\uff5e" or ch == IDEOGRAPHIC_SPACE:
        return unicodedata.normalize("NFKC", ch)
    return ch


# The same folding as a translation table: one C-level pass per string, which an
# import of 50,000 rows needs (docs/import.md §6); `_fold_char` defines it.
_FOLD_TABLE = {
    cp: _fold_char(chr(cp)) for cp in [*range(0xFF01, 0xFF5F), ord(IDEOGRAPHIC_SPACE)]
}


def fold_width(raw: str) -> str:
    """Full-width ASCII forms and the ideographic space to ASCII; nothing else changes."""
    return raw.translate(_FOLD_TABLE)


def digits_only(raw: str, *, label: str, keep: Iterable[str] = ()) -> str:
    """Width-folded `raw` without spaces; refused unless it is ASCII digits (and `keep`)."""
    text = re.sub(r"\s+", "", fold_width(raw))
    allowed = set("0123456789") | set(keep)
    if any(ch not in allowed for ch in text):
        raise InputError("characters", f"{label}只能填写半角数字0–9。")
    return text


PHONE_PREFIX = re.compile(r"^(?:\+86|0086)")
MOBILE = re.compile(r"1[3-9][0-9]{9}")
# Area code (0 + 2–3 digits) and a 7–8 digit number, or the number alone.
LANDLINE = re.compile(r"0[1-9][0-9]{1,2}[0-9]{7,8}|[2-9][0-9]{6,7}")
PHONE_SEPARATORS = re.compile(r"[\s\-()（）]")


def clean_phone(raw: str) -> str:
    """A mainland mobile (11 digits) or landline number, as digits only; '' stays ''.

    Accepted: an optional +86 / 0086 prefix, spaces, hyphens and brackets between
    digits, full-width forms of all of these. Refused with a Chinese message: letters,
    other Unicode digits, and lengths no Chinese number has.
    """
    text = PHONE_SEPARATORS.sub("", fold_width(raw).strip())
    if not text:
        return ""
    text = PHONE_PREFIX.sub("", text)
    if any(ch not in "0123456789" for ch in text):
        raise InputError(
            "characters",
            "联系电话只能填写半角数字（可加 +86 前缀，可用空格或短横线分隔）。",
        )
    if MOBILE.fullmatch(text) or LANDLINE.fullmatch(text):
        return text
    raise InputError(
        "length",
        f"联系电话位数不对（{len(text)}位）：手机号11位，座机号连区号10–12位或不含区号7–8位。",
    )


# Bidirectional embeddings, overrides, isolates and marks (Unicode 15, UAX #9).
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def clean_name(raw: str) -> str:
    """NFKC, without control or format characters (bidi overrides, zero-width
    characters), with runs of whitespace made one space."""
    text = unicodedata.normalize("NFKC", raw)
    text = "".join(
        ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Co", "Cs")
    )
    return re.sub(r"\s+", " ", text).strip()


def has_bidi_controls(text: str) -> bool:
    return any(ch in BIDI_CONTROLS for ch in text)
