"""政府公报: defects found in review — files that only start like a PDF, and items whose linked
document left the portal."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import Client

from gongkai.gazette.models import Issue
from gongkai.gazette.search import Snippet, snippet
from gongkai.publishing.models import DocState
from tests.conftest import Cast, client_for, csrf_post
from tests.test_gazette_story import (
    add_pdf_item,
    at,
    new_issue,
    pdf_bytes,
    published_document,
    text_of,
    upload,
)

pytestmark = pytest.mark.django_db


def stored_files() -> list[str]:
    root = django_settings.MEDIA_ROOT / "gazette"
    return [p.name for p in root.rglob("*.*")] if root.exists() else []


@pytest.mark.parametrize(
    "junk",
    [
        b"%PDF-1.4\n<html><script>alert(1)</script></html>",
        b"%PDF-" + b"A" * 2000,
        b"%PDF-1.7\n%%EOF\n",
    ],
)
def test_a_file_that_only_starts_like_a_pdf_is_refused_and_not_kept(
    cast: Cast, junk: bytes
) -> None:
    office = client_for(cast.office)
    with at("2026-03-10 09:00"):
        issue = new_issue(office)
        refused = add_pdf_item(office, issue, "伪装的 PDF", junk)
        whole = csrf_post(office, f"/gazette/{issue.pk}/pdf/", {"file": upload("整期.pdf", junk)})
    assert refused.status_code == 400
    assert "不是有效的 PDF 文件" in text_of(refused) and "通知.pdf" in text_of(refused)
    assert whole.status_code == 400 and "不是有效的 PDF 文件" in text_of(whole)
    issue.refresh_from_db()
    assert issue.items.count() == 0 and not issue.has_pdf
    assert stored_files() == []


def test_a_real_pdf_is_still_accepted(cast: Cast) -> None:
    office = client_for(cast.office)
    with at("2026-03-10 09:00"):
        issue = new_issue(office)
        assert add_pdf_item(office, issue, "真的 PDF", pdf_bytes("real words")).status_code == 302
    assert issue.items.get().pdf_text.strip() == "real words"
    assert len(stored_files()) == 1


def test_an_item_whose_document_is_withdrawn_is_neither_named_nor_found_on_the_portal(
    cast: Cast, anon: Client
) -> None:
    office = client_for(cast.office)
    secret = published_document(
        cast.justice, "关于某某人员违纪处理的通报", "SFJ/2026-00009", "泰司发〔2026〕9号"
    )
    with at("2026-03-10 09:00"):
        issue = new_issue(office)
        linked = {"section": "部门文件", "index_number": "SFJ/2026-00009"}
        assert csrf_post(office, f"/gazette/{issue.pk}/items/", linked).status_code == 302
        assert add_pdf_item(office, issue, "港口收费通知", pdf_bytes("harbour")).status_code == 302
        assert csrf_post(office, f"/gazette/{issue.pk}/publish/").status_code == 302
    assert "关于某某人员违纪处理的通报" in text_of(anon.get("/portal/gb/2026/3/"))

    # The unit withdraws the document from the portal (publishing's 撤回).
    secret.state = DocState.WITHDRAWN
    secret.save(update_fields=["state"])

    page = text_of(anon.get("/portal/gb/2026/3/"))
    assert "港口收费通知" in page
    assert "违纪处理" not in page and "泰司发〔2026〕9号" not in page
    for q in ("违纪处理", "泰司发〔2026〕9号", "执法决定"):
        found = text_of(anon.get("/portal/gb/search/", {"q": q}))
        assert "违纪处理" not in found.replace(f"「{q}」", "") and "共 0 条" in found
    # The lists count only what the issue page shows.
    listed = text_of(anon.get("/portal/gb/2026/"))
    assert "2026年第3期 2026-03-10 1 " in listed
    # Staff still see the item.
    staff = text_of(office.get(f"/gazette/{issue.pk}/"))
    assert "关于某某人员违纪处理的通报" in staff
    assert Issue.objects.get(pk=issue.pk).items.count() == 2


def test_the_snippet_marks_the_words_found_even_after_letters_whose_lowercase_is_longer() -> None:
    found = snippet("İİİ 关于港口收费的通知", ["港口"])
    assert found is not None and found.match == "港口"
    assert found.before == "İİİ 关于" and found.after.startswith("收费的通知")
    assert snippet("Harbour TARIFF", ["tariff"]) == Snippet("Harbour", "TARIFF", "…")
