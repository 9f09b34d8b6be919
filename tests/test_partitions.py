"""Queries read only their window: the partition range, its predicate (checked hour by hour in
DuckDB), and the files DuckDB opens over a year of archive, with the same answers as unpruned."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
import sqlglot

from ses_events.analytics.engines import DuckDBEngine, QueryFilter
from ses_events.analytics.generator import CorpusSpec, generate_events, write_archive
from ses_events.analytics.partitions import (
    MAX_BUFFERING,
    MAX_SLACK_DAYS,
    describe_range,
    partition_condition,
    read_range,
)
from ses_events.analytics.queries import QUERIES
from ses_events.errors import SesEventsValidationError


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[arg-type,misc]


def test_the_range_starts_one_buffering_interval_before_since() -> None:
    assert timedelta(seconds=900) == MAX_BUFFERING  # Firehose's longest buffering interval
    # exactly 15 minutes into the hour: that hour; a microsecond less: the hour before
    assert read_range(at(2026, 11, 2, 0, 15), None)[0] == at(2026, 11, 2, 0)
    assert read_range(at(2026, 11, 2, 0, 14, 59, 999999), None)[0] == at(2026, 11, 1, 23)
    assert read_range(at(2026, 11, 2), None)[0] == at(2026, 11, 1, 23)


def test_the_range_ends_slack_after_until_which_is_not_included() -> None:
    day = timedelta(days=1)
    # until at an hour's start is not in the window: with no slack the last hour is the one before
    assert read_range(None, at(2026, 11, 2), timedelta(0))[1] == at(2026, 11, 1, 23)
    assert read_range(None, at(2026, 11, 2, 0, 0, 0, 1), timedelta(0))[1] == at(2026, 11, 2, 0)
    assert read_range(None, at(2026, 11, 2), 7 * day)[1] == at(2026, 11, 8, 23)
    assert read_range(None, at(2026, 11, 2), 7 * day + timedelta(microseconds=1))[1] == at(
        2026, 11, 9, 0
    )
    assert read_range(None, None) == (None, None)


def test_a_local_time_is_read_in_utc() -> None:
    berlin = datetime(2026, 11, 2, 1, 30, tzinfo=__import__("zoneinfo").ZoneInfo("Europe/Berlin"))
    assert read_range(berlin, None)[0] == at(2026, 11, 2, 0)  # 00:30 UTC, less 15 minutes


def _hours_kept(condition: str, first: datetime, hours: int) -> list[datetime]:
    """The hours of ``hours`` from ``first`` that ``condition`` (Trino) keeps, asked of DuckDB."""
    connection = duckdb.connect()
    connection.execute(
        "CREATE TABLE h AS SELECT t, year(t)::INTEGER AS year, month(t)::INTEGER AS month,"
        " day(t)::INTEGER AS day, hour(t)::INTEGER AS hour FROM generate_series("
        f"TIMESTAMP '{first:%Y-%m-%d %H}:00:00', TIMESTAMP '{first + timedelta(hours=hours - 1):%Y-%m-%d %H}:00:00',"
        " INTERVAL 1 HOUR) AS s(t)"
    )
    where = sqlglot.transpile(condition, read="trino", write="duckdb")[0]
    rows = connection.execute(f"SELECT t FROM h WHERE {where} ORDER BY t").fetchall()
    return [row[0].replace(tzinfo=UTC) for row in rows]


GRID_START = at(2026, 12, 20)
GRID_HOURS = 24 * 80  # across a year's end and February


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (at(2026, 12, 25, 0), at(2026, 12, 25, 0)),  # one hour
        (at(2026, 12, 25, 0), at(2026, 12, 25, 23)),  # one whole day
        (at(2026, 12, 25, 1), at(2026, 12, 25, 22)),  # inside a day
        (at(2026, 12, 25, 23), at(2026, 12, 26, 0)),  # across midnight
        (at(2026, 12, 31, 23), at(2027, 1, 1, 0)),  # across the year
        (at(2026, 12, 30, 5), at(2027, 3, 1, 4)),  # whole months between partial days
        (at(2027, 1, 31, 0), at(2027, 2, 1, 23)),  # month ends, whole days both
        (at(2027, 2, 28, 12), at(2027, 3, 1, 0)),  # February's last day
    ],
)
def test_the_predicate_keeps_exactly_the_hours_of_the_range(
    first: datetime, last: datetime
) -> None:
    condition = partition_condition(first, last)
    assert condition is not None
    expected = [
        GRID_START + timedelta(hours=n)
        for n in range(GRID_HOURS)
        if first <= GRID_START + timedelta(hours=n) <= last
    ]
    assert _hours_kept(condition, GRID_START, GRID_HOURS) == expected


@pytest.mark.parametrize("moment", [at(2026, 12, 31, 23), at(2027, 1, 1, 0), at(2027, 2, 14, 7)])
def test_open_ended_predicates_keep_every_hour_on_their_side(moment: datetime) -> None:
    hours = [GRID_START + timedelta(hours=n) for n in range(GRID_HOURS)]
    since = partition_condition(moment, None)
    until = partition_condition(None, moment)
    assert since is not None and until is not None
    assert _hours_kept(since, GRID_START, GRID_HOURS) == [h for h in hours if h >= moment]
    assert _hours_kept(until, GRID_START, GRID_HOURS) == [h for h in hours if h <= moment]
    assert partition_condition(None, None) is None
    with pytest.raises(ValueError, match="first is after last"):
        partition_condition(moment + timedelta(hours=1), moment)


def test_whole_days_are_written_per_column_for_athenas_projection() -> None:
    condition = partition_condition(at(2026, 11, 2, 0), at(2026, 11, 8, 23))
    assert condition == "(year = 2026 AND month = 11 AND day BETWEEN 2 AND 8)"
    assert partition_condition(at(2026, 11, 2, 0), at(2026, 11, 2, 23)) == (
        "(year = 2026 AND month = 11 AND day = 2)"
    )


@pytest.mark.parametrize("slack", [0, MAX_SLACK_DAYS])
def test_the_slack_at_its_limits_is_taken(slack: int) -> None:
    QueryFilter(since="2026-11-01", until="2026-11-02", slack_days=slack).check()


@pytest.mark.parametrize("slack", [-1, MAX_SLACK_DAYS + 1, True, 1.5])
def test_a_slack_past_its_limits_is_refused_by_name(slack: object) -> None:
    with pytest.raises(SesEventsValidationError) as caught:
        QueryFilter(since="2026-11-01", slack_days=slack).check()  # type: ignore[arg-type]
    ((field, value, rule),) = [(p.field, p.value, p.rule) for p in caught.value.problems]
    assert (field, value) == ("slack_days", slack)
    assert rule == f"must be a whole number of days from 0 to {MAX_SLACK_DAYS}"


def test_the_range_read_is_said() -> None:
    where = QueryFilter(since="2026-11-02", until="2026-11-03")
    assert where.described_range() == (
        "hour partitions 2026-11-01T23:00Z to 2026-11-09T23:00Z (UTC, as Firehose received the"
        " records)"
    )
    assert QueryFilter(since="2026-11-02", prune=False).described_range() == (
        "every partition (no --since or --until)"
    )
    assert describe_range(at(2026, 11, 1), None).endswith(
        "to the last (UTC, as Firehose received the records)"
    )


YEAR = 365


@pytest.fixture(scope="module")
def year_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A year of mail, thin, two sets, as the archive lays it out, with a busy day inside it
    (the window the tests ask about)."""
    root = tmp_path_factory.mktemp("year")
    background = CorpusSpec(messages=700, start=at(2026, 1, 1), hours=24 * YEAR, seed=11)
    busy = CorpusSpec(messages=300, start=at(2026, 6, 10), hours=24, seed=12)
    write_archive([*generate_events(background), *generate_events(busy)], root)
    return root


def _files_read(engine: DuckDBEngine, name: str, where: QueryFilter) -> int:
    sql = engine.sql(name, where)
    plan = "".join(row[1] for row in engine.connection.execute(f"EXPLAIN ANALYZE {sql}").fetchall())
    counts = [int(n) for n in re.findall(r"Total Files Read: (\d+)", plan)]
    assert counts, plan[-2000:]
    return max(counts)


WINDOW = {"since": "2026-06-10", "until": "2026-06-11"}


def _in_range(files: list[Path]) -> list[Path]:
    """The files of the hour before the window, the day, and seven days after it."""
    return [
        f
        for f in files
        if "year=2026/month=06/day=09/hour=23" in str(f)
        or any(f"year=2026/month=06/day={d:02d}/" in str(f) for d in range(10, 18))
    ]


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_a_day_over_a_year_reads_its_days_files_with_the_unpruned_answer(
    year_archive: Path, name: str
) -> None:
    engine = DuckDBEngine(year_archive)
    files = list(year_archive.rglob("*.gz"))
    pruned = QueryFilter(**WINDOW)
    assert (
        engine.run(name, pruned).rows == engine.run(name, QueryFilter(**WINDOW, prune=False)).rows
    )
    read = _files_read(engine, name, pruned)
    assert read == len(_in_range(files))
    assert read < len(files) / 5


def test_what_a_window_reads_of_a_year(year_archive: Path) -> None:
    engine = DuckDBEngine(year_archive)
    files = list(year_archive.rglob("*.gz"))
    assert len({f.parent for f in files}) > 900  # hour partitions held, all year round
    assert _files_read(engine, "funnel", QueryFilter(**WINDOW, prune=False)) == len(files)
    assert _files_read(engine, "funnel", QueryFilter(**WINDOW)) == len(_in_range(files))
    funnel = engine.run("funnel", QueryFilter(**WINDOW)).records()
    assert sum(int(row["sends"]) for row in funnel) >= 300  # the busy day is in the answer
    marketing = _files_read(engine, "funnel", QueryFilter(("marketing",), **WINDOW))
    assert 0 < marketing < len(_in_range(files))
    assert marketing == len([f for f in _in_range(files) if "=marketing/" in str(f)])


def _table_filters(sql: str, database: str, table: str) -> list[str]:
    """The WHERE conditions of every SELECT that reads ``database.table``, as Trino text."""
    tree = sqlglot.parse_one(sql, read="trino")
    found = []
    for select in tree.find_all(sqlglot.exp.Select):
        source = select.args.get("from_") or select.args.get("from")
        if source is None or not isinstance(source.this, sqlglot.exp.Table):
            continue
        read = (source.this.db, source.this.name)
        if read == (database, table) and select.args.get("where") is not None:
            found.append(select.args["where"].this.sql(dialect="trino"))
    return found


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_athena_query_reads_the_glue_table_through_the_window_only(name: str) -> None:
    """Athena bills by bytes scanned: the generated SQL's predicate on the partition columns,
    found with sqlglot where the query reads the table, keeps exactly the range's hours."""
    from ses_events.analytics.engines import AthenaEngine

    engine = AthenaEngine(database="db", table="events", workgroup="wg")
    sql = engine.sql(name, QueryFilter(since="2026-12-30T05:20:00Z", until="2027-01-02"))
    (condition,) = _table_filters(sql, "db", "events")
    partitions = sqlglot.parse_one(condition, read="trino")
    time_parts = [
        part.sql(dialect="trino")
        for part in partitions.flatten()
        if {c.name for c in part.find_all(sqlglot.exp.Column)} <= {"year", "month", "day", "hour"}
    ]
    (predicate,) = time_parts
    first, last = at(2026, 12, 30, 5), at(2027, 1, 8, 23)  # 15 minutes' buffering; 7 days' slack
    hours = [GRID_START + timedelta(hours=n) for n in range(GRID_HOURS)]
    assert _hours_kept(predicate, GRID_START, GRID_HOURS) == [
        h for h in hours if first <= h <= last
    ]
