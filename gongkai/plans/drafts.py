"""The life of an import draft: upload → parse (a background job) → edits → confirm.

Drafts are working copies, not records: their edits are not audited. What the office finally
confirms is, through actions.import_plan.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction

from gongkai.files.pending import UploadKind, discard_pending, pending_path, save_pending
from gongkai.jobs.models import JobKind
from gongkai.jobs.runner import start_job
from gongkai.plans.access import require_office
from gongkai.plans.actions import ImportRejected, ImportResult, Meta, Source, import_plan
from gongkai.plans.models import DraftStatus, Plan, PlanDraft
from gongkai.plans.rows import DraftRow, rows_from_plan
from gongkai.plans.sources import extension, sha256
from gongkai.tasklist.model import ParsedPlan
from gongkai.units.models import Unit

RowEdit = Callable[[list[DraftRow]], list[DraftRow]]
#: An upload kept this long unconfirmed is removed at the next upload: a draft's edits may
#: take the office days.
KEEP_UNCONFIRMED_SECONDS = 7 * 24 * 3600


class DraftClosed(ImportRejected):
    """The draft was imported, failed or is still being parsed: it cannot change now."""


def start_draft(user: Any, data: bytes, filename: str, plan: Plan | None = None) -> PlanDraft:
    """Keep the upload and queue its parsing (JobKind.PLAN_IMPORT)."""
    require_office(user)
    # The file keeps its name's extension, which the parser weighs when choosing a reader.
    suffix = extension(filename).removeprefix(".")
    token = save_pending(
        data, kind=UploadKind.PLAN, suffix=suffix, keep_seconds=KEEP_UNCONFIRMED_SECONDS
    )
    try:
        with transaction.atomic():
            draft = PlanDraft.objects.create(
                plan=plan,
                filename=filename[:255],
                upload=token,
                sha256=sha256(data),
                size=len(data),
                created_by=user,
            )
            draft.job = start_job(
                JobKind.PLAN_IMPORT, user=user, params={"draft": draft.pk, "filename": filename}
            )
            draft.save(update_fields=["job"])
    except BaseException:
        discard_pending(token, kind=UploadKind.PLAN)
        raise
    return draft


def fill_draft(draft: PlanDraft, parsed: ParsedPlan) -> None:
    """The parse succeeded: the rows are ready to preview."""
    draft.set_rows(rows_from_plan(parsed))
    draft.meta = {
        "title": parsed.title,
        "issuer": parsed.issuer,
        "issued": parsed.issued,
        "doc_number": parsed.doc_number,
    }
    draft.warnings = list(parsed.warnings)
    draft.status = DraftStatus.READY
    draft.error = ""
    draft.save(update_fields=["rows", "meta", "warnings", "status", "error"])


def fail_draft(draft: PlanDraft, message: str) -> None:
    draft.status = DraftStatus.FAILED
    draft.error = message[:2000]
    draft.save(update_fields=["status", "error"])


def _locked(user: Any, draft: PlanDraft) -> PlanDraft:
    require_office(user)
    fresh = PlanDraft.objects.select_for_update().get(pk=draft.pk)
    if fresh.status != DraftStatus.READY:
        raise DraftClosed(f"该草稿{fresh.get_status_display()}，不能再修改")
    return fresh


@transaction.atomic
def edit_rows(user: Any, draft: PlanDraft, edit: RowEdit) -> PlanDraft:
    """Apply one edit (rows.edit_row, split_row …) to the draft's rows.

    Raises RowNotFound or ValueError from the edit, DraftClosed if the draft is not open.
    """
    fresh = _locked(user, draft)
    fresh.set_rows(edit(fresh.draft_rows()))
    fresh.save(update_fields=["rows"])
    return fresh


@transaction.atomic
def reset_rows(user: Any, draft: PlanDraft) -> PlanDraft:
    """Throw the edits away: back to what the parser produced (kept in the job's result)."""
    fresh = _locked(user, draft)
    parsed = fresh.job.result.get("plan") if fresh.job is not None else None
    if not isinstance(parsed, dict):
        raise ImportRejected("解析结果已不存在，无法恢复")
    fresh.rows = [DraftRow.from_dict(t).to_dict() for t in parsed.get("tasks") or []]
    fresh.picks = {}
    fresh.save(update_fields=["rows", "picks"])
    return fresh


@transaction.atomic
def pick_unit(user: Any, draft: PlanDraft, phrase: str, unit: Unit | None) -> PlanDraft:
    """Say which unit a phrase means in this draft, or (unit None) forget the choice."""
    fresh = _locked(user, draft)
    picks = fresh.unit_picks()
    if unit is None:
        picks.pop(phrase, None)
    elif not unit.active:
        raise ImportRejected(f"单位「{unit.name}」已停用")
    else:
        picks[phrase] = unit.pk
    fresh.picks = picks
    fresh.save(update_fields=["picks"])
    return fresh


@transaction.atomic
def confirm_draft(
    user: Any, draft: PlanDraft, *, name: str = "", year: int | None = None, allow_unresolved: bool
) -> ImportResult:
    """Import the draft's rows: a new plan (name, year) or a new version of draft.plan."""
    fresh = _locked(user, draft)
    try:
        data = pending_path(fresh.upload, kind=UploadKind.PLAN).read_bytes()
    except LookupError as exc:
        raise ImportRejected(str(exc)) from None
    meta = Meta(warnings=[str(w) for w in fresh.warnings], **_meta_fields(fresh.meta))
    result = import_plan(
        user,
        fresh.draft_rows(),
        Source(data, fresh.filename),
        meta,
        plan=fresh.plan,
        name=name,
        year=year,
        picks=fresh.unit_picks(),
        allow_unresolved=allow_unresolved,
    )
    fresh.status = DraftStatus.IMPORTED
    fresh.version = result.version
    fresh.plan = result.plan
    fresh.save(update_fields=["status", "version", "plan"])
    token = fresh.upload
    transaction.on_commit(lambda: discard_pending(token, kind=UploadKind.PLAN))
    return result


def _meta_fields(meta: Any) -> dict[str, str | None]:
    meta = meta if isinstance(meta, dict) else {}
    keys = ("title", "issuer", "issued", "doc_number")
    return {k: (str(meta[k]) if meta.get(k) else None) for k in keys}


@transaction.atomic
def discard_draft(user: Any, draft: PlanDraft) -> None:
    require_office(user)
    fresh = PlanDraft.objects.select_for_update().filter(pk=draft.pk).first()
    if fresh is None:
        return
    token = fresh.upload
    fresh.delete()
    transaction.on_commit(lambda: discard_pending(token, kind=UploadKind.PLAN))
