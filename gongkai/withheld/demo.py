"""The demo 负面清单: six categories over the 条例's grounds and one other law, for the whole
organisation and two demo units (gongkai/demo/data.py), in use and so shown on the portal's
/portal/fmqd/. Made through the actions, as the office, so every entry has its audit event.
Loaded once: nothing happens when the list has entries; a unit or the office account missing
leaves its entries out."""

from __future__ import annotations

import datetime as dt

from gongkai.accounts.models import User
from gongkai.units.models import Unit
from gongkai.withheld.actions import EntryInput, create_entry
from gongkai.withheld.models import Basis, NegativeEntry

SIFA = "张店区司法局"
CAIZHENG = "张店区财政局"

#: (title, basis, basis_text, description, examples, unit name or "" for the organisation)
ENTRIES: tuple[tuple[str, Basis, str, str, str, str], ...] = (
    (
        "涉及国家秘密的信息",
        Basis.STATE_SECRET,
        "《中华人民共和国保守国家秘密法》",
        "依法确定为国家秘密的文件、资料和其他信息，以及经保密审查认定不宜公开的派生信息。",
        "定密的会议纪要、涉密统计资料",
        "",
    ),
    (
        "个人隐私和商业秘密",
        Basis.THIRD_PARTY,
        "",
        "公开后可能侵犯公民个人隐私或泄露企业商业秘密、损害第三方合法权益的信息；"
        "第三方同意公开或不公开会对公共利益造成重大影响的除外。",
        "身份证件号码、家庭住址、联系电话；企业报送的技术和经营信息",
        "",
    ),
    (
        "内部人事管理和后勤事务信息",
        Basis.INTERNAL_AFFAIRS,
        "",
        "机关内部人事管理、后勤管理、内部工作流程等内部事务信息。",
        "干部考察材料、年度考核结果、内部值班安排",
        "",
    ),
    (
        "讨论记录、过程稿和请示报告",
        Basis.PROCESS_INFO,
        "",
        "行政机关履行职责过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息；"
        "法律、法规、规章规定应当公开的，从其规定。",
        "局务会议讨论记录、征求意见中的草稿",
        "",
    ),
    (
        "行政处罚和行政复议案卷",
        Basis.ENFORCEMENT_FILE,
        "",
        "行政执法过程中形成的案卷材料；具有一定社会影响的行政处罚决定依法主动公开，不在此列。",
        "律师、律师事务所违法违规案件的调查询问笔录",
        SIFA,
    ),
    (
        "纳税人涉税信息",
        Basis.OTHER_LAW,
        "《中华人民共和国税收征收管理法》第八条",
        "税务等部门提供的纳税人、扣缴义务人的涉税信息，依法负有保密义务的。",
        "财政补贴核算中使用的企业纳税明细",
        CAIZHENG,
    ),
)


def load_demo(today: dt.date) -> None:
    """Load the demo list into an empty list (nothing when it has entries)."""
    if NegativeEntry.objects.exists():
        return
    office = User.objects.filter(username="office").first()
    if office is None:
        return
    effective = dt.date(today.year, 1, 1)
    for title, basis, basis_text, description, examples, unit_name in ENTRIES:
        unit = Unit.objects.filter(name=unit_name).first() if unit_name else None
        if unit_name and unit is None:
            continue
        create_entry(
            office,
            EntryInput(
                title=title,
                basis=basis,
                basis_text=basis_text,
                description=description,
                examples=examples,
                unit=unit,
                effective_on=effective,
            ),
        )
