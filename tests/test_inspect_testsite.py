"""The test-site generator: the same seed gives the same site, the manifest names every defect
it injected and nothing else looks like one, every defect type occurs across a few seeds, and
the files are what their names say. The same holds for the families kept apart from tuning
(`EXTRA_FAMILIES`), which are only built when asked for by name."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import statistics
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.html  # type: ignore[import-untyped]  # lxml ships no type stubs
import pytest

from gongkai.inspect.testsite import (
    ALL_FAMILIES,
    DEFECT_TYPES,
    EXTRA_FAMILIES,
    FAMILIES,
    IDENTIFIERS,
    THRESHOLDS,
    Manifest,
    generate,
    serve,
)
from gongkai.privacy.detect import find_hits

TODAY = dt.date(2026, 3, 2)


def tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def url_to_file(root: Path, path: str) -> Path:
    rel = urlsplit(path).path.lstrip("/")
    if not rel or rel.endswith("/"):
        rel += "index.html"
    return root / rel


def page_text(data: bytes) -> str:
    """A page's markup decoded as its <meta> says (GB2312 pages are decoded as GB18030, the
    superset browsers use for the label)."""
    head = data[:1024].lower()
    return data.decode("gb18030" if b"charset=gb2312" in head else "utf-8")


def html_pages(root: Path) -> dict[str, lxml.html.HtmlElement]:
    pages = {}
    for file in [*root.rglob("*.html"), *root.rglob("*.htm")]:
        rel = "/" + str(file.relative_to(root))
        pages[rel] = lxml.html.fromstring(page_text(file.read_bytes()))
    return pages


def page_url(rel: str) -> str:
    """The URL a page is linked by: directories end with / (index.html is implied)."""
    return rel[: -len("index.html")] if rel.endswith("/index.html") else rel


def check_links(root: Path, manifest: Manifest) -> None:
    """Every internal link or image leads to a file, except the targets the manifest lists as
    broken; and every broken target is linked from somewhere."""
    broken = {d.path for d in manifest.defects if d.type == "broken_link"}
    broken |= {d.path for d in manifest.tolerated if d.type == "broken_link"}
    linked: Counter[str] = Counter()
    for rel, tree in html_pages(root).items():
        base = "http://site" + page_url(rel)
        for element, _attr, link, _pos in tree.iterlinks():
            absolute = urljoin(base, link)
            if not absolute.startswith("http://site/"):
                continue
            path = urlsplit(absolute).path
            if element.tag == "form":
                linked[path] += 1
                continue
            exists = url_to_file(root, path).is_file()
            assert exists or path in broken, (manifest.seed, rel, path)
            linked[path] += 1
    for path in broken:
        assert not url_to_file(root, path).exists()
        assert linked[path] >= 1, path


def check_terms(root: Path, manifest: Manifest) -> None:
    flagged = {d.path for d in manifest.defects if d.type == "typo_or_wrong_term"}
    for rel, tree in html_pages(root).items():
        text = tree.text_content()
        wrong = [w for w, _r in manifest.terms if w in text]
        assert bool(wrong) == (page_url(rel) in flagged), (rel, wrong)


def check_personal_data(root: Path, manifest: Manifest) -> None:
    """The project's own detector finds personal data in every page and attachment the
    manifest lists, and in nothing else (masked numbers, hotlines, 文号, 索引号 included)."""
    import docx
    import openpyxl
    import pdfplumber

    leaks = {d.path for d in manifest.defects if d.type == "privacy_leak"}
    for rel, tree in html_pages(root).items():
        for script in tree.xpath("//script|//style"):
            script.drop_tree()
        text = "\n".join(t.strip() for t in tree.itertext() if t.strip())
        hits = [h for h in find_hits(text) if h.kind != "email"]
        assert bool(hits) == (page_url(rel) in leaks), (manifest.seed, rel, hits)
    for file in root.rglob("*"):
        suffix = file.suffix
        if suffix not in (".pdf", ".docx", ".xlsx", ".txt"):
            continue
        data = file.read_bytes()
        if suffix == ".docx":
            document = docx.Document(io.BytesIO(data))
            parts = [p.text for p in document.paragraphs]
            parts += [c.text for t in document.tables for r in t.rows for c in r.cells]
            text = "\n".join(parts)
        elif suffix == ".xlsx":
            book = openpyxl.load_workbook(io.BytesIO(data))
            cells = book.active.iter_rows(values_only=True) if book.active else []
            text = "\n".join("\t".join(str(v) for v in row if v) for row in cells)
        elif suffix == ".pdf":
            assert data.startswith(b"%PDF")
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        else:
            text = data.decode("utf-8")
        rel = "/" + str(file.relative_to(root))
        assert bool(find_hits(text)) == (rel in leaks), (manifest.seed, rel)


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[int, tuple[Path, Manifest]]:
    out = {}
    for seed in range(8):
        root = tmp_path_factory.mktemp(f"site{seed}")
        out[seed] = (root, generate(root, seed=seed, pages=150, today=TODAY))
    return out


def test_same_seed_same_site(tmp_path: Path) -> None:
    one = generate(tmp_path / "a", seed=7, pages=120, today=TODAY)
    two = generate(tmp_path / "b", seed=7, pages=120, today=TODAY)
    other = generate(tmp_path / "c", seed=8, pages=120, today=TODAY)
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")
    assert one.to_json() == two.to_json()
    assert tree_digest(tmp_path / "a") != tree_digest(tmp_path / "c")
    assert other.family != one.family


def test_every_type_and_family_across_seeds(sites: dict[int, tuple[Path, Manifest]]) -> None:
    seen = Counter(d.type for _root, m in sites.values() for d in m.defects)
    assert set(seen) == set(DEFECT_TYPES), set(DEFECT_TYPES) - set(seen)
    assert {m.family for _root, m in sites.values()} == set(FAMILIES)
    for _root, manifest in sites.values():
        assert 120 <= manifest.pages <= 200, manifest.pages
        assert manifest.totals["broken_link"] >= 2
        assert manifest.attachments >= 4


def test_page_count_scales(tmp_path: Path) -> None:
    manifest = generate(tmp_path, seed=3, pages=1500, today=TODAY)
    assert 1350 <= manifest.pages <= 1650, manifest.pages


def test_links_resolve_except_the_broken_ones(sites: dict[int, tuple[Path, Manifest]]) -> None:
    """Every internal link or image leads to a file, except the targets the manifest lists as
    broken: so broken_link's ground truth is complete."""
    for root, manifest in sites.values():
        check_links(root, manifest)


def test_page_level_defects_are_real(sites: dict[int, tuple[Path, Manifest]]) -> None:
    for root, manifest in sites.values():
        pages = html_pages(root)
        by_type: dict[str, list[str]] = {}
        for d in manifest.defects:
            by_type.setdefault(d.type, []).append(d.path)
        for path in by_type.get("empty_column", []):
            tree = pages[path if path.endswith(".html") else path + "index.html"]
            assert "暂无信息" in tree.text_content()
        for column in manifest.columns:
            stale = column["path"] in by_type.get("stale_column", [])
            age = column["newest_age"]
            if column["kind"] in THRESHOLDS and column["items"]:
                assert stale == (age > THRESHOLDS[column["kind"]]), column
                # fresh columns stay clear of the edge, stale ones are clearly past it
                assert age > THRESHOLDS[column["kind"]] + 5 or age < THRESHOLDS[column["kind"]]
            else:
                assert not stale, column
        home = pages["/index.html"]
        footer = home.text_content()
        for d in manifest.defects:
            if d.type == "missing_site_identifier":
                assert d.note in IDENTIFIERS
        dropped = {d.note for d in manifest.defects if d.type == "missing_site_identifier"}
        assert ("网站标识码" in footer) == ("网站标识码" not in dropped)
        assert ("主办单位" in footer) == ("主办单位" not in dropped)
        assert ("beian.miit.gov.cn" in lxml.html.tostring(home, encoding="unicode")) == (
            "ICP备案编号" not in dropped
        )
        forms = home.xpath("//form")
        search = [d.note for d in manifest.defects if d.type == "search_broken"]
        assert bool(forms) != (search == ["无搜索框"])
        if forms:
            action = urlsplit(forms[0].get("action")).path
            assert url_to_file(root, action).is_file() == (not search)
        for path in by_type.get("repost_without_source", []):
            text = pages[path].text_content()
            assert "转载" in text and "来源" not in text
        for path in by_type.get("missing_validity_mark", []):
            text = pages[path].text_content()
            assert "废止" in text or "失效" in text


def test_terms_only_where_injected(sites: dict[int, tuple[Path, Manifest]]) -> None:
    for root, manifest in sites.values():
        check_terms(root, manifest)


def test_personal_data_only_where_injected(sites: dict[int, tuple[Path, Manifest]]) -> None:
    for root, manifest in sites.values():
        check_personal_data(root, manifest)


def test_without_defects(tmp_path: Path) -> None:
    manifest = generate(tmp_path, seed=5, pages=100, today=TODAY, defects=False)
    assert manifest.defects == [] and manifest.tolerated == []
    assert sum(manifest.totals.values()) == 0
    assert manifest.traps["repost_with_source"] + manifest.traps["doc_number_na_shown"] > 0


def test_unknown_family(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown template family"):
        generate(tmp_path, seed=1, pages=60, today=TODAY, family="nope")


def test_serve(sites: dict[int, tuple[Path, Manifest]]) -> None:
    root, manifest = sites[1]
    broken = next(d.path for d in manifest.defects if d.type == "broken_link")
    with serve(root) as base:
        assert base.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(base + "/", timeout=5) as response:  # noqa: S310
            body = response.read().decode("utf-8")
            assert response.status == 200 and "人民政府" in body
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(base + broken, timeout=5)  # noqa: S310 - loopback
        assert error.value.code == 404


# --- the families kept apart from tuning --------------------------------------------------------

EXTRA_SEEDS = range(9)  # covers every site-level choice: stale home, search modes, identifiers


@pytest.fixture(scope="module")
def extra_sites(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[tuple[str, int], tuple[Path, Manifest]]:
    out = {}
    for family in EXTRA_FAMILIES:
        for seed in EXTRA_SEEDS:
            root = tmp_path_factory.mktemp(f"{family}{seed}")
            manifest = generate(root, seed=seed, pages=150, today=TODAY, family=family)
            out[family, seed] = (root, manifest)
    return out


def test_extra_families_only_by_name(tmp_path: Path) -> None:
    assert set(ALL_FAMILIES) == set(FAMILIES) | set(EXTRA_FAMILIES)
    assert not set(FAMILIES) & set(EXTRA_FAMILIES)
    for seed in range(8):  # the seed still picks among the first four, as before
        manifest = generate(tmp_path / str(seed), seed=seed, pages=60, today=TODAY)
        assert manifest.family == FAMILIES[seed % len(FAMILIES)]


@pytest.mark.parametrize("family", EXTRA_FAMILIES)
def test_extra_family_deterministic(tmp_path: Path, family: str) -> None:
    one = generate(tmp_path / "a", seed=11, pages=120, today=TODAY, family=family)
    two = generate(tmp_path / "b", seed=11, pages=120, today=TODAY, family=family)
    base = generate(tmp_path / "c", seed=11, pages=120, today=TODAY)
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")
    assert one.to_json() == two.to_json()
    assert one.family == family and base.family != family
    assert tree_digest(tmp_path / "a") != tree_digest(tmp_path / "c")


@pytest.mark.parametrize("family", EXTRA_FAMILIES)
def test_extra_family_every_type(
    extra_sites: dict[tuple[str, int], tuple[Path, Manifest]], family: str
) -> None:
    mine = [m for (f, _s), (_r, m) in extra_sites.items() if f == family]
    seen = Counter(d.type for m in mine for d in m.defects)
    assert set(seen) == set(DEFECT_TYPES), set(DEFECT_TYPES) - set(seen)
    dropped = {d.note for m in mine for d in m.defects if d.type == "missing_site_identifier"}
    assert dropped == set(IDENTIFIERS)
    for manifest in mine:
        assert 120 <= manifest.pages <= 200, manifest.pages
        assert manifest.totals["broken_link"] >= 2
        assert manifest.attachments >= 4


def test_extra_family_markup(extra_sites: dict[tuple[str, int], tuple[Path, Manifest]]) -> None:
    """The traits the families are there for: encoding, URL schemes, page size."""
    for (family, _seed), (root, _manifest) in extra_sites.items():
        files = [f for f in [*root.rglob("*.html"), *root.rglob("*.htm")] if "xmt" not in f.parts]
        sizes = [f.stat().st_size for f in files]
        assert 13_000 <= statistics.median(sizes) <= 30_000, (family, statistics.median(sizes))
        home = (root / "index.html").read_bytes()
        if family == "oldtable":
            assert b"charset=gb2312" in home[:400]
            with pytest.raises(UnicodeDecodeError):
                home.decode("utf-8")
            assert "所在位置" in page_text(
                next(root.glob("Article/Class*/Index.html")).read_bytes()
            )
        else:
            assert b'<meta charset="utf-8">' in home
            assert any(root.glob("xwzx/*/*/*/content_*.htm"))
            assert any(root.glob("zfxxgk/*/*/content/post_*.html"))


def test_extra_family_links(extra_sites: dict[tuple[str, int], tuple[Path, Manifest]]) -> None:
    for root, manifest in extra_sites.values():
        check_links(root, manifest)


def test_extra_family_terms(extra_sites: dict[tuple[str, int], tuple[Path, Manifest]]) -> None:
    for root, manifest in extra_sites.values():
        check_terms(root, manifest)


def test_extra_family_personal_data(
    extra_sites: dict[tuple[str, int], tuple[Path, Manifest]],
) -> None:
    for (_family, seed), (root, manifest) in extra_sites.items():
        if seed < 4:  # attachments are the same code as above: a few sites are enough
            check_personal_data(root, manifest)


_SOURCE = re.compile(r"(?:来源|转载自)：\s*[^\s【（]")


def test_extra_family_defects_are_real(
    extra_sites: dict[tuple[str, int], tuple[Path, Manifest]],
) -> None:
    for (family, seed), (root, manifest) in extra_sites.items():
        pages = {page_url(rel): tree for rel, tree in html_pages(root).items()}
        by_type: dict[str, list[str]] = {}
        for d in manifest.defects:
            by_type.setdefault(d.type, []).append(d.path)
        item_links = {
            path: {urlsplit(urljoin("http://site" + path, a)).path for a in tree.xpath("//a/@href")}
            for path, tree in pages.items()
        }
        for path in by_type.get("empty_column", []):
            tree = pages[path]
            folder = path.rsplit("/", 1)[0] + "/"
            inside = {t for t in item_links[path] if t.startswith(folder) and t != path}
            assert not inside, (family, seed, path, inside)
            text = tree.text_content()
            assert ("共0条记录" in text) or ("本栏目暂无内容" in text)
        for column in manifest.columns:
            stale = column["path"] in by_type.get("stale_column", [])
            if column["kind"] in THRESHOLDS and column["items"]:
                assert stale == (column["newest_age"] > THRESHOLDS[column["kind"]]), column
            else:
                assert not stale, column
        dropped = {d.note for d in manifest.defects if d.type == "missing_site_identifier"}
        home = pages["/"]
        markup = lxml.html.tostring(home, encoding="unicode")
        text = home.text_content()
        assert ("网站标识码" in text) == ("网站标识码" not in dropped)
        assert ("主办" in text) == ("主办单位" not in dropped)
        assert ("beian.miit.gov.cn" in markup) == ("ICP备案编号" not in dropped)
        assert ("公网安备" in text) == ("公安机关备案号" not in dropped)
        assert ("conac.cn" in markup) == ("党政机关网站标识" not in dropped)
        forms = home.xpath("//form")
        search = [d.note for d in manifest.defects if d.type == "search_broken"]
        assert bool(forms) != (search == ["无搜索框"])
        if forms:
            action = urlsplit(forms[0].get("action")).path
            assert url_to_file(root, action).is_file() == (not search)
        for path in by_type.get("repost_without_source", []):
            text = pages[path].text_content()
            assert "转载" in text and not _SOURCE.search(text), (family, path)
        for path in by_type.get("missing_validity_mark", []):
            text = pages[path].text_content()
            assert "废止" in text or "失效" in text
        # interpretations: a document the manifest names is linked with none either way, every
        # other document is linked with its interpretation at least one way
        interps = column_items(manifest, "interp", pages, item_links)
        docs = column_items(manifest, "policy", pages, item_links)
        missing = set(by_type.get("missing_interpretation", []))
        assert missing and missing <= docs, (family, seed)
        for doc in docs:
            linked = bool(item_links[doc] & interps) or any(doc in item_links[i] for i in interps)
            assert linked == (doc not in missing), (family, seed, doc)


def column_items(
    manifest: Manifest,
    kind: str,
    pages: dict[str, lxml.html.HtmlElement],
    item_links: dict[str, set[str]],
) -> set[str]:
    """The item pages of the columns of a kind: what their list pages (the pages in the
    folder of the column's first page) link to further down that folder."""
    out: set[str] = set()
    for column in manifest.columns:
        if column["kind"] != kind:
            continue
        folder = column["path"].rsplit("/", 1)[0] + "/"
        lists = [p for p in pages if p.rsplit("/", 1)[0] + "/" == folder]
        for page in lists:
            out |= {
                t
                for t in item_links[page]
                if t.startswith(folder) and t in pages and t not in lists
            }
    return out
