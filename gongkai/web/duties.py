"""专项工作: the registers of the task lists' other duties, each its own app, gathered on one
staff page (/duties/) so the main navigation stays short."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class Duty:
    title: str
    #: The register's staff page; its public page on the portal ("" when it has none).
    url_name: str
    public_url_name: str
    summary: str

    @property
    def url(self) -> str | None:
        return _reverse(self.url_name)

    @property
    def public_url(self) -> str | None:
        return _reverse(self.public_url_name) if self.public_url_name else None

    @property
    def prefix(self) -> str:
        return "/" + self.url_name.split(":", 1)[0] + "/"


def _reverse(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


DUTIES: tuple[Duty, ...] = (
    Duty(
        "政务舆情回应",
        "opinion:index",
        "",
        "登记舆情事件，按小时计时：重大突发事件 5 小时内发布权威信息、24 小时内举行新闻发布会，"
        "其他舆情 48 小时内回应；到半程和到期时提醒责任单位和公开办。",
    ),
    Duty(
        "建议提案办理",
        "proposals:list",
        "jyta:list",
        "登记人大代表建议和政协委员提案，复文经审核后在门户网站公开，"
        "年度办理总体情况自动统计并写入年度报告第六部分。",
    ),
    Duty(
        "政务新媒体",
        "newmedia:index",
        "xmt:index",
        "登记各单位政务新媒体账号，定期读取最近发布日期；超过 2 周未更新的提醒责任单位，"
        "并计入网站检查。",
    ),
    Duty(
        "重大行政决策事项目录",
        "decisions:index",
        "zdjc:index",
        "编制和发布年度重大行政决策事项目录，逐项关联意见征集、决策文件和后评估。",
    ),
    Duty(
        "不予公开自查与负面清单",
        "withheld:index",
        "fmqd:index",
        "维护政务公开负面清单；年度自查不予公开答复和申请较集中的信息，可转为主动公开的生成主动公开草稿。",
    ),
    Duty(
        "机构职能与负责人信息",
        "institutions:index",
        "jgzn:index",
        "各单位维护机构职能和负责人信息，经公开办审核后统一格式发布，缺项和超过一年未更新的列出提醒。",
    ),
    Duty(
        "政府公报",
        "gazette:index",
        "gb:index",
        "政府公报按期数字化，目录关联已发布文件或上传 PDF，在门户网站按期浏览和全文检索。",
    ),
)

DUTY_PREFIXES: tuple[str, ...] = tuple(d.prefix for d in DUTIES)
