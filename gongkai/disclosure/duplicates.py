"""Duplicate help: earlier requests a new one may repeat, for the person handling it to look at.

`similar_requests(request)` lists, best first:
- the same applicant's earlier requests with a similar description (the same ID number when
  both have one, else the same name and phone): a possible 重复申请 (不予处理-2, Art. 36(六));
- anyone's requests answered 予以公开 or 部分公开 with a very similar description: the
  information is already out, so the reply can point to it, and information asked for again
  and again is a candidate for proactive disclosure (Art. 44).

It only suggests; it never closes or changes anything. Matching documents already published
(`published_matches`) waits for the document register of issue 6.

Similarity is the Jaccard index of the descriptions' character bigrams after normalising them
(NFKC, lower case, punctuation, symbols and spaces removed). To stay cheap on a register of
hundreds of thousands of requests the database narrows first: the same applicant's requests
by equality, and answered requests of the last ANSWERED_YEARS years whose description contains
one of a few four-character runs of this one (a description at GRANTED_MIN similarity almost
always shares one); at most MAX_COMPARED rows of each are compared in Python.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from gongkai.disclosure.models import Outcome, Request

#: Lowest similarity for the same applicant's earlier request to be listed.
SAME_APPLICANT_MIN = 0.5
#: Lowest similarity for someone else's granted request: the text must be nearly the same.
GRANTED_MIN = 0.7
#: Answered requests older than this many years are not searched.
ANSWERED_YEARS = 3
#: Rows compared per kind of candidate, newest first.
MAX_COMPARED = 300
#: Four-character runs of the description looked for in answered requests.
PROBES = 4
PROBE_CHARS = 4
GRANTED = (Outcome.GRANTED, Outcome.PARTIAL)
#: Runs made only of these say nothing about what is asked for.
_COMMON = set("的和与及或等年月日关于政府信息公开申请本区市县局委办要求提供我单位情况相关有")


@dataclass(frozen=True)
class Candidate:
    request: Request
    score: float
    reason: str


def normalise(text: str) -> str:
    """Letters and digits only, in their compatibility form and lower case."""
    folded = unicodedata.normalize("NFKC", text or "").lower()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LN")


def bigrams(text: str) -> set[str]:
    if len(text) < 2:
        return {text} if text else set()
    return {text[i : i + 2] for i in range(len(text) - 1)}


def similarity(a: str, b: str) -> float:
    """Jaccard index of the normalised texts' bigrams, 0 to 1."""
    x, y = bigrams(normalise(a)), bigrams(normalise(b))
    if not x or not y:
        return 0.0
    return len(x & y) / len(x | y)


def probes(text: str) -> list[str]:
    """A few distinctive four-character runs of `text`, spread over it, as they appear in the
    raw text (CJK runs only: NFKC and punctuation leave them alone)."""
    runs: list[str] = []
    current = ""
    for ch in text:
        if "\u4e00" <= ch <= "\u9fff":
            current += ch
        else:
            runs.append(current)
            current = ""
    runs.append(current)
    windows = [
        run[i : i + PROBE_CHARS]
        for run in runs
        for i in range(len(run) - PROBE_CHARS + 1)
        if sum(ch not in _COMMON for ch in run[i : i + PROBE_CHARS]) >= 3
    ]
    if len(windows) <= PROBES:
        return windows
    step = (len(windows) - 1) / (PROBES - 1)
    return list(dict.fromkeys(windows[round(n * step)] for n in range(PROBES)))


def _same_applicant(request: Request) -> Q | None:
    phone = request.contact_phone.strip()
    by_name = Q(applicant_name=request.applicant_name, contact_phone=phone) if phone else None
    if request.id_number:
        same_id = Q(id_number=request.id_number)
        return same_id | (by_name & Q(id_number="")) if by_name else same_id
    return by_name


def _earlier(request: Request) -> Q:
    return Q(arrived_on__lt=request.arrived_on) | Q(
        arrived_on=request.arrived_on, pk__lt=request.pk
    )


def _same_applicant_candidates(request: Request) -> list[Candidate]:
    who = _same_applicant(request)
    if who is None:
        return []
    rows = (
        Request.objects.filter(who, _earlier(request))
        .exclude(pk=request.pk)
        .order_by("-arrived_on", "-pk")
        .only("id", "tracking_no", "description", "arrived_on", "outcome", "state")
    )[:MAX_COMPARED]
    found = []
    for row in rows:
        score = round(similarity(request.description, row.description), 2)
        if score >= SAME_APPLICANT_MIN:
            reason = f"同一申请人 {row.arrived_on.isoformat()} 的申请，内容相似度 {score:.2f}"
            if row.outcome in GRANTED:
                reason += f"，已{Outcome(row.outcome).label}"
            found.append(Candidate(row, score, reason))
    return found


def _granted_candidates(request: Request, today: dt.date) -> list[Candidate]:
    terms = probes(request.description)
    if not terms:
        return []
    contains = Q()
    for term in terms:
        contains |= Q(description__contains=term)
    since = today - dt.timedelta(days=366 * ANSWERED_YEARS)
    rows = (
        Request.objects.filter(contains, outcome__in=GRANTED, concluded_on__gte=since)
        .exclude(pk=request.pk)
        .order_by("-concluded_on", "-pk")
        .only("id", "tracking_no", "description", "concluded_on", "outcome")
    )[:MAX_COMPARED]
    found = []
    for row in rows:
        score = round(similarity(request.description, row.description), 2)
        if score >= GRANTED_MIN and row.concluded_on is not None:
            reason = (
                f"{row.concluded_on.isoformat()} 已{Outcome(row.outcome).label}的申请"
                f"（{row.tracking_no}），内容相似度 {score:.2f}，可考虑告知获取途径或转为主动公开"
            )
            found.append(Candidate(row, score, reason))
    return found


def similar_requests(
    request: Request, limit: int = 5, today: dt.date | None = None
) -> list[Candidate]:
    """Up to `limit` earlier requests this one may repeat, most similar first."""
    today = today or timezone.localdate()
    best: dict[int, Candidate] = {}
    for c in _same_applicant_candidates(request) + _granted_candidates(request, today):
        if c.request.pk not in best:  # the same applicant's reason says more
            best[c.request.pk] = c
    ranked = sorted(best.values(), key=lambda c: (-c.score, -c.request.pk))
    return ranked[:limit]
