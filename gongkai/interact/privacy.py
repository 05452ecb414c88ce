"""The privacy gate before a question and its reply go public.

The title, the question and the reply are scanned with gongkai.privacy (ID numbers with a valid
check digit, mobile numbers, bank cards passing Luhn, e-mail addresses). While any hit remains
the office cannot publish: it masks the hits in one click (actions.mask_personal_data) or lets
them through with a recorded reason (actions.override_privacy). A question whose asker did not
agree to publication is answered without going public, so the gate does not stop it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from gongkai.interact.models import Question
from gongkai.privacy import KIND_LABELS, Hit, find_hits

#: The fields the public sees, with their labels.
PUBLIC_FIELDS = (("title", "标题"), ("body", "留言内容"), ("reply", "答复内容"))


@dataclass(frozen=True)
class FieldHits:
    field: str
    label: str
    hits: list[Hit]

    @property
    def summary(self) -> str:
        """ "身份证号码 1 处、手机号码 2 处": what was found, without the values."""
        counts = Counter(KIND_LABELS[h.kind] for h in self.hits)
        return "、".join(f"{kind} {n} 处" for kind, n in counts.items())


def scan(question: Question) -> list[FieldHits]:
    """The public fields that contain personal data, with their hits."""
    found = []
    for field, label in PUBLIC_FIELDS:
        hits = find_hits(str(getattr(question, field) or ""))
        if hits:
            found.append(FieldHits(field, label, hits))
    return found


def blocking(question: Question) -> list[FieldHits]:
    """What stops publication now: the hits, unless the office let them through."""
    if question.privacy_override_reason:
        return []
    return scan(question)


def describe(found: list[FieldHits]) -> str:
    return "；".join(f"{f.label}：{f.summary}" for f in found)
