"""The `gongkai` console script: Django's management commands under one name.

`gongkai serve`, `gongkai migrate`, `gongkai workdays add 2025-09-26 20` … are the management
commands of the project, run with the project's settings.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv if argv is None else ["gongkai", *argv]
    execute_from_command_line(args)
    return 0
