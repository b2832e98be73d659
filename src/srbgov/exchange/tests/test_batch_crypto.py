"""The import's batch helpers give what the form's one-at-a-time path gives
(people/crypto.py, docs/import.md §6)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from srbgov.people.crypto import cipher_for

KEY = "dGVzdC1maWVsZC1rZXktMzItYnl0ZXMtbG9uZy4uLi4="
numbers = st.lists(
    st.text(alphabet="0123456789X", min_size=18, max_size=18), max_size=20
)


@given(numbers)
@settings(max_examples=50, deadline=None)
def test_batch_hashes_equal_the_single_hash(values: list[str]) -> None:
    cipher = cipher_for(KEY, "test")
    assert cipher.lookup_hashes(values) == [cipher.lookup_hash(v) for v in values]


@given(numbers)
@settings(max_examples=50, deadline=None)
def test_batch_encryption_decrypts_with_the_single_decrypt(values: list[str]) -> None:
    cipher = cipher_for(KEY, "test")
    sealed = cipher.encrypt_many(values)
    assert [cipher.decrypt(s) for s in sealed] == values
    assert len(set(sealed)) == len(sealed)  # a fresh nonce each
