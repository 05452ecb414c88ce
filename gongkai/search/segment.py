"""Chinese word segmentation for the index and for queries (jieba, dictionary in the wheel).

A document is indexed under jieba's search-mode words: a long word and the shorter words
inside it (中华人民共和国 → 中华, 人民, 共和国, …). A query is cut in precise mode and each
word that search mode splits completely is replaced by its parts, so 政务公开 looks for 政务
and 公开 and a long word matches however the document's sentence was cut around it.
Single characters are not indexed (measured in docs/search.md: 2.7× the postings for the
rarely useful one-character query); a one-character query term matches words starting with it.
"""

from __future__ import annotations

import logging
import re
import tempfile
import threading
import unicodedata
from pathlib import Path
from typing import Any

_WORD = re.compile(r"[^\W_]+")
_lock = threading.Lock()
_jieba: Any = None


def _cache_dir() -> Path:
    from django.conf import settings

    if settings.configured and getattr(settings, "DATA_DIR", None):
        folder = Path(settings.DATA_DIR) / "cache"
    else:
        folder = Path(tempfile.gettempdir())
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _tokenizer() -> Any:
    """jieba, initialised once per process on first use (about 0.7 s, or 0.1 s from its cache)."""
    global _jieba
    if _jieba is None:
        with _lock:
            if _jieba is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                # The prefix-dictionary cache goes to our data directory, never the cwd.
                jieba.dt.tmp_dir = str(_cache_dir())
                jieba.dt.cache_file = "jieba.cache"
                jieba.dt.initialize()
                _jieba = jieba
    return _jieba


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def _words(pieces: Any) -> list[str]:
    """Punctuation dropped; a piece with inner punctuation (a_b, 1.5) becomes its parts."""
    return [word for piece in pieces for word in _WORD.findall(piece)]


def segment(text: str) -> str:
    """The indexed form of a text: search-mode words joined by spaces."""
    return " ".join(_words(_tokenizer().cut_for_search(normalise(text))))


def query_terms(query: str) -> list[str]:
    """The words a query must all match, in order, without repeats."""
    jieba = _tokenizer()
    terms: list[str] = []
    for word in _words(jieba.cut(normalise(query))):
        parts = [p for p in jieba.cut_for_search(word) if p != word and len(p) > 1]
        covered: set[int] = set()
        for part in parts:
            start = word.find(part)
            while start >= 0:
                covered.update(range(start, start + len(part)))
                start = word.find(part, start + 1)
        for term in parts if parts and len(covered) == len(word) else [word]:
            if term not in terms:
                terms.append(term)
    return terms
