"""The privacy gate: every part of a document is scanned, and publication waits on the result.

A part is the title with the body, or one attachment. Each scan writes a PrivacyCheck row; only
the latest row of each part counts. A check blocks while it has hits or parts that could not be
read (problems), unless the office has overridden it with a reason; redaction writes a new scan
of the masked text, which is clear when the masking worked.

What a check keeps: the kind, where, whether it was hidden, the masked form and the masked
words around each hit — never the number itself, so the check rows (shown to staff, exported
in the audit) are no new copy of the personal data they warn about.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Max

from gongkai.privacy import KIND_LABELS, DocumentScan, Finding, scan_bytes
from gongkai.privacy.documents import DocumentKind, findings_in
from gongkai.privacy.pieces import Piece
from gongkai.publishing.models import Document, DocumentAttachment, PrivacyCheck
from gongkai.publishing.redact import html_attributes


def finding_row(finding: Finding) -> dict[str, Any]:
    hit = finding.hit
    return {
        "kind": hit.kind.value,
        "label": KIND_LABELS[hit.kind],
        "masked": hit.masked,
        "where": finding.where,
        "hidden": finding.hidden,
        "context": finding.context,
    }


#: Short metadata shown on the public page next to the title, scanned with it.
METADATA_FIELDS = ("doc_number", "publisher", "topic", "source", "source_url")


def metadata_text(document: Document) -> str:
    return "\n".join(str(getattr(document, name) or "") for name in METADATA_FIELDS)


def body_scan(document: Document) -> DocumentScan:
    links, others = html_attributes(document.body_html)
    findings = [
        *findings_in(Piece(document.title or "", "标题")),
        *findings_in(Piece(metadata_text(document), "文号、发布机构、来源等元数据")),
        *findings_in(Piece(document.body_text or "", "正文")),
        *findings_in(Piece("\n".join(links), "正文中的链接地址", True)),
        *findings_in(Piece("\n".join(others), "正文中的链接提示文字等属性", True)),
    ]
    return DocumentScan(DocumentKind.TEXT, findings)


def _save(
    document: Document, attachment: DocumentAttachment | None, scan: DocumentScan
) -> PrivacyCheck:
    return PrivacyCheck.objects.create(
        document=document,
        attachment=attachment,
        findings=[finding_row(f) for f in scan.findings],
        problems=list(scan.problems),
        hits=len(scan.findings),
    )


def check_body(document: Document) -> PrivacyCheck:
    """Scan the title and body as they are now; the new check."""
    return _save(document, None, body_scan(document))


def check_attachment(attachment: DocumentAttachment, data: bytes) -> PrivacyCheck:
    """Scan an attachment's content; the new check."""
    scan = scan_bytes(data, attachment.original_name)
    return _save(attachment.document, attachment, scan)


def latest_checks(document: Document) -> list[PrivacyCheck]:
    """The latest check of the body and of each current attachment, body first."""
    latest = (
        PrivacyCheck.objects.filter(document=document)
        .values("attachment_id")
        .annotate(last=Max("pk"))
        .values_list("last", flat=True)
    )
    checks = PrivacyCheck.objects.filter(pk__in=list(latest)).select_related("attachment")
    return sorted(
        checks,
        key=lambda c: (
            c.attachment_id is not None,
            c.attachment.position if c.attachment else 0,
            c.attachment_id or 0,
        ),
    )


def blocking(document: Document) -> list[PrivacyCheck]:
    """The latest checks that stop publication; [] = the gate is open. A document whose body
    was never scanned (made outside the actions) is scanned now."""
    checks = latest_checks(document)
    if not any(c.attachment_id is None for c in checks):
        checks.insert(0, check_body(document))
    return [c for c in checks if c.blocks]


def part_name(check: PrivacyCheck) -> str:
    if check.attachment is None:
        return "标题和正文"
    return f"附件「{check.attachment.original_name}」"


def describe(check: PrivacyCheck) -> str:
    """What a blocking check is about, in a sentence without any number in it."""
    parts = []
    counts: dict[str, int] = {}
    for finding in check.findings:
        label = str(finding.get("label", "个人信息"))
        counts[label] = counts.get(label, 0) + 1
    if counts:
        parts.append("发现" + "、".join(f"{label} {n} 处" for label, n in counts.items()))
    if check.problems:
        parts.append("有无法自动检查的内容：" + "；".join(str(p) for p in check.problems))
    return f"{part_name(check)}：{'，'.join(parts)}"


def summary(checks: Iterable[PrivacyCheck]) -> str:
    return "；".join(describe(c) for c in checks)
