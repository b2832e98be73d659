"""The client's address behind a reverse proxy, for the audit log.

Behind nginx every request arrives from 127.0.0.1, so `REMOTE_ADDR` names the proxy.
nginx appends the address it saw to `X-Forwarded-For`; anything to the left of the entries
our own proxies appended was written by the client and can be forged. So the address is
the entry `hops` places from the right, where `hops` is the number of proxies we run
(usually 1). See docs/deploy.md ("Client addresses").
"""

from __future__ import annotations

import ipaddress


def meta_key(header: str) -> str:
    """`X-Forwarded-For` -> `HTTP_X_FORWARDED_FOR`, the name WSGI gives the header."""
    return "HTTP_" + header.strip().upper().replace("-", "_")


def client_address(
    *, remote_addr: str | None, forwarded: str | None, hops: int
) -> str | None:
    """The address the outermost trusted proxy saw, or `remote_addr` without a header.

    A header with fewer entries than trusted hops, or a malformed entry, means the request
    did not come through our proxies as configured: fall back to the socket address rather
    than believe a value the client may have written.
    """
    if not forwarded or hops < 1:
        return remote_addr or None
    entries = [entry.strip() for entry in forwarded.split(",")]
    if len(entries) < hops:
        return remote_addr or None
    candidate = entries[-hops]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote_addr or None
