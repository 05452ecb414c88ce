"""What a 政府信息公开指南 must say (《条例》第十二条; domain rules §8 B3), checked on the text
the office saves: the editor shows what is missing and which 【】 placeholders remain. The
check advises; it does not block saving (the office may word things its own way)."""

from __future__ import annotations

import re

from gongkai.publishing.sanitize import html_to_text

#: Each required element, and words of which at least one shows it is there.
ELEMENTS: list[tuple[str, tuple[str, ...]]] = [
    ("政府信息的分类", ("分类",)),
    ("编排体系", ("编排",)),
    ("获取政府信息的方式", ("获取", "申请")),
    ("工作机构名称", ("机构名称", "工作机构")),
    ("办公地址", ("地址",)),
    ("办公时间", ("办公时间", "工作时间")),
    ("联系电话", ("电话",)),
    ("传真", ("传真",)),
    ("互联网联系方式（网址或电子邮箱）", ("网址", "电子邮箱", "邮箱", "http")),
]

PLACEHOLDER = re.compile(r"【[^】]{0,60}】")


def placeholders(body_html: str) -> list[str]:
    """The 【…】 placeholders still in the text, each once, in order."""
    return list(dict.fromkeys(PLACEHOLDER.findall(html_to_text(body_html))))


def missing_elements(body_html: str) -> list[str]:
    """The required elements the guide does not mention."""
    text = html_to_text(body_html)
    return [name for name, words in ELEMENTS if not any(w in text for w in words)]
