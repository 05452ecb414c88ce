"""A finding: one problem one check saw, in the shape of the `gongkai inspect` contract."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    VETO = "veto"  # 单项否决: the site fails whatever else it scores
    MAJOR = "major"
    MINOR = "minor"
    INFO = "info"


@dataclass
class Finding:
    type: str  # the check's stable name, e.g. "broken_link"
    severity: Severity
    url: str  # where the problem is (the broken target, the stale column, the page)
    detail: str  # one sentence in Chinese for the person who fixes it
    source_urls: list[str] = field(default_factory=list)  # pages that show or link to it
    evidence: str | None = None  # what was seen (masked where personal data)

    @property
    def key(self) -> str:
        """Stable identity across inspections: the same problem on the same URL is the same
        finding, so a re-check can say fixed / still open / regressed."""
        return hashlib.sha256(f"{self.type}\n{self.url}".encode()).hexdigest()[:32]

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "severity": str(self.severity),
            "url": self.url,
            "source_urls": list(self.source_urls),
            "detail": self.detail,
            "evidence": self.evidence,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Finding:
        return cls(
            type=data["type"],
            severity=Severity(data["severity"]),
            url=data["url"],
            detail=data["detail"],
            source_urls=list(data.get("source_urls") or []),
            evidence=data.get("evidence"),
        )
