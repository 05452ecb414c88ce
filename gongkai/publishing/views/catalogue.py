"""The 主动公开基本目录 (catalogue tree) editor, the office's: add a child, rename, reorder,
deactivate or reactivate, and delete a node nobody uses. Every write goes through one of the
small audited functions below (atomic; gongkai.audit.record).

A node in use (a document has it, or it has children) cannot be deleted, only deactivated: it
then leaves the pickers but stays on the documents that have it. The office and evaluators
may open the page; only the office may post (403).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from gongkai.audit.record import record_change, record_create, record_delete, snapshot
from gongkai.publishing.forms import (
    CategoryActiveForm,
    CategoryForm,
    CategoryMoveForm,
    category_rows,
)
from gongkai.publishing.models import Category


class CatalogueRejected(Exception):
    """Nothing was changed; the message says why, in Chinese."""


# -- the writes -------------------------------------------------------------------------------


def _name_taken(parent: Category | None, name: str, exclude: int | None = None) -> bool:
    # The database's unique (parent, name) does not cover the roots (NULL parent): check here.
    siblings = Category.objects.filter(parent=parent, name=name)
    if exclude is not None:
        siblings = siblings.exclude(pk=exclude)
    return siblings.exists()


def add_category(
    user: Any, *, parent: Category | None, name: str, code: str = "", description: str = ""
) -> Category:
    name = name.strip()
    with transaction.atomic():
        if _name_taken(parent, name):
            raise CatalogueRejected(f"同一级已有名为「{name}」的目录")
        last = Category.objects.filter(parent=parent).aggregate(m=Max("position"))["m"]
        node = Category(
            parent=parent,
            name=name,
            code=code.strip(),
            description=description.strip(),
            position=0 if last is None else last + 1,
        )
        try:
            with transaction.atomic():
                node.save()
        except IntegrityError:
            raise CatalogueRejected(f"同一级已有名为「{name}」的目录") from None
        record_create(user, node, comment="新增公开目录")
    return node


def edit_category(
    user: Any, node: Category, *, name: str, code: str = "", description: str = ""
) -> Category:
    name = name.strip()
    with transaction.atomic():
        node = Category.objects.select_for_update().get(pk=node.pk)
        if _name_taken(node.parent, name, exclude=node.pk):
            raise CatalogueRejected(f"同一级已有名为「{name}」的目录")
        before = snapshot(node)
        node.name, node.code, node.description = name, code.strip(), description.strip()
        try:
            with transaction.atomic():
                node.save(update_fields=["name", "code", "description"])
        except IntegrityError:
            raise CatalogueRejected(f"同一级已有名为「{name}」的目录") from None
        record_change(user, node, before, comment="修改公开目录")
    return node


def move_category(user: Any, node: Category, direction: str) -> None:
    """One place up or down among its siblings (positions renumbered 0, 1, 2…)."""
    with transaction.atomic():
        siblings = list(
            Category.objects.select_for_update()
            .filter(parent_id=node.parent_id)
            .order_by("position", "pk")
        )
        index = next(i for i, s in enumerate(siblings) if s.pk == node.pk)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(siblings):
            raise CatalogueRejected(
                "已经是同一级的第一个" if direction == "up" else "已经是最后一个"
            )
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for position, sibling in enumerate(siblings):
            if sibling.position != position:
                before = snapshot(sibling)
                sibling.position = position
                sibling.save(update_fields=["position"])
                record_change(user, sibling, before, comment="调整公开目录顺序")


def set_category_active(user: Any, node: Category, active: bool) -> None:
    with transaction.atomic():
        node = Category.objects.select_for_update().get(pk=node.pk)
        if node.active == active:
            return
        before = snapshot(node)
        node.active = active
        node.save(update_fields=["active"])
        record_change(user, node, before, comment="启用公开目录" if active else "停用公开目录")


def delete_category(user: Any, node: Category) -> None:
    with transaction.atomic():
        node = Category.objects.select_for_update().get(pk=node.pk)
        if node.documents.exists():
            raise CatalogueRejected(f"「{node.name}」已有信息使用，不能删除，只能停用")
        if node.children.exists():
            raise CatalogueRejected(f"「{node.name}」下还有子目录，不能删除，只能停用")
        record_delete(user, node, comment="删除公开目录")
        node.delete()


# -- the page ---------------------------------------------------------------------------------


def _require_office(user: Any) -> None:
    if not getattr(user, "is_office", False):
        raise PermissionDenied("公开目录由公开办维护")


def _may_read(user: Any) -> bool:
    return bool(getattr(user, "sees_all_units", False))


def _node(pk: int) -> Category:
    found = Category.objects.filter(pk=pk).first()
    if found is None:
        raise Http404("没有找到该目录")
    return found


def _page(
    request: HttpRequest,
    *,
    bound: forms.Form | None = None,
    bound_pk: int | None = None,
    bound_kind: str = "",
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    if not _may_read(request.user):
        raise PermissionDenied("公开目录由公开办维护")
    used = dict(Category.objects.annotate(n=Count("documents")).values_list("pk", "n"))
    parents = set(Category.objects.exclude(parent=None).values_list("parent_id", flat=True))
    rows = []
    for node, depth in category_rows():
        edit = CategoryForm(
            prefix=f"c{node.pk}",
            initial={"name": node.name, "code": node.code, "description": node.description},
        )
        add = CategoryForm(prefix=f"a{node.pk}")
        if bound is not None and bound_pk == node.pk:
            if bound_kind == "edit":
                edit = bound  # type: ignore[assignment]
            elif bound_kind == "add":
                add = bound  # type: ignore[assignment]
        rows.append(
            {
                "node": node,
                "depth": depth,
                "indent": f"{depth * 1.5 + 0.6:.1f}",
                "used": used.get(node.pk, 0),
                "has_children": node.pk in parents,
                "edit": edit,
                "add": add,
            }
        )
    root = bound if bound is not None and bound_kind == "add" and bound_pk is None else None
    context = {
        "rows": rows,
        "root_form": root or CategoryForm(prefix="root"),
        "office": bool(getattr(request.user, "is_office", False)),
        "error": error,
    }
    return render(request, "publishing/catalogue.html", context, status=status)


@require_GET
@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_POST
@login_required
def category_add(request: HttpRequest) -> HttpResponse:
    _require_office(request.user)
    parent_pk = request.POST.get("parent") or ""  # not prefixed: one per node's add form
    parent = _node(int(parent_pk)) if parent_pk.isascii() and parent_pk.isdigit() else None
    prefix = f"a{parent.pk}" if parent is not None else "root"
    form = CategoryForm(request.POST, prefix=prefix)
    if form.is_valid():
        c = form.cleaned_data
        try:
            node = add_category(
                request.user,
                parent=parent,
                name=c["name"],
                code=c["code"],
                description=c["description"],
            )
        except CatalogueRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已新增目录「{node.name}」")
            return redirect("publishing:catalogue")
    pk = parent.pk if parent is not None else None
    return _page(request, bound=form, bound_pk=pk, bound_kind="add", status=400)


@require_POST
@login_required
def category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    node = _node(pk)
    _require_office(request.user)
    form = CategoryForm(request.POST, prefix=f"c{node.pk}")
    if form.is_valid():
        c = form.cleaned_data
        try:
            edit_category(
                request.user, node, name=c["name"], code=c["code"], description=c["description"]
            )
        except CatalogueRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "目录已修改")
            return redirect("publishing:catalogue")
    return _page(request, bound=form, bound_pk=node.pk, bound_kind="edit", status=400)


def _simple(request: HttpRequest, pk: int, form: forms.Form, act: Any, done: str) -> HttpResponse:
    node = _node(pk)
    _require_office(request.user)
    if not form.is_valid():
        return _page(request, error="请求无效，请刷新页面后重试", status=400)
    try:
        act(node, form.cleaned_data)
    except CatalogueRejected as exc:
        return _page(request, error=str(exc), status=400)
    messages.success(request, done)
    return redirect("publishing:catalogue")


@require_POST
@login_required
def category_move(request: HttpRequest, pk: int) -> HttpResponse:
    return _simple(
        request,
        pk,
        CategoryMoveForm(request.POST),
        lambda node, c: move_category(request.user, node, c["direction"]),
        "顺序已调整",
    )


@require_POST
@login_required
def category_active(request: HttpRequest, pk: int) -> HttpResponse:
    form = CategoryActiveForm(request.POST)
    return _simple(
        request,
        pk,
        form,
        lambda node, c: set_category_active(request.user, node, bool(c["active"])),
        "已启用" if request.POST.get("active") else "已停用（已使用该目录的信息不受影响）",
    )


@require_POST
@login_required
def category_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _simple(
        request,
        pk,
        forms.Form(request.POST),
        lambda node, c: delete_category(request.user, node),
        "目录已删除",
    )
