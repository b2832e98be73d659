"""Three concurrent anonymous tips, each with a 6300×6300 black PNG, against a running
server; meanwhile a staff-like write to the same SQLite file is timed. Run through
scripts/upload_flood.sh. usage: upload_flood.py BASE_URL SQLITE_PATH"""

from __future__ import annotations

import hashlib
import html
import io
import re
import sqlite3
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

from PIL import Image


def leading_zero_bits(digest: bytes) -> int:
    bits = 0
    for byte in digest:
        if byte:
            return bits + 8 - byte.bit_length()
        bits += 8
    return bits


def solve(challenge: str, bits: int) -> str:
    nonce = 0
    while (
        leading_zero_bits(hashlib.sha256(f"{challenge}:{nonce}".encode()).digest())
        < bits
    ):
        nonce += 1
    return str(nonce)


def multipart(fields: dict[str, str], png: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="evidence"; '
        'filename="black.png"\r\nContent-Type: image/png\r\n\r\n'.encode()
        + png
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def post(base: str, png: bytes, barrier: threading.Barrier, results: list[str]) -> None:
    page = urllib.request.urlopen(base + "/report/new/").read().decode()  # noqa: S310
    found = re.search(r'name="pow_challenge" value="([^"]+)"', page)
    county = re.search(r'name="county" value="(\d+)"', page)
    if not (found and county):
        raise SystemExit("the report page has no challenge or county")
    challenge = html.unescape(found.group(1))
    bits = max(int(b) for b in re.findall(r'data-(?:upload-)?bits="(\d+)"', page))
    body, content_type = multipart(
        {
            "county": county.group(1),
            "category": "sex_identification",
            "description": "flood test",
            "pow_challenge": challenge,
            "pow_nonce": solve(challenge, bits),
        },
        png,
    )
    request = urllib.request.Request(  # noqa: S310
        base + "/report/new/", data=body, headers={"Content-Type": content_type}
    )
    barrier.wait()
    started = time.monotonic()
    try:
        response = urllib.request.urlopen(request, timeout=300)  # noqa: S310
        status, text = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode(errors="replace")
    seconds = time.monotonic() - started
    what = (
        "receipt"
        if "receipt-code" in text
        else "busy"
        if "服务器忙" in text
        else "server error"
    )
    results.append(f"upload: HTTP {status} after {seconds:.2f} s ({what})")


def staff_writes(database: str, stop: threading.Event, waits: list[float]) -> None:
    connection = sqlite3.connect(database, timeout=30, isolation_level=None)
    while not stop.is_set():
        started = time.monotonic()
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("COMMIT")
        waits.append(time.monotonic() - started)
        time.sleep(0.05)


def main(base: str, database: str) -> None:
    out = io.BytesIO()
    Image.new("RGB", (6300, 6300)).save(out, format="PNG")
    png = out.getvalue()
    print(f"png: {len(png)} bytes, 6300×6300")
    barrier = threading.Barrier(3)
    results: list[str] = []
    waits: list[float] = []
    stop = threading.Event()
    writer = threading.Thread(target=staff_writes, args=(database, stop, waits))
    writer.start()
    uploads = [
        threading.Thread(target=post, args=(base, png, barrier, results))
        for _ in range(3)
    ]
    for thread in uploads:
        thread.start()
    for thread in uploads:
        thread.join()
    stop.set()
    writer.join()
    print("\n".join(sorted(results)))
    print(f"staff writer: {len(waits)} writes, longest wait {max(waits):.2f} s")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
