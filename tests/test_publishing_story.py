"""Issue 6's acceptance story for the document register, from draft to repeal.

A 行政规范性文件 of the justice bureau goes through 初审, 复审 and 终审; an ID number in its
Word attachment blocks publication until the attachment is masked; it is published on Thursday
2 April 2026, so its interpretation is due three working days later across the weekend and the
清明 holiday (Friday 3, Tuesday 7, Wednesday 8 April); the interpretation comes out late, on
Friday 10 April, and the unit heard about it once; the checkpoint of the matching task shows
it; a year later the document is repealed and its public page says so.
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
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from docx import Document as WordDocument

from gongkai.audit.models import AuditEvent
from gongkai.publishing import actions
from gongkai.publishing.models import DocKind, DocState, Document, Validity
from gongkai.reports.build import build_annual
from gongkai.work.models import Checkpoint, NotifySettings
from gongkai.work.reminders import run_reminders
from tests.conftest import Cast, client_for
from tests.work_factories import TaskSpec, make_plan, year_end

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = dt.date.fromisoformat
ID_NUMBER = "110101199003074573"  # a valid check digit


def at(day: str, hour: int = 10) -> Any:
    return time_machine.travel(
        dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI), tick=False
    )


def text_of(response: Any) -> str:
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(body))


def word_file(*paragraphs: str) -> SimpleUploadedFile:
    doc = WordDocument()
    for p in paragraphs:
        doc.add_paragraph(p)
    buffer = io.BytesIO()
    doc.save(buffer)
    return SimpleUploadedFile(
        "附件1.docx",
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


def mails_by_day(first: str, last: str) -> dict[dt.date, list[Any]]:
    """Beat runs twice a day from `first` to `last`; the mails sent, by day."""
    sent: dict[dt.date, list[Any]] = {}
    day = D(first)
    while day <= D(last):
        for hour in (9, 16):
            with at(day.isoformat(), hour):
                run_reminders()
        if mail.outbox:
            sent[day] = list(mail.outbox)
        mail.outbox.clear()
        day += dt.timedelta(days=1)
    return sent


def test_a_normative_document_from_draft_to_repeal(cast: Cast) -> None:
    NotifySettings.objects.create(unit=cast.justice, emails="justice@example.cn", days_before=1)
    plan = make_plan(
        [TaskSpec("做好政策解读，解读材料与政策文件同步发布", [cast.justice], rules=[year_end()])]
    )

    # Drafted by the liaison with a Word attachment holding an ID number in its second paragraph.
    with at("2026-03-30"):
        doc = actions.create_document(
            cast.justice_liaison,
            unit=cast.justice,
            kind=DocKind.NORMATIVE,
            title="区司法局关于规范法律援助申请受理工作的通知",
            body_html="<p>各司法所：为规范法律援助申请受理工作，现就有关事项通知如下。</p>",
            doc_number="X司发〔2026〕3号",
            written_on=D("2026-03-27"),
            needs_interpretation=True,
        )
        actions.add_attachment(
            cast.justice_liaison,
            doc,
            word_file("法律援助申请登记表（样表）", f"申请人：张某，身份证号 {ID_NUMBER}"),
        )
        assert actions.gate(doc), "the ID number in the attachment blocks publication"

        # 初审, 复审, 终审: each by the role that owns it.
        actions.submit(cast.justice_liaison, doc)
        actions.review(cast.justice_liaison, doc, approve=True, comment="内容无误")
        with pytest.raises(PermissionDenied):
            actions.review(cast.finance_liaison, doc, approve=True)
        actions.review(cast.justice_leader, doc, approve=True, comment="同意发布")
        actions.review(cast.office, doc, approve=True, comment="同意")
    doc.refresh_from_db()
    assert doc.state == DocState.APPROVED
    assert [s.stage for s in doc.review_steps.order_by("pk")] == ["initial", "leader", "final"]

    # Blocked by the attachment until it is masked.
    with at("2026-04-02"), pytest.raises(actions.PublishRejected, match=r"附件1\.docx"):
        actions.publish(cast.office, doc)
    doc.refresh_from_db()
    assert doc.state == DocState.APPROVED and doc.index_number is None
    [blocking] = actions.gate(doc)
    assert blocking.attachment is not None and blocking.hits == 1
    assert ID_NUMBER not in str(blocking.findings)
    with at("2026-04-02"):
        actions.redact(cast.justice_liaison, doc, blocking.attachment)
        assert actions.gate(doc) == []
        actions.publish(cast.office, doc)
    doc.refresh_from_db()
    assert doc.state == DocState.PUBLISHED and doc.published_on == D("2026-04-02")
    assert doc.index_number
    assert ID_NUMBER not in doc.attachments.get().text

    # Three working days across the weekend and 清明 (4–6 April): Wednesday 8 April.
    assert doc.interpretation_due == D("2026-04-08")

    # The interpretation is drafted and published late, on Friday 10 April.
    with at("2026-04-10"):
        reading = actions.create_document(
            cast.justice_liaison,
            unit=cast.justice,
            kind=DocKind.INTERPRETATION,
            title="《区司法局关于规范法律援助申请受理工作的通知》政策解读",
            body_html="<p>一、制定背景……</p>",
            interprets=doc,
        )
        actions.submit(cast.justice_liaison, reading)
        for reviewer in (cast.justice_liaison, cast.justice_leader, cast.office):
            actions.review(reviewer, reading, approve=True)
        # The alert went out before this, once (see below); publishing now is late.
    sent_before = mails_by_day("2026-04-07", "2026-04-09")
    with at("2026-04-10", 11):
        actions.publish(cast.office, reading)
    sent_after = mails_by_day("2026-04-10", "2026-04-14")
    doc.refresh_from_db()
    assert doc.interpretation_published_on == D("2026-04-10")

    alerts = [m for mails in sent_before.values() for m in mails if doc.title in m.body]
    assert len(alerts) == 1, [m.subject for ms in sent_before.values() for m in ms]
    assert "解读" in alerts[0].body and ID_NUMBER not in alerts[0].body
    assert next(iter(d for d, ms in sent_before.items() if alerts[0] in ms)) == D("2026-04-09")
    assert not any(doc.title in m.body for ms in sent_after.values() for m in ms)

    # The matching task's checkpoint shows the late interpretation as evidence.
    checkpoint = Checkpoint.objects.get(plan=plan, unit=cast.justice)
    page = client_for(cast.justice_liaison).get(reverse("work:checkpoint", args=[checkpoint.pk]))
    assert "平台登记的佐证" in text_of(page) and doc.title in text_of(page)

    # Both public pages show the link between document and interpretation.
    public = Client()
    doc_page = public.get(doc.public_url())
    assert doc_page.status_code == 200
    assert reading.title in text_of(doc_page) and doc.index_number in text_of(doc_page)
    assert doc.title in text_of(public.get(reading.public_url()))

    # Counted in Table 二 as made in 2026.
    t2 = build_annual(2026)["table2"]["normativeDocs"]
    assert (t2["made"], t2["repealed"], t2["inForce"]) == (1, 0, 1)

    # Repealed the next year: the public page says so, prominently; 2026 still counts it.
    with at("2027-03-01"):
        actions.change_validity(
            cast.office,
            doc,
            validity=Validity.REPEALED,
            effective_on=D("2027-03-01"),
            reason="已被新规定取代",
        )
    doc.refresh_from_db()
    assert doc.validity == Validity.REPEALED
    repealed_page = text_of(public.get(doc.public_url()))
    assert "已废止" in repealed_page and "2027年3月1日" in repealed_page
    t2 = build_annual(2026)["table2"]["normativeDocs"]
    assert (t2["made"], t2["repealed"], t2["inForce"]) == (1, 0, 1)
    t2 = build_annual(2027)["table2"]["normativeDocs"]
    assert (t2["made"], t2["repealed"], t2["inForce"]) == (0, 1, 0)

    # Every act left an audit row on the document.
    acts = AuditEvent.objects.filter(object_id=str(doc.pk), content_type__model="document")
    assert acts.count() >= 7
    assert Document.objects.filter(pk=doc.pk, validity_changes__new=Validity.REPEALED).exists()
