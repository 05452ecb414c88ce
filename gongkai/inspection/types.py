"""What the app knows about finding types: Chinese names, which checkpoint words they answer,
which are about links (owned by the page that holds the link) and which are about the whole
site (judged the same however many pages the crawl reached)."""

from __future__ import annotations

from gongkai.inspect.config import InspectConfig

#: Stable type → the name shown to users when the check registry has no `title` for it.
TYPE_NAMES: dict[str, str] = {
    "broken_link": "断链",
    "wrong_link": "错链",
    "empty_column": "空白栏目",
    "stale_column": "栏目不更新",
    "homepage_not_updated": "首页不更新",
    "missing_metadata": "元数据缺失",
    "missing_interpretation": "缺少政策解读",
    "missing_validity_mark": "有效性标注不一致",
    "privacy_leak": "泄露个人信息",
    "missing_site_identifier": "网站标识不全",
    "bad_domain": "域名不规范",
    "no_ipv6": "不支持 IPv6",
    "https": "HTTPS 问题",
    "search_broken": "站内搜索不可用",
    "repost_without_source": "转载未注明来源",
    "new_media_stale": "政务新媒体不更新",
    "typo_or_wrong_term": "错别字或错误表述",
}

SEVERITY_NAMES: dict[str, str] = {
    "veto": "单项否决",
    "major": "严重",
    "minor": "一般",
    "info": "提示",
}

#: Words in a task's category path or requirement that say the task answers this type of
#: finding, most specific first (gongkai.work.linked.task_text gives the text they are found in).
TYPE_WORDS: dict[str, tuple[str, ...]] = {
    "broken_link": ("断错链", "信息维护", "网站维护"),
    "wrong_link": ("断错链", "信息维护", "网站维护"),
    "stale_column": ("栏目", "更新"),
    "empty_column": ("栏目", "更新"),
    "homepage_not_updated": ("栏目", "更新"),
    "missing_metadata": ("规范性文件", "元数据", "有效性"),
    "missing_validity_mark": ("有效性", "规范性文件", "元数据"),
    "missing_interpretation": ("解读",),
    "privacy_leak": ("个人信息", "隐私", "保密审查"),
    "missing_site_identifier": ("标识", "网站"),
    "bad_domain": ("网站", "标识"),
    "no_ipv6": ("IPv6", "网站"),
    "https": ("网站",),
    "search_broken": ("搜索", "网站"),
    "new_media_stale": ("新媒体",),
    "typo_or_wrong_term": ("错别字", "表述"),
    "repost_without_source": ("转载", "来源"),
}

#: A link finding belongs to the page that holds the link, not to the link's target.
LINK_TYPES = frozenset({"broken_link", "wrong_link"})

#: Findings about the site as a whole: judged whenever the home page answered, however many
#: pages the crawl reached (gongkai.inspection.evidence).
SITE_LEVEL_TYPES = frozenset(
    {
        "homepage_not_updated",
        "missing_site_identifier",
        "bad_domain",
        "no_ipv6",
        "https",
        "search_broken",
        "new_media_stale",
    }
)


def _registered() -> dict[str, tuple[str, str]]:
    """type → (title, the check that emits it) from the crawler's registry, if any."""
    try:
        from gongkai.inspect.checks import CHECKS
    except ImportError:  # pragma: no cover - the registry is part of the package
        return {}
    found: dict[str, tuple[str, str]] = {}
    for cls in CHECKS:
        title = str(getattr(cls, "title", "") or "")
        found[cls.type] = (title, cls.type)
        # A check that reports more than one type may list them as `types`.
        for other in getattr(cls, "types", ()) or ():
            found.setdefault(str(other), ("", cls.type))
    return found


def known_types() -> list[str]:
    return list(dict.fromkeys([*TYPE_NAMES, *_registered()]))


def type_name(finding_type: str) -> str:
    """The check's own title (one source for the CLI and the pages), else ours, else the type."""
    title = _registered().get(finding_type, ("", ""))[0]
    return title or TYPE_NAMES.get(finding_type, finding_type)


def type_choices() -> list[tuple[str, str]]:
    return [(t, type_name(t)) for t in known_types()]


def check_of(finding_type: str) -> str:
    """The type of the check that reports this finding type (itself for most)."""
    return _registered().get(finding_type, ("", finding_type))[1]


def ran_types(config: InspectConfig) -> list[str]:
    """The types an inspection with this configuration checks: enabled themselves and, when
    a check reports several types, their check enabled too."""
    parent = {t: owner for t, (_title, owner) in _registered().items()}
    return [t for t in known_types() if config.enabled(t) and config.enabled(parent.get(t, t))]
