"""Where the named queries run: DuckDB on one machine, Athena in AWS. Thin adapters: each says
what ``events`` is and runs the query's text in its dialect; the queries are the same.

- :class:`DuckDBEngine` reads an archive directory (the archive's layout: GZIP JSON lines under
  ``configuration_set=/year=/month=/day=/hour=/``) with the columns of
  :mod:`ses_events.analytics.schema`, embedded, no server.
- :class:`AthenaEngine` runs the Trino text through Athena (boto3) against the archive's Glue
  table, in a workgroup.

Example::

    from ses_events.analytics.engines import DuckDBEngine, QueryFilter

    result = DuckDBEngine("archive/").run("funnel", QueryFilter(configuration_sets=("marketing",)))
    print(result.table())
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlglot
from sqlglot import exp

from ses_events import rules
from ses_events.analytics.partitions import (
    DEFAULT_SLACK,
    MAX_SLACK_DAYS,
    describe_range,
    key_in_range,
    partition_condition,
    read_range,
)
from ses_events.analytics.queries import QUERIES, SOURCE_DIALECT, over_table, with_events
from ses_events.analytics.schema import PARTITION_KEYS, duckdb_columns
from ses_events.errors import Problem, SesEventsValidationError

__all__ = [
    "AthenaEngine",
    "DuckDBEngine",
    "QueryFilter",
    "QueryResult",
    "convert_to_parquet",
    "download_archive",
]


INSTANT_RULE = "must be an ISO 8601 date or time, such as 2026-11-01"


def parse_instant(text: str) -> datetime | None:
    """``text`` (ISO 8601: ``2026-11-01``, ``2026-11-01T12:00:00Z``) as an aware datetime, a
    time without an offset read as UTC (as the queries read it); ``None`` when it is not one."""
    try:
        moment = datetime.fromisoformat(text)  # reads a "Z" offset since Python 3.11
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class QueryFilter:
    """Which records a query reads: configuration sets (all when empty) and a time range of the
    message's send time, ISO 8601 (``2026-11-01`` or ``2026-11-01T12:00:00Z``), ``until``
    exclusive.

    A time range also limits the partitions read (:mod:`ses_events.analytics.partitions`): from
    just before ``since`` to ``slack_days`` after ``until`` (default 7: engagement events arrive
    after the send), unless ``prune`` is false (every partition read; the same answer for any
    event that arrived within the slack).
    """

    configuration_sets: Sequence[str] = ()
    since: str | None = None
    until: str | None = None
    slack_days: int = DEFAULT_SLACK.days
    prune: bool = True

    def read_range(self) -> tuple[datetime | None, datetime | None]:
        """The first and last hour partition read (``None``: an open end)."""
        self.check()
        if not self.prune:
            return None, None
        since = None if self.since is None else parse_instant(self.since)
        until = None if self.until is None else parse_instant(self.until)
        return read_range(since, until, timedelta(days=self.slack_days))

    def described_range(self) -> str:
        """What :meth:`read_range` reads, in words (the report and the CLI say it)."""
        return describe_range(*self.read_range())

    def check(self) -> None:
        problems: list[Problem] = []
        if (
            isinstance(self.slack_days, bool)
            or not isinstance(self.slack_days, int)
            or not 0 <= self.slack_days <= MAX_SLACK_DAYS
        ):
            problems.append(
                Problem(
                    "slack_days",
                    self.slack_days,
                    f"must be a whole number of days from 0 to {MAX_SLACK_DAYS}",
                )
            )
        for name in self.configuration_sets:
            violation = rules.CONFIGURATION_SET_NAME.violation(name)
            if violation is not None:
                problems.append(Problem("configuration set", name, violation))
        ends: dict[str, datetime] = {}
        for label, value in (("since", self.since), ("until", self.until)):
            if value is not None:
                moment = parse_instant(value)
                if moment is None:
                    problems.append(Problem(label, value, INSTANT_RULE))
                else:
                    ends[label] = moment
        if len(ends) == 2 and ends["since"] >= ends["until"]:
            problems.append(
                Problem(
                    "until",
                    self.until,
                    f"must be later than since ({self.since}): the window is from since up to"
                    " (not including) until",
                )
            )
        if problems:
            raise SesEventsValidationError("query filter", problems)

    def condition(self) -> exp.Expression | None:
        """The filter as a Trino condition on ``configuration_set``, the time partitions and
        ``mail.timestamp``."""
        self.check()
        parts: list[str] = []
        if self.configuration_sets:
            names = ", ".join(exp.Literal.string(n).sql() for n in self.configuration_sets)
            parts.append(f"configuration_set IN ({names})")
        partitions = partition_condition(*self.read_range())
        if partitions is not None:
            parts.append(partitions)
        sent = "from_iso8601_timestamp(mail.timestamp)"
        if self.since is not None:
            parts.append(
                f"{sent} >= from_iso8601_timestamp({exp.Literal.string(self.since).sql()})"
            )
        if self.until is not None:
            parts.append(f"{sent} < from_iso8601_timestamp({exp.Literal.string(self.until).sql()})")
        if not parts:
            return None
        condition = sqlglot.parse_one(" AND ".join(parts), read=SOURCE_DIALECT)
        assert isinstance(condition, exp.Expression)
        return condition


@dataclass
class QueryResult:
    """Rows of a query, with column names; printable as a table, CSV or JSON."""

    columns: list[str]
    rows: list[tuple[Any, ...]]
    statistics: dict[str, Any] = field(default_factory=dict)

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def table(self, limit: int | None = None) -> str:
        shown = self.rows if limit is None else self.rows[:limit]
        cells = [[_text(v) for v in row] for row in shown]
        widths = [
            max([len(c), *(len(row[i]) for row in cells)]) for i, c in enumerate(self.columns)
        ]
        lines = ["  ".join(c.ljust(w) for c, w in zip(self.columns, widths, strict=True))]
        lines.append("  ".join("-" * w for w in widths))
        lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
        if limit is not None and len(self.rows) > limit:
            lines.append(f"... {len(self.rows) - limit} more rows")
        lines.append(f"({len(self.rows)} rows)")
        return "\n".join(lines)

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.columns)
        writer.writerows([[_text(v) for v in row] for row in self.rows])
        return out.getvalue()

    def json(self) -> str:
        return json.dumps(self.records(), default=_text, indent=2)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _query(name: str) -> Any:
    if name not in QUERIES:
        raise SesEventsValidationError(
            "query", [Problem("name", name, f"must be one of {sorted(QUERIES)}")]
        )
    return QUERIES[name]


def download_archive(
    url: str,
    destination: str | Path,
    *,
    client: Any = None,
    where: QueryFilter | None = None,
) -> tuple[int, int]:
    """Copy the record files of an archive in S3 (``s3://bucket/prefix/``) to ``destination``,
    keeping their keys, so that DuckDB can read them (the local AWS's bucket, say); only the
    chosen sets' partitions when ``where`` names sets, and only the hours its window reads
    (:meth:`QueryFilter.read_range`). Returns (files, bytes)."""
    if not url.startswith("s3://"):
        raise SesEventsValidationError("archive", [Problem("url", url, "must start with s3://")])
    bucket, _, prefix = url.removeprefix("s3://").partition("/")
    if client is None:
        import boto3

        client = boto3.client("s3")
    prefixes = (
        [f"{prefix.rstrip('/')}/configuration_set={name}/" for name in where.configuration_sets]
        if where is not None and where.configuration_sets
        else [prefix]
    )
    first, last = (None, None) if where is None else where.read_range()
    files = size = 0
    root = Path(destination)
    for each in prefixes:
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=each):
            for item in page.get("Contents", []):
                if not item["Key"].endswith((".gz", ".parquet")):
                    continue
                if not key_in_range(item["Key"], first, last):
                    continue  # outside the window's partitions: the query would not read it
                target = root / item["Key"]
                target.parent.mkdir(parents=True, exist_ok=True)
                client.download_file(bucket, item["Key"], str(target))
                files += 1
                size += int(item["Size"])
    return files, size


_HIVE_TYPES = (
    "{"
    + ", ".join(
        f"'{key}': '{'VARCHAR' if key == 'configuration_set' else 'INTEGER'}'"
        for key in PARTITION_KEYS
    )
    + "}"
)
"""The partition columns' types, as the Glue table declares them (``int`` for the time parts):
without them DuckDB guesses per value, and reads ``day=05`` as text but ``month=11`` as a
number."""


class DuckDBEngine:
    """Runs the named queries with DuckDB over an archive directory (or ``s3://`` URL).

    :param archive: the directory that holds the archive's prefix (``ses-events/``) or the
        prefix itself.
    :param storage_format: ``json`` (GZIP JSON lines, as the archive writes them) or
        ``parquet`` (as Firehose record format conversion writes them).
    :param progress: show DuckDB's progress bar on long scans.
    """

    def __init__(
        self, archive: str | Path, *, storage_format: str = "json", progress: bool = False
    ) -> None:
        import duckdb

        if storage_format not in ("json", "parquet"):
            raise SesEventsValidationError(
                "DuckDB engine",
                [Problem("storage_format", storage_format, "must be json or parquet")],
            )
        self.storage_format = storage_format
        self.archive = str(archive).rstrip("/")
        self.connection = duckdb.connect()
        self.connection.execute("SET TimeZone = 'UTC'")  # day boundaries as in Athena (UTC)
        self.connection.execute(f"SET enable_progress_bar = {str(progress).lower()}")

    def source(self) -> str:
        """``read_json`` of every record file under the archive, with the schema's columns (or
        ``read_parquet``, whose files carry them)."""
        if self.storage_format == "parquet":
            pattern = exp.Literal.string(f"{self.archive}/**/*.parquet").sql()
            return (
                f"read_parquet({pattern}, hive_partitioning = true, hive_types = {_HIVE_TYPES},"
                " union_by_name = true)"
            )
        pattern = f"{self.archive}/**/*.gz"
        columns = (
            "{"
            + ", ".join(
                f"{exp.Literal.string(k).sql()}: {exp.Literal.string(v).sql()}"
                for k, v in duckdb_columns().items()
            )
            + "}"
        )
        return (
            f"read_json({exp.Literal.string(pattern).sql()}, format = 'newline_delimited',"
            f" compression = 'gzip', hive_partitioning = true, hive_types = {_HIVE_TYPES},"
            f" columns = {columns})"
        )

    def sql(self, name: str, where: QueryFilter | None = None, **parameters: str) -> str:
        """The DuckDB text of query ``name`` over this archive."""
        events = sqlglot.parse_one(f"SELECT * FROM {self.source()}", read="duckdb")
        assert isinstance(events, exp.Select)
        condition = (where or QueryFilter()).condition()
        if condition is not None:
            # the filter is written in Trino; moved into DuckDB's tree through sqlglot
            events = events.where(sqlglot.parse_one(condition.sql(dialect="duckdb"), read="duckdb"))
        tree = with_events(_query(name).tree(**parameters), events)
        return tree.sql(dialect="duckdb", pretty=True)

    def run(self, name: str, where: QueryFilter | None = None, **parameters: str) -> QueryResult:
        started = time.monotonic()
        cursor = self.connection.execute(self.sql(name, where, **parameters))
        rows = cursor.fetchall()
        columns = [d[0] for d in cursor.description or []]
        return QueryResult(
            columns, [tuple(r) for r in rows], {"seconds": round(time.monotonic() - started, 3)}
        )


def convert_to_parquet(
    archive: str | Path, destination: str | Path, *, compression: str = "snappy"
) -> int:
    """Write the GZIP JSON archive at ``archive`` again as Parquet under ``destination``, in
    the same partition layout, with the schema's columns: what Firehose record format conversion
    writes (for measurements and tests; the stream converts in AWS), with its compression
    (``snappy``, Firehose's default, ``gzip`` or ``uncompressed``). Returns the files written."""
    if compression not in ("snappy", "gzip", "uncompressed"):
        raise SesEventsValidationError(
            "Parquet", [Problem("compression", compression, "must be snappy, gzip or uncompressed")]
        )
    engine = DuckDBEngine(archive)
    target = exp.Literal.string(str(destination)).sql()
    padded = ", ".join(
        f"lpad(CAST({key} AS VARCHAR), {4 if key == 'year' else 2}, '0') AS {key}"
        for key in PARTITION_KEYS[1:]
    )  # keys as Firehose writes them: month=05, not month=5
    engine.connection.execute(
        f"COPY (SELECT * REPLACE ({padded}) FROM {engine.source()}) TO {target} (FORMAT parquet,"
        " COMPRESSION"
        f" {compression}, PARTITION_BY (configuration_set, year, month, day, hour),"
        " OVERWRITE_OR_IGNORE)"
    )
    return sum(1 for _ in Path(destination).rglob("*.parquet"))


class AthenaEngine:
    """Runs the named queries with Amazon Athena against the archive's Glue table.

    :param database: the Glue database, :param table: the Glue table of the archive.
    :param workgroup: the Athena workgroup (its settings decide where results go, and its
        bytes-scanned cutoff applies).
    :param client: a boto3 Athena client. Default: ``boto3.client("athena")``.
    :param poll_seconds: how often to ask whether the query finished.
    :param progress: called with the query state and bytes scanned while it runs.
    """

    def __init__(
        self,
        *,
        database: str,
        table: str,
        workgroup: str,
        client: Any = None,
        poll_seconds: float = 1.0,
        progress: Callable[[str, int], None] | None = None,
    ) -> None:
        self._client = client
        self.database = database
        self.table = table
        self.workgroup = workgroup
        self.poll_seconds = poll_seconds
        self.progress = progress

    @property
    def client(self) -> Any:
        """The Athena client, made when first needed (showing SQL needs none)."""
        if self._client is None:
            import boto3

            self._client = boto3.client("athena")
        return self._client

    def sql(self, name: str, where: QueryFilter | None = None, **parameters: str) -> str:
        """The Trino text of query ``name`` over the Glue table."""
        _query(name)
        condition = (where or QueryFilter()).condition()
        return over_table(
            name, self.database, self.table, condition=condition, parameters=parameters
        )

    def run(self, name: str, where: QueryFilter | None = None, **parameters: str) -> QueryResult:
        started = self.client.start_query_execution(
            QueryString=self.sql(name, where, **parameters),
            QueryExecutionContext={"Database": self.database},
            WorkGroup=self.workgroup,
        )
        query_id = started["QueryExecutionId"]
        while True:
            execution = self.client.get_query_execution(QueryExecutionId=query_id)["QueryExecution"]
            state = execution["Status"]["State"]
            scanned = int(execution.get("Statistics", {}).get("DataScannedInBytes", 0))
            if self.progress is not None:
                self.progress(state, scanned)
            if state in ("SUCCEEDED", "FAILED", "CANCELLED"):
                break
            time.sleep(self.poll_seconds)
        if state != "SUCCEEDED":
            reason = execution["Status"].get("StateChangeReason", state)
            raise SesEventsValidationError(
                f"Athena query {name} ({query_id})", [Problem("state", state, reason)]
            )
        columns: list[str] = []
        rows: list[tuple[Any, ...]] = []
        paginator = self.client.get_paginator("get_query_results")
        for page in paginator.paginate(QueryExecutionId=query_id):
            result = page["ResultSet"]
            if not columns:
                columns = [c["Name"] for c in result["ResultSetMetadata"]["ColumnInfo"]]
                data = result["Rows"][1:]  # the first row repeats the column names
            else:
                data = result["Rows"]
            rows += [tuple(cell.get("VarCharValue") for cell in row["Data"]) for row in data]
        return QueryResult(columns, rows, {"bytes_scanned": scanned})
