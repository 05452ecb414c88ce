"""Letters as .docx from editable templates: defaults, editing, issuing, downloading."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from gongkai.audit.models import AuditAction, AuditEvent
from gongkai.disclosure import letters
from gongkai.disclosure.letter_defaults import all_keys, default_text
from gongkai.disclosure.models import (
    EventKind,
    FeeMethod,
    Letter,
    LetterKind,
    LetterTemplate,
    Outcome,
    Request,
    RequestEvent,
)
from tests.conftest import client_for, csrf_post

_serial = itertools.count(1)
DAY = dt.date(2025, 9, 26)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def make_request(unit: Any, **fields: Any) -> Request:
    values: dict[str, Any] = {
        "tracking_no": f"YSQ-2025-{next(_serial):05d}",
        "applicant_type": "person",
        "applicant_name": "赵六",
        "id_number": "110101199001011234",
        "contact_phone": "13900000000",
        "description": "本区2024年法律援助经费使用情况",
        "channel": "online",
        "arrived_on": DAY,
        "received_on": DAY,
        "deadline": dt.date(2025, 10, 30),
        "unit": unit,
        "reasons": "该信息涉及内部人事安排",
    }
    values.update(fields)
    return Request.objects.create(**values)


def docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def body_of(response: Any) -> bytes:
    """The bytes of a file response."""
    return b"".join(response.streaming_content)


def download(client: Any, letter: Letter) -> Any:
    return client.get(reverse("disclosure:letter_download", args=[letter.pk]))


def issue_url(request: Request, kind: str) -> str:
    return reverse("disclosure:letter_issue", args=[request.pk, kind])


def letters_page(request: Request) -> str:
    return reverse("disclosure:request_letters", args=[request.pk])


def template_url(kind: str, outcome: str = "") -> str:
    return reverse("disclosure:letter_template", args=[kind, outcome or "-"])


# -- the defaults ------------------------------------------------------------------------------


def test_there_are_25_templates_one_reply_per_outcome() -> None:
    keys = all_keys()
    assert len(keys) == 25
    assert {o for k, o in keys if k == LetterKind.REPLY} == set(Outcome.values)
    assert {k for k, o in keys if not o} == set(LetterKind) - {LetterKind.REPLY}


@pytest.mark.parametrize(("kind", "outcome"), all_keys())
def test_every_default_uses_only_known_placeholders(kind: str, outcome: str) -> None:
    text = default_text(kind, outcome)
    for part in (text.title, text.body, text.basis):
        assert letters.unknown_placeholders(part) == []
    assert "条例" in text.basis or "109号" in text.basis
    if kind == LetterKind.REPLY:
        assert "行政复议" in text.body and "行政诉讼" in text.body
        assert "六十日" in text.body and "六个月" in text.body


@pytest.mark.parametrize(("kind", "outcome"), all_keys())
def test_every_default_renders_a_complete_letter(cast: Any, kind: str, outcome: str) -> None:
    request = make_request(
        cast.justice,
        outcome=outcome,
        fee_method=FeeMethod.PER_PAGE,
        fee_pages=150,
        fee_amount=1700,
        fee_pay_by=dt.date(2025, 11, 10),
    )
    RequestEvent.objects.create(
        request=request,
        kind=EventKind.CORRECTION_REQUESTED,
        date=DAY,
        data={"correct_by": "2025-10-15"},
    )
    RequestEvent.objects.create(
        request=request,
        kind=EventKind.CONSULTATION_STARTED,
        date=DAY,
        data={"party": "third_party", "name": "某某科技有限公司"},
    )
    RequestEvent.objects.create(
        request=request, kind=EventKind.EXTENDED, date=DAY, data={"workdays": 15}
    )
    data = letters.render_letter(request, kind, issued_on=dt.date(2025, 10, 9))
    text = docx_text(data)
    assert not re.search(r"\{[^{}\n]*\}", text), text
    assert letters.BLANK not in text, text  # every placeholder had a value here
    assert request.tracking_no in text
    addressee = "某某科技有限公司" if kind == LetterKind.CONSULTATION else "赵六"
    assert f"{addressee}：" in text
    assert default_text(kind, outcome).basis in text
    assert "区司法局" in text
    assert "2025年10月9日" in text
    if kind != LetterKind.CONSULTATION:
        assert "2025年9月26日" in text
    if kind == LetterKind.CORRECTION:
        assert "2025年10月15日" in text
    if kind == LetterKind.EXTENSION:
        assert "延长15个工作日" in text and "2025年10月30日" in text
    if kind == LetterKind.FEE_NOTICE:
        assert "1700.00元" in text and "2025年11月10日" in text and "按量计收" in text


def test_letters_set_a_chinese_east_asian_font(cast: Any) -> None:
    request = make_request(cast.justice, outcome=Outcome.GRANTED)
    doc = Document(io.BytesIO(letters.render_letter(request, "reply", issued_on=DAY)))
    title = doc.paragraphs[0]
    assert title.text == "政府信息公开申请答复书"
    assert title.alignment == 1  # centred
    fonts = title.runs[0]._element.get_or_add_rPr().get_or_add_rFonts()
    assert fonts.get(qn("w:eastAsia")) == "宋体"
    assert doc.paragraphs[-1].alignment == 2  # the date, at the right
    assert doc.paragraphs[-2].text == "区司法局"


def test_unknown_placeholders_stay_visible_and_empty_known_ones_leave_a_blank() -> None:
    values = {"申请人": "甲"}
    assert letters.fill("{申请人}请于{补正期限}前补正{不存在}", values) == (
        f"甲请于{letters.BLANK}前补正{{不存在}}"
    )


# -- editing templates -------------------------------------------------------------------------


def test_template_list_shows_all_25(cast: Any) -> None:
    response = client_for(cast.justice_liaison).get(reverse("disclosure:letter_templates"))
    assert response.status_code == 200
    html = response.content.decode()
    assert len(set(re.findall(r'href="/disclosure/templates/[^/"]+/[^/"]+/"', html))) == 25
    assert "不予公开：属于国家秘密" in html
    assert "信息处理费缴费通知书" in html


def test_office_edits_a_template_and_the_issued_letter_uses_it(cast: Any) -> None:
    office = client_for(cast.office)
    url = template_url("reply", Outcome.INTERNAL_AFFAIRS)
    response = csrf_post(
        office,
        url,
        {
            "title": "{办理机关}政府信息公开答复",
            "body": "经研究，您申请的“{申请内容}”属于内部事务信息。\n理由：{理由}",
            "basis": "条例第十六条第一款",
        },
    )
    assert response.status_code == 302
    row = LetterTemplate.objects.get(kind="reply", outcome=Outcome.INTERNAL_AFFAIRS)
    assert row.updated_by == cast.office
    event = AuditEvent.objects.get(object_id=str(row.pk), action=AuditAction.CREATE)
    before, after = event.changes["basis"]
    assert before == default_text("reply", Outcome.INTERNAL_AFFAIRS).basis
    assert after == "条例第十六条第一款"

    request = make_request(cast.justice, outcome=Outcome.INTERNAL_AFFAIRS)
    liaison = client_for(cast.justice_liaison)
    response = csrf_post(liaison, issue_url(request, "reply"), {"issued_on": "2025-10-09"})
    assert response.status_code == 302
    letter = Letter.objects.get(request=request)
    assert letter.title == "区司法局政府信息公开答复"
    assert letter.created_by == cast.justice_liaison
    assert AuditEvent.objects.filter(object_id=str(letter.pk), action=AuditAction.CREATE).exists()

    response = download(liaison, letter)
    assert response.status_code == 200
    text = docx_text(body_of(response))
    assert "经研究，您申请的“本区2024年法律援助经费使用情况”属于内部事务信息。" in text
    assert "理由：该信息涉及内部人事安排" in text
    assert "法律依据：条例第十六条第一款" in text


def test_saving_a_template_with_an_unknown_placeholder_is_refused(cast: Any) -> None:
    office = client_for(cast.office)
    url = template_url("extension")
    response = csrf_post(
        office,
        url,
        {"title": "延期告知", "body": "延期至{延期后期限}，请联系{经办人}。", "basis": ""},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "有未知的占位符：{经办人}" in html
    assert not LetterTemplate.objects.exists()
    with pytest.raises(letters.LetterRejected, match=r"法律依据中有未知的占位符：\{文号\}"):
        letters.save_template(cast.office, "correction", "", "补正", "请补正", "见{文号}")


def test_only_the_office_edits_templates(cast: Any) -> None:
    url = template_url("correction")
    data = {"title": "补正", "body": "请补正", "basis": ""}
    response = csrf_post(client_for(cast.justice_liaison), url, data)
    assert response.status_code == 403
    assert client_for(cast.justice_liaison).get(url).status_code == 200  # may read it
    with pytest.raises(PermissionDenied):
        letters.save_template(cast.evaluator, "correction", "", "补正", "请补正", "")
    assert not LetterTemplate.objects.exists()


def test_unknown_template_keys_are_404(cast: Any) -> None:
    office = client_for(cast.office)
    assert office.get(template_url("reply", "nonsense")).status_code == 404
    assert office.get(template_url("reply")).status_code == 404  # a reply needs an outcome
    assert office.get(template_url("extension", Outcome.GRANTED)).status_code == 404


def test_reset_brings_back_the_default(cast: Any) -> None:
    letters.save_template(cast.office, "extension", "", "延期", "延期{延期天数}日", "第三十三条")
    assert letters.template_for("extension").title == "延期"
    response = csrf_post(
        client_for(cast.office),
        reverse("disclosure:letter_template_reset", args=["extension", "-"]),
    )
    assert response.status_code == 302
    assert not LetterTemplate.objects.exists()
    assert letters.template_for("extension").body == default_text("extension").body
    assert AuditEvent.objects.filter(action=AuditAction.DELETE).count() == 1


def test_preview_downloads_a_sample_letter(cast: Any) -> None:
    office = client_for(cast.office)
    url = reverse("disclosure:letter_template_preview", args=["fee_notice", "-"])
    response = office.get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    text = docx_text(body_of(response))
    assert "张三：" in text and "区人民政府办公室" in text
    assert not re.search(r"\{[^{}\n]*\}", text)

    response = csrf_post(
        office, url, {"title": "试看", "body": "您好{申请人}，编号{申请编号}", "basis": ""}
    )
    assert response.status_code == 200
    assert "您好张三" in docx_text(body_of(response))
    assert not LetterTemplate.objects.exists()  # a preview saves nothing


def test_edit_page_lists_the_placeholders(cast: Any) -> None:
    response = client_for(cast.office).get(template_url("reply", Outcome.CONFIRM_REISSUE))
    html = response.content.decode()
    for name in letters.PLACEHOLDERS:
        assert "{" + name + "}" in html
    assert "请结合本地实践核实" in html  # the note on this default


# -- issuing and downloading -------------------------------------------------------------------


def test_reply_is_refused_while_the_request_has_no_outcome(cast: Any) -> None:
    request = make_request(cast.justice)
    response = csrf_post(
        client_for(cast.justice_liaison),
        issue_url(request, "reply"),
        {"issued_on": "2025-10-09", "next": letters_page(request)},
        follow=True,
    )
    assert response.status_code == 200
    assert "该申请尚未确定办理结果，不能生成答复书" in response.content.decode()
    assert not Letter.objects.exists()
    with pytest.raises(letters.LetterRejected):
        letters.issue_letter(cast.office, request, "reply", DAY)


def test_fee_notice_needs_a_fee_method(cast: Any) -> None:
    request = make_request(cast.justice)
    with pytest.raises(letters.LetterRejected, match="收费方式"):
        letters.issue_letter(cast.office, request, "fee_notice", DAY)


def test_finance_liaison_cannot_issue_or_download_a_justice_letter(cast: Any) -> None:
    request = make_request(cast.justice, outcome=Outcome.GRANTED)
    letter = letters.issue_letter(cast.justice_liaison, request, "reply", DAY)
    finance = client_for(cast.finance_liaison)
    response = csrf_post(finance, issue_url(request, "reply"), {"issued_on": "2025-10-09"})
    assert response.status_code == 404
    assert download(finance, letter).status_code == 404
    missing = reverse("disclosure:letter_download", args=[letter.pk + 100])
    assert finance.get(missing).status_code == 404
    assert finance.get(reverse("disclosure:request_letters", args=[request.pk])).status_code == 404
    assert Letter.objects.count() == 1


def test_read_only_users_may_download_but_not_issue(cast: Any) -> None:
    request = make_request(cast.justice, outcome=Outcome.GRANTED)
    letter = letters.issue_letter(cast.office, request, "reply", DAY)
    for user in (cast.justice_leader, cast.evaluator):
        client = client_for(user)
        response = csrf_post(client, issue_url(request, "reply"), {"issued_on": "2025-10-09"})
        assert response.status_code == 403
        assert download(client, letter).status_code == 200
    assert Letter.objects.count() == 1


def test_download_names_the_file_by_its_title_and_is_not_sniffed(cast: Any) -> None:
    request = make_request(cast.justice, outcome=Outcome.NOT_HELD)
    letter = letters.issue_letter(cast.justice_liaison, request, "reply", DAY)
    response = download(client_for(cast.justice_liaison), letter)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert "filename*=utf-8''" in disposition
    assert "%E7%AD%94%E5%A4%8D%E4%B9%A6" in disposition  # 答复书, percent-encoded


def test_issue_form_values_override_the_register(cast: Any) -> None:
    request = make_request(cast.justice)
    response = csrf_post(
        client_for(cast.office),
        issue_url(request, "correction"),
        {"issued_on": "2025-09-28", "correct_by": "2025-10-20", "reasons": "请写明文件名称"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("disclosure:detail", args=[request.pk])
    letter = Letter.objects.get(request=request, kind=LetterKind.CORRECTION)
    assert letter.issued_on == dt.date(2025, 9, 28)
    text = docx_text(body_of(download(client_for(cast.office), letter)))
    assert "请写明文件名称" in text
    assert "请您于2025年10月20日前" in text


def test_issue_dates_the_letter_today_unless_told_and_needs_a_known_kind(cast: Any) -> None:
    request = make_request(cast.justice, outcome=Outcome.GRANTED)
    office = client_for(cast.office)
    data = {"issued_on": "9月", "next": letters_page(request)}
    response = csrf_post(office, issue_url(request, "reply"), data, follow=True)
    assert "未生成文书" in response.content.decode()
    assert not Letter.objects.exists()
    with time_machine.travel(dt.datetime(2025, 10, 10, 0, 30, tzinfo=SHANGHAI), tick=False):
        # Half past midnight in Beijing is the 10th, though still the 9th in UTC.
        response = csrf_post(office, issue_url(request, "reply"), {"next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == reverse("disclosure:detail", args=[request.pk])
    assert Letter.objects.get().issued_on == dt.date(2025, 10, 10)
    Letter.objects.all().delete()
    data = {"next": letters_page(request)}
    response = csrf_post(office, issue_url(request, "memo"), data, follow=True)
    assert "未生成文书：没有这种文书" in response.content.decode()
    assert not Letter.objects.exists()


def test_request_letters_page_lists_letters_and_issue_forms(cast: Any) -> None:
    request = make_request(cast.justice, outcome=Outcome.REPEAT)
    letters.issue_letter(cast.office, request, "reply", DAY)
    response = client_for(cast.justice_liaison).get(
        reverse("disclosure:request_letters", args=[request.pk])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "不予处理：重复申请" in html
    assert "下载" in html
    assert issue_url(request, "extension") in html
    leader_html = (
        client_for(cast.justice_leader)
        .get(reverse("disclosure:request_letters", args=[request.pk]))
        .content.decode()
    )
    assert issue_url(request, "extension") not in leader_html
