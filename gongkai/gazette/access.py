"""Who may do what with the gazette. The gazette is the government's, not one unit's: every
signed-in user may read every issue (drafts included: liaisons prepare documents for it); only
the office creates, edits, publishes and withdraws issues and edits the reader information
(others 403). The public pages load published issues only, by their own query."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from gongkai.accounts.access import is_office as is_office
from gongkai.accounts.access import require_office
from gongkai.gazette.models import Issue, Item

OFFICE_ONLY = "只有公开办可以编辑和发布政府公报"


def require_editor(user: Any) -> None:
    require_office(user, OFFICE_ONLY)


def get_issue_for_user(user: Any, pk: int, *, write: bool = False) -> Issue:
    found = Issue.objects.filter(pk=pk).first() if user.is_authenticated else None
    if found is None:
        raise Http404("没有找到该期政府公报")
    if write:
        require_editor(user)
    return found


def get_item_for_user(user: Any, pk: int, *, write: bool = False) -> Item:
    found = (
        Item.objects.select_related("issue").filter(pk=pk).first()
        if user.is_authenticated
        else None
    )
    if found is None:
        raise Http404("没有找到该目录条目")
    if write:
        require_editor(user)
    return found
