"""Import from Excel (docs/import.md §6).

- import_women_rows_per_s: rows per second of the import step of a 50,000-row .xlsx
  women's register uploaded by a township officer of 20 villages, after its preview
  (which checked every row as the registration form does: GB 11643, village in
  scope, name, phone; and hashed it): the preview's sealed plan unsealed, what can
  have changed checked again (villages in scope, numbers registered since, the day),
  the numbers encrypted and written with COPY, in one transaction with one audit
  entry (docs/import.md §6). Goal: at least 20,000 rows/s.
- import_women_preview_rows_per_s: the preview: the file read back and decrypted,
  parsed (python-calamine), every row checked, the plan frozen and sealed.
- import_women_parse_openpyxl_rows_per_s: the baseline that made us take calamine:
  openpyxl's read-only mode reading the same sheet into text.

Runs on the database of DATABASE_URL if it is PostgreSQL (scripts/with_postgres.sh),
else on a temporary SQLite file.

BENCH_IMPORT_BASELINE=1 also measures the import as it was before the columnar plan
(bench/import_v1.py: the plan row by row into named tuples, the array parameter of
the number lookup, one os.urandom per number, the COPY text row by row, a COPY per
batch, the pattern index that people migration 0004 dropped): the two
versions alternate run by run (in the order ABBAAB…) in one process, on one
database, so that both medians see the same load of the shared machine
(docs/import.md §6). It prints `import_women_baseline_rows_per_s` and the load
average before and after. BENCH_IMPORT_PROFILE=FILE writes cProfile's statistics of
an import to FILE, and BENCH_IMPORT_RUNS=N runs N times instead of 3.
"""

from __future__ import annotations

import cProfile
import io
import os
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROWS = 50_000
RUNS = int(os.environ.get("BENCH_IMPORT_RUNS", "3"))


def _workbook(villages: list[str]) -> bytes:
    from openpyxl import Workbook

    from srbgov.people.identity import make_number

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("育龄妇女导入")
    sheet.append(
        ["姓名*", "身份证号码*", "所在村*", "联系电话", "户籍地址/门牌", "备注"]
    )
    start = date(1976, 1, 1)
    for i in range(ROWS):
        birth_on = start + timedelta(days=i // 500)
        sheet.append(
            [
                f"妇女{i}",
                make_number("520999", birth_on, i % 500, "F"),
                villages[i % len(villages)],
                f"138{i:08d}",
                f"{i % 9 + 1}组{i % 97 + 1}号",
                "",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        folder = tempfile.mkdtemp()
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
    os.environ.setdefault(
        "PRIVATE_MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-import-")
    )
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection
    from openpyxl import load_workbook

    from bench.timing import report
    from srbgov.accounts.models import Role, User
    from srbgov.areas.models import Area, AreaLevel
    from srbgov.exchange import services
    from srbgov.exchange.models import ImportJob, JobStatus
    from srbgov.exchange.tabular import cell_text
    from srbgov.people.models import Woman

    if connection.vendor == "postgresql":
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        call_command("migrate", verbosity=0)
    county = Area.objects.create(code="520999000000", name="县", level=AreaLevel.COUNTY)
    town = Area.objects.create(
        code="520999101000", name="甲镇", level=AreaLevel.TOWNSHIP, parent=county
    )
    villages = [
        Area.objects.create(
            code=f"520999101{201 + i:03d}",
            name=f"{i + 1}村",
            level=AreaLevel.VILLAGE,
            parent=town,
        )
        for i in range(20)
    ]
    by = User.objects.create(username="zhen", role=Role.TOWNSHIP_OFFICER, area=town)
    content = _workbook([v.name for v in villages])

    started = time.perf_counter()
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    parsed = sum(
        1 for row in sheet.iter_rows(values_only=True) if [cell_text(v) for v in row]
    )
    openpyxl_s = time.perf_counter() - started
    report(
        "import_women_parse_openpyxl_rows_per_s", (parsed - 1) / openpyxl_s, "rows/s", 1
    )

    def noop(_done: int) -> None:
        pass

    baseline = os.environ.get("BENCH_IMPORT_BASELINE") == "1"
    # A file to write cProfile's statistics of the present version's imports to
    # (the last run's; `python -m pstats FILE`).
    profile = os.environ.get("BENCH_IMPORT_PROFILE", "")

    def configure(old: bool) -> None:
        from bench import import_v1

        if old:
            import_v1.install()
        else:
            import_v1.uninstall()

    def one_run(old: bool) -> tuple[float, float]:
        job = services.upload_table(
            by=by, kind="women", upload=SimpleUploadedFile("bench.xlsx", content)
        )
        started = time.perf_counter()
        job = services.check_job(job=job, progress=noop)
        preview_s = time.perf_counter() - started
        assert job.counts["new"] == ROWS, job.counts
        job = services.start_import(by=by, job=job)
        profiler = cProfile.Profile() if profile and not old else None
        started = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        job = services.import_job(job=job, progress=noop)
        import_s = time.perf_counter() - started
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(profile)
        assert job.status == JobStatus.IMPORTED and Woman.objects.count() == ROWS
        Woman.objects.all().delete()
        ImportJob.objects.all().update(status=JobStatus.DISCARDED)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE people_woman")
        return preview_s, import_s

    if baseline:
        print(f"load average before: {os.getloadavg()}", flush=True)
    previews, imports, old_imports = [], [], []
    for run in range(RUNS):
        # ABBA…: the order alternates too, so that neither configuration always
        # runs first after the previous run's VACUUM.
        order = (True, False) if run % 2 == 0 else (False, True)
        for old in order if baseline else (False,):
            configure(old)
            preview_s, import_s = one_run(old)
            if old:
                old_imports.append(import_s)
            else:
                previews.append(preview_s)
                imports.append(import_s)
    configure(old=False)
    previews.sort()
    imports.sort()
    old_imports.sort()
    report("import_women_rows_per_s", ROWS / imports[len(imports) // 2], "rows/s", RUNS)
    report(
        "import_women_preview_rows_per_s",
        ROWS / previews[len(previews) // 2],
        "rows/s",
        RUNS,
    )
    if baseline:
        report(
            "import_women_baseline_rows_per_s",
            ROWS / old_imports[len(old_imports) // 2],
            "rows/s",
            RUNS,
        )
        print(f"load average after: {os.getloadavg()}", flush=True)
