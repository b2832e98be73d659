"""Tip-offs: what a reporter waits for, and whether timing tells a right code from a
wrong one.

- receipt_lookup_right / receipt_lookup_wrong: `find_by_receipt` among 10,000 tips (one
  keyed hash + one indexed query either way; the two should match);
- photo_clean_12mp: re-encoding a 4000×3000 phone photo with EXIF/GPS (upload cost);
- png_clean_40mp: re-encoding a 6300×6300 black PNG, the flood of issue 10 item 5;
- pow_verify: the server's check of a solved proof-of-work;
- pow_solve_16bit_python / pow_solve_18bit_python: the work at the default difficulty
  without and with files, in CPython (the browser's JavaScript does the same work; see
  docs/uploads.md for its speed).

Runs on the database of DATABASE_URL if it is PostgreSQL (scripts/with_postgres.sh),
else on a temporary SQLite file.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

TIPS = 10_000
RUNS = 50


def run() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        folder = tempfile.mkdtemp()
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
    import django

    django.setup()
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection
    from PIL import Image

    from bench.timing import median_ms, report
    from srbgov.areas.models import Area, AreaLevel
    from srbgov.files.clean import clean_upload
    from srbgov.tips import pow, receipt, services, uploads
    from srbgov.tips.models import Tip
    from srbgov.tips.tests.builders import GPS, GPS_IFD

    if connection.vendor == "postgresql":
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        call_command("migrate", verbosity=0)
    county = Area.objects.create(code="520999000000", name="县", level=AreaLevel.COUNTY)
    cipher = services.tips_cipher()
    Tip.objects.bulk_create(
        [
            Tip(
                county=county,
                category="other",
                description="bench",
                receipt_hash=receipt.receipt_hash(cipher, receipt.new_code()),
            )
            for _ in range(TIPS)
        ],
        batch_size=2000,
    )
    code = receipt.new_code()
    Tip.objects.create(
        county=county,
        category="other",
        description="bench",
        receipt_hash=receipt.receipt_hash(cipher, code),
    )
    services.FOLLOW_UPS_PER_HOUR = 10**9
    report(
        "receipt_lookup_right",
        median_ms(lambda: services.find_by_receipt(code), runs=RUNS),
        "ms",
        RUNS,
    )
    report(
        "receipt_lookup_wrong",
        median_ms(lambda: services.find_by_receipt(receipt.new_code()), runs=RUNS),
        "ms",
        RUNS,
    )

    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.TIPS_POW_BITS = 1
    client = Client()

    def page(typed: str) -> None:
        challenge = pow.issue("follow_up")
        client.post(
            "/report/follow-up/",
            {
                "code": typed,
                "pow_challenge": challenge,
                "pow_nonce": pow.solve(challenge),
            },
        )

    report(
        "follow_up_page_right",
        median_ms(lambda: page(code), runs=15),
        "ms",
        15,
    )
    report(
        "follow_up_page_wrong",
        median_ms(lambda: page(receipt.new_code()), runs=15),
        "ms",
        15,
    )

    image = Image.effect_noise((4000, 3000), 60).convert("RGB")
    exif = Image.Exif()
    exif.get_ifd(GPS_IFD).update(GPS)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90, exif=exif)
    photo = buffer.getvalue()
    report(
        "photo_clean_12mp",
        median_ms(
            lambda: clean_upload(
                SimpleUploadedFile("p.jpg", photo),
                position=1,
                max_side=uploads.MAX_SIDE,
            ),
            runs=5,
        ),
        "ms",
        5,
    )
    buffer = io.BytesIO()
    Image.new("RGB", (6300, 6300)).save(buffer, format="PNG")
    black = buffer.getvalue()
    report(
        "png_clean_40mp",
        median_ms(
            lambda: clean_upload(
                SimpleUploadedFile("b.png", black),
                position=1,
                max_side=uploads.MAX_SIDE,
            ),
            runs=3,
        ),
        "ms",
        3,
    )

    settings.TIPS_POW_BITS = 16
    settings.TIPS_POW_UPLOAD_BITS = 16
    solved = []
    for _ in range(RUNS):
        challenge = pow.issue("bench")
        solved.append((challenge, pow.solve(challenge)))
    pending = iter(solved)
    report(
        "pow_verify",
        median_ms(
            lambda: pow.check(*next(pending), purpose="bench"), runs=RUNS - 1, warmup=1
        ),
        "ms",
        RUNS - 1,
    )
    report(
        "pow_solve_16bit_python",
        median_ms(lambda: pow.solve(pow.issue("bench")), runs=9),
        "ms",
        9,
    )
    settings.TIPS_POW_UPLOAD_BITS = 18
    report(
        "pow_solve_18bit_python",
        median_ms(lambda: pow.solve(pow.issue("bench")), runs=9),
        "ms",
        9,
    )
    if connection.vendor == "postgresql":
        connection.creation.destroy_test_db(
            settings.DATABASES["default"]["NAME"], verbosity=0
        )
