"""The PLAN_IMPORT job: parse an uploaded task list into its draft, for the preview.

Writing the plan happens later, when the office confirms the preview (drafts.confirm_draft).
The job's result keeps the parser's output as it was, so the office can undo its edits.
"""

from __future__ import annotations

from typing import Any

from gongkai.files.pending import UnknownUpload, UploadKind, pending_path
from gongkai.jobs.models import Job, JobKind
from gongkai.jobs.runner import Progress, register
from gongkai.plans import parsing
from gongkai.plans.drafts import fail_draft, fill_draft
from gongkai.plans.models import DraftStatus, PlanDraft


@register(JobKind.PLAN_IMPORT)
def parse_plan_upload(job: Job, progress: Progress) -> dict[str, Any]:
    draft_id = int(job.params["draft"])
    draft = PlanDraft.objects.filter(pk=draft_id, status=DraftStatus.PARSING).first()
    if draft is None:  # discarded, or parsed by an earlier delivery of this job
        return {"draft": draft_id, "skipped": True}
    progress(10, f"正在解析「{draft.filename}」")
    try:
        parsed = parsing.parse_file(pending_path(draft.upload, kind=UploadKind.PLAN))
    except (parsing.ParseError, UnknownUpload) as exc:
        fail_draft(draft, str(exc))
        raise
    except Exception:
        fail_draft(draft, "解析时出错，请把文件转存为 .docx 或 .xlsx 后重试，或联系管理员")
        raise
    parsed.source = draft.filename
    progress(80, f"识别出 {len(parsed.tasks)} 项任务，正在生成预览")
    fill_draft(draft, parsed)
    return {"draft": draft.pk, "tasks": len(parsed.tasks), "plan": parsed.to_dict()}
