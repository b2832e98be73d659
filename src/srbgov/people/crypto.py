"""Field encryption for identity numbers (and, separately keyed, tipsters' contacts).

AES-256-GCM with a random 96-bit nonce per value; the stored text is
"v1:" + base64(nonce + ciphertext). Look-ups use a keyed hash (HMAC-SHA256 under a key
derived from the same secret with HKDF), so equal numbers can be found and refused as
duplicates without decrypting the table.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PREFIX = "v1:"
MIN_KEY_BYTES = 32


class KeyError_(ValueError):
    pass


def decode_key(encoded: str, *, name: str) -> bytes:
    """A key is base64 of at least 32 random bytes; anything else stops start-up."""
    if not encoded:
        raise KeyError_(
            f"缺少加密密钥 {name}：请在环境变量中设置（base64 编码的32字节随机数）。"
        )
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise KeyError_(f"加密密钥 {name} 不是有效的 base64 编码。") from None
    if len(raw) < MIN_KEY_BYTES:
        raise KeyError_(
            f"加密密钥 {name} 太短：需要至少{MIN_KEY_BYTES}字节，实际{len(raw)}字节。"
        )
    return raw


def _derive(secret: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(
        secret
    )


@dataclass(frozen=True)
class FieldCipher:
    encryption_key: bytes
    lookup_key: bytes

    def encrypt(self, plaintext: str) -> str:
        nonce = os.urandom(12)
        sealed = AESGCM(self.encryption_key).encrypt(nonce, plaintext.encode(), None)
        return PREFIX + base64.b64encode(nonce + sealed).decode()

    def decrypt(self, stored: str) -> str:
        if not stored.startswith(PREFIX):
            raise ValueError("unknown ciphertext format")
        blob = base64.b64decode(stored[len(PREFIX) :])
        return AESGCM(self.encryption_key).decrypt(blob[:12], blob[12:], None).decode()

    def lookup_hash(self, plaintext: str) -> str:
        return hmac.new(self.lookup_key, plaintext.encode(), hashlib.sha256).hexdigest()

    def lookup_hashes(self, plaintexts: Iterable[str]) -> list[str]:
        """`lookup_hash` of each, for an import of thousands of rows: the keyed HMAC
        state is built once and copied per value (docs/import.md §6)."""
        keyed = hmac.new(self.lookup_key, digestmod=hashlib.sha256)
        hashes = []
        for plaintext in plaintexts:
            one = keyed.copy()
            one.update(plaintext.encode())
            hashes.append(one.hexdigest())
        return hashes

    def encrypt_many(self, plaintexts: Sequence[str]) -> list[str]:
        """`encrypt` of each, with one AES-GCM key schedule for the whole batch and
        the nonces from one read of the system's random source: `os.urandom` per
        value cost a third of the batch's time (docs/import.md §6)."""
        aead = AESGCM(self.encryption_key)
        seal = aead.encrypt
        encode = binascii.b2a_base64
        nonces = os.urandom(12 * len(plaintexts))
        sealed = []
        for i, plaintext in enumerate(plaintexts):
            nonce = nonces[12 * i : 12 * i + 12]
            blob = nonce + seal(nonce, plaintext.encode(), None)
            sealed.append(PREFIX + encode(blob, newline=False).decode())
        return sealed


@cache
def cipher_for(encoded_key: str, name: str) -> FieldCipher:
    secret = decode_key(encoded_key, name=name)
    return FieldCipher(
        encryption_key=_derive(secret, b"srbgov field encryption"),
        lookup_key=_derive(secret, b"srbgov lookup hash"),
    )


def identity_cipher() -> FieldCipher:
    from django.conf import settings

    return cipher_for(settings.FIELD_ENCRYPTION_KEY, "SRBGOV_FIELD_KEY")
