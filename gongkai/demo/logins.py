"""The demo accounts `gongkai serve` prints. Demo only: change them on a real deployment."""

from __future__ import annotations

from gongkai.demo.data import USERS

DEMO_LOGINS: list[tuple[str, str, str]] = [
    (u.username, u.password, "系统管理员" if u.superuser else u.role.label) for u in USERS
]
