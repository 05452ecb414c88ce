"""Time rules (the parser's TimeRule, kept as JSON on drafts and tasks) in words for people."""

from __future__ import annotations

from typing import Any

#: By the parser's rule kinds (gongkai.tasklist.model.RuleKind).
RULE_KIND_LABELS = {
    "within": "期限",
    "minimum": "不少于",
    "recurring": "定期",
    "by_date": "截止",
    "ongoing": "持续",
}


def summaries(rules: list[Any]) -> list[str]:
    """Each rule as "kind：text as written"."""
    out = []
    for rule in rules:
        if isinstance(rule, dict):
            label = RULE_KIND_LABELS.get(str(rule.get("kind")), "时间")
            out.append(f"{label}：{rule.get('text', '')}")
    return out
