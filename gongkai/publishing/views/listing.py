"""The register's list with its tabs, filters and counts, and the review queue.

GET parameters of the list: tab (see TABS; "all" by default), all (1: in the review tab, every
document in review rather than those waiting for the user), kind (DocKind value), unit (id),
category (id: the node and everything under it), year (of 发布日期, or of creation while
unpublished), q (words of the title), page. A value that does not parse is ignored and said so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from gongkai.accounts.models import Role
from gongkai.publishing import access, actions
from gongkai.publishing.forms import category_rows
from gongkai.publishing.models import (
    Category,
    DocKind,
    DocState,
    Document,
    DocumentQuerySet,
    Validity,
)
from gongkai.units.access import units_for_user
from gongkai.work.views.mywork import CappedPaginator

PAGE_SIZE = 50
#: Documents in review looked at to find those waiting for a unit's user (the office may
#: decide every stage, so it needs no look).
REVIEW_SCAN = 1000

TABS = {
    "draft": "草稿",
    "review": "审核中",
    "returned": "已退回",
    "approved": "待发布",
    "published": "已发布",
    "overdue": "解读逾期",
    "void": "已废止失效",
    "all": "全部",
}
VOID = (Validity.REPEALED, Validity.EXPIRED)
TAB_STATES = {
    "draft": DocState.DRAFT,
    "returned": DocState.RETURNED,
    "approved": DocState.APPROVED,
    "published": DocState.PUBLISHED,
}


def _int(raw: str | None, low: int, high: int) -> int | None:
    text = (raw or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    value = int(text)
    return value if low <= value <= high else None


def may_review_any(user: Any) -> bool:
    """Whether the user decides any review stage at all (evaluators never do)."""
    role = getattr(user, "role", None)
    return bool(getattr(user, "is_office", False) or role in (Role.LIAISON, Role.LEADER))


def waiting_for(user: Any, qs: DocumentQuerySet) -> DocumentQuerySet:
    """Documents in review whose waiting stage this user may decide."""
    in_review = qs.filter(state=DocState.REVIEW)
    if getattr(user, "is_office", False):
        return in_review  # the office may decide every stage (actions.review)
    if not may_review_any(user):
        return in_review.none()
    rows = in_review.select_related("unit").order_by("updated_at", "pk")[:REVIEW_SCAN]
    ids = [d.pk for d in rows if access.can_review(user, d)]
    return in_review.filter(pk__in=ids)


@dataclass
class DocumentFilter:
    tab: str = "all"
    everyone: bool = False  # the review tab: all documents in review, not only mine
    kind: str = ""
    unit: int | None = None
    category: int | None = None
    year: int | None = None
    q: str = ""
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, query: Mapping[str, Any]) -> DocumentFilter:
        f = cls()

        def get(name: str) -> str:
            value = query.get(name)
            return str(value).strip() if value not in (None, "") else ""

        f.tab = get("tab") if get("tab") in TABS else "all"
        f.everyone = get("all") in ("1", "on", "true")
        f.kind = get("kind") if get("kind") in DocKind.values else ""
        if get("kind") and not f.kind:
            f.errors.append(f"筛选条件「类别」的值“{get('kind')[:20]}”无效，已忽略")
        for name, low, high, label in (
            ("unit", 1, 2**62, "单位"),
            ("category", 1, 2**62, "公开目录"),
            ("year", 2000, 2100, "年度"),
        ):
            raw = get(name)
            value = _int(raw, low, high)
            if raw and value is None:
                f.errors.append(f"筛选条件「{label}」的值“{raw[:20]}”无效，已忽略")
            setattr(f, name, value)
        f.q = get("q")[:100]
        return f

    def narrow(self, qs: DocumentQuerySet) -> DocumentQuerySet:
        """Every filter but the tab (the counts of the tabs use this)."""
        if self.kind:
            qs = qs.filter(kind=self.kind)
        if self.unit:
            qs = qs.filter(unit_id=self.unit)
        if self.category:
            qs = qs.filter(category_id__in=_subtree(self.category))
        if self.year:
            first, last = dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)
            qs = qs.filter(
                Q(published_on__gte=first, published_on__lte=last)
                | Q(published_on__isnull=True, created_at__year=self.year)
            )
        if self.q:
            qs = qs.filter(title__icontains=self.q)
        return qs

    def apply(self, user: Any, qs: DocumentQuerySet, today: dt.date) -> DocumentQuerySet:
        qs = self.narrow(qs)
        if self.tab in TAB_STATES:
            qs = qs.filter(state=TAB_STATES[self.tab])
        elif self.tab == "review":
            qs = qs.filter(state=DocState.REVIEW) if self.everyone else waiting_for(user, qs)
        elif self.tab == "overdue":
            qs = qs.interpretation_overdue(today)
        elif self.tab == "void":
            qs = qs.filter(state=DocState.PUBLISHED, validity__in=VOID)
        if self.tab == "overdue":
            return qs.order_by("interpretation_due", "pk")
        if self.tab in ("published", "void"):
            return qs.order_by("-published_on", "-pk")
        return qs.order_by("-updated_at", "-pk")

    def query(self, **override: Any) -> dict[str, str]:
        values: dict[str, Any] = {
            "tab": self.tab,
            "all": "1" if self.everyone and self.tab == "review" else None,
            "kind": self.kind,
            "unit": self.unit,
            "category": self.category,
            "year": self.year,
            "q": self.q,
        } | override
        return {k: str(v) for k, v in values.items() if v not in (None, "")}


def _subtree(pk: int) -> list[int]:
    """The node and every node below it."""
    edges = list(Category.objects.values_list("pk", "parent_id"))
    found, frontier = {pk}, [pk]
    while frontier:
        frontier = [c for c, parent in edges if parent in frontier and c not in found]
        found.update(frontier)
    return sorted(found)


def tab_counts(user: Any, qs: DocumentQuerySet, today: dt.date) -> dict[str, int]:
    counts: dict[str, int] = qs.aggregate(
        all=Count("pk"),
        **{tab: Count("pk", filter=Q(state=state)) for tab, state in TAB_STATES.items()},
        void=Count("pk", filter=Q(state=DocState.PUBLISHED, validity__in=VOID)),
    )
    counts["overdue"] = qs.interpretation_overdue(today).count()
    counts["review"] = waiting_for(user, qs).count()
    return counts


@require_GET
@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    f = DocumentFilter.from_query(request.GET)
    if f.tab == "review" and not may_review_any(user):
        f.everyone = True  # nothing ever waits for an evaluator: show what is in review
    today = timezone.localdate()
    visible = access.documents_for_user(user)
    qs = f.apply(user, visible, today).select_related("unit", "category")
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = tab_counts(user, f.narrow(visible), today)
    units = list(units_for_user(user).order_by("name").values("pk", "name"))
    context = {
        "page": page,
        "f": f,
        "today": today,
        "tabs": [
            (key, label, counts.get(key, 0), f.query(tab=key, all=None))
            for key, label in TABS.items()
        ],
        "units": units if len(units) > 1 else [],
        "kinds": DocKind.choices,
        "categories": [
            (c.pk, "\u3000" * depth + c.name + ("" if c.active else "（已停用）"))
            for c, depth in category_rows()
        ],
        "query": f.query(),
        "everyone_query": f.query(all="1"),
        "mine_query": f.query(all=None),
        "may_review": may_review_any(user),
        "can_create": can_create(user),
    }
    return render(request, "publishing/list.html", context)


def can_create(user: Any) -> bool:
    """The office and unit liaisons draft documents (actions.create_document)."""
    return bool(getattr(user, "is_office", False) or getattr(user, "role", None) == Role.LIAISON)


@require_GET
@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """Documents waiting for a stage this user may decide, the oldest first."""
    user = request.user
    qs = waiting_for(user, access.documents_for_user(user))
    qs = qs.select_related("unit").order_by("updated_at", "pk")
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows: list[tuple[Document, Any]] = [(d, actions.next_stage(d)) for d in page]
    context = {"page": page, "rows": rows, "may_review": may_review_any(user)}
    return render(request, "publishing/review_queue.html", context)
