"""A server worker process for test_flood.py (not a test module): either posts one tip
with a 6300×6300 black PNG through the whole request path, or plays a staff user who
keeps writing; prints one JSON line. Reads its database from DATABASE_URL."""

from __future__ import annotations

import io
import json
import os
import sys
import time
from pathlib import Path

import django

django.setup()

from django.db import OperationalError, connection, transaction  # noqa: E402
from django.db.models import F  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from PIL import Image  # noqa: E402

from srbgov.areas.models import Area, AreaLevel  # noqa: E402
from srbgov.tips import pow  # noqa: E402


def wait_for(path: Path) -> None:
    """Say this process is ready, then wait for the start signal."""
    (path.parent / f"ready-{os.getpid()}").touch()
    while not path.exists():
        time.sleep(0.01)


def upload(go: Path) -> dict[str, object]:
    out = io.BytesIO()
    Image.new("RGB", (6300, 6300)).save(out, format="PNG")
    png = out.getvalue()
    county = Area.objects.filter(level=AreaLevel.COUNTY).order_by("code").last()
    assert county is not None
    challenge = pow.issue("report")
    data = {
        "county": county.pk,
        "category": "sex_identification",
        "description": "村口诊所用B超看胎儿性别。",
        "pow_challenge": challenge,
        "pow_nonce": pow.solve(challenge),
    }
    client = Client(raise_request_exception=False)
    connection.close()
    wait_for(go)
    started = time.monotonic()
    with io.BytesIO(png) as evidence:
        evidence.name = "black.png"
        response = client.post(reverse("report:new"), {**data, "evidence": evidence})
    text = response.content.decode()
    return {
        "status": response.status_code,
        "seconds": round(time.monotonic() - started, 2),
        "receipt": 'id="receipt-code"' in text,
        "busy": "服务器忙" in text,
    }


def staff(go: Path, stop: Path) -> dict[str, object]:
    area = Area.objects.filter(level=AreaLevel.COUNTY).order_by("code").first()
    assert area is not None
    wait_for(go)
    waits: list[float] = []
    errors: list[str] = []
    while not stop.exists():
        started = time.monotonic()
        try:
            with transaction.atomic():
                Area.objects.filter(pk=area.pk).update(name=F("name"))
        except OperationalError as problem:
            errors.append(str(problem))
        waits.append(time.monotonic() - started)
        time.sleep(0.05)
    return {
        "writes": len(waits),
        "max_wait": round(max(waits, default=0), 3),
        "errors": errors,
    }


if __name__ == "__main__":
    role, go, stop = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    with override_settings(ALLOWED_HOSTS=["testserver"], TIPS_POW_BITS=4):
        result = upload(go) if role == "upload" else staff(go, stop)
    print(json.dumps(result), flush=True)
