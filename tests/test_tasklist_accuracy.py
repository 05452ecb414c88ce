"""The parser meets the issue's accuracy targets on every format of every labelled fixture.

This runs scripts/score_parse.py in-process (the parser imported, not a subprocess per file):
task F1 ≥ 0.98, unit F1 ≥ 0.95, path accuracy ≥ 0.95, checked per format and overall. A change
that makes the parser worse on the seeds or fixtures fails here with the scorer's table.
"""

from __future__ import annotations

import pytest

from scripts import score_parse


def test_the_parser_meets_the_accuracy_targets_on_every_format(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = score_parse.main(
        ["--import", "--min-task-f1", "0.98", "--min-unit-f1", "0.95", "--min-path", "0.95"]
    )
    table = capsys.readouterr().out
    assert code == 0, table
    assert "ALL  all   1457  1457" in table
