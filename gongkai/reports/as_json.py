"""The report as JSON text: the built dictionary, Chinese kept readable."""

from __future__ import annotations

import json
from typing import Any


def render_json(built: dict[str, Any]) -> str:
    return json.dumps(built, ensure_ascii=False, indent=2)
