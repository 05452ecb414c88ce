"""Form widgets every app shares."""

from __future__ import annotations

from typing import Any

from django import forms


class DateInput(forms.DateInput):
    """<input type=date>, whose value must be ISO whatever the locale: zh-hans would render
    2026/04/02, which the browser shows as an empty field."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")
