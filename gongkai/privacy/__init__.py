"""The privacy gate's scanner, as a library with no Django import: personal data in text
(`detect`) and in Office and PDF files, hidden parts included (`documents`)."""

from __future__ import annotations

from gongkai.privacy.detect import KIND_LABELS, Hit, HitKind, find_hits, mask_text
from gongkai.privacy.documents import DocumentScan, Finding, scan_bytes, scan_text

__all__ = [
    "KIND_LABELS",
    "DocumentScan",
    "Finding",
    "Hit",
    "HitKind",
    "find_hits",
    "mask_text",
    "scan_bytes",
    "scan_text",
]
