"""Text typed by people, made safe to keep and to write into Office files.

XML 1.0 (and so every .docx and .xlsx) cannot hold most control characters; a pasted vertical
tab in an application would otherwise make every letter about it fail. Tabs and line breaks stay.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def plain_text(text: str) -> str:
    """`text` without the control characters XML cannot hold."""
    return _CONTROL.sub("", text)
