"""The result of one inspection, and its JSON: the `gongkai inspect` contract.

{"site": str, "started": iso, "finished": iso, "pages_crawled": int, "links_checked": int,
 "findings": [{"type", "severity", "url", "source_urls", "detail", "evidence"}],
 "score": {"veto", "veto_reasons", "deductions", "base", "result", "grade"}}
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from gongkai.inspect.findings import Finding
from gongkai.inspect.scoring import Score


@dataclass
class InspectionResult:
    site: str
    started: dt.datetime
    finished: dt.datetime
    pages_crawled: int
    links_checked: int
    findings: list[Finding]
    score: Score
    stats: dict[str, Any] = field(default_factory=dict)  # extra figures (not in the contract)

    def to_json(self) -> dict[str, Any]:
        return {
            "site": self.site,
            "started": self.started.isoformat(),
            "finished": self.finished.isoformat(),
            "pages_crawled": self.pages_crawled,
            "links_checked": self.links_checked,
            "findings": [f.to_json() for f in self.findings],
            "score": self.score.to_json(),
        }
