"""Importing a task list over HTTP: upload → parse job → preview and edits → confirm → plan.

The parser is replaced by a fixed ParsedPlan (`use_parsed`): these tests are about the
platform, not about how well documents are read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gongkai.audit.models import AuditAction, AuditEvent
from gongkai.jobs.models import Job, JobKind, JobStatus
from gongkai.plans import actions
from gongkai.plans.models import (
    DraftStatus,
    Plan,
    PlanDraft,
    PlanVersion,
    Task,
    TaskStatus,
    TaskUnit,
    UnitRole,
)
from gongkai.tasklist.blocks import ParseError
from gongkai.tasklist.model import ParsedPlan, ParsedTask, RuleKind, RuleUnit, TimeRule
from gongkai.units.models import GroupMode, Unit, UnitGroup, UnitKind
from tests.conftest import Cast, client_for, csrf_post

POLICY = ["主动公开", "基础信息公开", "政策文件"]
ORGAN = ["主动公开", "机构职能"]
T1 = "做好行政规范性文件的集中、规范公开工作，及时维护更新相关专栏。"
T2 = "及时公开我局有关工作规章和行政规范性文件清理结果。"
T2_EDITED = "及时公开我局有关工作规章和规范性文件清理结果。"
T3 = "规范公开机构职能信息，确保机构设置、职能、办公地址等信息准确。"
T4 = "确保公开的电话有人接听，且能够准确回答公众提出的相关问题。"
T5 = "按时编制发布政府信息公开工作年度报告。"
FILE = b"\xe4\xbb\xbb\xe5\x8a\xa1\xe6\xb8\x85\xe5\x8d\x95 fake docx bytes"


def parsed(*tasks: ParsedTask, title: str = "区司法局2023年政务公开工作任务清单") -> ParsedPlan:
    return ParsedPlan(
        source="upload",
        title=title,
        issuer="区司法局",
        issued="2023-03-01",
        doc_number="区司发〔2023〕5号",
        tasks=list(tasks),
        warnings=["第 3 页的页码已忽略"],
    )


def version_1() -> ParsedPlan:
    return parsed(
        ParsedTask(POLICY, T1, responsible_units=["区司法局"], line=4),
        ParsedTask(
            POLICY,
            T2,
            responsible_units=["财政局"],
            deadline="每季度",
            time_rules=[TimeRule(RuleKind.RECURRING, "每季度", unit=RuleUnit.QUARTER)],
            line=7,
        ),
        ParsedTask(ORGAN, T3, lead_units=["区政府办"], responsible_units=["区司法局"], line=9),
        ParsedTask(ORGAN, T4, responsible_units=["各成员单位"], line=12),
    )


def version_2() -> ParsedPlan:
    """T2 lightly edited, T3 removed, T5 added; T1 and T4 as they were."""
    return parsed(
        ParsedTask(POLICY, T1, responsible_units=["区司法局"], line=4),
        ParsedTask(
            POLICY,
            T2_EDITED,
            responsible_units=["财政局"],
            deadline="每季度",
            time_rules=[TimeRule(RuleKind.RECURRING, "每季度", unit=RuleUnit.QUARTER)],
            line=7,
        ),
        ParsedTask(ORGAN, T4, responsible_units=["各成员单位"], line=10),
        ParsedTask(ORGAN, T5, responsible_units=["区司法局"], line=12),
    )


@pytest.fixture
def members(cast: Cast) -> UnitGroup:
    """各成员单位: 司法局 and 财政局."""
    group = UnitGroup.objects.create(name="各成员单位", mode=GroupMode.EXPLICIT)
    group.members.set([cast.justice, cast.finance])
    return group


@pytest.fixture
def use_parsed(monkeypatch: pytest.MonkeyPatch) -> Callable[[ParsedPlan | Exception], None]:
    """Make the parser return this plan (or raise this error) for the next uploads."""

    def use(result: ParsedPlan | Exception) -> None:
        def fake(path: Path) -> ParsedPlan:
            assert path.is_file() and path.read_bytes() == FILE
            assert path.name.endswith(".docx")  # the upload's own name: readers may use it
            if isinstance(result, Exception):
                raise result
            return result

        monkeypatch.setattr("gongkai.plans.parsing.parse_file", fake)

    return use


def upload(
    client: Client,
    capture: Callable[..., Any],
    plan: Plan | None = None,
    name: str = "清单.docx",
) -> PlanDraft:
    data: dict[str, Any] = {"file": SimpleUploadedFile(name, FILE)}
    if plan is not None:
        data["plan"] = plan.pk
    with capture(execute=True):
        response = csrf_post(client, "/plans/import/", data)
    draft = PlanDraft.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == f"/plans/drafts/{draft.pk}/"
    draft.refresh_from_db()
    return draft


def confirm(client: Client, draft: PlanDraft, **data: Any) -> Any:
    return csrf_post(client, f"/plans/drafts/{draft.pk}/confirm/", data)


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return str(response.content.decode())


def import_version_1(
    cast: Cast, capture: Callable[..., Any], use: Callable[[ParsedPlan | Exception], None]
) -> Plan:
    use(version_1())
    client = client_for(cast.office)
    draft = upload(client, capture)
    with capture(execute=True):  # the upload is removed once the import has committed
        response = confirm(client, draft, name="政务公开工作任务清单", year=2023)
    assert response.status_code == 302, response.content.decode()
    return Plan.objects.get()


# -- the first import -------------------------------------------------------------------------


def test_an_upload_is_parsed_in_a_job_and_previewed_with_each_unit_resolved(
    cast: Cast, members: UnitGroup, use_parsed: Any, django_capture_on_commit_callbacks: Any
) -> None:
    use_parsed(version_1())
    client = client_for(cast.office)
    draft = upload(client, django_capture_on_commit_callbacks)

    job = Job.objects.get()
    assert (job.kind, job.status, job.created_by) == (
        JobKind.PLAN_IMPORT,
        JobStatus.SUCCEEDED,
        cast.office,
    )
    assert job.result["tasks"] == 4
    assert job.result["plan"]["tasks"][0]["requirement"] == T1
    assert draft.status == DraftStatus.READY and len(draft.rows) == 4
    assert not Plan.objects.exists() and not Task.objects.exists()  # the preview writes nothing

    html = page(client, f"/plans/drafts/{draft.pk}/")
    assert "区司发〔2023〕5号" in html and "第 3 页的页码已忽略" in html
    assert "✓ 区司法局" in html
    assert "✓ 区财政局" in html and "原文“财政局”" in html  # short name
    assert "各成员单位</span>" in html and "区司法局、区财政局" in html  # group → members
    assert "主动公开 / 基础信息公开 / 政策文件" in html
    assert 'value="区司法局2023年政务公开工作任务清单"' in html  # the name defaults to the title
    assert 'value="2023"' in html


def test_confirming_writes_the_plan_version_tasks_and_units_with_audit_events(
    cast: Cast, members: UnitGroup, use_parsed: Any, django_capture_on_commit_callbacks: Any
) -> None:
    plan = import_version_1(cast, django_capture_on_commit_callbacks, use_parsed)

    assert (plan.name, plan.year, plan.issuer) == ("政务公开工作任务清单", 2023, "区司法局")
    version = PlanVersion.objects.get()
    assert plan.current_version == version and version.number == 1
    assert version.doc_number == "区司发〔2023〕5号" and str(version.issued) == "2023-03-01"
    assert version.filename == "清单.docx" and version.size == len(FILE)
    stored = Path(settings.MEDIA_ROOT) / "plans" / "sources" / version.source_name
    assert stored.read_bytes() == FILE
    assert not list((Path(settings.MEDIA_ROOT) / "pending").glob("plan-*"))

    tasks = list(Task.objects.order_by("order"))
    assert [t.requirement for t in tasks] == [T1, T2, T3, T4]
    assert tasks[1].deadline == "每季度" and tasks[1].time_rules[0]["kind"] == "recurring"
    assert tasks[1].responsible_text == ["财政局"]
    assert all(t.first_version == version == t.last_version for t in tasks)

    def units(task: Task) -> set[tuple[str, str, bool]]:
        return {(u.unit.name, u.role, u.from_group_id is not None) for u in task.units.all()}

    assert units(tasks[2]) == {
        ("区人民政府办公室", UnitRole.LEAD, False),
        ("区司法局", UnitRole.RESPONSIBLE, False),
    }
    assert units(tasks[3]) == {
        ("区司法局", UnitRole.RESPONSIBLE, True),
        ("区财政局", UnitRole.RESPONSIBLE, True),
    }
    assert TaskUnit.objects.filter(from_group=members).count() == 2

    for obj in (plan, version, *tasks):
        event = AuditEvent.objects.for_object(obj).filter(action=AuditAction.CREATE).get()
        assert event.actor == cast.office and event.channel == "web"
    task_event = AuditEvent.objects.for_object(tasks[3]).get()
    assert sorted(task_event.changes["units"][1]) == [
        "区司法局（责任单位）",
        "区财政局（责任单位）",
    ]


def test_the_plan_page_shows_tasks_by_category_versions_and_the_trail(
    cast: Cast, members: UnitGroup, use_parsed: Any, django_capture_on_commit_callbacks: Any
) -> None:
    plan = import_version_1(cast, django_capture_on_commit_callbacks, use_parsed)
    html = page(client_for(cast.office), f"/plans/{plan.pk}/")
    assert html.index("主动公开 / 基础信息公开 / 政策文件") < html.index(T1)
    assert html.index(T2) < html.index("主动公开 / 机构职能") < html.index(T3)
    assert "定期：每季度" in html
    assert f"/plans/{plan.pk}/versions/1/source/" in html
    assert "变更记录" in html and "导入第1版（清单.docx）" in html


# -- units that are not in the directory ------------------------------------------------------


def with_unknown_unit() -> ParsedPlan:
    return parsed(
        ParsedTask(POLICY, T1, responsible_units=["区司法厅"]),
        ParsedTask(POLICY, T2, responsible_units=["区司法厅", "区档案馆"]),
    )


def test_unresolved_units_must_be_picked_or_kept_as_text(
    cast: Cast, use_parsed: Any, django_capture_on_commit_callbacks: Any
) -> None:
    use_parsed(with_unknown_unit())
    client = client_for(cast.office)
    draft = upload(client, django_capture_on_commit_callbacks)
    html = page(client, f"/plans/drafts/{draft.pk}/")
    assert "未能对应的单位（2）" in html
    assert "✗ 区司法厅" in html and f'name="unit" value="{cast.justice.pk}"' in html  # candidate

    refused = confirm(client, draft, name="清单", year=2023)
    assert refused.status_code == 400
    assert "还有 2 个单位未能对应到单位名录" in refused.content.decode()
    assert not Plan.objects.exists()

    # Picking 区司法局 for 区司法厅 fixes it on both rows; 区档案馆 is kept as written.
    picked = csrf_post(
        client, f"/plans/drafts/{draft.pk}/picks/", {"phrase": "区司法厅", "unit": cast.justice.pk}
    )
    assert picked.status_code == 302
    html = page(client, f"/plans/drafts/{draft.pk}/")
    assert "未能对应的单位（1）" in html and "已选定，原文“区司法厅”" in html
    response = confirm(client, draft, name="清单", year=2023, allow_unresolved="on")
    assert response.status_code == 302

    first, second = Task.objects.order_by("order")
    assert [u.unit for u in first.units.all()] == [cast.justice]
    assert [u.unit for u in second.units.all()] == [cast.justice]
    assert second.unresolved == [{"phrase": "区档案馆", "role": "responsible"}]
    assert second.responsible_text == ["区司法厅", "区档案馆"]


def test_the_office_can_give_a_kept_phrase_its_unit_later(
    cast: Cast, use_parsed: Any, django_capture_on_commit_callbacks: Any
) -> None:
    use_parsed(with_unknown_unit())
    client = client_for(cast.office)
    draft = upload(client, django_capture_on_commit_callbacks)
    confirm(client, draft, name="清单", year=2023, allow_unresolved="on")
    plan = Plan.objects.get()
    archive = Unit.objects.create(name="区档案馆", kind=UnitKind.INSTITUTION)
    assert "区档案馆</td><td>1</td>" in page(client, f"/plans/{plan.pk}/")

    response = csrf_post(
        client, f"/plans/{plan.pk}/assign/", {"phrase": "区档案馆", "unit": archive.pk}
    )
    assert response.status_code == 302
    task = Task.objects.get(requirement=T2)
    assert task.unresolved == [{"phrase": "区司法厅", "role": "responsible"}]
    assert task.units.filter(unit=archive, role=UnitRole.RESPONSIBLE).exists()
    event = AuditEvent.objects.for_object(task).filter(action=AuditAction.CHANGE).get()
    assert "区档案馆" in event.comment and event.changes["unresolved"]

    liaison = client_for(cast.justice_liaison)
    data = {"phrase": "区司法厅", "unit": cast.justice.pk}
    assert csrf_post(liaison, f"/plans/{plan.pk}/assign/", data).status_code == 403


# -- editing the preview ----------------------------------------------------------------------


def row_ids(draft: PlanDraft) -> list[str]:
    draft.refresh_from_db()
    return [r["id"] for r in draft.rows]


def test_rows_can_be_edited_split_merged_and_deleted_before_confirming(
    cast: Cast, members: UnitGroup, use_parsed: Any, django_capture_on_commit_callbacks: Any
) -> None:
    use_parsed(version_1())
    client = client_for(cast.office)
    draft = upload(client, django_capture_on_commit_callbacks)
    url = f"/plans/drafts/{draft.pk}/rows/"
    a, b, c, d = row_ids(draft)

    edit = {
        "row": a,
        "op": "edit",
        "path": "依申请公开 / 办理",
        "requirement": "依法办理政府信息公开申请。",
        "lead": "",
        "responsible": "区财政局、各成员单位",
        "deadline": "20个工作日内",
    }
    assert csrf_post(client, url, edit)["Location"] == f"/plans/drafts/{draft.pk}/#row-{a}"
    assert csrf_post(client, url, {"row": b, "op": "delete"}).status_code == 302
    split = {"row": c, "op": "split", "first": "规范公开机构职能信息。", "second": "确保信息准确。"}
    assert csrf_post(client, url, split).status_code == 302
    assert csrf_post(client, url, {"row": d, "op": "merge"}).status_code == 302

    draft.refresh_from_db()
    rows = draft.draft_rows()
    assert [r.requirement for r in rows] == [
        "依法办理政府信息公开申请。",
        "规范公开机构职能信息。",
        "确保信息准确。" + T4,
    ]
    assert rows[0].path == ["依申请公开", "办理"] and rows[0].deadline == "20个工作日内"
    assert rows[0].responsible_units == ["区财政局", "各成员单位"]
    assert rows[2].responsible_units == ["区司法局", "各成员单位"]

    # A stale form naming a row that is gone changes nothing and says so.
    response = csrf_post(client, url, {"row": b, "op": "delete"})
    assert response.status_code == 302
    assert "该任务已不存在" in page(client, f"/plans/drafts/{draft.pk}/")

    # Undo brings back the parser's rows.
    csrf_post(client, f"/plans/drafts/{draft.pk}/reset/")
    draft.refresh_from_db()
    assert [r.requirement for r in draft.draft_rows()] == [T1, T2, T3, T4]

    confirm(client, draft, name="清单", year=2023)
    assert Task.objects.count() == 4


def test_an_empty_requirement_is_refused(
    cast: Cast, use_parsed: Any, django_capture_on_commit_callbacks: Any
) -> None:
    use_parsed(version_1())
    client = client_for(cast.office)
    draft = upload(client, django_capture_on_commit_callbacks)
    (a, *_) = row_ids(draft)
    data = {"row": a, "op": "edit", "requirement": "  ", "path": "x"}
    csrf_post(client, f"/plans/drafts/{draft.pk}/rows/", data)
    assert "工作要求不能为空" in page(client, f"/plans/drafts/{draft.pk}/")
    draft.refresh_from_db()
    assert draft.draft_rows()[0].requirement == T1


# -- re-importing a revised list --------------------------------------------------------------


def test_a_revised_list_shows_its_diff_and_keeps_the_rows_of_kept_tasks(
    cast: Cast, members: UnitGroup, use_parsed: Any, django_capture_on_commit_callbacks: Any
) -> None:
    plan = import_version_1(cast, django_capture_on_commit_callbacks, use_parsed)
    before = {t.requirement: t.pk for t in Task.objects.all()}

    use_parsed(version_2())
    client = client_for(cast.office)
    draft = upload(client, django_capture_on_commit_callbacks, plan=plan, name="清单（修订）.docx")
    assert draft.plan == plan
    html = page(client, f"/plans/drafts/{draft.pk}/")
    assert "新增 1 项，修改 1 项，删除 1 项，未变 2 项" in html
    assert "<del>行政</del>" in html  # the edit, struck out in the text diff
    assert f"<del>{T3}</del>" in html and T5 in html
    assert "未变的任务（2）" in html
    assert 'name="name"' not in html  # a new version needs no name

    response = confirm(client, draft)
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.pk}/"

    plan.refresh_from_db()
    v2 = PlanVersion.objects.get(number=2)
    assert plan.current_version == v2
    kept_t1, edited_t2 = Task.objects.get(pk=before[T1]), Task.objects.get(pk=before[T2])
    assert edited_t2.requirement == T2_EDITED and edited_t2.last_version == v2
    assert kept_t1.last_version == v2 and kept_t1.first_version.number == 1
    assert Task.objects.get(pk=before[T4]).line == 10 and Task.objects.get(pk=before[T4]).order == 2
    removed = Task.objects.get(pk=before[T3])
    assert removed.status == TaskStatus.REMOVED and removed.last_version.number == 1
    added = Task.objects.get(requirement=T5)
    assert added.first_version == v2 and added.pk not in before.values()
    assert list(Task.objects.active().order_by("order").values_list("pk", flat=True)) == [
        before[T1],
        before[T2],
        before[T4],
        added.pk,
    ]
    assert v2.counts() == {"added": 1, "changed": 1, "removed": 1, "unchanged": 2}

    # Audit: the edit and the removal are recorded; a task confirmed unchanged is not.
    assert AuditEvent.objects.for_object(edited_t2).filter(action=AuditAction.CHANGE).exists()
    transition = AuditEvent.objects.for_object(removed).get(action=AuditAction.TRANSITION)
    assert transition.changes == {"status": ["active", "removed"]}
    assert not AuditEvent.objects.for_object(kept_t1).filter(action=AuditAction.CHANGE).exists()

    # The version page shows the same diff, kept on the version.
    html = page(client, f"/plans/{plan.pk}/versions/2/")
    assert "<del>行政</del>" in html and f"<del>{T3}</del>" in html and T5 in html
    assert "已从清单中删除的任务（1）" in page(client, f"/plans/{plan.pk}/")


# -- who may import ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["justice_liaison", "justice_leader", "evaluator"])
def test_only_the_office_may_import(
    cast: Cast, who: str, use_parsed: Any, django_capture_on_commit_callbacks: Any
) -> None:
    use_parsed(version_1())
    draft = upload(client_for(cast.office), django_capture_on_commit_callbacks)
    client = client_for(getattr(cast, who))
    assert client.get("/plans/import/").status_code == 403
    data = {"file": SimpleUploadedFile("清单.docx", FILE)}
    assert csrf_post(client, "/plans/import/", data).status_code == 403
    assert client.get(f"/plans/drafts/{draft.pk}/").status_code == 403
    for action in ("rows", "picks", "reset", "confirm", "discard"):
        assert csrf_post(client, f"/plans/drafts/{draft.pk}/{action}/").status_code == 403
    assert PlanDraft.objects.count() == 1 and not Plan.objects.exists()


def test_a_file_over_the_size_limit_is_refused(
    cast: Cast, settings: Any, use_parsed: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.UPLOAD_MAX_BYTES = 10
    client = client_for(cast.office)
    data = {"file": SimpleUploadedFile("清单.docx", FILE)}
    response = csrf_post(client, "/plans/import/", data)
    assert response.status_code == 200 and "请拆分后上传" in response.content.decode()
    assert not PlanDraft.objects.exists()


def test_a_file_the_parser_cannot_read_fails_the_job_and_says_why(
    cast: Cast, use_parsed: Any, django_capture_on_commit_callbacks: Any
) -> None:
    use_parsed(ParseError("文件已加密，无法读取 (encrypted)"))
    client = client_for(cast.office)
    draft = upload(client, django_capture_on_commit_callbacks)
    assert draft.status == DraftStatus.FAILED
    assert Job.objects.get().status == JobStatus.FAILED
    html = page(client, f"/plans/drafts/{draft.pk}/")
    assert "未能解析该文件：文件已加密，无法读取 (encrypted)" in html
    with django_capture_on_commit_callbacks(execute=True):
        assert csrf_post(client, f"/plans/drafts/{draft.pk}/discard/").status_code == 302
    assert not PlanDraft.objects.exists()
    assert not list((Path(settings.MEDIA_ROOT) / "pending").glob("plan-*"))


def test_the_parsing_notice_polls_until_the_job_is_done(
    cast: Cast, use_parsed: Any, django_capture_on_commit_callbacks: Any
) -> None:
    use_parsed(version_1())
    client = client_for(cast.office)
    with django_capture_on_commit_callbacks(execute=False):  # the job has not run yet
        data = {"file": SimpleUploadedFile("清单.docx", FILE)}
        csrf_post(client, "/plans/import/", data)
    draft = PlanDraft.objects.get()
    html = page(client, f"/plans/drafts/{draft.pk}/")
    assert f'hx-get="/plans/drafts/{draft.pk}/status/"' in html
    assert "HX-Refresh" not in client.get(f"/plans/drafts/{draft.pk}/status/").headers
    PlanDraft.objects.filter(pk=draft.pk).update(status=DraftStatus.READY)
    assert client.get(f"/plans/drafts/{draft.pk}/status/").headers["HX-Refresh"] == "true"


def test_a_parse_job_that_died_without_a_word_shows_as_failed(
    cast: Cast, use_parsed: Any, django_capture_on_commit_callbacks: Any
) -> None:
    use_parsed(version_1())
    client = client_for(cast.office)
    with django_capture_on_commit_callbacks(execute=False):
        csrf_post(client, "/plans/import/", {"file": SimpleUploadedFile("清单.docx", FILE)})
    draft = PlanDraft.objects.get()
    # The worker was killed; the stuck-job sweep failed the job, the draft never heard.
    assert draft.job is not None
    Job.objects.filter(pk=draft.job.pk).update(status=JobStatus.FAILED, error="后台进程已停止")
    assert client.get(f"/plans/drafts/{draft.pk}/status/").headers["HX-Refresh"] == "true"
    assert "未能解析该文件：后台进程已停止" in page(client, f"/plans/drafts/{draft.pk}/")


# -- all or nothing ---------------------------------------------------------------------------


def test_a_failure_midway_through_the_import_writes_nothing(
    cast: Cast,
    members: UnitGroup,
    use_parsed: Any,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    use_parsed(version_1())
    client = client_for(cast.office)
    draft = upload(client, django_capture_on_commit_callbacks)
    real_add = actions._add
    calls = []

    def add_then_fail(*args: Any, **kwargs: Any) -> int:
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real_add(*args, **kwargs)

    monkeypatch.setattr(actions, "_add", add_then_fail)
    client.raise_request_exception = True
    with pytest.raises(RuntimeError, match="disk full"):
        confirm(client, draft, name="清单", year=2023)
    assert len(calls) == 3  # two tasks were written before the failure
    for model in (Plan, PlanVersion, Task, TaskUnit):
        assert not model.objects.exists(), model
    assert not AuditEvent.objects.filter(comment__startswith="导入").exists()
    assert not AuditEvent.objects.filter(object_repr__contains="清单").exists()
    assert not list((Path(settings.MEDIA_ROOT) / "plans" / "sources").iterdir())
    draft.refresh_from_db()
    assert draft.status == DraftStatus.READY  # the office can try again

    monkeypatch.setattr(actions, "_add", real_add)
    assert confirm(client, draft, name="清单", year=2023).status_code == 302
    assert Task.objects.count() == 4


def test_a_draft_is_imported_once(
    cast: Cast, members: UnitGroup, use_parsed: Any, django_capture_on_commit_callbacks: Any
) -> None:
    use_parsed(version_1())
    client = client_for(cast.office)
    draft = upload(client, django_capture_on_commit_callbacks)
    assert confirm(client, draft, name="清单", year=2023).status_code == 302
    again = confirm(client, draft, name="清单", year=2023)
    assert again.status_code == 302 and again["Location"] == f"/plans/drafts/{draft.pk}/"
    assert PlanVersion.objects.count() == 1
    # The draft page of an imported draft leads to its plan.
    draft.refresh_from_db()
    assert client.get(f"/plans/drafts/{draft.pk}/")["Location"] == f"/plans/{draft.plan_id}/"


def test_a_new_plan_needs_a_name_not_already_used_that_year(
    cast: Cast, members: UnitGroup, use_parsed: Any, django_capture_on_commit_callbacks: Any
) -> None:
    import_version_1(cast, django_capture_on_commit_callbacks, use_parsed)
    client = client_for(cast.office)
    draft = upload(client, django_capture_on_commit_callbacks)
    missing = confirm(client, draft, name="", year=2023)
    assert missing.status_code == 400 and "请填写任务清单名称" in missing.content.decode()
    taken = confirm(client, draft, name="政务公开工作任务清单", year=2023)
    assert taken.status_code == 400
    assert re.search(r"已有 2023 年的「政务公开工作任务清单」", taken.content.decode())
    assert Plan.objects.count() == 1
