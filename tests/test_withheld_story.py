"""The 不予公开 self-check, told through HTTP: requests answered 不予公开 and a piece of
information asked for by three people are in the 2025 register → the office opens 司法局's
2025 self-check → keeps one withheld item with its reason, moves the much-requested one to
proactive disclosure (a draft for 司法局, no applicant in it) → cannot close with an item
unreviewed → closes → the result is on the task-list checkpoint of seed 001's self-check line."""

from __future__ import annotations

import datetime as dt
import html
import re
import zoneinfo
from typing import Any

import time_machine
from django.contrib.contenttypes.models import ContentType

from gongkai.audit.models import AuditEvent
from gongkai.disclosure import actions as disclosure
from gongkai.disclosure.actions import RequestInput
from gongkai.disclosure.models import ApplicantType, Outcome, Request
from gongkai.publishing.models import DocKind, DocState, Document
from gongkai.units.models import Unit
from gongkai.withheld.models import CheckItem, CheckState, Decision, ItemKind, SelfCheck
from gongkai.work.models import Checkpoint
from tests.conftest import Cast, client_for, csrf_post
from tests.work_factories import TaskSpec, make_plan, year_end

ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")
D = dt.date.fromisoformat
#: Seed 001, line 127: the task this register answers.
SEED_TASK = (
    "定期对本单位不予公开的信息以及依申请公开较为集中的信息进行全面自查，"
    "发现应公开未公开的信息应当公开，可转为主动公开的应当主动公开。"
)
PERSONNEL = "请公开区司法局2025年度内部人事考核办法及各科室考核结果"
CASE_FILE = "请提供某律师事务所2025年行政处罚案件的全部执法案卷材料"
LEGAL_AID = "本区2025年度法律援助经费的使用情况明细"


def at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(D(day), dt.time(hour), ZONE)


def make_request(
    unit: Unit,
    office: Any,
    day: str,
    description: str,
    *,
    name: str,
    id_number: str = "",
    phone: str = "13700000000",
    outcome: str = "",
    worker: Any = None,
) -> Request:
    """A request registered on `day`, answered on the spot with `outcome` when one is given."""
    data = RequestInput(
        applicant_type=ApplicantType.PERSON,
        applicant_name=name,
        id_number=id_number,
        description=description,
        channel="in_person",
        arrived_on=D(day),
        unit=unit,
        contact_phone=phone,
    )
    with time_machine.travel(at(day), tick=False):
        request, _ = disclosure.register_request(office, data)
        if outcome:
            disclosure.answer_on_the_spot(
                worker or office, request, outcome=outcome, reasons="依据条例第十六条"
            )
    request.refresh_from_db()
    return request


def text_of(response: Any) -> str:
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(body))


def seed_register(cast: Cast) -> dict[str, Request]:
    j, o = cast.justice, cast.office
    return {
        "personnel": make_request(
            j, o, "2025-03-04", PERSONNEL, name="张三", outcome=Outcome.INTERNAL_AFFAIRS
        ),
        "case": make_request(
            j, o, "2025-05-06", CASE_FILE, name="李四", phone="3", outcome=Outcome.ENFORCEMENT_FILE
        ),
        "aid1": make_request(
            j, o, "2025-04-01", "请公开" + LEGAL_AID, name="王五", outcome=Outcome.GRANTED
        ),
        "aid2": make_request(j, o, "2025-06-02", "申请公开" + LEGAL_AID, name="赵六", phone="1"),
        "aid3": make_request(j, o, "2025-09-01", LEGAL_AID + "和受援人数", name="钱七", phone="2"),
        "lone": make_request(
            j, o, "2025-07-01", "区司法局2024年政府信息公开工作年度报告", name="孙八"
        ),
        "other_unit": make_request(
            cast.finance, o, "2025-08-05", "财政局内部会议纪要", name="周九",
            outcome=Outcome.PROCESS_INFO,
        ),
    }  # fmt: skip


def test_the_office_reviews_a_years_withheld_and_much_requested_information(cast: Cast) -> None:
    reqs = seed_register(cast)
    office = client_for(cast.office)

    with time_machine.travel(at("2026-01-12"), tick=False):
        opened = csrf_post(
            office, "/withheld/checks/open/", {"year": 2025, "unit": cast.justice.pk}
        )
        check = SelfCheck.objects.get()
        assert opened.status_code == 302 and opened["Location"] == f"/withheld/checks/{check.pk}/"

        page = office.get(f"/withheld/checks/{check.pk}/")
        text = text_of(page)
        assert page.status_code == 200
        assert PERSONNEL in text and CASE_FILE in text and "不予公开：属于行政执法案卷" in text
        assert "财政局内部会议纪要" not in text  # 司法局's check only
        # The legal-aid requests are one group of three, from three applicants.
        assert "3 件，3 位申请人" in text and "予以公开 1 件" in text
        assert "2024年政府信息公开工作年度报告" not in text  # asked once: not "much requested"
        for name in ("张三", "李四", "王五", "赵六", "钱七", "13700000000"):
            assert name not in page.content.decode()

    items = {i.kind + ":" + str(i.request_ids[0]): i for i in check.items.all()}
    kept = items[f"{ItemKind.DENIED}:{reqs['personnel'].pk}"]
    case = items[f"{ItemKind.DENIED}:{reqs['case'].pk}"]
    group = items[f"{ItemKind.FREQUENT}:{reqs['aid1'].pk}"]
    assert sorted(group.request_ids) == sorted(r.pk for k, r in reqs.items() if k.startswith("aid"))
    assert len(items) == 3

    def decide(item: CheckItem, decision: str, reason: str = "") -> Any:
        data = {f"i{item.pk}-decision": decision, f"i{item.pk}-reason": reason}
        return csrf_post(office, f"/withheld/items/{item.pk}/decide/", data)

    with time_machine.travel(at("2026-01-13"), tick=False):
        refused = decide(kept, Decision.KEEP)
        assert refused.status_code == 400 and "请写明理由和依据" in text_of(refused)
        assert decide(kept, Decision.KEEP, "属于内部人事管理信息，条例第十六条").status_code == 302
        assert decide(group, Decision.MOVE).status_code == 302

        closing = csrf_post(office, f"/withheld/checks/{check.pk}/close/", {"note": ""})
        assert closing.status_code == 400 and "还有 1 个项目未审查" in text_of(closing)

        assert decide(case, Decision.KEEP, "行政执法案卷，条例第十六条").status_code == 302
        closed = csrf_post(office, f"/withheld/checks/{check.pk}/close/", {"note": "已全面自查"})
        assert closed.status_code == 302

    group.refresh_from_db()
    assert group.document_id is not None
    draft = Document.objects.get(pk=group.document_id)
    assert draft.unit == cast.justice and draft.kind == DocKind.OTHER
    assert draft.state == DocState.DRAFT and draft.title == "请公开" + LEGAL_AID
    assert "不予公开自查" in draft.body_html
    assert not {"王五", "赵六", "钱七"} & set(re.findall(r"[王赵钱][五六七]", draft.body_html))

    check.refresh_from_db()
    assert check.state == CheckState.CLOSED
    assert (check.total, check.kept, check.moved) == (3, 2, 1)
    assert check.closed_at == at("2026-01-13")
    result = AuditEvent.objects.filter(object_id=str(check.pk), comment__startswith="完成自查")
    assert result.get().comment == "完成自查：3 项，继续不予公开 2 项，转为主动公开 1 项"
    item_type = ContentType.objects.get_for_model(CheckItem)
    decided = AuditEvent.objects.filter(content_type=item_type, object_id=str(kept.pk))
    assert [(e.changes, e.comment) for e in decided] == [
        ({"decision": ["pending", "keep"]}, "属于内部人事管理信息，条例第十六条")
    ]
    # A finished check is not rewritten: deciding again is refused.
    again = decide(case, Decision.MOVE)
    assert again.status_code == 400 and "该自查已完成" in text_of(again)

    # The evidence on the task-list checkpoint of seed 001's line, for 司法局's liaison.
    plan = make_plan([TaskSpec(SEED_TASK, [cast.justice], rules=[year_end(2025)])], year=2025)
    checkpoint = Checkpoint.objects.get(plan=plan, unit=cast.justice)
    shown = text_of(client_for(cast.justice_liaison).get(f"/work/checkpoints/{checkpoint.pk}/"))
    assert "平台登记的佐证" in shown and "不予公开自查" in shown
    assert "2025 年不予公开自查（区司法局）：已完成，2026-01-13 完成" in shown
    assert (
        "自查项目 3 项，已审查 3 项（继续不予公开 2 项，转为主动公开 1 项），待审查 0 项" in shown
    )


def test_an_applicant_who_writes_their_name_and_phone_into_the_request_is_not_copied(
    cast: Cast,
) -> None:
    """Applicants often sign the description itself; the self-check keeps neither that nor any
    other personal number, on its page, in its rows, or in the draft it makes."""
    j, o = cast.justice, cast.office
    signed = "本人吴某某（电话13912345678，身份证110101199003077777）申请公开" + LEGAL_AID
    make_request(
        j, o, "2025-03-04", signed, name="吴某某", phone="13912345678",
        id_number="110101199003077777", outcome=Outcome.INTERNAL_AFFAIRS,
    )  # fmt: skip
    make_request(
        j, o, "2025-04-01", "请公开" + LEGAL_AID + "，联系邮箱 zheng@example.cn", name="郑某"
    )
    make_request(j, o, "2025-05-01", "申请公开" + LEGAL_AID, name="冯某")
    office = client_for(cast.office)
    private = ("吴某某", "13912345678", "110101199003077777", "zheng@example.cn", "郑某")
    with time_machine.travel(at("2026-01-12"), tick=False):
        opened = csrf_post(office, "/withheld/checks/open/", {"year": 2025, "unit": j.pk})
        assert opened.status_code == 302
        check = SelfCheck.objects.get()
        page = office.get(f"/withheld/checks/{check.pk}/").content.decode()
        items = list(check.items.all())
        assert {i.kind for i in items} == {ItemKind.DENIED, ItemKind.FREQUENT}
        for item in items:
            data = {f"i{item.pk}-decision": Decision.MOVE, f"i{item.pk}-reason": ""}
            assert csrf_post(office, f"/withheld/items/{item.pk}/decide/", data).status_code == 302
    assert LEGAL_AID in page
    drafts = Document.objects.filter(unit=j)
    assert drafts.count() == 2
    stored = [page, *(i.description for i in CheckItem.objects.all())]
    stored += [d.title + d.body_html + d.body_text for d in drafts]
    # The request register's own trail keeps the request as registered; nothing written since.
    since = AuditEvent.objects.exclude(content_type=ContentType.objects.get_for_model(Request))
    stored += [str(e.changes) + e.comment + e.object_repr for e in since]
    for text in stored:
        for value in private:
            assert value not in text
    assert all(LEGAL_AID in d.body_text for d in drafts)
