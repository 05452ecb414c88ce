"""What an inspection's result proves about the tickets it did not find again.

Not finding a problem is evidence that it is fixed only when the inspection looked for it and
reached the place where it was. From the crawler's result "stats":

- `checks` (the check types that ran) and `check_errors` ("type: message"): a type is judged
  when its check ran without error, and it was enabled in the options the inspection was
  started with (`Inspection.checked_types`, stored at start);
- `home_status`: the start page's HTTP status. A home page that did not answer below 400
  closes nothing at all;
- `fetched_ok`: every URL that answered below 400 this run (pages, attachments, resources,
  external links), normalised as findings' `url` and `source_urls`.

A ticket of a site-level type (SITE_LEVEL_TYPES) may close when its type was judged and the
home page answered. Any other ticket may close when its type was judged and its URL is in
`fetched_ok`; a link ticket (断链, 错链: its URL is the link's target) also when one of the
pages that held the link is in `fetched_ok` (the page was re-read and the link is gone or
fixed). A key missing from the stats counts as "no evidence": nothing that depends on it closes.
A crawl that Scrapy ended abnormally (`finish_reason` other than a planned stop) closes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gongkai.inspection.types import LINK_TYPES, SITE_LEVEL_TYPES, check_of

#: Scrapy's reasons for a crawl that ended as planned (the page cap is planned, but partial).
NORMAL_FINISH = ("finished", "closespider_pagecount")

#: Stats keys holding one entry per URL: kept out of Inspection.stats (counted instead).
URL_LISTS = ("checked", "fetched_ok")


def _strings(value: Any) -> list[str] | None:
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return None


def errored_checks(errors: Iterable[str]) -> set[str]:
    """The check types named in check_errors ("type: message")."""
    named = set()
    for line in errors:
        head, sep, _rest = str(line).partition(":")
        if sep and head.strip():
            named.add(head.strip())
    return named


@dataclass(frozen=True)
class Evidence:
    #: Types judged this time (their tickets may close, given the page was reached).
    judged: frozenset[str] = frozenset()
    home_ok: bool = False
    fetched_ok: frozenset[str] = frozenset()
    #: The crawler said it did not stop at the page cap.
    complete: bool = False
    #: Why some or all tickets could not be judged, in Chinese, for the result page.
    notes: tuple[str, ...] = field(default_factory=tuple)

    def may_close(self, finding_type: str, url: str, sources: Sequence[str] = ()) -> bool:
        if not self.home_ok or finding_type not in self.judged:
            return False
        if finding_type in SITE_LEVEL_TYPES:
            return True
        if url in self.fetched_ok:
            return True
        return finding_type in LINK_TYPES and any(s in self.fetched_ok for s in sources)


def read_evidence(checked_types: Iterable[str], data: Mapping[str, Any]) -> Evidence:
    raw = data.get("stats")
    stats: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
    notes: list[str] = []
    reason = stats.get("finish_reason")
    normal = reason is None or reason in NORMAL_FINISH
    if not normal:
        notes.append(f"抓取未正常结束（{reason}）")
    home = stats.get("home_status")
    home_ok = isinstance(home, int) and not isinstance(home, bool) and 0 < home < 400
    if not home_ok:
        shown = "没有响应" if home is None else f"状态 {home}"
        notes.append(
            f"首页未正常打开（{shown}）" if "home_status" in stats else "结果未报告首页状态"
        )
    ran = _strings(stats.get("checks"))
    errors = _strings(stats.get("check_errors"))
    if ran is None or errors is None:
        notes.append("结果未报告运行了哪些检查项")
        ran, errors = [], []
    failed = errored_checks(errors)
    ran_set = set(ran) - failed
    judged = {
        t for t in checked_types if t in ran_set and check_of(t) in ran_set and t not in failed
    }
    fetched = _strings(stats.get("fetched_ok"))
    if fetched is None:
        notes.append("结果未报告成功打开的页面")
    hit_cap = stats.get("hit_page_cap")
    return Evidence(
        judged=frozenset(judged if normal and home_ok else ()),
        home_ok=home_ok,
        fetched_ok=frozenset(fetched or ()),
        complete=normal and home_ok and hit_cap is False,
        notes=tuple(notes),
    )


def stored_stats(data: Mapping[str, Any]) -> dict[str, Any]:
    """The stats to keep on the inspection: the per-URL lists replaced by their lengths."""
    raw = data.get("stats")
    if not isinstance(raw, Mapping):
        return {}
    kept = {k: v for k, v in raw.items() if k not in URL_LISTS}
    for name in URL_LISTS:
        urls = raw.get(name)
        if isinstance(urls, list | tuple):
            kept[f"{name}_count"] = len(urls)
    return kept
