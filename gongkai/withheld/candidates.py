"""What a self-check takes in from the request register (依申请公开) for one year.

- Requests answered 不予公开: an outcome among the eight `denied.*` rows of Table 三, replied in
  the year (答复日期; 办结日期 when no reply date was recorded).
- Information asked for again and again (依申请公开较为集中的信息, Art. 44): the year's
  requests (by 到达日期) grouped by similar description with gongkai.disclosure.duplicates'
  normalisation and similarity, greedily: each request joins the most similar group whose first
  request is at least GROUP_MIN alike, else starts one. Groups of two or more are kept, the
  most applicants first, then the most requests.

Applicants are counted (the same ID number, or the same name and phone, count once) but nothing
about them leaves this module.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from gongkai.disclosure.duplicates import SAME_APPLICANT_MIN, bigrams, normalise
from gongkai.disclosure.models import Outcome, Request
from gongkai.privacy.detect import find_hits

#: Two descriptions this alike ask for the same information: the threshold the duplicate help
#: uses for one applicant's repeated requests.
GROUP_MIN = SAME_APPLICANT_MIN
#: A year's requests compared at most (newest dropped first); a register this busy should be
#: checked unit by unit.
MAX_REQUESTS = 5000
#: Groups taken in per check, the largest first.
MAX_GROUPS = 50

DENIED: tuple[Outcome, ...] = tuple(o for o in Outcome if o.value.startswith("denied."))
#: What stands in a description for the applicant's identity or any personal number in it.
HIDDEN = "＊＊＊"
#: The request's own fields about who asked; read only to take them out of the description.
APPLICANT_FIELDS = ("applicant_name", "id_number", "contact_phone", "email", "address")


def scrubbed(r: Request) -> str:
    """The description without who asked: applicants often write "本人张三（电话…）申请…", and
    the description is what a self-check keeps and what a moved item's public draft is made
    of. The applicant's own name, ID number, phone, e-mail and address are taken out wherever
    they occur, then every ID, mobile, bank-card number and e-mail the privacy gate knows."""
    text = r.description
    own = sorted(
        {str(getattr(r, name) or "").strip() for name in APPLICANT_FIELDS},
        key=len,
        reverse=True,
    )
    for value in own:
        if len(value) >= 2:
            text = text.replace(value, HIDDEN)
    hits = find_hits(text)
    for hit in sorted(hits, key=lambda h: h.start, reverse=True):
        text = text[: hit.start] + HIDDEN + text[hit.end :]
    return text


def denied_requests(year: int, unit_id: int | None) -> list[Request]:
    replied = Q(answered_on__year=year) | Q(answered_on__isnull=True, concluded_on__year=year)
    qs = Request.objects.filter(replied, outcome__in=DENIED)
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    return list(
        qs.order_by("answered_on", "pk").only(
            "id", "tracking_no", "description", "outcome", "unit_id", *APPLICANT_FIELDS
        )
    )


@dataclass
class Group:
    first: Request
    grams: set[str]
    members: list[Request] = field(default_factory=list)
    who: set[str] = field(default_factory=set)

    @property
    def unit_id(self) -> int:
        """The unit that handled most of the group's requests (the earliest on a tie)."""
        counts = Counter(r.unit_id for r in self.members)
        return max(counts, key=lambda u: (counts[u], -self._first_index(u)))

    def _first_index(self, unit_id: int) -> int:
        return next(i for i, r in enumerate(self.members) if r.unit_id == unit_id)

    def outcomes(self) -> dict[str, int]:
        labels = Counter(
            Outcome(r.outcome).label if r.outcome in Outcome.values else "办理中"
            for r in self.members
        )
        return dict(sorted(labels.items(), key=lambda kv: (-kv[1], kv[0])))


def _applicant_key(r: Request) -> str:
    """Who asked, as the duplicate help tells applicants apart; unknown ones count apart."""
    if r.id_number.strip():
        return "id:" + r.id_number.strip().upper()
    if r.contact_phone.strip():
        return f"name:{r.applicant_name.strip()}|{r.contact_phone.strip()}"
    return f"request:{r.pk}"


def group(rows: list[Request]) -> list[Group]:
    """Greedy grouping of `rows` in their order. Groups are found through an index of their first
    request's bigrams, so a request is scored only against groups it shares a bigram with, and
    the shared count gives the Jaccard index without building set intersections."""
    groups: list[Group] = []
    index: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        grams = bigrams(normalise(row.description))
        shared: Counter[int] = Counter()
        for gram in grams:
            shared.update(index.get(gram, ()))
        best: Group | None = None
        best_score = 0.0
        for n, common in shared.items():
            other = groups[n].grams
            score = common / (len(grams) + len(other) - common)
            if score >= GROUP_MIN and score > best_score:
                best, best_score = groups[n], score
        if best is None:
            best = Group(row, grams)
            for gram in grams:
                index[gram].append(len(groups))
            groups.append(best)
        best.members.append(row)
        best.who.add(_applicant_key(row))
    kept = [g for g in groups if len(g.members) >= 2]
    kept.sort(key=lambda g: (-len(g.who), -len(g.members), g.first.pk))
    return kept


def frequent_groups(year: int, unit_id: int | None) -> list[Group]:
    qs = Request.objects.filter(arrived_on__year=year)
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    rows = list(
        qs.order_by("arrived_on", "pk").only(
            "id",
            "tracking_no",
            "description",
            "outcome",
            "unit_id",
            *APPLICANT_FIELDS,
        )[:MAX_REQUESTS]
    )
    return group(rows)[:MAX_GROUPS]
