"""The client address behind our proxies: only what they appended is believed."""

from __future__ import annotations

import ipaddress

from hypothesis import given, settings
from hypothesis import strategies as st

from srbgov.ops.proxy import client_address, meta_key

addresses = st.ip_addresses().map(str)
# Whatever a client may have written in the header before it reached our proxy.
forged = st.lists(
    st.one_of(addresses, st.text(alphabet="0123456789abcdef.:x ", max_size=20)),
    max_size=4,
)


def test_the_header_name_becomes_the_wsgi_key() -> None:
    assert meta_key("X-Forwarded-For") == "HTTP_X_FORWARDED_FOR"
    assert meta_key(" x-real-ip ") == "HTTP_X_REAL_IP"


def test_one_proxy_the_last_entry_is_the_client() -> None:
    assert (
        client_address(
            remote_addr="127.0.0.1", forwarded="10.9.9.9, 203.0.113.7", hops=1
        )
        == "203.0.113.7"
    )


def test_two_proxies_the_second_last_entry_is_the_client() -> None:
    assert (
        client_address(
            remote_addr="127.0.0.1",
            forwarded="1.1.1.1, 203.0.113.7, 10.0.0.2",
            hops=2,
        )
        == "203.0.113.7"
    )


def test_without_a_header_the_socket_address_is_the_client() -> None:
    assert (
        client_address(remote_addr="192.0.2.1", forwarded=None, hops=1) == "192.0.2.1"
    )
    assert client_address(remote_addr="192.0.2.1", forwarded="", hops=1) == "192.0.2.1"


def test_a_malformed_entry_is_not_believed() -> None:
    assert (
        client_address(remote_addr="127.0.0.1", forwarded="<script>", hops=1)
        == "127.0.0.1"
    )
    assert (
        client_address(remote_addr="127.0.0.1", forwarded="203.0.113.7", hops=2)
        == "127.0.0.1"
    )


@settings(deadline=None)
@given(
    prefix=forged,
    appended=st.lists(addresses, min_size=1, max_size=3),
    remote=addresses,
)
def test_what_the_client_wrote_never_wins_over_what_our_proxies_appended(
    prefix: list[str], appended: list[str], remote: str
) -> None:
    header = ", ".join([*prefix, *appended])
    result = client_address(remote_addr=remote, forwarded=header, hops=len(appended))
    assert result == str(ipaddress.ip_address(appended[0]))


@settings(deadline=None)
@given(header=st.text(max_size=60), hops=st.integers(0, 3), remote=addresses)
def test_the_answer_is_always_an_address_or_the_socket_address(
    header: str, hops: int, remote: str
) -> None:
    result = client_address(remote_addr=remote, forwarded=header, hops=hops)
    assert result is not None
    ipaddress.ip_address(result)
