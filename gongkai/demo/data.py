"""Demo directory: the units and groups the five seed task lists name.

Three organisations from the seeds share one directory so every seed's unit phrases resolve:
山东省统计局 (seeds 000, 001), 张店区 (seed 002) and 泰安市 (seed 004). 樟树市统计局's
股室 (seed 003) are included under their own bureau.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gongkai.accounts.models import Role
from gongkai.units.models import GroupMode, UnitKind


@dataclass(frozen=True)
class DemoUnit:
    name: str
    kind: UnitKind
    parent: str | None = None
    short_name: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoGroup:
    name: str
    mode: GroupMode
    members: tuple[str, ...] = ()
    rule_kind: UnitKind | None = None
    rule_parent: str | None = None
    aliases: tuple[str, ...] = field(default=())


D, T, C, G, INS = (
    UnitKind.DEPARTMENT,
    UnitKind.TOWN,
    UnitKind.COUNTY,
    UnitKind.GOVERNMENT,
    UnitKind.INSTITUTION,
)
STATS = "山东省统计局"
ZD = "张店区人民政府"
TA = "泰安市人民政府"
ZS = "樟树市统计局"

UNITS: list[DemoUnit] = [
    DemoUnit(STATS, G, short_name="省统计局"),
    *[
        DemoUnit(n, D, STATS, aliases=a)
        for n, a in [
            ("办公室", ()),
            ("人事处", ()),
            ("财务处", ()),
            ("执法监督局", ()),
            ("综合处", ()),
            ("核算处", ()),
            ("人口处（社科处）", ("人口处", "社科处")),
            ("设管处", ()),
            ("机关党委", ()),
            ("人普办", ()),
        ]
    ],
    DemoUnit("资料管理中心", INS, STATS),
    DemoUnit("普查中心", INS, STATS),
    DemoUnit("社会经济调查中心", INS, STATS),
    DemoUnit("统计科学研究所", INS, STATS, aliases=("统计科研所",)),
    DemoUnit(ZD, G, short_name="张店区政府"),
    DemoUnit("张店区人民政府办公室", D, ZD, short_name="区政府办公室", aliases=("区政府办",)),
    DemoUnit("张店区司法局", D, ZD, short_name="区司法局", aliases=("司法局",)),
    DemoUnit("张店区财政局", D, ZD, short_name="区财政局", aliases=("财政局",)),
    DemoUnit("张店区发展和改革局", D, ZD, short_name="区发展和改革局", aliases=("区发改局",)),
    DemoUnit("张店区大数据中心", INS, ZD, short_name="区大数据中心"),
    DemoUnit("张店区马尚街道办事处", T, ZD, short_name="马尚街道"),
    DemoUnit("张店区和平街道办事处", T, ZD, short_name="和平街道"),
    DemoUnit("张店区中埠镇人民政府", T, ZD, short_name="中埠镇"),
    DemoUnit(TA, G, short_name="泰安市政府"),
    DemoUnit("泰安市司法局", D, TA, short_name="市司法局"),
    DemoUnit("中共泰安市委机构编制委员会办公室", D, TA, short_name="市委编办"),
    DemoUnit("泰安市人民政府国有资产监督管理委员会", D, TA, short_name="市国资委"),
    DemoUnit("泰安市行政审批服务局", D, TA, short_name="市行政审批服务局"),
    *[DemoUnit(n, C, TA) for n in ["泰山区", "岱岳区", "新泰市", "肥城市", "宁阳县", "东平县"]],
    DemoUnit(ZS, G, short_name="樟树统计局"),
    *[DemoUnit(n, D, ZS) for n in ["综合股", "法规股"]],
    DemoUnit("樟树市统计局办公室", D, ZS, short_name="樟树办公室"),
    DemoUnit("樟树市普查中心", INS, ZS, short_name="樟树普查中心"),
]

GROUPS: list[DemoGroup] = [
    DemoGroup("各处室、中心", GroupMode.RULE, rule_parent=STATS, aliases=("各处室中心",)),
    DemoGroup(
        "各专业处室",
        GroupMode.EXPLICIT,
        members=("综合处", "核算处", "人口处（社科处）", "设管处"),
    ),
    DemoGroup("各相关处室", GroupMode.RULE, rule_kind=D, rule_parent=STATS),
    DemoGroup(
        "各成员单位",
        GroupMode.RULE,
        rule_parent=ZD,
        aliases=("区政府各部门", "各部门单位"),
    ),
    DemoGroup(
        "各镇（街道）",
        GroupMode.RULE,
        rule_kind=T,
        rule_parent=ZD,
        aliases=("各镇政府、街道办事处",),
    ),
    DemoGroup("各县（市、区）", GroupMode.RULE, rule_kind=C, rule_parent=TA),
    DemoGroup(
        "市政府各部门（单位）",
        GroupMode.RULE,
        rule_kind=D,
        rule_parent=TA,
        aliases=("市政府有关部门（单位）",),
    ),
    DemoGroup("各相关股室", GroupMode.RULE, rule_parent=ZS, aliases=("各股室",)),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: Role
    full_name: str
    units: tuple[str, ...]
    staff: bool = False
    superuser: bool = False


USERS: list[DemoUser] = [
    DemoUser("admin", "gongkai-admin", Role.OFFICE, "系统管理员", (), staff=True, superuser=True),
    DemoUser(
        "office",
        "gongkai-office",
        Role.OFFICE,
        "公开办 王敏",
        ("张店区人民政府办公室",),
        staff=True,
    ),
    DemoUser("sifa", "gongkai-sifa", Role.LIAISON, "司法局联络员 李强", ("张店区司法局",)),
    DemoUser("caizheng", "gongkai-caizheng", Role.LIAISON, "财政局联络员 赵丽", ("张店区财政局",)),
    DemoUser(
        "sifa_leader", "gongkai-leader", Role.LEADER, "司法局分管领导 陈刚", ("张店区司法局",)
    ),
    DemoUser("pinggu", "gongkai-pinggu", Role.EVALUATOR, "第三方评估 周洁", ()),
]
