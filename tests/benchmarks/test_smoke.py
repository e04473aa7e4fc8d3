"""Each benchmark runs at its smallest size, so none of them rots; no timing is asserted."""

from __future__ import annotations

import pytest

from tests.benchmarks import ack, clicks, criteria, export, memory, pipeline, whatif
from tests.conftest import BACKENDS


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """A backend name; PostgreSQL is skipped with a reason when no server answers (not in CI)."""
    if request.param == "postgresql":
        request.getfixturevalue("postgres_databases")
    return str(request.param)


def test_ack_sends_each_kind_to_the_floor_and_to_baton(capsys: pytest.CaptureFixture[str]) -> None:
    rows = ack.main(["--requests", "3", "--concurrency", "1,2", "--rounds", "1"])

    assert [(row.kind, row.concurrency) for row in rows] == [
        ("qualify", 1), ("qualify", 2), ("click", 1), ("click", 2), ("submit", 1), ("submit", 2),
        ("help", 1), ("help", 2), ("typed", 1), ("typed", 2)]
    for row in rows:
        assert (row.floor.requests, row.floor.late, row.baton.requests, row.baton.late) == (
            3, 0, 3, 0)
        assert (row.busy_floor.requests, row.busy_floor.late) == (3, 0)
    printed = capsys.readouterr().out
    assert "Slack refused 0 calls; Baton apologised for 0 failures" in printed
    lines = printed.splitlines()
    assert sum(line.startswith("/qualify Acme") for line in lines) == 2
    assert any(line.startswith("Baton's CPU per request: /qualify Acme") for line in lines)


def test_clicks_are_answers_each_stored_by_baton(backend: str) -> None:
    rows = clicks.main(["--backend", backend, "--clicks", "4", "--concurrency", "2",
                        "--rounds", "1", "--qualifications", "2"])

    (row,) = rows
    assert (row.floor.requests, row.baton.requests, row.baton.late) == (4, 4, 0)
    # Each answer is written to the database in a transaction of its own at least.
    assert row.work["requests commits"] >= 1
    assert row.work["requests statements"] > row.work["requests commits"]


def test_memory_is_read_after_each_batch() -> None:
    readings = memory.main(["--requests", "6", "--concurrency", "2"])

    assert [reading.requests >= 6 for reading in readings] == [False, True]
    # `baton run` and its worker, whose memory is partly the same pages.
    assert all(len(reading.processes) == 2 for reading in readings)
    assert all(0 < reading.pss_mb < sum(rss for _, rss in reading.processes)
               for reading in readings)


def test_pipeline_times_summaries_beside_one_aggregate(backend: str) -> None:
    (row,) = pipeline.main(["--answers", "50", "--backends", backend])

    assert row.answers > 0
    assert min(*row.year, *row.quarter) > 0


def test_export_writes_a_row_per_seeded_lead_with_a_verdict(backend: str) -> None:
    (row,) = export.main(["--leads", "30", "--backends", backend])

    assert 0 < row.exported <= 30
    assert row.export.seconds > 0
    assert row.export.peak_mb > 0
    assert 0 < row.empty_export.seconds
    assert 0 < row.empty_dump.seconds


def test_whatif_replays_a_seeded_database(backend: str) -> None:
    (row,) = whatif.main(["--leads", "50", "--backends", backend])
    assert row.leads == 50
    assert row.whatif.seconds > 0


def test_criteria_times_the_report_beside_one_aggregate(backend: str) -> None:
    (row,) = criteria.main(["--answers", "50", "--backends", backend])
    assert row.answers > 0
    assert min(row.report_ms, row.one_sql_ms) > 0
