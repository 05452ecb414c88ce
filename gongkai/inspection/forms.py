"""Forms of 网站检查: a site (with its checks), an owner rule, a dismissal."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from django import forms

from gongkai.inspect.scoring import RUBRICS
from gongkai.inspection.models import RuleKind, Schedule, rubric_choices
from gongkai.inspection.types import type_choices
from gongkai.units.models import Unit
from gongkai.web.widgets import MINUTE_INPUT_FORMATS, DateTimeInput

MAX_PAGES_LIMIT = 200_000


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _host_list(text: str, label: str) -> list[str]:
    hosts = []
    for line in _lines(text):
        host = line.lower()
        if "/" in host or " " in host or len(host) > 253:
            raise forms.ValidationError(
                f"{label}「{line[:50]}」不是主机名（不要带 http:// 或路径）"
            )
        hosts.append(host)
    return list(dict.fromkeys(hosts))


def check_url(value: str) -> str:
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise forms.ValidationError("请填写以 http:// 或 https:// 开头的完整网址")
    return value


def _type_label(value: Any) -> str:
    if isinstance(value, bool):
        return "true 或 false"
    if isinstance(value, int | float):
        return "数字"
    if isinstance(value, str):
        return "文字"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "对象"
    return "空值"


def _fits(value: Any, default: Any) -> bool:
    """Whether an option's value has the type of the check's default for it."""
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, int | float):
        # A count must stay a whole number; a share may be written as 1 or 0.5.
        wanted = (int,) if isinstance(default, int) else (int, float)
        return isinstance(value, wanted) and not isinstance(value, bool)
    if default is None:
        # "Not set" by default (e.g. stale_column.other): a number, or null to leave it unset.
        return value is None or (isinstance(value, int | float) and not isinstance(value, bool))
    if isinstance(default, list):
        if not isinstance(value, list):
            return False
        kinds = {type(item) for item in default}
        return not kinds or all(type(item) in kinds for item in value)
    return isinstance(value, type(default))


def check_options_errors(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Validate per-check options against the check registry; raise the problems in Chinese,
    or return the options as given."""
    from gongkai.inspect.checks import by_type

    registry = by_type()
    problems: list[str] = []
    for check_type, options in data.items():
        check = registry.get(str(check_type))
        if check is None:
            problems.append(f"没有检查项「{check_type}」")
            continue
        defaults = dict(check.defaults)
        for name, value in options.items():
            if name == "enabled":
                if not isinstance(value, bool):
                    problems.append(f"{check_type}.enabled 应为 true 或 false")
                continue
            if name not in defaults:
                known = "、".join(sorted(defaults)) or "（该检查项没有参数）"
                problems.append(f"检查项「{check_type}」没有参数「{name}」，可用参数：{known}")
                continue
            if not _fits(value, defaults[name]):
                problems.append(
                    f"{check_type}.{name} 应为{_type_label(defaults[name])}"
                    f"（默认值 {json.dumps(defaults[name], ensure_ascii=False)}）"
                )
            elif isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
                problems.append(f"{check_type}.{name} 不能为负数")
    if problems:
        raise forms.ValidationError(problems)
    return {str(k): dict(v) for k, v in data.items()}


class SiteForm(forms.Form):
    name = forms.CharField(label="网站名称", max_length=100)
    base_url = forms.CharField(label="首页地址", max_length=500)
    unit = forms.ModelChoiceField(label="主办单位", queryset=Unit.objects.none())
    extra_hosts = forms.CharField(
        label="同时检查的其他主机",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="每行一个主机名，例如信息公开平台单独部署的主机",
    )
    is_portal = forms.BooleanField(label="政府门户网站（可计加分）", required=False)
    external_services = forms.BooleanField(
        label="有对外服务职能", required=False, initial=True,
        help_text="没有对外服务职能的部门网站按 75 分折算（×4/3）",
    )  # fmt: skip
    respect_robots = forms.BooleanField(
        label="遵守 robots.txt",
        required=False,
        initial=True,
        help_text="检查其他单位的网站时遵守；检查本机关自己的网站时可以取消",
    )
    max_pages = forms.IntegerField(
        label="最多检查页面数", min_value=1, max_value=MAX_PAGES_LIMIT, initial=2000
    )
    schedule = forms.ChoiceField(label="定期检查", choices=Schedule.choices)
    next_run = forms.DateTimeField(
        label="下次检查时间",
        required=False,
        widget=DateTimeInput(),
        input_formats=MINUTE_INPUT_FORMATS,
        help_text="不填则在下一次后台调度时开始",
    )
    rubric = forms.ChoiceField(label="评分标准", choices=())
    bonus = forms.FloatField(
        label="加分（仅门户网站）", min_value=0, max_value=100, initial=0, required=False
    )
    allow_private = forms.BooleanField(
        label="允许检查内网地址",
        required=False,
        help_text="仅用于部署在政务外网或内网、解析到内网地址的网站",
    )
    new_media = forms.CharField(
        label="政务新媒体账号",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一个：名称|订阅源或主页地址|平台（平台可不填）",
    )
    terms = forms.CharField(
        label="错误表述词典",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一对：错误写法|正确写法",
    )
    domain_exempt = forms.CharField(
        label="域名规则豁免主机",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="每行一个不要求 .gov.cn 后缀的主机名",
    )
    check_params = forms.CharField(
        label="检查项参数（JSON）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=(
            '例如 {"stale_column": {"news": 14}}（动态类栏目 14 天未更新即报）；'
            "键为检查项的类型名，其下为该检查项的参数名"
        ),
    )
    active = forms.BooleanField(label="在用", required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = Unit.objects.filter(active=True).order_by("name")
        rubric_field = self.fields["rubric"]
        assert isinstance(rubric_field, forms.ChoiceField)
        rubric_field.choices = rubric_choices()
        self.check_types = type_choices()
        for finding_type, name in self.check_types:
            self.fields[f"check_{finding_type}"] = forms.BooleanField(
                label=name, required=False, initial=True
            )

    @property
    def check_fields(self) -> list[forms.BoundField]:
        return [self[f"check_{t}"] for t, _ in self.check_types]

    @classmethod
    def initial_for(cls, site: Any) -> dict[str, Any]:
        options = dict(site.check_options or {})
        params = {
            k: {kk: vv for kk, vv in v.items() if kk != "enabled"}
            for k, v in options.items()
            if isinstance(v, dict)
        }
        params = {k: v for k, v in params.items() if v}
        initial: dict[str, Any] = {
            "name": site.name,
            "base_url": site.base_url,
            "unit": site.unit_id,
            "extra_hosts": "\n".join(site.extra_hosts or []),
            "is_portal": site.is_portal,
            "external_services": site.external_services,
            "respect_robots": site.respect_robots,
            "max_pages": site.max_pages,
            "schedule": site.schedule,
            "next_run": site.next_run,
            "rubric": site.rubric,
            "bonus": site.bonus,
            "allow_private": site.allow_private,
            "new_media": "\n".join(
                "|".join([a.get("name", ""), a.get("url", ""), a.get("platform", "")]).rstrip("|")
                for a in site.new_media or []
            ),
            "terms": "\n".join(f"{a}|{b}" for a, b in site.terms or []),
            "domain_exempt": "\n".join(site.domain_exempt or []),
            "check_params": json.dumps(params, ensure_ascii=False) if params else "",
            "active": site.active,
        }
        for finding_type, _ in type_choices():
            opts = options.get(finding_type, {})
            initial[f"check_{finding_type}"] = bool(
                opts.get("enabled", True) if isinstance(opts, dict) else True
            )
        return initial

    def clean_base_url(self) -> str:
        return check_url(self.cleaned_data["base_url"])

    def clean_extra_hosts(self) -> list[str]:
        return _host_list(self.cleaned_data.get("extra_hosts", ""), "主机")

    def clean_domain_exempt(self) -> list[str]:
        return _host_list(self.cleaned_data.get("domain_exempt", ""), "主机")

    def clean_new_media(self) -> list[dict[str, str]]:
        accounts = []
        for line in _lines(self.cleaned_data.get("new_media", "")):
            parts = [p.strip() for p in line.split("|")]
            if len(parts) < 2 or not parts[0]:
                raise forms.ValidationError(f"「{line[:50]}」应写作 名称|地址|平台")
            accounts.append(
                {"name": parts[0], "url": check_url(parts[1]), "platform": "|".join(parts[2:])}
            )
        return accounts

    def clean_terms(self) -> list[list[str]]:
        pairs = []
        for line in _lines(self.cleaned_data.get("terms", "")):
            wrong, sep, right = line.partition("|")
            if not sep or not wrong.strip() or not right.strip():
                raise forms.ValidationError(f"「{line[:50]}」应写作 错误写法|正确写法")
            pairs.append([wrong.strip(), right.strip()])
        return pairs

    def clean_rubric(self) -> str:
        value = str(self.cleaned_data["rubric"])
        if value not in RUBRICS:
            raise forms.ValidationError("没有这个评分标准")
        return value

    def clean_bonus(self) -> float:
        return float(self.cleaned_data.get("bonus") or 0)

    def clean_check_params(self) -> dict[str, dict[str, Any]]:
        raw = (self.cleaned_data.get("check_params") or "").strip()
        if not raw:
            return {}
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise forms.ValidationError(f"不是有效的 JSON：{exc}") from None
        if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
            raise forms.ValidationError("应是一个对象：检查项类型名 → 该检查项的参数对象")
        return check_options_errors(data)

    def site_data(self) -> dict[str, Any]:
        """The cleaned form as the fields actions.create_site / update_site take."""
        data = dict(self.cleaned_data)
        options: dict[str, dict[str, Any]] = {
            k: dict(v) for k, v in data.pop("check_params").items()
        }
        for finding_type, _ in self.check_types:
            enabled = bool(data.pop(f"check_{finding_type}"))
            if not enabled:
                options.setdefault(finding_type, {})["enabled"] = False
            elif finding_type in options:
                options[finding_type].pop("enabled", None)  # the tick box decides
        options = {k: v for k, v in options.items() if v}
        data["check_options"] = options
        return data


class RuleForm(forms.Form):
    kind = forms.ChoiceField(label="方式", choices=RuleKind.choices)
    pattern = forms.CharField(label="前缀或栏目名", max_length=300)
    unit = forms.ModelChoiceField(label="责任单位", queryset=Unit.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = Unit.objects.filter(active=True).order_by("name")


class DismissForm(forms.Form):
    reason = forms.CharField(
        label="排除理由", max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
