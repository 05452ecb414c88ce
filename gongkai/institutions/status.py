"""Where each unit's 机构职能 information stands: what the office's check page lists, and the
lines shown as evidence on a matching task's checkpoint."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from gongkai.institutions.models import Leader, Profile, ProfileState
from gongkai.units.models import Unit
from gongkai.work.linked import LinkedLine, LinkedSource


@dataclass
class UnitStatus:
    unit: Unit
    profile: Profile | None
    today: dt.date
    missing: list[str] = field(default_factory=list)

    @property
    def published(self) -> bool:
        return self.profile is not None and self.profile.published_id is not None

    @property
    def pending(self) -> bool:
        return self.profile is not None and self.profile.state == ProfileState.SUBMITTED

    @property
    def returned(self) -> bool:
        return self.profile is not None and self.profile.state == ProfileState.RETURNED

    @property
    def info_date(self) -> dt.date | None:
        when = self.profile.info_time() if self.profile else None
        return timezone.localdate(when) if when else None

    @property
    def approved_on(self) -> dt.date | None:
        if self.profile is None or self.profile.published is None:
            return None
        return timezone.localdate(self.profile.published.approved_at)

    @property
    def age_days(self) -> int | None:
        return self.profile.age_days(self.today) if self.profile else None

    @property
    def stale(self) -> bool:
        return self.profile is not None and self.profile.is_stale(self.today)

    @property
    def needs_attention(self) -> bool:
        return bool(self.missing) or not self.published or self.pending or self.stale

    @property
    def state_label(self) -> str:
        return self.profile.get_state_display() if self.profile else "未填写"


def stale_days() -> int:
    return int(settings.INSTITUTION_STALE_DAYS)


def _status(unit: Unit, profile: Profile | None, today: dt.date) -> UnitStatus:
    missing = profile.missing() if profile else ["尚未填写机构职能信息"]
    return UnitStatus(unit, profile, today, missing)


def _profiles() -> dict[int, Profile]:
    rows = Profile.objects.select_related("published").prefetch_related(
        Prefetch("leaders", queryset=Leader.objects.order_by("order", "pk"))
    )
    return {p.unit_id: p for p in rows}


def unit_statuses(today: dt.date, units: list[Unit] | None = None) -> list[UnitStatus]:
    """Every active unit (or `units`), with or without information."""
    profiles = _profiles()
    chosen = units if units is not None else list(Unit.objects.active().order_by("name"))
    return [_status(u, profiles.get(u.pk), today) for u in chosen]


def status_of(unit: Unit, today: dt.date) -> UnitStatus:
    profile = (
        Profile.objects.select_related("published")
        .prefetch_related(Prefetch("leaders", queryset=Leader.objects.order_by("order", "pk")))
        .filter(unit=unit)
        .first()
    )
    return _status(unit, profile, today)


def linked_lines(unit_id: int, year: int) -> list[LinkedLine]:
    """The unit's information as it stands today (the year does not matter: there is one
    current version, and its age is what the task asks about)."""
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        return []
    s = status_of(unit, timezone.localdate())
    url = reverse("institutions:profile", args=[unit_id])
    lines: list[LinkedLine] = []
    if s.profile is not None and s.profile.published is not None:
        lines.append(
            LinkedLine(
                f"机构职能信息已在门户网站发布（第 {s.profile.published.number} 版），"
                f"更新日期 {s.approved_on:%Y-%m-%d}",
                reverse("jgzn:unit", args=[unit_id]),
            )
        )
        if s.info_date and s.info_date != s.approved_on:
            lines.append(LinkedLine(f"最近一次确认信息无变化：{s.info_date:%Y-%m-%d}", url))
    else:
        lines.append(LinkedLine("机构职能信息尚未发布", url, problem=True))
    if s.pending:
        lines.append(LinkedLine("修改稿已报送，待公开办审核", url))
    if s.returned and s.profile is not None:
        lines.append(
            LinkedLine(f"修改稿被公开办退回：{s.profile.return_reason}", url, problem=True)
        )
    if s.missing:
        lines.append(LinkedLine("缺少：" + "、".join(s.missing), url, problem=True))
    if s.stale:
        lines.append(
            LinkedLine(
                f"信息已 {s.age_days} 天未更新或确认（超过 {stale_days()} 天）", url, problem=True
            )
        )
    return lines


#: Seed 000 and 002 file these duties under 机构职能 (002's 负责人信息 line too); seed 003, in
#: traditional characters, names 機構職能、領導信息. A bare 负责人信息 is left out: seed 004 uses
#: it for construction projects' 项目负责人信息, which this register does not answer.
SOURCE = LinkedSource("机构职能", ("机构职能", "機構職能", "领导信息", "領導信息"), linked_lines)
