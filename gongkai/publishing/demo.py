"""Demo data of the document register, made through the actions so every row is as the pages
make it: a catalogue (a few of the 主动公开基本目录's categories of 条例 Art. 20, with children),
fifteen published documents of several kinds across the demo units — among them a policy
document whose interpretation is overdue, one repealed, one with its interpretation linked, a
repost naming its source — and a draft waiting in review.

Publication dates lie in the past (publish() takes a past 发布日期); the review steps are dated
today, as the actions date them. Loaded once: nothing happens when the register has documents
already, or without the demo users (gongkai.demo.data). The wiring into `gongkai demo` is the
lead's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from gongkai.accounts.models import Role, User
from gongkai.publishing import actions
from gongkai.publishing.models import (
    Category,
    DocKind,
    Document,
    ReviewStage,
    Validity,
)
from gongkai.units.models import Unit

SIFA = "张店区司法局"
CAIZHENG = "张店区财政局"
GOV = "张店区人民政府办公室"
FAGAI = "张店区发展和改革局"

#: (top category of Art. 20, its children)
CATALOGUE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("行政法规、规章和规范性文件", ("行政规范性文件", "其他政策文件", "政策解读")),
    ("机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名", ("机构职能", "领导信息")),
    ("国民经济和社会发展规划、专项规划、区域规划及相关政策", ("发展规划",)),
    ("财政预算、决算信息", ("部门预算", "部门决算")),
    ("公务员招考的职位、名额、报考条件等事项以及录用结果", ("招考录用",)),
    (
        "法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息",
        ("工作动态", "通知公告", "会议信息"),
    ),
)


@dataclass(frozen=True)
class DemoDocument:
    key: str
    unit: str
    kind: DocKind
    title: str
    category: str
    days_ago: int
    body: str
    doc_number: str = ""
    needs_interpretation: bool = False
    interprets: str = ""
    source: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _p(*paragraphs: str) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


DOCUMENTS: tuple[DemoDocument, ...] = (
    DemoDocument(
        "gongshi",
        SIFA,
        DocKind.NORMATIVE,
        "张店区行政执法公示办法",
        "行政规范性文件",
        120,
        _p(
            "第一条 为推行行政执法公示制度，保障公民、法人和其他组织的知情权，制定本办法。",
            "第二条 本区各行政执法机关应当在执法决定作出之日起7个工作日内公开执法结果。",
        ),
        doc_number="张司发〔2026〕2号",
        needs_interpretation=True,
    ),
    DemoDocument(
        "gongshi_jiedu",
        SIFA,
        DocKind.INTERPRETATION,
        "《张店区行政执法公示办法》政策解读",
        "政策解读",
        118,
        _p(
            "一、制定背景：落实行政执法“三项制度”要求。",
            "二、主要内容：明确公示主体、公示内容和公示时限。",
        ),
        interprets="gongshi",
    ),
    DemoDocument(
        "yuanzhu",
        SIFA,
        DocKind.NORMATIVE,
        "张店区法律援助经费管理办法",
        "行政规范性文件",
        400,
        _p("第一条 为规范法律援助经费的使用和管理，制定本办法。"),
        doc_number="张司发〔2025〕5号",
    ),
    DemoDocument(
        "tiaojie",
        SIFA,
        DocKind.NORMATIVE,
        "关于加强新时代人民调解工作的意见",
        "行政规范性文件",
        10,
        _p("各镇（街道）司法所：为进一步加强人民调解工作，现提出如下意见。"),
        doc_number="张司发〔2026〕9号",
        needs_interpretation=True,
    ),
    DemoDocument(
        "xianfa",
        SIFA,
        DocKind.NEWS,
        "区司法局开展“宪法宣传周”系列活动",
        "工作动态",
        5,
        _p("近日，区司法局在全区开展“宪法宣传周”系列活动，发放宣传资料两千余份。"),
    ),
    DemoDocument(
        "kaoshi",
        SIFA,
        DocKind.NOTICE,
        "关于做好法律职业资格考试报名工作的公告",
        "通知公告",
        20,
        _p("报名采取网上报名方式，报名人员请按公告要求准备材料。"),
    ),
    DemoDocument(
        "caigou",
        CAIZHENG,
        DocKind.POLICY,
        "张店区政府采购内部控制管理规定",
        "其他政策文件",
        90,
        _p("第一条 为加强政府采购活动内部控制管理，制定本规定。"),
        doc_number="张财发〔2026〕4号",
    ),
    DemoDocument(
        "juesuan",
        CAIZHENG,
        DocKind.BUDGET,
        "张店区财政局2025年度部门决算",
        "部门决算",
        60,
        _p("本部门2025年度收入、支出决算情况说明如下。"),
    ),
    DemoDocument(
        "yusuan",
        CAIZHENG,
        DocKind.BUDGET,
        "张店区财政局2026年度部门预算",
        "部门预算",
        200,
        _p("本部门2026年度收入预算、支出预算情况说明如下。"),
    ),
    DemoDocument(
        "kuaiji",
        CAIZHENG,
        DocKind.NOTICE,
        "关于开展会计信息质量检查的通知",
        "通知公告",
        15,
        _p("根据年度工作安排，决定在全区开展会计信息质量检查。"),
    ),
    DemoDocument(
        "yingshang",
        GOV,
        DocKind.NORMATIVE,
        "张店区优化营商环境若干措施",
        "行政规范性文件",
        150,
        _p("为持续优化营商环境，结合本区实际，制定如下措施。"),
        doc_number="张政发〔2026〕1号",
    ),
    DemoDocument(
        "changwu",
        GOV,
        DocKind.MEETING,
        "区政府第12次常务会议",
        "会议信息",
        30,
        _p("会议研究了优化营商环境、城市更新等事项。"),
    ),
    DemoDocument(
        "guihua",
        GOV,
        DocKind.PLANNING,
        "张店区国民经济和社会发展第十五个五年规划纲要",
        "发展规划",
        300,
        _p("本纲要阐明全区经济社会发展的主要目标、重点任务和重大举措。"),
    ),
    DemoDocument(
        "zhaopin",
        GOV,
        DocKind.PERSONNEL,
        "张店区2026年公开招聘事业单位工作人员拟聘用人员公示",
        "招考录用",
        25,
        _p("经考试、考察和体检，拟聘用人员名单见附件，公示期5个工作日。"),
    ),
    DemoDocument(
        "zhuanzai",
        FAGAI,
        DocKind.NEWS,
        "淄博市召开重点项目建设推进会",
        "工作动态",
        3,
        _p("市政府召开全市重点项目建设推进会，部署下一阶段工作。"),
        source="淄博市人民政府网站",
        extra={"source_url": "http://www.zibo.gov.cn/"},
    ),
)

#: The document repealed, and when (days ago).
REPEALED = ("yuanzhu", 30)
#: A draft in review, waiting for its leader's decision.
IN_REVIEW = DemoDocument(
    "lvshi", SIFA, DocKind.NORMATIVE, "关于规范律师执业活动的若干意见（送审稿）",
    "行政规范性文件", 0,
    _p("为规范律师执业活动，维护当事人合法权益，提出如下意见。"),
    doc_number="张司发〔2026〕12号",
)  # fmt: skip


class _Loader:
    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.office = User.objects.get(username="office")
        self.units = {u.name: u for u in Unit.objects.filter(name__in=[SIFA, CAIZHENG, GOV, FAGAI])}
        self.categories: dict[str, Category] = {}
        self.made: dict[str, Document] = {}

    def member(self, unit: Unit, role: Role) -> User:
        found = unit.members.filter(role=role, is_active=True).order_by("pk").first()
        return found or self.office

    def catalogue(self) -> None:
        for position, (name, children) in enumerate(CATALOGUE):
            top, _ = Category.objects.get_or_create(
                parent=None, name=name, defaults={"position": position}
            )
            for n, child in enumerate(children):
                node, _ = Category.objects.get_or_create(
                    parent=top, name=child, defaults={"position": n}
                )
                self.categories[child] = node

    def draft(self, spec: DemoDocument) -> Document:
        unit = self.units[spec.unit]
        day = self.today - dt.timedelta(days=spec.days_ago)
        fields: dict[str, Any] = {
            "kind": spec.kind,
            "title": spec.title,
            "body_html": spec.body,
            "category": self.categories.get(spec.category),
            "doc_number": spec.doc_number,
            "needs_interpretation": spec.needs_interpretation,
            "publisher": unit.name,
            **spec.extra,
        }
        if spec.kind in (DocKind.RULE, DocKind.NORMATIVE, DocKind.POLICY):
            fields["written_on"] = day - dt.timedelta(days=3)
        if spec.interprets:
            fields["interprets"] = self.made[spec.interprets]
        if spec.source:
            fields.update(is_repost=True, source=spec.source)
        return actions.create_document(self.member(unit, Role.LIAISON), unit=unit, **fields)

    def review_all(self, document: Document, stop: ReviewStage | None = None) -> None:
        unit = document.unit
        actions.submit(self.member(unit, Role.LIAISON), document)
        who = {
            ReviewStage.INITIAL: self.member(unit, Role.LIAISON),
            ReviewStage.LEADER: self.member(unit, Role.LEADER),
            ReviewStage.FINAL: self.office,
        }
        while (stage := actions.next_stage(document)) is not None and stage != stop:
            actions.review(who[stage], document, approve=True, comment="同意")

    def publish(self, spec: DemoDocument) -> None:
        document = self.draft(spec)
        self.review_all(document)
        day = self.today - dt.timedelta(days=spec.days_ago)
        self.made[spec.key] = actions.publish(self.office, document, published_on=day)

    def load(self) -> dict[str, int]:
        self.catalogue()
        for spec in sorted(DOCUMENTS, key=lambda s: -s.days_ago):
            self.publish(spec)
        key, days = REPEALED
        actions.change_validity(
            self.office,
            self.made[key],
            validity=Validity.REPEALED,
            effective_on=self.today - dt.timedelta(days=days),
            reason="已被新修订的办法取代",
        )
        self.review_all(self.draft(IN_REVIEW), stop=ReviewStage.LEADER)
        return {"categories": Category.objects.count(), "documents": Document.objects.count()}


def load_demo(today: dt.date) -> None:
    """Load the register's demo data once (see the module's docstring)."""
    if Document.objects.exists() or not User.objects.filter(username="office").exists():
        return
    loader = _Loader(today)
    if len(loader.units) < 4:
        return
    with transaction.atomic():
        loader.load()
