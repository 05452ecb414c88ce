"""政府公报 in the portal's full-text index: a published issue's PDFs are found by the gazette's
own search and by the portal-wide search, a withdrawn one by neither, linked documents once."""

from __future__ import annotations

import pytest
from django.test import Client

from gongkai.gazette.models import Issue, Item
from gongkai.search.models import SearchEntry
from gongkai.search.sources import label_of, rebuild
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


def harbour_issue(office: Client) -> tuple[Issue, Item]:
    """Issue 2026/3, published: a PDF item about harbour tariffs and the full PDF."""
    with at("2026-03-10 09:00"):
        issue = new_issue(office)
        added = add_pdf_item(
            office,
            issue,
            "关于调整港口收费标准的通知",
            pdf_bytes("Notice on harbour tariff adjustment"),
            doc_number="泰政办字〔2026〕9号",
        )
        assert added.status_code == 302
        whole = {"file": upload("2026-3.pdf", pdf_bytes("Dredging of the quarry basin"))}
        assert csrf_post(office, f"/gazette/{issue.pk}/pdf/", whole).status_code == 302
        assert csrf_post(office, f"/gazette/{issue.pk}/publish/").status_code == 302
    return issue, issue.items.get()


def test_the_words_of_a_published_pdf_are_found_by_both_searches(cast: Cast, anon: Client) -> None:
    issue, item = harbour_issue(client_for(cast.office))

    own = anon.get("/portal/gb/search/", {"q": "tariff"})
    assert "关于调整港口收费标准的通知" in text_of(own) and "共 1 条" in text_of(own)
    assert "<mark>tariff</mark>" in own.content.decode()
    assert f'href="/portal/gb/files/{item.pk}"' in own.content.decode()

    portal = anon.get("/portal/search/", {"q": "tariff"})
    html = portal.content.decode()
    assert "找到 1 条" in text_of(portal)
    assert f'<a href="/portal/gb/files/{item.pk}">关于调整港口收费标准的通知</a>' in html
    assert "2026-03-10 · 政府公报" in text_of(portal)
    # The snippet: the 文号, then the PDF's text around the word.
    assert "〔2026〕9号 Notice on harbour <mark>tariff</mark> adjustment" in html

    # The full PDF of the issue: listed by the gazette's search, linked to the issue's page.
    whole = anon.get("/portal/gb/search/", {"q": "quarry"})
    assert "整期 PDF 中含有「quarry」的期次" in text_of(whole)
    portal_whole = anon.get("/portal/search/", {"q": "quarry"}).content.decode()
    assert '<a href="/portal/gb/2026/3/">政府公报2026年第3期</a>' in portal_whole
    assert issue.public_url() == "/portal/gb/2026/3/"


def test_a_withdrawn_issue_is_found_by_neither_search_and_an_edit_is_found_once_republished(
    cast: Cast, anon: Client
) -> None:
    office = client_for(cast.office)
    issue, item = harbour_issue(office)
    with at("2026-03-11 09:00"):
        withdrawn = csrf_post(office, f"/gazette/{issue.pk}/withdraw/", {"reason": "目录有误"})
        assert withdrawn.status_code == 302
    for url, none in (("/portal/gb/search/", "共 0 条"), ("/portal/search/", "没有找到结果")):
        for q in ("tariff", "quarry", "港口收费"):
            found = text_of(anon.get(url, {"q": q}))
            assert none in found and "港口收费标准" not in found and "2026年第3期" not in found
    assert not SearchEntry.objects.filter(source="gazette").exists()

    # Corrected while a draft: the harbour notice is replaced by a ferry notice.
    with at("2026-03-11 09:05"):
        assert csrf_post(office, f"/gazette/items/{item.pk}/remove/").status_code == 302
        ferry = add_pdf_item(office, issue, "轮渡班次调整公告", pdf_bytes("Ferry timetable"))
        assert ferry.status_code == 302
        assert csrf_post(office, f"/gazette/{issue.pk}/publish/").status_code == 302
    assert "轮渡班次调整公告" in text_of(anon.get("/portal/search/", {"q": "ferry timetable"}))
    assert "轮渡班次调整公告" in text_of(anon.get("/portal/gb/search/", {"q": "timetable"}))
    assert "没有找到结果" in text_of(anon.get("/portal/search/", {"q": "tariff"}))
    # The full PDF stayed with the issue and is back in the index with it.
    assert "政府公报2026年第3期" in text_of(anon.get("/portal/search/", {"q": "quarry"}))


def test_an_item_linking_a_document_is_found_as_that_document_not_twice(
    cast: Cast, anon: Client
) -> None:
    office = client_for(cast.office)
    rules = published_document(
        cast.justice, "泰安市行政执法公示办法", "SFJ/2026-00004", "泰政发〔2026〕4号"
    )
    with at("2026-03-10 09:00"):
        issue = new_issue(office)
        linked = {"section": "市政府文件", "index_number": "SFJ/2026-00004"}
        assert csrf_post(office, f"/gazette/{issue.pk}/items/", linked).status_code == 302
        assert csrf_post(office, f"/gazette/{issue.pk}/publish/").status_code == 302
    assert not SearchEntry.objects.filter(source="gazette").exists()

    portal = anon.get("/portal/search/", {"q": "执法决定"})
    assert "找到 1 条" in text_of(portal)
    assert f'href="/portal/documents/{rules.pk}/"' in portal.content.decode()
    # The gazette's search finds the item by its document's words, through the same entry.
    own = anon.get("/portal/gb/search/", {"q": "执法决定"})
    assert "泰安市行政执法公示办法" in text_of(own) and "共 1 条" in text_of(own)


def test_titles_and_document_numbers_still_match_as_printed_substrings(
    cast: Cast, anon: Client
) -> None:
    harbour_issue(client_for(cast.office))
    # Parts of a 文号 and of a title that word segmentation would cut differently.
    for q in ("〔2026〕9", "办字", "调整港", "收费标准的通"):
        found = text_of(anon.get("/portal/gb/search/", {"q": q}))
        assert "关于调整港口收费标准的通知" in found and "共 1 条" in found, q


def test_the_gazette_entries_are_rebuilt_from_the_published_issues(
    cast: Cast, anon: Client
) -> None:
    issue, item = harbour_issue(client_for(cast.office))
    expected = {f"issue-{issue.pk}", f"item-{item.pk}"}
    entries = SearchEntry.objects.filter(source="gazette")
    assert set(entries.values_list("object_id", flat=True)) == expected
    # An index that lost them, and holds an entry of an item that no longer exists.
    entries.delete()
    SearchEntry.objects.create(
        source="gazette", object_id="item-999999", title="旧条目", url="/portal/gb/files/999999"
    )
    assert "没有找到结果" in text_of(anon.get("/portal/search/", {"q": "tariff"}))

    assert rebuild("gazette") == {"gazette": 2}
    assert set(entries.values_list("object_id", flat=True)) == expected
    assert "关于调整港口收费标准的通知" in text_of(anon.get("/portal/search/", {"q": "tariff"}))
    assert label_of("gazette") == "政府公报"
