"""The demo's 重大行政决策事项目录 for the current year, made through the actions and published:

- 区政府办公室's 重大行政决策程序规定, linked to the consult demo's major-decision consultation
  (when that demo is loaded), whose shortened window carries its reason;
- 司法局's 法治政府建设实施规划, with a hearing still to be held;
- 发展和改革局's 优化营商环境若干措施, its hearing held and its decision linked to the published
  document of the publishing demo (when loaded). It was not put out for comment, so once its
  planned half-year is over the pages show the 预公开 check failing, as they would for real.

Loaded once: nothing happens when the year has a catalogue, or without the demo units and the
office account. The dates count back from `today`.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from gongkai.accounts.models import User
from gongkai.consult.models import Consultation
from gongkai.decisions import actions
from gongkai.decisions.actions import CatalogueInput, DecisionInput, ItemInput
from gongkai.decisions.models import Catalogue
from gongkai.publishing.models import DocState, Document
from gongkai.units.models import Unit

GOV = "张店区人民政府办公室"
SIFA = "张店区司法局"
FAGAI = "张店区发展和改革局"
DECISION_TITLE = "张店区优化营商环境若干措施"


@transaction.atomic
def load_demo(today: dt.date) -> None:
    year = today.year
    if Catalogue.objects.filter(year=year).exists():
        return
    office = User.objects.filter(username="office").first()
    units = {u.name: u for u in Unit.objects.filter(name__in=[GOV, SIFA, FAGAI])}
    if office is None or len(units) != 3:
        return
    agreed = max(dt.date(year, 1, 1), today - dt.timedelta(days=30))
    catalogue = actions.create_catalogue(
        office,
        year,
        CatalogueInput(
            agreed,
            "经区委常委会会议研究同意",
            "根据《重大行政决策程序暂行条例》，现将本年度区政府重大行政决策事项目录予以公布。"
            "目录实行动态管理，调整的事项另行注明。",
        ),
    )
    rules = actions.add_item(
        office,
        catalogue,
        ItemInput(
            "制定《张店区重大行政决策程序规定》",
            units[GOV],
            f"{year}年二季度",
            "依据《重大行政决策程序暂行条例》，细化公众参与、专家论证、风险评估、合法性审查和集体讨论决定程序。",
        ),
    )
    actions.add_item(
        office,
        catalogue,
        ItemInput(
            f"编制张店区法治政府建设实施规划（{year}—{year + 4}年）",
            units[SIFA],
            f"{year}年三季度",
            "明确今后五年法治政府建设的目标、任务和保障措施。",
            hearing=True,
        ),
    )
    measures = actions.add_item(
        office,
        catalogue,
        ItemInput(
            f"制定《{DECISION_TITLE}》",
            units[FAGAI],
            f"{year}年上半年",
            "对标一流营商环境，在市场准入、政务服务、要素保障等方面提出具体措施。",
            hearing=True,
        ),
    )
    actions.publish_catalogue(office, catalogue)

    draft = Consultation.objects.filter(unit=units[GOV], is_major_decision=True).first()
    if draft is not None:
        actions.link_consultation(office, rules, draft)
    document = Document.objects.filter(title=DECISION_TITLE, state=DocState.PUBLISHED).first()
    decided = document.published_on if document and document.published_on else today
    hearing = min(today, decided - dt.timedelta(days=20))
    actions.save_hearing(office, measures, hearing, hearing - dt.timedelta(days=10))
    if document is not None and document.index_number:
        actions.record_decision(
            office, measures, DecisionInput(decided, index_number=document.index_number)
        )
