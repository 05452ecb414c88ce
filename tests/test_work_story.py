"""Issue 4's acceptance story, end to end through the pages a clerk and a liaison use.

Import seed 002 as the 2026 plan; a 司法局 liaison reports with a file and a link; the office
returns it, the liaison fixes it, the office accepts; reminders go out before, on and after a
due date, once each; the first quarter is scored and published; the ledger opens in openpyxl
with the expected rows and merged cells.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from gongkai.accounts.models import User
from gongkai.demo.load import load_demo
from gongkai.plans.models import Plan, PlanDraft
from gongkai.units.models import Unit
from gongkai.work import scoring
from gongkai.work.models import (
    Assignment,
    Checkpoint,
    CheckState,
    EvidenceKind,
    LinkState,
    NotifySettings,
    Reminder,
    Report,
    Review,
)
from gongkai.work.reminders import run_reminders
from scripts.build_fixtures import build
from tests.conftest import client_for, csrf_post

SHANGHAI = ZoneInfo("Asia/Shanghai")
TITLE = "张店区司法局行政规范性文件清理结果公告"
PAGE = f"<html><head><title>{TITLE}</title></head><body>公告</body></html>"


def at(day: str, hour: int = 9) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI)


class _Page(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = PAGE.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def published_page(settings: Any) -> Iterator[str]:
    settings.FETCH_ALLOW_PRIVATE = True  # the "government site" is a local server
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/art/2026/3/20/notice.html"
    server.shutdown()


def _pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Cleanup result 2026")
    return bytes(pdf.output())


def test_a_quarter_of_work_on_seed_002(
    db: None,
    tmp_path: Path,
    settings: Any,
    published_page: str,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    settings.REMINDER_HOUR = 8
    with time_machine.travel(at("2026-03-02"), tick=False) as clock:
        # -- the office imports the list --------------------------------------------------
        load_demo()
        office = client_for(User.objects.get(username="office"))
        upload = SimpleUploadedFile(
            "张店区任务清单.docx", build("002", "docx", tmp_path).read_bytes()
        )
        with django_capture_on_commit_callbacks(execute=True):
            assert csrf_post(office, "/plans/import/", {"file": upload}).status_code == 302
        draft = PlanDraft.objects.latest("pk")
        with django_capture_on_commit_callbacks(execute=True):
            response = csrf_post(
                office,
                f"/plans/drafts/{draft.pk}/confirm/",
                {
                    "name": "张店区政务公开常态化工作任务清单",
                    "year": 2026,
                    "allow_unresolved": "on",
                },
            )
        assert response.status_code == 302, response.content.decode()[:2000]
        plan = Plan.objects.get()
        justice = Unit.objects.get(name="张店区司法局")
        assert Assignment.objects.filter(task__plan=plan, unit=justice, active=True).exists()
        mine = Checkpoint.objects.filter(plan=plan, unit=justice).order_by("due", "pk")
        q1 = [c for c in mine if c.due == dt.date(2026, 3, 31)]
        assert len(q1) >= 2, "司法局 should owe at least two checkpoints at the end of Q1"
        first, second = q1[0], q1[1]
        NotifySettings.objects.create(unit=justice, emails="sifa@zhangdian.example.gov.cn")

        # -- the liaison sees the work and reports with a file and a link --------------------
        liaison_user = User.objects.get(username="sifa")
        liaison = client_for(liaison_user)
        my_work = liaison.get("/work/").content.decode()
        assert first.label in my_work
        with django_capture_on_commit_callbacks(execute=True):
            response = csrf_post(
                liaison,
                f"/work/checkpoints/{first.pk}/report/",
                {
                    "status": "done",
                    "text": "已完成行政规范性文件清理并公布结果。",
                    "urls": published_page,
                    "evidence_files": SimpleUploadedFile("清理结果.pdf", _pdf()),
                },
            )
        assert response.status_code == 302, response.content.decode()[:2000]
        report = Report.objects.get(checkpoint=first)
        link = report.evidence.get(kind=EvidenceKind.URL)
        assert link.link_state == LinkState.OK and link.http_status == 200
        assert link.title == "张店区司法局行政规范性文件清理结果公告"
        file = report.evidence.get(kind=EvidenceKind.FILE)
        download = liaison.get(f"/work/evidence/{file.pk}/")
        assert b"".join(download.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]

        # -- the office returns it; the liaison fixes it; the office accepts ----------------
        response = csrf_post(
            office,
            f"/work/reports/{report.pk}/review/",
            {"decision": "return", "comment": "请补充清理目录的链接"},
        )
        assert response.status_code == 302
        first.refresh_from_db()
        assert first.review == Review.RETURNED and first.finished_on is None
        assert (
            "请补充清理目录的链接" in liaison.get(f"/work/checkpoints/{first.pk}/").content.decode()
        )
        clock.move_to(at("2026-03-03"))
        response = csrf_post(
            liaison,
            f"/work/checkpoints/{first.pk}/report/",
            {"status": "done", "text": "已补充清理目录。", "urls": published_page + "?list=1"},
        )
        assert response.status_code == 302
        fixed = Report.objects.filter(checkpoint=first).latest("pk")
        assert (
            csrf_post(
                office, f"/work/reports/{fixed.pk}/review/", {"decision": "accept"}
            ).status_code
            == 302
        )
        first.refresh_from_db()
        assert first.review == Review.ACCEPTED

        # -- reminders: three working days before, on the day, and after; once each --------
        def times_reminded(checkpoint: Checkpoint) -> dict[str, int]:
            seen = {"soon": 0, "today": 0, "overdue": 0}
            for payload in Reminder.objects.filter(unit=justice).values_list("payload", flat=True):
                for kind in seen:
                    seen[kind] += sum(
                        1 for item in payload.get(kind, []) if item.get("id") == checkpoint.pk
                    )
            return seen

        for day, expected in [
            ("2026-03-25", {"soon": 0, "today": 0, "overdue": 0}),  # four working days out
            ("2026-03-26", {"soon": 1, "today": 0, "overdue": 0}),
            ("2026-03-27", {"soon": 1, "today": 0, "overdue": 0}),
            ("2026-03-31", {"soon": 1, "today": 1, "overdue": 0}),
            ("2026-04-01", {"soon": 1, "today": 1, "overdue": 1}),
            ("2026-04-02", {"soon": 1, "today": 1, "overdue": 1}),
        ]:
            clock.move_to(at(day))
            run_reminders()
            run_reminders()  # beat runs every few minutes: nothing goes out twice
            assert times_reminded(second) == expected, day
            assert times_reminded(first) == {"soon": 0, "today": 0, "overdue": 0}, "accepted"
        digests = Reminder.objects.filter(unit=justice)  # also the months already overdue
        assert {r.day for r in digests} >= {dt.date(2026, 3, d) for d in (26, 31)}
        assert all(r.state == "sent" for r in digests)
        assert len(mail.outbox) == digests.count()  # one digest a day, one message each
        assert all("张店区司法局" in m.subject for m in mail.outbox)
        assert mail.outbox[0].to == ["sifa@zhangdian.example.gov.cn"]

        # -- the first quarter is scored and published ----------------------------------------
        office_user = User.objects.get(username="office")
        office = client_for(office_user)  # a month has passed: the old session has expired
        response = csrf_post(
            office, "/work/quarters/", {"plan": plan.pk, "year": 2026, "quarter": 1}
        )
        assert response.status_code == 302 and response["Location"].startswith("/work/quarters/")
        check = scoring.checks_for_user(office_user).get(plan=plan, year=2026, quarter=1)
        page = office.get(f"/work/quarters/{check.pk}/?unit={justice.pk}").content.decode()
        assert published_page + "?list=1" in page  # the accepted report's evidence is beside it
        assert csrf_post(office, f"/work/quarters/{check.pk}/prescore/").status_code == 302
        assert csrf_post(office, f"/work/quarters/{check.pk}/publish/").status_code == 302
        check.refresh_from_db()
        assert check.state == CheckState.PUBLISHED
        ranking = {r["unit"]: r for r in check.results}
        assert ranking["张店区司法局"]["score"] is not None
        assert 0 < float(ranking["张店区司法局"]["score"]) < 100  # one accepted, the rest not done

        # -- the ledger ----------------------------------------------------------------------------
        response = office.get(f"/work/ledger/export/?plan={plan.pk}&unit=all&check={check.pk}")
        assert response.status_code == 200
        book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
        sheet = book.worksheets[0]
        header = [c.value for row in sheet.iter_rows(min_row=1, max_row=4) for c in row if c.value]
        for column in (
            "工作任务",
            "具体要求",
            "牵头单位",
            "责任单位",
            "时限",
            "进展情况",
            "佐证材料",
            "完成状态",
            "得分",
        ):
            assert column in header, column
        body = [row for row in sheet.iter_rows(values_only=True) if any(v for v in row)]
        active = Assignment.objects.filter(task__plan=plan, active=True, task__status="active")
        assert len(body) >= active.count()
        assert any(
            "已完成行政规范性文件清理" in str(v) or "已补充清理目录" in str(v)
            for row in body
            for v in row
        )
        assert len(sheet.merged_cells.ranges) > 0
        merged_columns = {r.min_col for r in sheet.merged_cells.ranges if r.max_row > r.min_row}
        assert 1 in merged_columns  # the category column is merged over its tasks
