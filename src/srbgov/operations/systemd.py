"""systemd units for the job registry (`manage.py render_systemd_units`).

Each job gets a oneshot service that runs `manage.py run_job NAME` (so the run is
recorded and claimed like any other) and a timer with the job's OnCalendar schedule in
the application's time zone. Persistent=true runs a job missed while the server was
down as soon as it is up again. The rendered files are committed under deploy/systemd/
and a test fails when they no longer match the registry.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from srbgov.operations.registry import JOBS, Job


@dataclass(frozen=True)
class Layout:
    """Where the application lives on the server (docs/operations.md)."""

    root: str = "/opt/srbgov/app"  # the code and its .venv (docs/deploy.md, step 3)
    env_file: str = "/etc/srbgov/srbgov.env"
    user: str = "srbgov"


def unit_name(job: Job) -> str:
    return f"srbgov-job-{job.name}"


def service(job: Job, layout: Layout) -> str:
    timeout = int(job.timeout.total_seconds())
    return f"""\
# Rendered by `manage.py render_systemd_units` from srbgov/operations/registry.py.
[Unit]
Description=srbgov scheduled job {job.name} ({job.command})
After=network-online.target postgresql.service
Wants=network-online.target

[Service]
Type=oneshot
User={layout.user}
Group={layout.user}
WorkingDirectory={layout.root}
EnvironmentFile={layout.env_file}
ExecStart={layout.root}/.venv/bin/python manage.py run_job {job.name}
TimeoutStartSec={timeout}
Nice=10
IOSchedulingClass=best-effort
IOSchedulingPriority=7
PrivateTmp=true
NoNewPrivileges=true
"""


def timer(job: Job) -> str:
    return f"""\
# Rendered by `manage.py render_systemd_units` from srbgov/operations/registry.py.
[Unit]
Description=srbgov timer for {job.name}

[Timer]
OnCalendar={job.on_calendar} {settings.TIME_ZONE}
Persistent=true
AccuracySec=1min

[Install]
WantedBy=timers.target
"""


def render(layout: Layout | None = None) -> dict[str, str]:
    """File name → content for every job."""
    layout = layout or Layout()
    files: dict[str, str] = {}
    for job in JOBS:
        files[f"{unit_name(job)}.service"] = service(job, layout)
        files[f"{unit_name(job)}.timer"] = timer(job)
    return files


def write(folder: Path, layout: Layout | None = None) -> list[Path]:
    """Write the units and remove rendered units of jobs no longer in the registry."""
    folder.mkdir(parents=True, exist_ok=True)
    files = render(layout)
    for stale in folder.glob("srbgov-job-*"):
        if stale.name not in files:
            stale.unlink()
    written = []
    for name, content in files.items():
        path = folder / name
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written
