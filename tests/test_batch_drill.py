"""The restart drill at a small caseload: every stream killed at every checkpoint, mid-chunk and
at its end, then restarted, ends with the rows and files of an uninterrupted run (tests/drill.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.drill import STREAMS, drill, seed, sqlite_copies

pytestmark = pytest.mark.slow


def test_every_kill_point_of_every_stream_restarts_to_the_uninterrupted_result(tmp_path: Path) -> None:
    template = tmp_path / "template.db"
    seed(f"sqlite:///{template}", cases=16)
    with sqlite_copies(template, tmp_path) as fresh:
        trials = drill(fresh, tmp_path, list(STREAMS), chunk=8)
    assert {t.stream for t in trials} == set(STREAMS)
    assert len(trials) > 4 * len(STREAMS), "each stream has several kill points"
    failed = [f"{t.stream} {t.kill}: {t.problem}" for t in trials if t.problem]
    assert failed == []
