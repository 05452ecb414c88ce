"""docs/settings.md documents every environment variable the settings read, and only those."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from gongkai.config import env

DOC = Path(__file__).resolve().parent.parent / "docs" / "settings.md"


@pytest.fixture(autouse=True)
def _scratch_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Readers called by these tests register throwaway names; keep them out of env.READ."""
    monkeypatch.setattr(env, "READ", list(env.READ))


def _documented() -> set[str]:
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", DOC.read_text("utf-8"), re.MULTILINE))


def test_every_setting_read_is_documented() -> None:
    missing = [name for name in env.READ if name not in _documented()]
    assert env.READ, "the settings module registered no variables"
    assert missing == []


def test_every_documented_setting_is_read() -> None:
    assert sorted(_documented() - set(env.READ)) == []


@pytest.mark.parametrize(
    ("reader", "raw"),
    [
        (lambda: env.env_bool("GK_TEST_FLAG", False), "maybe"),
        (lambda: env.env_int("GK_TEST_NUMBER", 1, minimum=1), "0"),
        (lambda: env.env_int("GK_TEST_NUMBER", 1), "twelve"),
        (lambda: env.env_zone("GK_TEST_ZONE", "Asia/Shanghai"), "Mars/Olympus"),
    ],
)
def test_a_bad_value_fails_loudly_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, reader: object, raw: str
) -> None:
    name = {"maybe": "GK_TEST_FLAG", "Mars/Olympus": "GK_TEST_ZONE"}.get(raw, "GK_TEST_NUMBER")
    monkeypatch.setenv(name, raw)
    with pytest.raises(ImproperlyConfigured, match=name):
        reader()  # type: ignore[operator]  # the parametrized readers are zero-argument lambdas


def test_readers_parse_good_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GK_TEST_FLAG", "on")
    monkeypatch.setenv("GK_TEST_LIST", "a.gov.cn, b.gov.cn,")
    assert env.env_bool("GK_TEST_FLAG", False) is True
    assert env.env_list("GK_TEST_LIST", []) == ["a.gov.cn", "b.gov.cn"]
    assert env.env_str("GK_TEST_ABSENT", "fallback") == "fallback"
