"""「生成总体情况」 pressed twice at the same moment (two office staff, or a double click) makes
one summary draft of the year: the second request, which read the year before the first saved
its draft, is told so in Chinese and leaves nothing behind."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from gongkai.proposals import actions
from gongkai.proposals.models import YearSummary
from gongkai.publishing.models import Document
from tests.access_proposals import make_proposal
from tests.conftest import Cast, client_for, csrf_post
from tests.test_proposals_review import at, text_of
from tests.test_proposals_story import review_and_publish

ALREADY = "的总体情况草稿刚刚已由他人生成，本次未重复生成"


def _read_before_the_other_saved(
    monkeypatch: pytest.MonkeyPatch, wait: Callable[[], Any] = lambda: None
) -> None:
    """Make each generation read the year's last summary, then wait for the other one to
    have read it too: the interleaving of two requests arriving together."""
    real = actions.latest_summary

    def stale(year: int) -> YearSummary | None:
        found = real(year)
        wait()
        return found

    monkeypatch.setattr(actions, "latest_summary", stale)


@pytest.mark.django_db
def test_a_generation_that_read_the_year_before_the_other_saved_is_refused(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_proposal(cast, year=2026)
    office = client_for(cast.office)
    url = reverse("proposals:summary_generate")
    with at("2026-05-06"):
        first = actions.latest_summary(2026)
        assert csrf_post(office, url, {"year": "2026"}).status_code == 302
        # The second request read the year while the first was still writing: no summary.
        monkeypatch.setattr(actions, "latest_summary", lambda year: first)
        second = csrf_post(office, url, {"year": "2026"})
    assert second.status_code == 400 and "2026年" + ALREADY in text_of(second)
    made = YearSummary.objects.get()
    assert Document.objects.get().pk == made.document_id and made.serial == 1

    # Published, the next generation is the year's second draft; a racing one is refused too.
    monkeypatch.undo()
    review_and_publish(made.document, cast, cast.office, cast.office)
    with at("2026-06-01"):
        assert csrf_post(office, url, {"year": "2026"}).status_code == 302
        monkeypatch.setattr(actions, "latest_summary", lambda year: made)
        again = csrf_post(office, url, {"year": "2026"})
    assert again.status_code == 400 and ALREADY in text_of(again)
    assert list(YearSummary.objects.values_list("serial", flat=True)) == [2, 1]
    assert Document.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_generations_at_the_same_moment_make_one_draft(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    year = timezone.localdate().year
    make_proposal(cast)
    outcomes: list[str] = []

    def generate() -> None:
        try:
            actions.generate_summary(cast.office, year)
            outcomes.append("made")
        except actions.ProposalRejected as exc:
            outcomes.append(str(exc))

    if connection.vendor == "postgresql":
        # Both read the year before either writes; the database holds the second insert until
        # the first commits, then refuses it.
        both_read = threading.Barrier(2, timeout=10)
        _read_before_the_other_saved(monkeypatch, both_read.wait)

        def in_thread() -> None:
            try:
                generate()
            finally:
                connection.close()

        threads = [threading.Thread(target=in_thread) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=20)
    else:  # SQLite serialises writers: the second runs after the first, with what it read.
        before = actions.latest_summary(year)
        generate()
        monkeypatch.setattr(actions, "latest_summary", lambda y: before)
        generate()
    assert sorted(outcomes) == sorted(["made", f"{year}年" + ALREADY + "，请刷新页面查看"])
    assert YearSummary.objects.count() == 1 and Document.objects.count() == 1
