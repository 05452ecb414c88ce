"""Is a background worker alive? Workers record heartbeats; pages read the newest one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from gongkai.jobs.models import WorkerHeartbeat

#: Beat sends a heartbeat every minute; five missed ones mean no worker is taking work.
STALE_AFTER = timedelta(minutes=5)


def record_heartbeat(worker: str, *, now: datetime | None = None) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker=worker[:200], defaults={"last_seen_at": now or timezone.now()}
    )


@dataclass(frozen=True)
class WorkerStatus:
    last_seen_at: datetime | None
    worker: str
    alive: bool


def worker_status(*, now: datetime | None = None) -> WorkerStatus:
    """The newest heartbeat, and whether it is recent enough to trust that work gets done."""
    newest = WorkerHeartbeat.objects.order_by("-last_seen_at").first()
    if newest is None:
        return WorkerStatus(last_seen_at=None, worker="", alive=False)
    now = now or timezone.now()
    return WorkerStatus(
        last_seen_at=newest.last_seen_at,
        worker=newest.worker,
        alive=now - newest.last_seen_at <= STALE_AFTER,
    )
