"""Ledgers built in the background: a job writes the file, its page offers the download.

For the whole plan across hundreds of units the ledger takes tens of seconds to write
(docs/performance.md), longer than a proxy lets a request run; the office starts it as a job
and follows its progress on the job's page. Files live under MEDIA_ROOT/exports/, named by the
job and a random token, and are served only to those who may see the job; files older than
KEEP_DAYS are removed when the next one is written.
"""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from gongkai.jobs.models import Job, JobKind
from gongkai.jobs.runner import start_job

KEEP_DAYS = 7
_NAME = re.compile(r"^ledger-\d+-[0-9a-f]{32}\.xlsx$")


@dataclass(frozen=True)
class LedgerRequest:
    plan: int
    unit_ids: list[int] | None
    per_unit: bool
    check: int | None
    base_url: str
    filename: str


def folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "exports"


def start_ledger_job(user: Any, request: LedgerRequest) -> Job:
    return start_job(JobKind.LEDGER_EXPORT, user=user, params=vars(request))


def new_file(job_id: int) -> Path:
    target = folder()
    target.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - KEEP_DAYS * 86400
    for old in target.glob("ledger-*.xlsx"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    return target / f"ledger-{job_id}-{secrets.token_hex(16)}.xlsx"


def stored_file(name: str) -> Path | None:
    """The export named `name`, if the name has the shape we give and the file is there."""
    if not _NAME.fullmatch(name):
        return None
    path = folder() / name
    return path if path.is_file() else None
