"""The UNITS_IMPORT job: import a confirmed directory file (see views.import_confirm)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from gongkai.files.pending import UploadKind, discard_pending, read_pending
from gongkai.jobs.models import Job, JobKind
from gongkai.jobs.runner import Progress, register
from gongkai.units.actions import import_units
from gongkai.units.importing import preview


@register(JobKind.UNITS_IMPORT)
def import_directory_file(job: Job, progress: Progress) -> dict[str, Any]:
    token = str(job.params["upload"])
    filename = str(job.params.get("filename") or token)
    data = read_pending(token, kind=UploadKind.UNITS)
    progress(10, "正在核对文件")
    try:
        # Preview again inside the transaction: the directory may have changed since the
        # office looked at the preview, and the rows written must match what is checked here.
        with transaction.atomic():
            checked = preview(data, filename)
            result = import_units(
                job.created_by, checked, comment=f"从文件「{filename}」导入（后台任务 #{job.pk}）"
            )
    finally:
        # Succeeded or refused, the file has served its purpose: a retry starts from an upload.
        discard_pending(token, kind=UploadKind.UNITS)
    return {**result.as_dict(), "filename": filename}
