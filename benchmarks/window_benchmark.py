"""Window benchmark: what a one-day question reads of a year of archive, pruned and not.

A generated archive of 365 days (two configuration sets, a file per set and hour, as Firehose
writes it) and a one-day window in its middle (``--since 2026-07-01 --until 2026-07-02``, the
default slack of 7 days). For every named query:

- DuckDB (GZIP JSON): the files DuckDB opened (``Total Files Read`` of ``EXPLAIN ANALYZE``), the
  bytes of those files on disk, and the query's wall time, with the partition predicates
  (``pruned``) and without them (``QueryFilter(prune=False)``: the send-time filter only, as
  before); the answers must be equal (checked);
- Athena (no AWS needed): the hour partitions the generated Trino text keeps, found with sqlglot
  (the predicate on ``year``/``month``/``day``/``hour`` where the query reads the Glue table,
  evaluated over every hour of the year in DuckDB), against the year's hours. Athena bills by
  bytes scanned, and scans only the partitions the predicate keeps.

Run::

    .venv/bin/python benchmarks/window_benchmark.py                 # 100,000 messages
    .venv/bin/python benchmarks/window_benchmark.py --messages 20000 --json results.json
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DAYS = 365
START = datetime(2026, 1, 1, tzinfo=UTC)
WINDOW = {"since": "2026-07-01", "until": "2026-07-02"}


def _files_read(engine: Any, sql: str) -> int:
    plan = "".join(row[1] for row in engine.connection.execute(f"EXPLAIN ANALYZE {sql}").fetchall())
    return max(int(n) for n in re.findall(r"Total Files Read: (\d+)", plan))


def _bytes_of(archive: Path, first: datetime | None, last: datetime | None) -> int:
    from ses_events.analytics.partitions import key_in_range

    return sum(
        f.stat().st_size
        for f in archive.rglob("*.gz")
        if key_in_range("/" + str(f.relative_to(archive)), first, last)
    )


def _athena_hours(name: str) -> int:
    """Hours of the year the Athena text of ``name`` keeps (its partition predicate, by sqlglot)."""
    import duckdb
    import sqlglot

    from ses_events.analytics.engines import AthenaEngine, QueryFilter

    sql = AthenaEngine(database="db", table="events", workgroup="wg").sql(
        name, QueryFilter(**WINDOW)
    )
    kept: list[str] = []
    for select in sqlglot.parse_one(sql, read="trino").find_all(sqlglot.exp.Select):
        source = select.args.get("from_") or select.args.get("from")
        if source is None or not isinstance(source.this, sqlglot.exp.Table):
            continue
        if (source.this.db, source.this.name) != ("db", "events"):
            continue
        for part in select.args["where"].this.flatten():
            columns = {c.name for c in part.find_all(sqlglot.exp.Column)}
            if columns and columns <= {"year", "month", "day", "hour"}:
                kept.append(part.sql(dialect="duckdb"))
    (predicate,) = kept  # one read of the table, one partition predicate
    connection = duckdb.connect()
    connection.execute(
        "CREATE TABLE h AS SELECT year(t)::INTEGER AS year, month(t)::INTEGER AS month,"
        " day(t)::INTEGER AS day, hour(t)::INTEGER AS hour FROM generate_series(TIMESTAMP"
        f" '{START:%Y-%m-%d}', TIMESTAMP '{START + timedelta(days=DAYS, hours=-1):%Y-%m-%d %H}:00:00',"
        " INTERVAL 1 HOUR) AS s(t)"
    )
    row = connection.execute(f"SELECT count(*) FROM h WHERE {predicate}").fetchone()
    assert row is not None
    return int(row[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)

    from ses_events.analytics.engines import DuckDBEngine, QueryFilter
    from ses_events.analytics.generator import CorpusSpec, generate_events, write_archive
    from ses_events.analytics.queries import QUERIES

    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as work:
        archive = Path(work)
        spec = CorpusSpec(messages=args.messages, start=START, hours=24 * DAYS, seed=5)
        files = write_archive(generate_events(spec), archive)
        total_bytes = sum(f.stat().st_size for f in files)
        pruned, unpruned = QueryFilter(**WINDOW), QueryFilter(**WINDOW, prune=False)
        first, last = pruned.read_range()
        window_bytes = _bytes_of(archive, first, last)
        print(
            f"{args.messages} messages over {DAYS} days: {len(files)} files, {total_bytes / 1e6:.1f}"
            f" MB; window {WINDOW['since']} to {WINDOW['until']}, reading {pruned.described_range()}"
        )
        bound = (1 + 7 + 1 / 24) / DAYS
        print(f"(1 + slack + the hour before) / {DAYS} = {bound:.4f}\n")
        print(
            f"{'query':<20}{'files read':>12}{'of all':>8}{'MB read':>9}{'of all':>8}"
            f"{'s pruned':>10}{'s all':>8}{'same':>6}{'Athena hours':>14}{'of year':>9}"
        )
        engine = DuckDBEngine(archive)
        for name in sorted(QUERIES):
            started = time.monotonic()
            answer = engine.run(name, pruned).rows
            seconds = time.monotonic() - started
            started = time.monotonic()
            reference = engine.run(name, unpruned).rows
            seconds_all = time.monotonic() - started
            read = _files_read(engine, engine.sql(name, pruned))
            read_all = _files_read(engine, engine.sql(name, unpruned))
            assert read_all == len(files), (name, read_all, len(files))
            hours = _athena_hours(name)
            row = {
                "query": name,
                "files_read": read,
                "files_share": read / len(files),
                "bytes_read": window_bytes,
                "bytes_share": window_bytes / total_bytes,
                "seconds": seconds,
                "seconds_unpruned": seconds_all,
                "same_answer": answer == reference,
                "athena_hours": hours,
                "athena_share": hours / (24 * DAYS),
            }
            rows.append(row)
            print(
                f"{name:<20}{read:>12}{row['files_share']:>8.4f}{window_bytes / 1e6:>9.2f}"
                f"{row['bytes_share']:>8.4f}{seconds:>10.2f}{seconds_all:>8.2f}"
                f"{'yes' if row['same_answer'] else 'NO':>6}{hours:>14}{row['athena_share']:>9.4f}"
            )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 0 if all(r["same_answer"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
