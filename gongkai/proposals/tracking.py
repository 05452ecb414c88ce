"""The proposal register as task evidence (gongkai.work.linked): a checkpoint of a task about
建议提案 shows the unit's figures for the plan's year, problems marked."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from gongkai.proposals.summary import year_figures
from gongkai.work.linked import LinkedLine, LinkedSource

#: Words of the seed task lines about proposals, simplified and traditional (seed 003). Not
#: "建议" alone: 意见建议 and 咨询建议 are other duties.
KEYWORDS = (
    "建议提案",
    "建议和提案",
    "人大代表建议",
    "政协委员提案",
    "政协提案",
    "建議提案",
    "建議和提案",
    "人大代表建議",
    "政協委員提案",
    "政協提案",
)


def lines(unit_id: int, year: int) -> list[LinkedLine]:
    f = year_figures({unit_id}, year, timezone.localdate())
    url = reverse("proposals:list") + f"?year={year}"
    if not f.received and not f.cohandled:
        return [LinkedLine(f"{year}年平台未登记本单位承办的建议提案", url)]
    unpublished = f.disclosed - f.published
    out = [
        LinkedLine(
            f"{year}年承办人大代表建议 {f.suggestions} 件、政协委员提案 {f.proposals} 件"
            + (f"，另协办 {f.cohandled} 件" if f.cohandled else ""),
            url,
        ),
        LinkedLine(
            f"已办复 {f.replied} 件，其中按期 {f.on_time} 件；吸收采纳率 {f.adoption_rate}", url
        ),
        LinkedLine(
            f"复文已公开 {f.published} 件"
            + (f"，应公开尚未公开 {unpublished} 件" if unpublished > 0 else ""),
            url,
            problem=unpublished > 0,
        ),
    ]
    if f.overdue:
        overdue_url = reverse("proposals:list") + f"?year={year}&tab=overdue"
        out.append(LinkedLine(f"逾期未办复 {f.overdue} 件", overdue_url, problem=True))
    return out


SOURCE = LinkedSource("建议提案办理", KEYWORDS, lines)
