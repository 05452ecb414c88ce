"""Letters to applicants (and to third parties) as .docx, from templates the office may edit.

A template has a title, a body and a legal basis, plain text with these placeholders:

    {申请人}      the applicant's name
    {申请编号}    the request's tracking number
    {收到日期}    the receipt day (or the day it arrived, before the receipt day is fixed)
    {申请内容}    the description of the information asked for
    {办理机关}    the handling unit's name
    {答复期限}    the reply deadline
    {日期}        the letter's date
    {理由}        the reasons recorded on the request (or given when issuing)
    {补正期限}    the correction deadline of the last correction notice
    {延期天数}    the working days of the last extension
    {延期后期限}  the reply deadline after the extension
    {第三方}      the party consulted last
    {收费金额}    the information-processing fee, in 元
    {收费依据}    the fee's rules, standard and computation (fees.quote)
    {缴费期限}    the day the fee must be paid by
    {法律依据}    the template's legal basis

A known placeholder with nothing to say is printed as a blank line to fill in by hand; an unknown
one is left as written, and saving a template that holds one is refused.

Actions (each one transaction, audited): `issue_letter`, `save_template`, `reset_template`.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from gongkai.audit.models import AuditAction
from gongkai.audit.record import diff, record, record_create, record_delete, snapshot
from gongkai.disclosure import fees
from gongkai.disclosure.access import can_work
from gongkai.disclosure.files import delete_request_file, save_generated_docx
from gongkai.disclosure.letter_defaults import all_keys, default_text
from gongkai.disclosure.models import (
    EventKind,
    FeeMethod,
    Letter,
    LetterKind,
    LetterTemplate,
    Outcome,
    Request,
)
from gongkai.disclosure.text import plain_text

PLACEHOLDERS: dict[str, str] = {
    "申请人": "申请人姓名或名称",
    "申请编号": "申请编号",
    "收到日期": "收到申请的日期",
    "申请内容": "所申请政府信息的描述",
    "办理机关": "办理单位的名称",
    "答复期限": "答复期限",
    "日期": "文书日期",
    "理由": "理由和依据（申请中记录的，或生成文书时填写的）",
    "补正期限": "补正期限（最近一次补正通知）",
    "延期天数": "延长的工作日数（最近一次延期）",
    "延期后期限": "延长后的答复期限",
    "第三方": "被征求意见的第三方（最近一次征求意见）",
    "收费金额": "信息处理费金额（元）",
    "收费依据": "收费依据、标准和计算过程",
    "缴费期限": "缴费期限",
    "法律依据": "本文书的法律依据",
}

#: What a known placeholder with no value prints: a line to fill in by hand.
BLANK = "＿＿＿＿＿＿"

_PLACEHOLDER = re.compile(r"\{([^{}\n]*)\}")

BODY_FONT = "仿宋"
TITLE_FONT = "宋体"


class LetterRejected(Exception):
    """No letter or template was written; the message says why, in the user's words."""


# -- templates -----------------------------------------------------------------------------


def unknown_placeholders(text: str) -> list[str]:
    """The {names} in `text` that are not placeholders, each once, in order of appearance."""
    found = [m.group(1) for m in _PLACEHOLDER.finditer(text)]
    unknown = [name for name in found if name not in PLACEHOLDERS]
    return list(dict.fromkeys(unknown))


def placeholder_problem(text: str) -> str:
    """A message naming the unknown placeholders of `text`, or '' when there are none."""
    unknown = unknown_placeholders(text)
    if not unknown:
        return ""
    names = "、".join("{" + name + "}" for name in unknown)
    return f"有未知的占位符：{names}。请使用本页列出的占位符，或删去花括号。"


def _check_kind(kind: str, outcome: str) -> tuple[LetterKind, str]:
    try:
        default_text(kind, outcome)
    except ValueError as exc:
        raise LetterRejected(f"没有这种文书模板：{exc}") from None
    return LetterKind(kind), outcome


def template_for(kind: str, outcome: str = "") -> LetterTemplate:
    """The office's edited template of this letter, or an unsaved one holding the defaults."""
    letter_kind, outcome = _check_kind(kind, outcome)
    saved = LetterTemplate.objects.filter(kind=letter_kind, outcome=outcome).first()
    if saved is not None:
        return saved
    text = default_text(letter_kind, outcome)
    return LetterTemplate(
        kind=letter_kind, outcome=outcome, title=text.title, body=text.body, basis=text.basis
    )


def all_templates() -> list[LetterTemplate]:
    """Every template, edited or default, in the order of `letter_defaults.all_keys`."""
    saved = {(t.kind, t.outcome): t for t in LetterTemplate.objects.all()}
    out = []
    for kind, outcome in all_keys():
        row = saved.get((kind, outcome))
        if row is None:
            text = default_text(kind, outcome)
            row = LetterTemplate(
                kind=kind, outcome=outcome, title=text.title, body=text.body, basis=text.basis
            )
        out.append(row)
    return out


def _may_edit_templates(user: Any) -> None:
    if not getattr(user, "is_office", False):
        raise PermissionDenied("只有公开办可以修改文书模板")


def save_template(
    user: Any, kind: str, outcome: str, title: str, body: str, basis: str
) -> LetterTemplate:
    """The office's text for one letter; refused when a part holds an unknown placeholder."""
    _may_edit_templates(user)
    letter_kind, outcome = _check_kind(kind, outcome)
    title, body, basis = title.strip(), body.strip(), basis.strip()
    if not title or not body:
        raise LetterRejected("标题和正文不能为空")
    for label, text in (("标题", title), ("正文", body), ("法律依据", basis)):
        problem = placeholder_problem(text)
        if problem:
            raise LetterRejected(f"{label}中{problem}")
    with transaction.atomic():
        row = (
            LetterTemplate.objects.select_for_update()
            .filter(kind=letter_kind, outcome=outcome)
            .first()
        )
        created = row is None
        if row is None:
            row = template_for(letter_kind, outcome)
        before = snapshot(row)
        row.title, row.body, row.basis = title, body, basis
        row.updated_by = user
        row.updated_at = timezone.now()
        row.save()
        changes = diff(before, snapshot(row))
        for field in ("id", "updated_at", "updated_by"):
            changes.pop(field, None)
        record(
            user,
            AuditAction.CREATE if created else AuditAction.CHANGE,
            row,
            changes=changes,
            comment="修改文书模板" if not created else "修改文书模板（由默认文本改写）",
        )
    return row


def reset_template(user: Any, kind: str, outcome: str = "") -> LetterTemplate:
    """Back to the built-in text: the office's row is deleted. The (unsaved) default."""
    _may_edit_templates(user)
    letter_kind, outcome = _check_kind(kind, outcome)
    with transaction.atomic():
        row = (
            LetterTemplate.objects.select_for_update()
            .filter(kind=letter_kind, outcome=outcome)
            .first()
        )
        if row is not None:
            record_delete(user, row, comment="文书模板恢复默认文本")
            row.delete()
    return template_for(letter_kind, outcome)


# -- values of the placeholders ------------------------------------------------------------


def chinese_date(day: dt.date | None) -> str:
    """2025年9月26日, as official letters write dates (GB/T 9704: Arabic numerals)."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _event_data(request: Request, kind: EventKind) -> dict[str, Any]:
    """The data of the request's latest event of `kind` ({} when none, or not saved yet)."""
    if request.pk is None:
        return {}
    row = request.events.filter(kind=kind).order_by("-date", "-id").first()
    return dict(row.data or {}) if row is not None else {}


def _iso_day(value: object) -> str:
    if isinstance(value, str) and value:
        try:
            return chinese_date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return ""


def _fee_values(request: Request) -> dict[str, str]:
    if request.fee_method == FeeMethod.NONE:
        return {}
    try:
        quoted = fees.quote(request, request.fee_method)
    except ValueError:
        return {"缴费期限": chinese_date(request.fee_pay_by)}
    amount = request.fee_amount or quoted.amount
    return {
        "收费金额": f"{amount:.2f}",
        "收费依据": f"{quoted.basis_text}。{quoted.explanation}",
        "缴费期限": chinese_date(request.fee_pay_by),
    }


def placeholder_values(
    request: Request, template: LetterTemplate, issued_on: dt.date
) -> dict[str, str]:
    """What each placeholder stands for in a letter on `request`; '' when nothing is known."""
    correction = _event_data(request, EventKind.CORRECTION_REQUESTED)
    extension = _event_data(request, EventKind.EXTENDED)
    consultation = _event_data(request, EventKind.CONSULTATION_STARTED)
    unit = request.unit if request.unit_id is not None else None
    values = {
        "申请人": request.applicant_name,
        "申请编号": request.tracking_no,
        "收到日期": chinese_date(fees.receipt_day(request)),
        "申请内容": request.description.strip(),
        "办理机关": unit.name if unit is not None else "",
        "答复期限": chinese_date(request.deadline),
        "日期": chinese_date(issued_on),
        "理由": request.reasons.strip(),
        "补正期限": _iso_day(correction.get("correct_by")),
        "延期天数": str(extension["workdays"]) if extension.get("workdays") else "",
        "延期后期限": chinese_date(request.deadline) if extension else "",
        "第三方": str(consultation.get("name", "")),
        "收费金额": "",
        "收费依据": "",
        "缴费期限": "",
        "法律依据": template.basis.strip(),
    }
    values.update(_fee_values(request))
    return values


def fill(text: str, values: Mapping[str, str]) -> str:
    """`text` with known placeholders replaced (a blank line when empty), unknown ones kept."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in PLACEHOLDERS:
            return match.group(0)
        return values.get(name, "") or BLANK

    return _PLACEHOLDER.sub(one, text)


# -- the document --------------------------------------------------------------------------


def _font(paragraph: Paragraph, name: str, size: float, *, bold: bool = False) -> None:
    for run in paragraph.runs:
        run.font.name = name
        run.font.size = Pt(size)
        run.font.bold = bold
        fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), name)


def _paragraph(
    doc: Any,
    text: str,
    *,
    align: Any = None,
    indent: bool = False,
    font: str = BODY_FONT,
    size: float = 16,
    bold: bool = False,
) -> Paragraph:
    p: Paragraph = doc.add_paragraph(plain_text(text))
    if align is not None:
        p.alignment = align
    fmt = p.paragraph_format
    fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(28)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    _font(p, font, size, bold=bold)
    return p


def build_docx(
    *,
    title: str,
    tracking_no: str,
    salutation: str,
    body: list[str],
    basis: str,
    signer: str,
    date: str,
) -> bytes:
    """A letter laid out as an official document: A4, GB/T 9704 margins, 三号仿宋 text."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)

    _paragraph(doc, title, align=WD_ALIGN_PARAGRAPH.CENTER, font=TITLE_FONT, size=22, bold=True)
    _paragraph(doc, f"申请编号：{tracking_no}", align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(doc, "")
    _paragraph(doc, salutation)
    for line in body:
        _paragraph(doc, line, indent=True)
    if basis:
        _paragraph(doc, f"法律依据：{basis}", indent=True)
    _paragraph(doc, "")
    _paragraph(doc, signer, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(doc, date, align=WD_ALIGN_PARAGRAPH.RIGHT)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render_template(
    template: LetterTemplate,
    request: Request,
    *,
    issued_on: dt.date,
    extra: Mapping[str, str] | None = None,
) -> tuple[str, bytes]:
    """The title and the .docx of `template` filled in for `request`. `extra` overrides values
    by placeholder name (blank overrides are ignored)."""
    values = placeholder_values(request, template, issued_on)
    values.update({k: v for k, v in (extra or {}).items() if k in PLACEHOLDERS and v.strip()})
    # The basis may itself hold placeholders; fill it first so {法律依据} prints it filled.
    values["法律依据"] = fill(values["法律依据"], {**values, "法律依据": ""})
    title = fill(template.title, values).strip()
    addressee = values["第三方"] if template.kind == LetterKind.CONSULTATION else values["申请人"]
    body = [fill(line, values).strip() for line in template.body.splitlines()]
    data = build_docx(
        title=title,
        tracking_no=request.tracking_no,
        salutation=f"{addressee or BLANK}：",
        body=[line for line in body if line],
        basis=values["法律依据"],
        signer=values["办理机关"] or BLANK,
        date=values["日期"],
    )
    return title, data


def _reply_outcome(request: Request, kind: str) -> str:
    if kind != LetterKind.REPLY:
        return ""
    if not request.outcome:
        raise LetterRejected("该申请尚未确定办理结果，不能生成答复书")
    return Outcome(request.outcome).value


def render_letter(
    request: Request,
    kind: str,
    *,
    issued_on: dt.date,
    extra: dict[str, str] | None = None,
) -> bytes:
    """The .docx of letter `kind` on `request` (a reply uses the template of its outcome)."""
    template = template_for(kind, _reply_outcome(request, kind))
    return render_template(template, request, issued_on=issued_on, extra=extra)[1]


def issue_letter(
    user: Any,
    request: Request,
    kind: str,
    issued_on: dt.date,
    extra: dict[str, str] | None = None,
) -> Letter:
    """Render the letter, keep the .docx, and record it on the request."""
    if not can_work(user, request):  # the office, or a liaison of the request's unit
        raise PermissionDenied("只有公开办或本单位联络员可以生成文书")
    letter_kind, outcome = _check_kind(kind, _reply_outcome(request, kind))
    if letter_kind == LetterKind.FEE_NOTICE and request.fee_method == FeeMethod.NONE:
        raise LetterRejected("该申请未确定收费方式，不能生成缴费通知书")
    template = template_for(letter_kind, outcome)
    title, data = render_template(template, request, issued_on=issued_on, extra=extra)
    stored = save_generated_docx(data)
    try:
        with transaction.atomic():
            letter = Letter.objects.create(
                request=request,
                kind=letter_kind,
                title=title[:100],
                stored_name=stored,
                issued_on=issued_on,
                created_by=user if getattr(user, "is_authenticated", False) else None,
            )
            record_create(user, letter, comment=f"生成{letter_kind.label}")
    except BaseException:
        delete_request_file(stored)  # no row points at it
        raise
    return letter
