"""The portal benchmark's generator, run at a tiny scale so it keeps working, and the pages it
measures answer on what it builds."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from django.test import Client

from gongkai.publishing.models import Document, DocumentAttachment, Validity, ValidityChange


def _bench() -> ModuleType:
    path = Path(__file__).resolve().parent.parent / "benchmarks" / "portal_bench.py"
    spec = importlib.util.spec_from_file_location("portal_bench", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("portal_bench", module)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db
def test_generator_builds_a_register_every_measured_page_reads() -> None:
    bench = _bench()
    data = bench.generate(documents=600)
    published = Document.objects.published()
    assert data.documents == published.count() == 600
    assert published.filter(kind="news").count() > published.filter(kind="rule").count()
    repealed = published.exclude(validity=Validity.VALID)
    assert repealed.exists()
    assert ValidityChange.objects.count() == repealed.count()
    assert published.filter(interprets__isnull=False).exists()
    assert DocumentAttachment.objects.count() == 60
    assert len(set(published.values_list("index_number", flat=True))) == 600
    client = Client(REMOTE_ADDR="10.9.8.7")
    for label, path in bench.pages(data):
        response = client.get(path)
        assert response.status_code == 200, (label, path)
    repealed_page = client.get(f"/portal/documents/{data.repealed_id}/").content.decode()
    assert "validity-notice" in repealed_page and "有效性变更记录" in repealed_page
    interpreted = client.get(f"/portal/documents/{data.interpreted_id}/").content.decode()
    assert "政策解读</h2>" in interpreted
