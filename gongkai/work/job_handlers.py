"""The LEDGER_EXPORT job: write a ledger to a file the job's page offers for download."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from gongkai.jobs.models import Job, JobKind
from gongkai.jobs.runner import Progress, register
from gongkai.plans.models import Plan
from gongkai.work.exports import new_file
from gongkai.work.ledger import build_ledger, expected_rows
from gongkai.work.models import QuarterCheck


@register(JobKind.LEDGER_EXPORT)
def export_ledger(job: Job, progress: Progress) -> dict[str, Any]:
    params = job.params
    plan = Plan.objects.get(pk=int(params["plan"]))
    unit_ids = set(params["unit_ids"]) if params.get("unit_ids") is not None else None
    check = QuarterCheck.objects.get(pk=params["check"]) if params.get("check") else None
    total = max(1, expected_rows(plan, unit_ids))
    progress(1, f"共约 {total} 行，正在写入")

    def report(rows: int) -> None:
        progress(min(99, 1 + 98 * rows // total), f"已写入 {rows} / {total} 行")

    path = new_file(job.pk)
    try:
        with path.open("wb") as out:
            rows = build_ledger(
                plan,
                out=out,
                unit_ids=unit_ids,
                per_unit=bool(params.get("per_unit")),
                check=check,
                base_url=str(params.get("base_url", "")),
                progress=report,
            )
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    path.chmod(0o600)
    return {
        "rows": rows,
        "filename": str(params.get("filename", "台账.xlsx")),
        "file": path.name,
        "download": reverse("work:ledger_download", args=[job.pk]),
    }
