"""The test-site generator: the same seed gives the same site, the manifest names every defect
it injected and nothing else looks like one, every defect type occurs across a few seeds, and
the files are what their names say."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.html  # type: ignore[import-untyped]  # lxml ships no type stubs
import pytest

from gongkai.inspect.testsite import (
    DEFECT_TYPES,
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


def html_pages(root: Path) -> dict[str, lxml.html.HtmlElement]:
    pages = {}
    for file in root.rglob("*.html"):
        rel = "/" + str(file.relative_to(root))
        pages[rel] = lxml.html.fromstring(file.read_bytes())
    return pages


def page_url(rel: str) -> str:
    """The URL a page is linked by: directories end with / (index.html is implied)."""
    return rel[: -len("index.html")] if rel.endswith("/index.html") else rel


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
        flagged = {d.path for d in manifest.defects if d.type == "typo_or_wrong_term"}
        for rel, tree in html_pages(root).items():
            text = tree.text_content()
            wrong = [w for w, _r in manifest.terms if w in text]
            assert bool(wrong) == (page_url(rel) in flagged), (rel, wrong)


def test_personal_data_only_where_injected(sites: dict[int, tuple[Path, Manifest]]) -> None:
    """The project's own detector finds personal data in every page and attachment the
    manifest lists, and in nothing else (masked numbers, hotlines, 文号, 索引号 included)."""
    import docx
    import openpyxl
    import pdfplumber

    for root, manifest in sites.values():
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
