"""Pre-filled text of sections 一, 五 and 六, used until the office writes its own.

The facts the registers know (requests received and handled, processing fees, proposals
handled and their replies published) are filled in;
what only people know is marked 【待填写：…】, which the S-2 check reports until replaced.
"""

from __future__ import annotations

from decimal import Decimal

from gongkai.proposals.models import Result
from gongkai.proposals.summary import Figures


def yuan(amount: Decimal) -> str:
    """380 → "380", 380.5 → "380.50"."""
    return str(int(amount)) if amount == amount.to_integral() else f"{amount:.2f}"


def overview(who: str, rows: dict[str, list[int]], *, government: bool, total_column: int) -> str:
    def n(key: str) -> int:
        return rows[key][total_column]

    lines = [
        f"本年度，{who}认真贯彻落实《中华人民共和国政府信息公开条例》，"
        "坚持以公开为常态、不公开为例外，扎实做好政府信息公开工作。",
        "（一）主动公开。【待填写：主动公开政府信息的总体情况】",
        f"（二）依申请公开。本年新收政府信息公开申请{n('newReceived')}件，"
        f"上年结转{n('carriedOver')}件；本年办结{n('totalProcessed')}件，"
        f"其中予以公开{n('granted')}件、部分公开{n('partialGrant')}件；"
        f"结转下年度继续办理{n('carriedForward')}件。",
        "（三）政府信息管理。【待填写：政府信息管理情况】",
        "（四）政府信息公开平台建设。【待填写：政府网站、政务新媒体等平台建设情况】",
    ]
    if government:
        lines.append(
            "（五）监督保障。【待填写：监督保障情况，以及工作考核、社会评议和责任追究结果】"
        )
    else:
        lines.append("（五）监督保障。【待填写：监督保障情况】")
    return "\n".join(lines)


def problems() -> str:
    return "\n".join(
        [
            "（一）存在的主要问题。【待填写：本年度工作存在的主要问题】",
            "（二）改进情况。【待填写：针对上述问题的改进措施和下一步工作】",
        ]
    )


def proposals(f: Figures) -> str:
    """Section 六 (二): the proposal register's figures for the report's year and scope."""
    co = f"，另协办{f.cohandled}件" if f.cohandled else ""
    return (
        f"（二）人大代表建议和政协提案办理结果公开情况。本年度共承办人大代表建议{f.suggestions}件、"
        f"政协委员提案{f.proposals}件{co}；已办复{f.replied}件，其中按期办复{f.on_time}件；"
        f"办理结果为解决或采纳的{f.results.get(Result.SOLVED, 0)}件、"
        f"列入计划逐步解决的{f.results.get(Result.PLANNED, 0)}件、"
        f"留作参考的{f.results.get(Result.REFERENCE, 0)}件，吸收采纳率{f.adoption_rate}；"
        f"公开办理复文{f.published}件。"
    )


def other_matters(fee_yuan: Decimal, proposal_figures: Figures) -> str:
    return "\n".join(
        [
            f"（一）信息处理费收取情况。本年度收取信息处理费{yuan(fee_yuan)}元。",
            proposals(proposal_figures),
            "（三）【待填写：落实上级年度政务公开工作要点、政务公开工作创新等情况；"
            "没有的可删去本项】",
        ]
    )
