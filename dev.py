#!/usr/bin/env python3
"""Gongkai's developer entry point; needs only Python 3.11+ (no make, no server).

    python3 dev.py run     create .venv, install pinned packages, migrate, load demo data
                           into an empty database, start the web server and worker
    python3 dev.py test    the whole test suite (SQLite; set DATABASE_URL for PostgreSQL)
    python3 dev.py lint    ruff (format and lint) and mypy --strict
    python3 dev.py install only (re)create the environment

`python3 dev.py test -m broker` passes extra arguments to pytest.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed"
PINNED = [ROOT / "requirements-dev.txt", ROOT / "requirements.txt", ROOT / "pyproject.toml"]
DEFAULT_MARKERS = "not broker and not browser"


def sh(*args: str | Path, env: dict[str, str] | None = None) -> None:
    result = subprocess.run([str(a) for a in args], cwd=ROOT, env=env, check=False)
    if result.returncode != 0:
        raise SystemExit(result.returncode)


def install() -> None:
    """Create .venv and install the pinned packages; skipped when nothing changed."""
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in PINNED)).hexdigest()
    if STAMP.exists() and STAMP.read_text() == digest:
        return
    if sys.version_info < (3, 11):
        raise SystemExit("Gongkai needs Python 3.11 or newer")
    print("正在准备 Python 环境 (.venv)…", flush=True)
    if not (BIN / "python").exists():
        venv.create(VENV, with_pip=True)
    pip: list[str | Path] = [
        BIN / "python",
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
    ]
    sh(*pip, "-r", ROOT / "requirements-dev.txt")
    sh(*pip, "--no-deps", "-e", ROOT)
    STAMP.write_text(digest)


def run() -> None:
    install()
    gongkai = BIN / "gongkai"
    sh(gongkai, "migrate", "--noinput", "-v", "0")
    sh(gongkai, "demo", "--if-empty")
    os.execv(gongkai, [str(gongkai), "serve", *sys.argv[2:]])


def test() -> None:
    install()
    env = dict(os.environ)
    # Each run gets its own data directory: the suite never touches ./var.
    env["GONGKAI_DATA_DIR"] = tempfile.mkdtemp(prefix="gongkai-test-")
    args = sys.argv[2:]
    markers = [] if "-m" in args else ["-m", DEFAULT_MARKERS]
    sh(BIN / "pytest", *markers, *args, env=env)


def lint() -> None:
    install()
    sh(BIN / "ruff", "format", "--check", ".")
    sh(BIN / "ruff", "check", ".")
    sh(BIN / "mypy", "gongkai", "tests", "benchmarks", "scripts", "dev.py")


COMMANDS = {"install": install, "run": run, "test": test, "lint": lint}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(__doc__)
        raise SystemExit(2)
    COMMANDS[sys.argv[1]]()
