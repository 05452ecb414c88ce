"""`typo_or_wrong_term`: known wrong forms and outdated terms from a dictionary
(gongkai/inspect/data/terms.tsv, plus the site's `--terms` pairs and the check's options).
A wrong form written as part of its right form (or of any right form in the dictionary) at
that place is not a hit, so the correct text never trips the check. A pair marked `veto` is
a serious wording error (严重表述错误), which fails the site on its own."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from gongkai.inspect.checks.base import Check
from gongkai.inspect.findings import Finding, Severity
from gongkai.inspect.page import Page, PageKind
from gongkai.inspect.site import Site

TERMS_FILE = Path(__file__).resolve().parent.parent / "data" / "terms.tsv"


@dataclass(frozen=True)
class Term:
    wrong: str
    right: str
    veto: bool = False


def read_terms(text: str) -> list[Term]:
    """Lines `wrong<TAB>right[<TAB>minor|veto[<TAB>comment]]`; # starts a comment line."""
    terms = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) < 2 or not parts[0] or parts[0] == parts[1]:
            continue
        veto = len(parts) > 2 and parts[2].lower() == "veto"
        terms.append(Term(parts[0], parts[1], veto))
    return terms


def default_terms() -> list[Term]:
    return read_terms(TERMS_FILE.read_text(encoding="utf-8"))


class Matcher:
    """One compiled alternation of every wrong form, longest first, and for each wrong form
    the right forms that contain it (with where), to skip correct text."""

    def __init__(self, terms: Sequence[Term]) -> None:
        self.terms: dict[str, Term] = {}
        for term in terms:
            self.terms[term.wrong] = term  # later entries (the site's own) win
        wrongs = sorted(self.terms, key=len, reverse=True)
        self.regex = re.compile("|".join(map(re.escape, wrongs))) if wrongs else None
        rights = {t.right for t in self.terms.values()}
        self.guards: dict[str, list[tuple[int, str]]] = {}
        for wrong in wrongs:
            guards = []
            for right in rights:
                at = right.find(wrong)
                while at >= 0:
                    guards.append((at, right))
                    at = right.find(wrong, at + 1)
            self.guards[wrong] = guards

    def find(self, text: str) -> list[tuple[int, Term]]:
        if self.regex is None:
            return []
        hits = []
        for m in self.regex.finditer(text):
            start = m.start()
            if any(
                text.startswith(right, start - offset)
                for offset, right in self.guards[m.group()]
                if start >= offset
            ):
                continue
            hits.append((start, self.terms[m.group()]))
        return hits


_CACHE: dict[tuple[Term, ...], Matcher] = {}


def matcher_for(extra: Sequence[Term]) -> Matcher:
    key = tuple(extra)
    found = _CACHE.get(key)
    if found is None:
        if len(_CACHE) > 32:
            _CACHE.clear()
        found = _CACHE[key] = Matcher([*default_terms(), *extra])
    return found


class TypoOrWrongTerm(Check):
    type = "typo_or_wrong_term"
    title = "错别字和不规范表述"
    local = True
    severity = Severity.MINOR
    # terms: extra [wrong, right] or [wrong, right, "veto"]; veto: wrong forms to treat as
    # serious wording errors; builtin: False leaves the shipped dictionary out.
    defaults: ClassVar[dict[str, object]] = {"terms": [], "veto": [], "builtin": True}

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(options)
        self.matcher: Matcher | None = None

    def _matcher(self, site: Site) -> Matcher:
        if self.matcher is None:
            extra = [Term(w, r) for w, r in site.config.terms]
            for pair in self.options.get("terms") or []:
                extra.append(Term(str(pair[0]), str(pair[1]), len(pair) > 2 and pair[2] == "veto"))
            vetoes = set(self.options.get("veto") or [])
            if self.options.get("builtin", True):
                base = matcher_for(extra)
                terms = list(base.terms.values())
            else:
                terms = extra
            if vetoes:
                terms = [Term(t.wrong, t.right, t.veto or t.wrong in vetoes) for t in terms]
            self.matcher = (
                Matcher(terms) if (vetoes or not self.options.get("builtin", True)) else base
            )
        return self.matcher

    def on_page(self, page: Page, site: Site) -> Iterable[Finding]:
        if not page.text or page.kind == PageKind.SEARCH:
            return ()
        hits = self._matcher(site).find(page.text)
        if not hits:
            return ()
        seen = list(dict.fromkeys(term for _, term in hits))
        veto = any(t.veto for t in seen)
        pairs = "；".join(f"「{t.wrong}」应为「{t.right}」" for t in seen[:10])
        kind = "严重表述错误" if veto else "错别字或不规范表述"
        return (
            self.finding(
                page.url,
                f"页面有{kind}：{pairs}",
                source_urls=[page.url],
                evidence="、".join(t.wrong for t in seen[:10]),
                severity=Severity.VETO if veto else Severity.MINOR,
            ),
        )
