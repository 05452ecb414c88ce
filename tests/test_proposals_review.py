"""Defects found in review of 建议提案办理: a reply turned 不公开 (or to a summary) after its
public draft was made must not reach the portal, and section 六 of the annual report counts the
proposals as they stood at the year's end."""

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

from gongkai.proposals import actions
from gongkai.proposals.models import Proposal
from gongkai.publishing import actions as publishing
from gongkai.publishing.models import DocState, Document
from gongkai.reports.build import build_annual
from gongkai.work.models import NotifySettings
from gongkai.work.reminders import run_reminders
from tests.access_proposals import make_proposal
from tests.conftest import Cast, client_for, csrf_post

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = dt.date.fromisoformat
FULL_ONLY = "完整答复中不宜公开的细节"


def at(day: str, hour: int = 10) -> Any:
    return time_machine.travel(
        dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI), tick=False
    )


def text_of(response: Any) -> str:
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(body))


def letter() -> SimpleUploadedFile:
    doc = WordDocument()
    doc.add_paragraph("复文全文：" + FULL_ONLY)
    buffer = io.BytesIO()
    doc.save(buffer)
    return SimpleUploadedFile(
        "复文.docx",
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


def reply_data(**changes: Any) -> dict[str, Any]:
    return {
        "replied_on": "2026-04-01",
        "result": "A",
        "reply_text": "已采纳。" + FULL_ONLY,
        "disclose": "1",
        "withhold_reason": "",
        "public_form": "full",
        "summary": "",
        **changes,
    }


def replied_with_draft(cast: Cast) -> tuple[Proposal, Document, Any]:
    p = make_proposal(cast, received_on=D("2026-03-10"), due_on=D("2026-06-10"), year=2026)
    liaison = client_for(cast.justice_liaison)
    with at("2026-04-02"):
        data = {**reply_data(), "letter": letter()}
        assert csrf_post(liaison, reverse("proposals:reply", args=[p.pk]), data).status_code == 302
        assert csrf_post(liaison, reverse("proposals:publish", args=[p.pk])).status_code == 302
    p.refresh_from_db()
    assert p.document is not None and p.document.attachments.count() == 1
    return p, p.document, liaison


def test_a_reply_in_review_cannot_be_turned_undisclosed_or_into_a_summary(cast: Cast) -> None:
    p, doc, liaison = replied_with_draft(cast)
    publishing.submit(cast.justice_liaison, doc)
    url = reverse("proposals:reply", args=[p.pk])
    with at("2026-04-03"):
        hidden = csrf_post(liaison, url, reply_data(disclose="0", withhold_reason="涉及个人隐私"))
        summed = csrf_post(liaison, url, reply_data(public_form="summary", summary="已采纳。"))
        # The result and date are no part of the public draft: they may still be corrected.
        fixed = csrf_post(liaison, url, reply_data(result="B"))
    for refused in (hidden, summed):
        assert refused.status_code == 400
        assert "不能改为不公开或修改公开的内容" in text_of(refused)
    assert fixed.status_code == 302
    p.refresh_from_db()
    assert (p.disclose, p.public_form, p.result) == (True, "full", "B")

    # Published, the same holds until the office withdraws it.
    for reviewer in (cast.justice_liaison, cast.justice_leader, cast.office):
        publishing.review(reviewer, doc, approve=True, comment="同意")
    publishing.publish(cast.office, doc)
    with at("2026-04-05"):
        refused = csrf_post(liaison, url, reply_data(disclose="0", withhold_reason="涉密"))
    assert refused.status_code == 400
    p.refresh_from_db()
    assert p.disclose and p.reply_is_public


def test_an_unsent_draft_follows_the_reply_and_never_holds_more_than_is_public(
    cast: Cast, anon: Any
) -> None:
    p, doc, liaison = replied_with_draft(cast)
    url = reverse("proposals:reply", args=[p.pk])
    with at("2026-04-03"):
        summed = reply_data(public_form="summary", summary="建议已采纳，正在落实。")
        assert csrf_post(liaison, url, summed).status_code == 302
    doc.refresh_from_db()
    assert "正在落实" in doc.body_text and FULL_ONLY not in doc.body_text
    assert doc.attachments.count() == 0  # the full letter is not part of a summary

    with at("2026-04-04"):
        hidden = reply_data(disclose="0", withhold_reason="涉及个人隐私")
        assert csrf_post(liaison, url, hidden).status_code == 302
    doc.refresh_from_db()
    assert FULL_ONLY not in doc.title + doc.body_text and "正在落实" not in doc.body_text
    assert doc.attachments.count() == 0 and doc.state == DocState.DRAFT

    # Even pushed through review by hand, nothing of the reply reaches the portal.
    publishing.submit(cast.justice_liaison, doc)
    for reviewer in (cast.justice_liaison, cast.justice_leader, cast.office):
        publishing.review(reviewer, doc, approve=True, comment="同意")
    publishing.publish(cast.office, doc)
    assert anon.get(reverse("jyta:detail", args=[p.pk])).status_code == 404
    page = anon.get(reverse("portal:document", args=[doc.pk]))
    assert FULL_ONLY not in text_of(page) and "正在落实" not in text_of(page)


def test_section_six_counts_the_year_as_it_stood_on_its_last_day(cast: Cast) -> None:
    on_time = make_proposal(cast, "第0001号", year=2026, received_on=D("2026-09-01"))
    Proposal.objects.filter(pk=on_time.pk).update(
        due_on=D("2026-12-01"), replied_on=D("2026-11-30"), result="A"
    )
    late = make_proposal(cast, "第0002号", year=2026, received_on=D("2026-10-01"))
    Proposal.objects.filter(pk=late.pk).update(
        due_on=D("2026-12-30"), replied_on=D("2027-01-05"), result="C"
    )
    with at("2027-01-20"):
        six = {s["number"]: s["text"] for s in build_annual(2026)["sections"]}["六"]
        page = client_for(cast.office).get(reverse("proposals:summary"), {"year": 2026})
    assert "政协委员提案2件" in six
    assert "已办复1件，其中按期办复1件" in six
    assert "留作参考的0件" in six and "吸收采纳率100.0%" in six
    # The staff page is today's picture: both are replied by now.
    assert page.status_code == 200 and "2 件，其中按期办复 1 件" in text_of(page)


def test_a_proposal_handed_to_another_unit_is_reminded_to_that_unit(cast: Cast) -> None:
    NotifySettings.objects.create(unit=cast.justice, emails="sifa@example.cn", days_before=3)
    NotifySettings.objects.create(unit=cast.finance, emails="caizheng@example.cn", days_before=3)
    with at("2026-03-02"):
        p = make_proposal(cast, received_on=D("2026-03-02"), due_on=D("2026-03-20"), year=2026)
    with at("2026-03-18", 9):
        run_reminders()
    assert [m.to for m in mail.outbox if p.title in m.body] == [["sifa@example.cn"]]
    mail.outbox.clear()
    with at("2026-03-18", 11):
        data = {
            "year": "2026",
            "level": p.level,
            "kind": p.kind,
            "number": p.number,
            "title": p.title,
            "deputies": p.deputies,
            "unit": cast.finance.pk,
            "received_on": "2026-03-02",
            "due_on": "2026-03-20",
        }
        moved = csrf_post(client_for(cast.office), reverse("proposals:edit", args=[p.pk]), data)
        assert moved.status_code == 302
    with at("2026-03-18", 16):
        run_reminders()
    assert [m.to for m in mail.outbox if p.title in m.body] == [["caizheng@example.cn"]]


def test_a_proposal_with_an_unsent_draft_can_be_handed_to_another_unit(cast: Cast) -> None:
    p, doc, _ = replied_with_draft(cast)
    data = {
        "year": "2026",
        "level": p.level,
        "kind": p.kind,
        "number": p.number,
        "title": p.title,
        "deputies": p.deputies,
        "unit": cast.finance.pk,
        "received_on": "2026-03-10",
        "due_on": "2026-06-10",
    }
    with at("2026-04-03"):
        moved = csrf_post(client_for(cast.office), reverse("proposals:edit", args=[p.pk]), data)
    assert moved.status_code == 302, text_of(moved)
    p.refresh_from_db()
    doc.refresh_from_db()
    assert p.unit == cast.finance and p.document is None
    assert FULL_ONLY not in doc.title + doc.body_text and doc.attachments.count() == 0
    with at("2026-04-04"):
        made = csrf_post(
            client_for(cast.finance_liaison), reverse("proposals:publish", args=[p.pk])
        )
    assert made.status_code == 302
    p.refresh_from_db()
    assert p.document is not None and p.document.unit == cast.finance

    # Once in review, the draft's unit stays the lead unit until it comes back.
    publishing.submit(cast.finance_liaison, p.document)
    with at("2026-04-05"):
        refused = csrf_post(
            client_for(cast.office),
            reverse("proposals:edit", args=[p.pk]),
            {**data, "unit": cast.justice.pk},
        )
    assert refused.status_code == 400 and "不能更换主办单位" in text_of(refused)


def test_a_co_handling_unit_sees_the_reply_drafts_state_and_follows_it_once_published(
    cast: Cast,
) -> None:
    p, doc, liaison = replied_with_draft(cast)
    p.co_units.set([cast.finance])
    draft_url = reverse("publishing:detail", args=[doc.pk])
    detail = reverse("proposals:detail", args=[p.pk])
    co_handler = client_for(cast.finance_liaison)
    assert co_handler.get(draft_url).status_code == 404  # the lead unit's draft is not theirs
    page = co_handler.get(detail)
    assert page.status_code == 200 and f'href="{draft_url}"' not in page.content.decode()
    assert f"{doc.title}（草稿，由主办单位办理）" in text_of(page)
    assert f'href="{draft_url}"' in liaison.get(detail).content.decode()

    publishing.submit(cast.justice_liaison, doc)
    for reviewer in (cast.justice_liaison, cast.justice_leader, cast.office):
        publishing.review(reviewer, doc, approve=True, comment="同意")
    publishing.publish(cast.office, doc)
    public_url = reverse("jyta:detail", args=[p.pk])
    shown = co_handler.get(detail).content.decode()
    assert f'<a href="{public_url}">{doc.title}</a>（已发布，门户网站）' in shown
    assert f'href="{draft_url}"' not in shown
    assert Client().get(public_url).status_code == 200


def test_a_unit_reading_the_years_figures_is_not_linked_to_the_offices_summary_draft(
    cast: Cast,
) -> None:
    make_proposal(cast, year=2026)
    with at("2026-05-06"):
        made = actions.generate_summary(cast.office, 2026)
    draft_url = reverse("publishing:detail", args=[made.document_id])
    summary = reverse("proposals:summary") + "?year=2026"
    for user in (cast.justice_liaison, cast.finance_liaison):
        page = client_for(user).get(summary)
        assert page.status_code == 200 and f'href="{draft_url}"' not in page.content.decode()
        assert "上次生成：2026年人大代表建议和政协委员提案办理总体情况（草稿" in text_of(page)
    assert f'href="{draft_url}"' in client_for(cast.office).get(summary).content.decode()
