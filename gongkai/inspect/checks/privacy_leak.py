"""`privacy_leak`: personal data published on a page or in a linked attachment — ID numbers
with a valid check digit, mobile numbers, bank card numbers (gongkai.privacy; e-mail addresses
are a site's contact channel, not a leak). The finding shows the numbers masked only.

Attachments: .docx, .xlsx and PDF files are read by gongkai.privacy's document scanner; plain
text files (.txt, .csv …), which it does not read, are decoded here (UTF-8, else GB18030) and
searched like a page. A file that cannot be read — a legacy .doc/.xls, an encrypted or damaged
file — yields no finding, since nothing was seen, but is never passed over silently: it is
kept in `PrivacyLeak.unread` with the scanner's reason, for the inspection's figures."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from gongkai.inspect.checks.base import Attachment, Check
from gongkai.inspect.findings import Finding, Severity
from gongkai.inspect.page import Page
from gongkai.inspect.parse.decode import looks_binary
from gongkai.inspect.site import Site
from gongkai.privacy import KIND_LABELS, Hit, HitKind, find_hits, scan_bytes
from gongkai.privacy.documents import DocumentKind

_KINDS = frozenset({HitKind.ID_CARD, HitKind.MOBILE, HitKind.BANK_CARD})
_SHOWN = 5  # masked examples in the evidence

# A run of digits long enough to hold anything the detector finds (11 characters or more, the
# detector's own floor), full-width digits and single joiners included. Only the text around
# such runs is handed to the detector, which folds full-width forms character by character:
# on a whole page that costs more than all the other checks together.
_RUN = re.compile(r"[0-9０-９](?:[0-9０-９XxＸｘ]|[ \-\u3000\u00a0－](?=[0-9０-９])){10,}")
_BEFORE = 48  # the detector reads up to 40 characters before a number (card words, labels)
_AFTER = 4


def page_hits(text: str) -> list[Hit]:
    """find_hits over the windows of `text` that can hold a hit; the same hits, cheaper."""
    windows: list[tuple[int, int, list[tuple[int, int]]]] = []
    for m in _RUN.finditer(text):
        start, end = max(0, m.start() - _BEFORE), min(len(text), m.end() + _AFTER)
        if windows and start <= windows[-1][1]:
            first, _, runs = windows[-1]
            runs.append(m.span())
            windows[-1] = (first, max(end, windows[-1][1]), runs)
        else:
            windows.append((start, end, [m.span()]))
    hits: list[Hit] = []
    for start, end, runs in windows:
        for hit in find_hits(text[start:end]):
            at, to = hit.start + start, hit.end + start
            if hit.kind in _KINDS and any(at < r_end and r_start < to for r_start, r_end in runs):
                hits.append(hit)
    return hits


def text_of(data: bytes) -> str | None:
    """A plain-text file's text (a BOM's encoding, else UTF-8, else GB18030, which reads any
    byte sequence), or None when the bytes are not text."""
    if not data or looks_binary(data):
        return None
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3:  # cut at the size cap inside a character
            return data.decode("utf-8", errors="replace")
    return data.decode("gb18030", errors="replace")


def _summary(kinds: list[HitKind], masked: list[str]) -> tuple[str, str]:
    counts: dict[HitKind, int] = {}
    for kind in kinds:
        counts[kind] = counts.get(kind, 0) + 1
    what = "、".join(f"{KIND_LABELS[k]} {n} 处" for k, n in counts.items())
    return what, "；".join(dict.fromkeys(masked[:_SHOWN]))


class PrivacyLeak(Check):
    type = "privacy_leak"
    title = "泄露个人信息"
    severity = Severity.MAJOR
    defaults: ClassVar[dict[str, object]] = {"attachments": True}
    local = True

    def on_page(self, page: Page, site: Site) -> Iterable[Finding]:
        if not page.text or page.not_html:
            return ()
        hits = page_hits(page.text)
        if not hits:
            return ()
        what, shown = _summary([h.kind for h in hits], [h.masked for h in hits])
        return (
            self.finding(
                page.url,
                f"页面公开了个人信息：{what}",
                source_urls=[page.url],
                evidence=shown,
            ),
        )

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(options)
        # Attachments whose content could not be read in full: (url, the scanner's reason).
        self.unread: list[tuple[str, str]] = []

    def stats(self) -> dict[str, Any]:
        return {"attachments_unread": [{"url": u, "reason": r} for u, r in self.unread]}

    def read_attachment(self, attachment: Attachment) -> tuple[list[Hit], str | None]:
        """The hits in the file, and why it could not be read in full (or None)."""
        if not self.options.get("attachments", True):
            return [], None
        name = attachment.url.rsplit("/", 1)[-1]
        scan = scan_bytes(attachment.body, name)
        text = text_of(attachment.body) if scan.kind is DocumentKind.UNKNOWN else None
        if text is not None:
            return page_hits(text), None
        hits = [f.hit for f in scan.findings if f.hit.kind in _KINDS]
        return hits, scan.problems[0] if scan.problems else None

    def on_attachment(self, attachment: Attachment, site: Site) -> Iterable[Finding]:
        if not self.options.get("attachments", True):
            return ()
        name = attachment.url.rsplit("/", 1)[-1]
        read = attachment.read.get(self.type)
        hits, problem = read if read is not None else self.read_attachment(attachment)
        if problem is not None:
            # Not read (legacy .doc/.xls, encrypted, damaged) or read in part: no finding
            # for what was not seen, but kept where the inspection's figures can show it.
            self.unread.append((attachment.url, problem))
        if not hits:
            return ()
        what, shown = _summary([h.kind for h in hits], [h.masked for h in hits])
        return (
            self.finding(
                attachment.url,
                f"附件「{name}」公开了个人信息：{what}",
                source_urls=list(attachment.source_urls),
                evidence=shown,
            ),
        )
