"""The INSPECTION job: crawl the site in a child process (gongkai.inspect.isolated), report
progress as pages are checked, then record the result and the tickets in one transaction."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from gongkai.audit.record import record_transition
from gongkai.inspect.config import InspectConfig
from gongkai.inspection.actions import fail_inspection
from gongkai.inspection.models import Inspection, InspectionStatus
from gongkai.inspection.recording import record_result
from gongkai.jobs.models import Job, JobKind
from gongkai.jobs.runner import Progress, register

#: Progress up to here is the crawl; the rest is storing the result.
CRAWL_SHARE = 95


def run_crawler(config: InspectConfig, progress: Any) -> dict[str, Any]:
    """The crawl itself, in a child process so each job gets a fresh Twisted reactor."""
    from gongkai.inspect.isolated import run_isolated

    minutes = int(getattr(settings, "INSPECTION_TIMEOUT_MINUTES", 240))
    return run_isolated(config, progress=progress, timeout=minutes * 60.0)


def _mark_running(inspection_id: int) -> Inspection:
    with transaction.atomic():
        inspection = (
            Inspection.objects.select_for_update(of=("self",))
            .select_related("site")
            .get(pk=inspection_id)
        )
        if inspection.status == InspectionStatus.QUEUED:
            inspection.status = InspectionStatus.RUNNING
            inspection.started = timezone.now()
            inspection.save(update_fields=["status", "started"])
            record_transition(None, inspection, "status", "queued", "running", "开始检查")
    return inspection


@register(JobKind.INSPECTION)
def run_inspection(job: Job, progress: Progress) -> dict[str, Any]:
    inspection = _mark_running(int(job.params["inspection"]))
    if inspection.status != InspectionStatus.RUNNING:
        raise RuntimeError(f"该次检查当前为「{inspection.get_status_display()}」，不再重复执行")
    config = InspectConfig.from_json(job.params["config"])
    progress(1, f"正在检查 {inspection.site.name}")

    def report(done: int, total: int, message: str = "") -> None:
        share = CRAWL_SHARE * done // total if total > 0 else 0
        progress(max(1, min(CRAWL_SHARE, share)), message or f"已检查 {done} / {total} 个页面")

    try:
        data = run_crawler(config, report)
    except Exception as exc:
        fail_inspection(inspection.pk, str(exc) or type(exc).__name__)
        raise
    progress(CRAWL_SHARE + 1, "正在评分并更新整改工单")
    try:
        done = record_result(inspection.pk, data)
    except Exception as exc:
        fail_inspection(inspection.pk, f"保存检查结果失败：{exc}")
        raise
    if done.status != InspectionStatus.FINISHED:
        # Cancelled (or failed as stale) while the crawl ran: its result is not recorded.
        raise RuntimeError(f"该次检查已{done.get_status_display()}：{done.error}，结果未保存")
    return {
        "inspection": done.pk,
        "site": inspection.site.name,
        "result": done.result,
        "grade": done.grade,
        "veto": done.veto,
        "pages_crawled": done.pages_crawled,
        "findings": int(done.counts.get("findings", 0)),
        "tickets": {k: v for k, v in done.counts.items() if k != "findings"},
        "page": reverse("inspection:run", args=[done.pk]),
    }
