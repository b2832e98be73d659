from __future__ import annotations

import base64

import pytest
from django.core.checks import Error
from django.test import override_settings

from srbgov.people.checks import check_encryption_keys
from srbgov.people.crypto import KeyError_, cipher_for, decode_key

KEY = base64.b64encode(b"k" * 32).decode()
OTHER_KEY = base64.b64encode(b"o" * 32).decode()


def test_it_round_trips_and_never_stores_the_plaintext() -> None:
    cipher = cipher_for(KEY, "TEST")
    stored = cipher.encrypt("11010519491231002X")
    assert "11010519491231002X" not in stored and "1949" not in stored
    assert cipher.decrypt(stored) == "11010519491231002X"


def test_it_encrypts_the_same_number_differently_each_time_but_hashes_it_the_same() -> (
    None
):
    cipher = cipher_for(KEY, "TEST")
    assert cipher.encrypt("x") != cipher.encrypt("x")
    assert cipher.lookup_hash("x") == cipher.lookup_hash("x")
    assert cipher_for(OTHER_KEY, "TEST").lookup_hash("x") != cipher.lookup_hash("x")


def test_a_different_key_cannot_decrypt() -> None:
    from cryptography.exceptions import InvalidTag

    stored = cipher_for(KEY, "TEST").encrypt("secret")
    with pytest.raises(InvalidTag):
        cipher_for(OTHER_KEY, "TEST").decrypt(stored)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("", "缺少加密密钥"),
        ("not base64!", "不是有效的 base64"),
        (base64.b64encode(b"short").decode(), "太短"),
    ],
)
def test_a_missing_or_short_key_is_refused_with_a_clear_message(
    value: str, words: str
) -> None:
    with pytest.raises(KeyError_) as problem:
        decode_key(value, name="SRBGOV_FIELD_KEY")
    assert words in str(problem.value)


def test_start_up_check_fails_without_the_field_key() -> None:
    with override_settings(FIELD_ENCRYPTION_KEY=""):
        errors = check_encryption_keys(None)
    assert any(isinstance(e, Error) and "SRBGOV_FIELD_KEY" in e.msg for e in errors)
    with override_settings(FIELD_ENCRYPTION_KEY=KEY, TIPS_ENCRYPTION_KEY=KEY):
        assert [e.id for e in check_encryption_keys(None)] == ["srbgov.E002"]
    with override_settings(FIELD_ENCRYPTION_KEY=KEY, TIPS_ENCRYPTION_KEY=OTHER_KEY):
        assert check_encryption_keys(None) == []
