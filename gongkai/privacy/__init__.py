"""The privacy gate's scanner, as a library with no Django import: personal data in text
(`detect`) and in Office and PDF files, hidden parts included (`documents`)."""

from __future__ import annotations

from gongkai.privacy.detect import Hit, HitKind, find_hits, mask_text

__all__ = ["Hit", "HitKind", "find_hits", "mask_text"]
