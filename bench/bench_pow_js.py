"""The proof of work as a reporter's browser does it: the page's own solver
(src/srbgov/tips/static/tips/pow.js) in Debian's chromium, at the default difficulty
without files (16 bits) and with files (18 bits), on challenges as long as the
server's. Skipped without chromium. See docs/uploads.md for what the figures mean.

- pow_js_hash_rate: SHA-256 per second of the script's hash function;
- pow_js_solve_16bit / pow_js_solve_18bit: mean seconds to a solution (the expected
  cost; single solves spread widely, their count of hashes is geometric with mean
  2**bits).
"""

from __future__ import annotations

import secrets
import shutil
import statistics
import time
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "src/srbgov/tips/static/tips/pow.js"
HASHES = 200_000


def run() -> None:
    executable = shutil.which("chromium")
    if executable is None:
        print("bench_pow_js: skipped (no chromium)")
        return
    from playwright.sync_api import sync_playwright

    from bench.timing import report

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        page.set_content("<html><body></body></html>")
        page.add_script_tag(content=SCRIPT.read_text())
        started = time.perf_counter()
        page.evaluate(
            "(n) => { for (var i = 0; i < n; i++) "
            "window.srbgovPow.sha256hex('x'.repeat(140) + ':' + i); }",
            HASHES,
        )
        report("pow_js_hash_rate", HASHES / (time.perf_counter() - started), "H/s", 1)
        for bits, runs in ((16, 25), (18, 9)):
            seconds = []
            for _ in range(runs):
                # The length of a real challenge: signed JSON payload, time, signature.
                challenge = secrets.token_urlsafe(105)
                seconds.append(
                    page.evaluate(
                        "([c, bits]) => new Promise((done) => { var t = performance.now();"
                        " window.srbgovPow.solve(c, bits, function () {"
                        " done((performance.now() - t) / 1000); }); })",
                        [challenge, bits],
                    )
                )
            report(f"pow_js_solve_{bits}bit", statistics.mean(seconds), "s", runs)
        browser.close()
