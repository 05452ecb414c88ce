"""Issue 8's acceptance story for 建议提案办理, through the pages.

The office registers a 政协委员提案 on Monday 2 March 2026 and hands it to 司法局 (财政局
co-handling); the due date defaults to three months later, 2 June. 司法局 hears once that the
reply is due soon, replies on 1 June with a Word letter and result A, and makes the public draft,
which goes through the document register's review and is published; the portal then lists and
shows the reply, found by its number. The office sees the year's figures, generates the
summary, which is reviewed and published too, and shows on the portal; the checkpoint of the
matching seed task shows the figures; section 六 of the annual report gives the same numbers.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from docx import Document as WordDocument

from gongkai.audit.models import AuditEvent
from gongkai.proposals.models import Proposal, YearSummary
from gongkai.publishing import actions as publishing
from gongkai.publishing.models import DocKind, DocState, Document
from gongkai.reports.build import build_annual
from gongkai.work.models import Checkpoint, NotifySettings
from gongkai.work.reminders import run_reminders
from tests.conftest import Cast, client_for, csrf_post
from tests.work_factories import TaskSpec, make_plan, year_end

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = dt.date.fromisoformat
#: Seed 002, line 93.
SEED_LINE = "公开本级人大代表建议、政协提案的办理复文全文或摘要。"


def at(day: str, hour: int = 10) -> Any:
    return time_machine.travel(
        dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI), tick=False
    )


def text_of(response: Any) -> str:
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(body))


def word_letter(*paragraphs: str) -> SimpleUploadedFile:
    doc = WordDocument()
    for p in paragraphs:
        doc.add_paragraph(p)
    buffer = io.BytesIO()
    doc.save(buffer)
    return SimpleUploadedFile(
        "复文.docx",
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


def review_and_publish(doc: Document, cast: Cast, liaison: Any, leader: Any) -> None:
    publishing.submit(liaison, doc)
    for reviewer in (liaison, leader, cast.office):
        publishing.review(reviewer, doc, approve=True, comment="同意")
    publishing.publish(cast.office, doc)


def mails_between(first: str, last: str, title: str) -> list[tuple[dt.date, Any]]:
    """Beat runs twice a day; the mails naming `title`, with their day."""
    found = []
    day = D(first)
    while day <= D(last):
        for hour in (9, 16):
            with at(day.isoformat(), hour):
                run_reminders()
        found += [(day, m) for m in mail.outbox if title in m.body]
        mail.outbox.clear()
        day += dt.timedelta(days=1)
    return found


def test_a_proposal_from_registration_to_the_annual_report(cast: Cast) -> None:
    NotifySettings.objects.create(unit=cast.justice, emails="sifa@example.cn", days_before=3)
    plan = make_plan([TaskSpec(SEED_LINE, [cast.justice], rules=[year_end()])])
    office = client_for(cast.office)
    liaison = client_for(cast.justice_liaison)
    title = "关于加强社区法律援助服务的提案"

    # Registered and handed over by the office; the due date defaults to three months.
    with at("2026-03-02"):
        made = csrf_post(
            office,
            reverse("proposals:new"),
            {
                "year": "2026",
                "level": "district",
                "kind": "proposal",
                "number": "第0012号",
                "title": title,
                "deputies": "王某某、李某某",
                "unit": cast.justice.pk,
                "co_units": [cast.finance.pk],
                "received_on": "2026-03-02",
                "due_on": "",
            },
        )
    assert made.status_code == 302, text_of(made)
    p = Proposal.objects.get()
    assert made["Location"] == reverse("proposals:detail", args=[p.pk])
    assert (p.unit, p.due_on, p.created_by) == (cast.justice, D("2026-06-02"), cast.office)
    assert list(p.co_units.all()) == [cast.finance]
    assert AuditEvent.objects.filter(object_id=str(p.pk), comment="登记并交办").exists()

    # The co-handling unit reads it but cannot answer it.
    finance = client_for(cast.finance_liaison)
    assert finance.get(reverse("proposals:detail", args=[p.pk])).status_code == 200
    assert csrf_post(finance, reverse("proposals:reply", args=[p.pk]), {}).status_code == 403

    # 司法局 hears once, three working days ahead; never again once it has replied.
    before = mails_between("2026-05-25", "2026-05-31", title)
    assert [day for day, _ in before] == [D("2026-05-28")]
    assert "即将到办复期限" in before[0][1].body and "第0012号" in before[0][1].body

    # The reply, with a Word letter, on time.
    with at("2026-06-01"):
        replied = csrf_post(
            liaison,
            reverse("proposals:reply", args=[p.pk]),
            {
                "replied_on": "2026-06-01",
                "result": "A",
                "reply_text": "王某某委员：您提出的关于加强社区法律援助服务的提案收悉。"
                "我局已在全区各街道设立法律援助工作站，现答复如下。",
                "letter": word_letter("区司法局对区政协第0012号提案的答复", "已采纳。"),
                "disclose": "1",
                "withhold_reason": "",
                "public_form": "full",
                "summary": "",
            },
        )
    assert replied.status_code == 302, text_of(replied)
    p.refresh_from_db()
    assert p.replied_on == D("2026-06-01") and p.replied_on_time and p.letter_name == "复文.docx"
    assert liaison.get(reverse("proposals:letter", args=[p.pk])).status_code == 200
    assert mails_between("2026-06-01", "2026-06-05", title) == []

    # 公开复文: a draft in the document register, not public until it is reviewed and published.
    with at("2026-06-02"):
        drafted = csrf_post(liaison, reverse("proposals:publish", args=[p.pk]))
    p.refresh_from_db()
    assert p.document is not None and drafted.status_code == 302
    doc = p.document
    assert drafted["Location"] == reverse("publishing:detail", args=[doc.pk])
    assert (doc.kind, doc.state, doc.unit) == (DocKind.OTHER, DocState.DRAFT, cast.justice)
    assert title in doc.title and "法律援助工作站" in doc.body_text
    assert doc.attachments.count() == 1  # the letter, scanned by the privacy gate with the body
    public = Client()
    assert public.get(reverse("jyta:detail", args=[p.pk])).status_code == 404
    assert title not in text_of(public.get(reverse("jyta:list")))

    with at("2026-06-03"):
        review_and_publish(doc, cast, cast.justice_liaison, cast.justice_leader)
    doc.refresh_from_db()
    assert doc.state == DocState.PUBLISHED

    # The portal lists it, finds it by number, and shows the reply.
    listing = text_of(public.get(reverse("jyta:list"), {"year": "2026", "q": "0012"}))
    assert title in listing and "区司法局" in listing
    assert title not in text_of(public.get(reverse("jyta:list"), {"q": "不存在的标题"}))
    page = public.get(reverse("jyta:detail", args=[p.pk]))
    assert page.status_code == 200 and "script-src 'none'" in page["Content-Security-Policy"]
    assert "法律援助工作站" in text_of(page) and "王某某、李某某" in text_of(page)

    # The year's figures, and the summary generated, reviewed and published.
    with at("2026-12-10"):
        office = client_for(cast.office)  # a fresh session: the first one has expired by now
        figures = text_of(office.get(reverse("proposals:summary"), {"year": "2026"}))
        assert "已办复 1 件，其中按期办复 1 件" in figures and "100.0%" in figures
        generated = csrf_post(office, reverse("proposals:summary_generate"), {"year": "2026"})
        assert generated.status_code == 302, text_of(generated)
        summary = YearSummary.objects.get(year=2026)
        assert "吸收采纳率为100.0%" in summary.document.body_text
        review_and_publish(summary.document, cast, cast.office, cast.office)
    shown = text_of(public.get(reverse("jyta:list"), {"year": "2026"}))
    assert "2026年办理总体情况" in shown and "政协委员提案1件" in shown

    # The checkpoint of the seed task shows the figures without anyone typing them.
    checkpoint = Checkpoint.objects.get(plan=plan, unit=cast.justice)
    evidence = text_of(liaison.get(reverse("work:checkpoint", args=[checkpoint.pk])))
    assert "平台登记的佐证" in evidence and "建议提案办理" in evidence
    assert "政协委员提案 1 件" in evidence and "复文已公开 1 件" in evidence

    # Section 六 of the annual report, for everyone and for 司法局 and 财政局.
    with at("2027-01-10"):
        six = {s["number"]: s["text"] for s in build_annual(2026)["sections"]}["六"]
        assert "本年度共承办人大代表建议0件、政协委员提案1件；已办复1件，其中按期办复1件" in six
        assert "吸收采纳率100.0%；公开办理复文1件" in six and "【待填写" in six
        of_finance = build_annual(2026, cast.finance)["sections"]
        assert "另协办1件" in {s["number"]: s["text"] for s in of_finance}["六"]
