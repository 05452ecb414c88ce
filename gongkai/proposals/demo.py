"""Demo proposals (建议提案), made through the actions so every row is as the pages make it:

- two replied and published on the portal (one in full, one in summary), after the document
  register's review;
- one replied but withheld, with its reason;
- one being handled, due in a month, and one overdue;
- this year's 办理总体情况, published.

Loaded once: nothing happens when there are proposals already, or without the demo units and
users. The deputies are invented.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from gongkai.accounts.models import User
from gongkai.proposals import actions
from gongkai.proposals.models import Kind, Level, Proposal, PublicForm, Result
from gongkai.publishing import actions as publishing
from gongkai.publishing.models import Document
from gongkai.units.models import Unit

SIFA = "张店区司法局"
CAIZHENG = "张店区财政局"
LIAISONS = {SIFA: "sifa", CAIZHENG: "caizheng"}


@dataclass(frozen=True)
class _Row:
    unit: str
    level: str
    kind: str
    number: str
    title: str
    deputies: str
    received: int  # days before today
    due: int | None = None  # days after today; None: three months after received
    replied: int | None = None  # days before today
    result: str = ""
    reply: str = ""
    public_form: str = PublicForm.FULL
    summary: str = ""
    withheld: str = ""
    publish: bool = False


ROWS = (
    _Row(
        SIFA, Level.DISTRICT, Kind.PROPOSAL, "第0012号", "关于加强社区法律援助服务的提案",
        "王建华、李秀梅", received=150, replied=70, result=Result.SOLVED, publish=True,
        reply="王建华委员：\n\n您提出的关于加强社区法律援助服务的提案收悉。我局已在全区 12 个街道"
        "（镇）设立法律援助工作站，推行“一站式”受理，群众可就近申请法律援助。\n\n感谢您对司法"
        "行政工作的关心和支持。",
    ),
    _Row(
        CAIZHENG, Level.DISTRICT, Kind.SUGGESTION, "第0035号", "关于提高预算公开质量的建议",
        "赵明", received=140, replied=60, result=Result.PLANNED, publish=True,
        reply="赵明代表：您的建议收悉。……（含内部测算数据，全文不公开）",
        public_form=PublicForm.SUMMARY,
        summary="建议将部门预算公开细化到项目。我局已将该项工作列入明年计划，逐步推进。",
    ),
    _Row(
        SIFA, Level.CITY, Kind.SUGGESTION, "第0108号", "关于某小区物业纠纷人民调解的建议",
        "孙立", received=100, replied=20, result=Result.REFERENCE,
        reply="孙立代表：您的建议收悉，涉及的具体当事人信息已转有关街道调解。",
        withheld="涉及当事人个人隐私",
    ),
    _Row(
        CAIZHENG, Level.DISTRICT, Kind.PROPOSAL, "第0047号", "关于优化政府采购小额支付流程的提案",
        "周红", received=60, due=30,
    ),
    _Row(
        SIFA, Level.DISTRICT, Kind.PROPOSAL, "第0051号", "关于推进公共法律服务进园区的提案",
        "吴刚", received=100, due=-10,
    ),
)  # fmt: skip


def _publish(doc_author: User, office: User, document: Document) -> None:
    publishing.submit(doc_author, document)
    for reviewer in (doc_author, office, office):
        publishing.review(reviewer, document, approve=True, comment="同意")
    publishing.publish(office, document)


@transaction.atomic
def load_demo(today: dt.date) -> None:
    if Proposal.objects.exists():
        return
    units = {u.name: u for u in Unit.objects.filter(name__in=LIAISONS)}
    users = {
        u.username: u for u in User.objects.filter(username__in=["office", *LIAISONS.values()])
    }
    if len(units) < len(LIAISONS) or len(users) < len(LIAISONS) + 1:
        return
    office = users["office"]
    for row in ROWS:
        received = today - dt.timedelta(days=row.received)
        p = actions.register(
            office,
            actions.Registration(
                year=received.year,
                level=row.level,
                kind=row.kind,
                number=row.number,
                title=row.title,
                deputies=row.deputies,
                unit=units[row.unit],
                received_on=received,
                due_on=None if row.due is None else today + dt.timedelta(days=row.due),
            ),
        )
        if row.replied is None:
            continue
        liaison = users[LIAISONS[row.unit]]
        actions.record_reply(
            liaison,
            p,
            actions.Reply(
                replied_on=today - dt.timedelta(days=row.replied),
                result=row.result,
                reply_text=row.reply,
                disclose=not row.withheld,
                withhold_reason=row.withheld,
                public_form=row.public_form,
                summary=row.summary,
            ),
        )
        if row.publish:
            _publish(liaison, office, actions.publish_reply(liaison, p))
    try:
        summary = actions.generate_summary(office, today.year)
    except actions.ProposalRejected:
        return  # early in the year every demo proposal is of last year: no summary to show
    _publish(office, office, summary.document)
