"""政府公报 through HTTP, from the office's first draft to a reader's search on the portal."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from fpdf import FPDF

from gongkai.audit.models import AuditAction, AuditEvent
from gongkai.gazette.models import Issue, IssueState, Item
from gongkai.publishing.models import DocKind, DocState, Document
from gongkai.publishing.search_index import index_document
from gongkai.units.models import Unit
from tests.conftest import Cast, client_for, csrf_post

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(moment: str) -> Any:
    return time_machine.travel(
        dt.datetime.fromisoformat(moment).replace(tzinfo=SHANGHAI), tick=False
    )


def text_of(response: Any) -> str:
    """The page as a reader sees it: tags dropped, entities decoded, whitespace collapsed."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(body))


def pdf_bytes(*pages: str) -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.cell(text=text)
    return bytes(pdf.output())


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def published_document(unit: Unit, title: str, index_number: str, doc_number: str) -> Document:
    document = Document.objects.create(
        unit=unit,
        kind=DocKind.NORMATIVE,
        title=title,
        doc_number=doc_number,
        body_text=f"{title}。第一条 行政执法机关应当在执法决定作出之日起7个工作日内公开执法结果。",
        state=DocState.PUBLISHED,
        index_number=index_number,
        published_on=dt.date(2026, 2, 20),
    )
    # As publishing's publish action does: the portal's search index holds it from now on.
    index_document(document)
    return document


def new_issue(office: Client, number: int = 3, **changes: Any) -> Issue:
    data = {
        "year": "2026",
        "number": str(number),
        "total_number": "",
        "published_on": "2026-03-10",
        "note": "",
        **changes,
    }
    made = csrf_post(office, "/gazette/new/", data)
    assert made.status_code == 302, text_of(made)
    return Issue.objects.get(year=int(data["year"]), number=number)


def add_pdf_item(office: Client, issue: Issue, title: str, data: bytes, **extra: str) -> Any:
    form = {"section": "市政府办公室文件", "title": title, "file": upload("通知.pdf", data)}
    return csrf_post(office, f"/gazette/{issue.pk}/items/", {**form, **extra})


def test_office_drafts_fills_and_publishes_an_issue_that_readers_browse_and_search(
    cast: Cast, anon: Client
) -> None:
    office = client_for(cast.office)
    rules = published_document(
        cast.justice, "泰安市行政执法公示办法", "SFJ/2026-00004", "泰政发〔2026〕4号"
    )
    with at("2026-03-10 09:00"):
        assert office.get("/gazette/new/").status_code == 200
        issue = new_issue(office, total_number="215", note="本期共刊登文件两件。")
        assert issue.state == IssueState.DRAFT and issue.label == "2026年第3期（总第215期）"

        # An item linking a published document takes its title and 文号.
        linked = csrf_post(
            office,
            f"/gazette/{issue.pk}/items/",
            {"section": "市政府文件", "index_number": "SFJ/2026-00004"},
        )
        assert linked.status_code == 302
        first = Item.objects.get(issue=issue, document=rules)
        assert (first.title, first.doc_number, first.position) == (
            "泰安市行政执法公示办法",
            "泰政发〔2026〕4号",
            1,
        )

        # A file that is not a PDF is refused by its content, whatever its name says.
        refused = add_pdf_item(office, issue, "伪装的文件", b"GIF89a not a pdf at all")
        assert refused.status_code == 400
        assert "不是 PDF 文件" in text_of(refused) and "通知.pdf" in text_of(refused)
        assert issue.items.count() == 1

        added = add_pdf_item(
            office,
            issue,
            "关于调整港口收费标准的通知",
            pdf_bytes("Notice on harbour tariff adjustment", "Effective from April 2026"),
            doc_number="泰政办字〔2026〕9号",
        )
        assert added.status_code == 302
        second = Item.objects.get(issue=issue, document=None)
        assert second.position == 2 and "harbour tariff" in second.pdf_text
        assert second.pdf_filename == "通知.pdf" and second.pdf_name.endswith(".pdf")

        # Nothing of a draft reaches the portal.
        assert anon.get("/portal/gb/2026/3/").status_code == 404
        assert anon.get(f"/portal/gb/files/{second.pk}").status_code == 404
        assert "关于调整港口收费标准的通知" not in text_of(anon.get("/portal/gb/search/?q=港口"))

        published = csrf_post(office, f"/gazette/{issue.pk}/publish/")
        assert published.status_code == 302
        issue.refresh_from_db()
        assert issue.state == IssueState.PUBLISHED and issue.published_by == cast.office

    # The portal: years → issues → the issue with its contents.
    home = anon.get("/portal/gb/")
    assert home.status_code == 200 and "2026 年（1 期）" in text_of(home)
    assert "<script" not in home.content.decode()
    assert "script-src 'none'" in home["Content-Security-Policy"]
    year = anon.get("/portal/gb/2026/")
    assert year.status_code == 200 and "2026年第3期（总第215期）" in text_of(year)
    page = anon.get("/portal/gb/2026/3/")
    shown = text_of(page)
    assert page.status_code == 200
    assert "市政府文件" in shown and "市政府办公室文件" in shown and "本期共刊登文件两件" in shown
    body = page.content.decode()
    assert f'href="/portal/documents/{rules.pk}/"' in body
    assert f'href="/portal/gb/files/{second.pk}"' in body
    download = anon.get(f"/portal/gb/files/{second.pk}")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download.getvalue().startswith(b"%PDF-")

    # Search finds the PDF item by words inside the PDF, by its title and by its 文号.
    by_text = anon.get("/portal/gb/search/", {"q": "TARIFF"})
    assert by_text.status_code == 200
    assert "关于调整港口收费标准的通知" in text_of(by_text)
    assert "<mark>tariff</mark>" in by_text.content.decode()
    by_title = text_of(anon.get("/portal/gb/search/", {"q": "行政执法 公示"}))
    assert "泰安市行政执法公示办法" in by_title and "港口收费" not in by_title
    by_body = anon.get("/portal/gb/search/", {"q": "执法决定"})
    assert "泰安市行政执法公示办法" in text_of(by_body)
    assert "<mark>执法决定</mark>" in by_body.content.decode()
    by_number = text_of(anon.get("/portal/gb/search/", {"q": "泰政办字〔2026〕9号"}))
    assert "关于调整港口收费标准的通知" in by_number
    nothing = text_of(anon.get("/portal/gb/search/", {"q": "不存在的词语"}))
    assert "共 0 条" in nothing

    # Every act is in the audit trail.
    trail = AuditEvent.objects.filter(content_type__model__in=("issue", "item"))
    assert list(trail.filter(action=AuditAction.CREATE).values_list("object_repr", flat=True))
    assert trail.filter(action=AuditAction.CREATE, content_type__model="item").count() == 2
    transition = trail.get(action=AuditAction.TRANSITION)
    assert transition.changes == {"state": ["draft", "published"]}
    assert "pdf_text" not in str(trail.values_list("changes", flat=True))
    staff_page = text_of(office.get(f"/gazette/{issue.pk}/"))
    assert "操作记录" in staff_page and "发布" in staff_page
