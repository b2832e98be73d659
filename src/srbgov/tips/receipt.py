"""Receipt codes (回执码): the reporter's only key back to a tip.

20 characters from Crockford's base32 alphabet (no I, L, O, U), 100 bits from the
operating system's random source, shown in groups of four. Only an HMAC-SHA256 of the
normalised code is stored, under a key derived from SRBGOV_TIPS_KEY: a database dump
alone cannot test guesses against it, and the look-up is one indexed equality, so a right
and a wrong code cost the same.
"""

from __future__ import annotations

import hmac
import secrets

from srbgov.people.crypto import FieldCipher

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 20  # 20 × 5 = 100 bits
BITS = LENGTH * 5
# Look-alikes people type for Crockford characters.
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize(typed: str) -> str:
    """Upper-case, drop spaces and dashes, read look-alikes; '' if it cannot be a code."""
    code = "".join(c for c in typed.upper() if c not in " -\t\r\n").translate(_READ_AS)
    if len(code) != LENGTH or any(c not in ALPHABET for c in code):
        return ""
    return code


def grouped(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def receipt_hash(cipher: FieldCipher, code: str) -> str:
    # Domain-separated from the other look-up hashes made with the same key.
    return cipher.lookup_hash("receipt:" + code)


def matches(cipher: FieldCipher, code: str, stored_hash: str) -> bool:
    return hmac.compare_digest(receipt_hash(cipher, code), stored_hash)
