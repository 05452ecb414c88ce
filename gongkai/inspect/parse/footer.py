"""The page-bottom area where the site identifiers live (主办单位, 网站标识码, ICP 备案 …)."""

from __future__ import annotations

import re
from typing import Any

_FOOTERISH = re.compile(r"foot|bottom|copyright|banquan|bqxx", re.IGNORECASE)
_FOOTER_WORDS = re.compile(r"版权|主办|备案|ICP|标识码|Copyright|©|技术支持|承办", re.IGNORECASE)
_SKIP_BLOCKS = frozenset({"script", "style", "noscript", "link", "meta", "input", "iframe"})


def _footerish(el: Any) -> bool:
    return bool(_FOOTERISH.search(f"{el.get('class', '')} {el.get('id', '')}"))


def footer(root: Any) -> list[Any]:
    """The page-bottom area: <footer>, else the last blocks whose class or id says foot /
    bottom / copyright (looked for among the last children of <body> and of its last
    wrapper, not the whole tree), else the last block if it reads like one (版权, 主办 …)."""
    found = list(root.iter("footer"))
    if found:
        return found[-1:]
    body = next(root.iter("body"), None)
    level = body
    last_block = None
    for _ in range(4):
        if level is None:
            break
        blocks = [c for c in level if isinstance(c.tag, str) and c.tag not in _SKIP_BLOCKS]
        if not blocks:
            break
        tail = blocks[-4:]
        hits = [c for c in tail if _footerish(c)]
        if hits:
            return hits[-2:]
        last_block = last_block if last_block is not None else blocks[-1]
        level = blocks[-1]
    if last_block is not None and _FOOTER_WORDS.search(" ".join(last_block.itertext())[-600:]):
        return [last_block]
    return []
