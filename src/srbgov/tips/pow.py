"""Flood control without identifying anyone: a proof-of-work on each public form.

Each rendered form carries a challenge the server signed (random salt, purpose, issue
time); the browser (static/tips/pow.js) finds a nonce such that SHA-256(challenge + ":" +
nonce) starts with `bits` zero bits, about 2**bits hashes. A submission that carries
files needs more (`upload_difficulty`), because each one costs the server a decode:
the measured costs on both sides are in docs/uploads.md. The server checks the
signature, the age, the zero bits, and that the challenge was not used before. Nothing
about the client is involved or stored.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

SALT = "srbgov.tips.pow"
MAX_AGE_SECONDS = 2 * 60 * 60
DEFAULT_BITS = 16
# Each extra bit doubles the work; see docs/uploads.md for the seconds this costs.
UPLOAD_EXTRA_BITS = 2


def difficulty() -> int:
    return int(getattr(settings, "TIPS_POW_BITS", DEFAULT_BITS))


def upload_difficulty() -> int:
    """Bits for a submission with files: about four times the work of one without."""
    default = difficulty() + UPLOAD_EXTRA_BITS
    return max(difficulty(), int(getattr(settings, "TIPS_POW_UPLOAD_BITS", default)))


def issue(purpose: str) -> str:
    payload = {
        "p": purpose,
        "b": difficulty(),
        "u": upload_difficulty(),
        "s": secrets.token_hex(12),
    }
    return signing.TimestampSigner(salt=SALT).sign_object(payload, compress=False)


def leading_zero_bits(digest: bytes) -> int:
    bits = 0
    for byte in digest:
        if byte == 0:
            bits += 8
            continue
        return bits + 8 - byte.bit_length()
    return bits


def solve(challenge: str) -> str:
    """The browser's job, in Python, for tests and tools: enough for a submission with
    or without files."""
    payload = _payload(challenge)
    bits = max(int(str(payload["b"])), int(str(payload.get("u", 0))))
    nonce = 0
    while leading_zero_bits(_digest(challenge, str(nonce))) < bits:
        nonce += 1
    return str(nonce)


def _digest(challenge: str, nonce: str) -> bytes:
    return hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()


def _payload(challenge: str) -> dict[str, object]:
    payload: dict[str, object] = signing.TimestampSigner(salt=SALT).unsign_object(
        challenge, max_age=MAX_AGE_SECONDS
    )
    return payload


def check(challenge: str, nonce: str, *, purpose: str, files: int = 0) -> bool:
    """True once per challenge: signed by us, young enough, solved (to the upload
    difficulty when `files` are attached), not used before."""
    try:
        payload = _payload(challenge)
    except (signing.BadSignature, ValueError, TypeError):
        return False
    bits = payload.get("u" if files else "b")
    if payload.get("p") != purpose or not isinstance(bits, int) or len(nonce) > 20:
        return False
    # The bits the challenge was issued with, or fewer if the setting was lowered since.
    required = min(bits, upload_difficulty() if files else difficulty())
    if leading_zero_bits(_digest(challenge, nonce)) < required:
        return False
    return _spend(challenge)


def _spend(challenge: str) -> bool:
    from srbgov.tips.models import SpentChallenge

    digest = hashlib.sha256(challenge.encode()).hexdigest()
    today = timezone.localdate()
    try:
        with transaction.atomic():
            SpentChallenge.objects.create(digest=digest, spent_on=today)
    except IntegrityError:
        return False
    SpentChallenge.objects.filter(spent_on__lt=today - timedelta(days=2)).delete()
    return True
