"""The ledger (台账) export: layout with merged categories, per-unit sheets, scores, access."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from gongkai.plans.models import Plan
from gongkai.work.actions import ReportInput, submit_report
from gongkai.work.ledger import build_ledger, sheet_title
from gongkai.work.models import Checkpoint, Evidence, EvidenceKind, LinkState, Result
from gongkai.work.scoring import in_scope, set_score, start_check
from tests.conftest import Cast, client_for
from tests.work_factories import TaskSpec, make_plan, quarterly, year_end

pytestmark = pytest.mark.django_db

HEADER = [
    "工作任务",
    None,
    "具体要求",
    "牵头单位",
    "责任单位",
    "时限",
    "进展情况",
    "佐证材料",
    "完成状态",
    "得分",
]


@pytest.fixture
def plan(cast: Cast) -> Plan:
    """Two levels of categories: A and B share 主动公开 / 基础信息; C is 重点领域 alone."""
    return make_plan(
        [
            TaskSpec(
                "任务A：公开行政规范性文件",
                units=[cast.finance],
                lead=[cast.justice],
                path=("主动公开", "基础信息"),
                rules=[year_end()],
            ),
            TaskSpec(
                "任务B：公开机构职能",
                units=[cast.finance],
                path=("主动公开", "基础信息"),
                rules=[year_end()],
            ),
            TaskSpec(
                "任务C：公开财政预决算",
                units=[cast.finance],
                path=("重点领域",),
                rules=[quarterly()],
            ),
        ]
    )


def _book(plan: Plan, **kwargs: Any) -> Any:
    out = BytesIO()
    build_ledger(plan, out=out, **kwargs)
    out.seek(0)
    return load_workbook(out)


def _values(ws: Worksheet) -> list[list[Any]]:
    return [list(row) for row in ws.iter_rows(values_only=True)]


def _report(
    cast: Cast, plan: Plan, requirement: str, text: str, *, finance: bool = False
) -> Checkpoint:
    unit, liaison = (
        (cast.finance, cast.finance_liaison) if finance else (cast.justice, cast.justice_liaison)
    )
    cp = Checkpoint.objects.filter(plan=plan, unit=unit, task__requirement=requirement).first()
    assert cp is not None
    report = submit_report(liaison, cp, ReportInput("in_progress", text))
    Evidence.objects.create(
        report=report,
        kind=EvidenceKind.URL,
        url="https://www.example.gov.cn/a.html",
        link_state=LinkState.DEAD,
    )
    Evidence.objects.create(
        report=report, kind=EvidenceKind.FILE, filename="目录.pdf", stored_name="x.pdf"
    )
    return cp


def test_one_sheet_ledger_has_the_list_layout(cast: Cast, plan: Plan) -> None:
    _report(cast, plan, "任务A：公开行政规范性文件", "已完成目录整理")
    wb = _book(plan, base_url="https://gk.example.gov.cn")
    assert wb.sheetnames == ["台账"]
    ws = wb["台账"]
    rows = _values(ws)
    assert "工作台账" in rows[0][0]
    assert rows[1] == HEADER
    # a row per task × unit, the lead unit first; categories and the requirement only on the
    # first row of their merged block
    assert [(r[0], r[1], r[2], r[4]) for r in rows[2:]] == [
        ("主动公开", "基础信息", "任务A：公开行政规范性文件", "区司法局"),
        (None, None, None, "区财政局"),
        (None, None, "任务B：公开机构职能", "区财政局"),
        ("重点领域", None, "任务C：公开财政预决算", "区财政局"),
    ]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert merged == {"A1:J1", "A2:B2", "A3:A5", "B3:B5", "C3:C4", "D3:D4"}
    justice = rows[2]
    assert justice[3] == "区司法局"  # 牵头单位
    assert "年底前" in justice[5] and "2026-12-31" in justice[5]
    assert justice[6] == "已完成目录整理"
    assert "https://www.example.gov.cn/a.html［无法访问］" in justice[7]
    evidence = Evidence.objects.get(filename="目录.pdf")
    assert f"目录.pdf：https://gk.example.gov.cn/work/evidence/{evidence.pk}/" in justice[7]
    assert justice[8].startswith("推进中")
    # 任务C is quarterly: the rule's words, then one line per checkpoint
    assert rows[5][5].splitlines() == [
        "定期：每季度",
        "第一季度：2026-03-31",
        "第二季度：2026-06-30",
        "第三季度：2026-09-30",
        "第四季度：2026-12-31",
    ]
    assert rows[5][8].splitlines()[0].startswith("第一季度：未开始")
    assert ws.freeze_panes == "A3"
    assert ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$1:$2"
    assert ws.column_dimensions["C"].width == 48
    assert ws["C3"].alignment.wrap_text and ws["C3"].border.left.style == "thin"


def test_per_unit_ledger_has_a_sheet_per_unit(cast: Cast, plan: Plan) -> None:
    wb = _book(plan, per_unit=True)
    assert sorted(wb.sheetnames) == ["区司法局", "区财政局"]
    justice = _values(wb["区司法局"])
    assert "区司法局" in justice[0][0]
    assert [r[2] for r in justice[2:]] == ["任务A：公开行政规范性文件"]
    finance = wb["区财政局"]
    assert [r[2] for r in _values(finance)[2:]] == [
        "任务A：公开行政规范性文件",
        "任务B：公开机构职能",
        "任务C：公开财政预决算",
    ]
    assert {str(r) for r in finance.merged_cells.ranges} == {"A1:J1", "A2:B2", "A3:A4", "B3:B4"}


def test_ledger_scores_come_from_the_chosen_check(cast: Cast, plan: Plan) -> None:
    check = start_check(cast.office, plan, 2026, 1)
    for cp in in_scope(check):
        set_score(cast.office, check, cp, Result.PARTLY)
    rows = _values(_book(plan, check=check, unit_ids={cast.finance.pk})["台账"])
    assert "区财政局" in rows[0][0] and "第1季度" in rows[0][0]
    assert [(r[2], r[9]) for r in rows[2:]] == [
        ("任务A：公开行政规范性文件", None),  # due at year end: not in Q1
        ("任务B：公开机构职能", None),
        ("任务C：公开财政预决算", 60.0),
    ]


def test_ledger_reads_in_a_fixed_number_of_queries(
    cast: Cast, plan: Plan, django_assert_max_num_queries: Any
) -> None:
    check = start_check(cast.office, plan, 2026, 1)
    _report(cast, plan, "任务A：公开行政规范性文件", "进展")
    _report(cast, plan, "任务B：公开机构职能", "进展", finance=True)
    with django_assert_max_num_queries(10):
        build_ledger(plan, out=BytesIO(), check=check, per_unit=True)


def test_sheet_titles_are_valid_and_unique() -> None:
    taken: set[str] = set()
    assert sheet_title("区[司法]局/办公室", taken) == "区_司法_局_办公室"
    long = "很长的单位名称" * 6
    first, second = sheet_title(long, taken), sheet_title(long, taken)
    assert len(first) == 31 and len(second) == 31 and first != second


# -- HTTP -------------------------------------------------------------------------------------


def _download(client: Any, **params: Any) -> Any:
    return client.get(reverse("work:ledger_export"), params)


def test_liaison_exports_only_its_own_units(cast: Cast, plan: Plan) -> None:
    client = client_for(cast.justice_liaison)
    form = client.get(reverse("work:ledger")).content.decode()
    assert "区司法局" in form and "区财政局" not in form

    response = _download(client, plan=plan.pk, unit="all")
    assert response.status_code == 200
    assert "filename*=utf-8''" in response["Content-Disposition"]
    wb = load_workbook(BytesIO(response.getvalue()))
    units = {r[4] for r in _values(wb["台账"])[2:]}
    assert units == {"区司法局"}

    assert _download(client, plan=plan.pk, unit=cast.finance.pk).status_code == 404
    assert _download(client, plan=plan.pk, unit=cast.justice.pk, mode="per_unit").status_code == 200


def test_office_and_evaluator_export_any_unit(cast: Cast, plan: Plan) -> None:
    for user in (cast.office, cast.evaluator):
        response = _download(client_for(user), plan=plan.pk, unit=cast.finance.pk)
        assert response.status_code == 200
        wb = load_workbook(BytesIO(response.getvalue()))
        assert {r[4] for r in _values(wb["台账"])[2:]} == {"区财政局"}


def test_liaison_cannot_take_scores_from_an_unpublished_check(cast: Cast, plan: Plan) -> None:
    check = start_check(cast.office, plan, 2026, 1)
    response = _download(client_for(cast.justice_liaison), plan=plan.pk, unit="all", check=check.pk)
    assert response.status_code == 404
    other = make_plan([TaskSpec("别的任务", units=[cast.justice])], name="别的清单")
    response = _download(client_for(cast.office), plan=other.pk, unit="all", check=check.pk)
    assert response.status_code == 404


def test_a_large_ledger_is_offered_as_a_background_job_with_a_download(
    cast: Cast,
    plan: Plan,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from gongkai.jobs.models import Job, JobKind, JobStatus
    from gongkai.work.views import quarter
    from tests.conftest import csrf_post

    monkeypatch.setattr(quarter, "BACKGROUND_ROWS", 1)  # this small plan counts as large
    office = client_for(cast.office)
    asked = office.get(f"/work/ledger/export/?plan={plan.pk}&unit=all&mode=one")
    page = asked.content.decode()
    assert asked.status_code == 200 and "在后台生成" in page and "direct=1" in page
    direct = office.get(f"/work/ledger/export/?plan={plan.pk}&unit=all&mode=one&direct=1")
    assert direct["Content-Type"].startswith("application/vnd.openxmlformats")

    with django_capture_on_commit_callbacks(execute=True):
        response = csrf_post(
            office, "/work/ledger/background/", {"plan": plan.pk, "unit": "all", "mode": "one"}
        )
    job = Job.objects.get(kind=JobKind.LEDGER_EXPORT)
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == JobStatus.SUCCEEDED and job.progress == 100
    download = f"/work/ledger/jobs/{job.pk}/download/"
    assert download in office.get(f"/jobs/{job.pk}/").content.decode()
    got = office.get(download)
    book = load_workbook(BytesIO(b"".join(got.streaming_content)))  # type: ignore[attr-defined]
    assert job.result["rows"] == book.worksheets[0].max_row - 2 > 0  # title and header rows

    # Another unit's liaison cannot fetch it; the file's name cannot be steered.
    assert client_for(cast.finance_liaison).get(download).status_code == 404
    Job.objects.filter(pk=job.pk).update(result={**job.result, "file": "../../secret_key"})
    assert office.get(download).status_code == 404


def test_a_liaisons_background_ledger_holds_only_its_units(
    cast: Cast, plan: Plan, django_capture_on_commit_callbacks: Any
) -> None:
    from gongkai.jobs.models import Job
    from tests.conftest import csrf_post

    liaison = client_for(cast.justice_liaison)
    with django_capture_on_commit_callbacks(execute=True):
        csrf_post(liaison, "/work/ledger/background/", {"plan": plan.pk, "unit": "all"})
    job = Job.objects.get()
    assert job.params["unit_ids"] == [cast.justice.pk]
    with django_capture_on_commit_callbacks(execute=True):
        refused = csrf_post(
            liaison, "/work/ledger/background/", {"plan": plan.pk, "unit": cast.finance.pk}
        )
    assert refused.status_code == 404 and Job.objects.count() == 1
