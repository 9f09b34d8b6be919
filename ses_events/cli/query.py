"""``ses-events query``: a named query over an archive (DuckDB, embedded) or in Athena."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ses_events import rules
from ses_events.analytics.partitions import DEFAULT_SLACK, MAX_SLACK_DAYS
from ses_events.cli.arguments import (
    UsageError,
    configuration_set_name,
    endpoint_url,
    instant,
    pattern,
    whole_number,
)

if TYPE_CHECKING:
    from ses_events.analytics.engines import AthenaEngine, DuckDBEngine, QueryFilter, QueryResult

HELP = "run a named query over an archive (DuckDB, embedded) or in Athena"
DESCRIPTION = (
    "Run one of the named queries (funnel, bounces, complaints, suppression,"
    " delivery_delays, rendering_failures, message_status) with DuckDB over a local archive"
    " directory, or with --engine athena against the archive's Glue table. Example:"
    " ses-events query funnel --archive archive --set marketing --since 2026-11-01"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", nargs="?", help="the query's name; --list shows them all")
    parser.add_argument("--list", action="store_true", help="list the queries and what they answer")
    parser.add_argument(
        "--archive",
        help="archive directory, or s3://bucket/prefix/ to copy first (DuckDB; with"
        " --endpoint-url for the local AWS)",
    )
    parser.add_argument(
        "--endpoint-url",
        type=endpoint_url,
        help="S3 endpoint for an s3:// archive (the local AWS)",
    )
    parser.add_argument(
        "--storage",
        choices=("json", "parquet"),
        default="json",
        help="how the archive stores records (archives[].format; default: json)",
    )
    parser.add_argument("--engine", choices=("duckdb", "athena"), default="duckdb")
    parser.add_argument(
        "--set",
        action="append",
        dest="sets",
        default=[],
        type=configuration_set_name,
        help="configuration set (repeatable; default: all)",
    )
    parser.add_argument("--since", type=instant, help="send time from, ISO 8601")
    parser.add_argument("--until", type=instant, help="send time before (not including), ISO 8601")
    parser.add_argument(
        "--slack-days",
        type=whole_number(0, MAX_SLACK_DAYS),
        default=DEFAULT_SLACK.days,
        help="with --since/--until, read partitions up to this many days after --until:"
        " engagement events arrive after the send (default: %(default)s)",
    )
    parser.add_argument(
        "--tag",
        type=pattern(rules.DIMENSION_NAME, "message tag name"),
        help="message tag the funnel groups by (default: campaign)",
    )
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table")
    parser.add_argument(
        "--database", type=pattern(rules.GLUE_NAME, "Glue database name"), help="Glue database"
    )
    parser.add_argument(
        "--table", type=pattern(rules.GLUE_NAME, "Glue table name"), help="Glue table (Athena)"
    )
    parser.add_argument(
        "--workgroup",
        type=pattern(rules.ATHENA_WORKGROUP_NAME, "workgroup name"),
        help="Athena workgroup",
    )
    parser.add_argument(
        "--assembly",
        default="cdk.out",
        help="cloud assembly to take the Athena database, table and workgroup from when not"
        " given (default: cdk.out)",
    )
    parser.add_argument(
        "--show-sql", action="store_true", help="print the SQL instead of running it"
    )


def _check(args: argparse.Namespace) -> None:
    """Refuse arguments that are wrong given the others, before anything is read."""
    from ses_events.analytics.engines import parse_instant
    from ses_events.analytics.queries import QUERIES

    if args.name not in QUERIES:
        raise UsageError(
            "name", args.name, f"expected one of {', '.join(sorted(QUERIES))} (see --list)"
        )
    if args.tag is not None and "tag" not in QUERIES[args.name].parameters:
        taking = sorted(n for n, q in QUERIES.items() if "tag" in q.parameters)
        raise UsageError(
            "--tag",
            args.tag,
            f"query {args.name} groups by no tag; --tag is for {', '.join(taking)}",
        )
    if args.since is not None and args.until is not None:
        since, until = parse_instant(args.since), parse_instant(args.until)
        assert since is not None and until is not None  # checked by the arguments' type
        if since >= until:
            raise UsageError(
                "--until",
                args.until,
                f"expected a time later than --since {args.since}: the window is from --since up"
                " to (not including) --until",
            )
    if args.engine == "athena" and args.archive is not None:
        raise UsageError(
            "--archive", args.archive, "is for --engine duckdb; Athena reads the Glue table"
        )
    if args.engine == "duckdb" and args.archive is None:
        raise UsageError("--archive", None, "expected the archive's directory (--engine duckdb)")
    if args.endpoint_url is not None and not (args.archive or "").startswith("s3://"):
        raise UsageError(
            "--endpoint-url", args.endpoint_url, "is for an s3:// --archive, which it copies from"
        )


def _local_archive(path: str, storage: str) -> None:
    """Refuse a local archive that is not a directory of record files of ``storage``."""
    root = Path(path)
    if root.is_file():
        raise UsageError("--archive", path, "is a file: expected the archive's directory")
    if not root.is_dir():
        raise UsageError("--archive", path, "does not exist: expected the archive's directory")
    suffix = {"json": ".gz", "parquet": ".parquet"}
    first = {kind: next(root.rglob(f"*{end}"), None) for kind, end in suffix.items()}
    found = {kind: path is not None for kind, path in first.items()}
    if not found[storage]:
        other = next((kind for kind, present in found.items() if present), None)
        hint = (
            f"it holds {other} records: add --storage {other}"
            if other
            else "nothing to query: write one with generate-events, or copy the bucket's"
        )
        raise UsageError(
            "--archive", path, f"holds no {storage} record files (*{suffix[storage]}): {hint}"
        )
    record = first[storage]
    assert record is not None
    if not any(part.startswith("configuration_set=") for part in record.relative_to(root).parts):
        raise UsageError(
            "--archive",
            path,
            f"{record.relative_to(root)} is not in the archive's layout"
            " (configuration_set=NAME/year=/month=/day=/hour=/, as the archive's stream writes"
            " it): name the directory that holds the configuration_set= directories, or a parent",
        )


def run(args: argparse.Namespace) -> int:
    if args.list:
        from ses_events.analytics.queries import QUERIES

        for name in sorted(QUERIES):
            print(f"{name:<20}{QUERIES[name].description}")
        return 0
    _check(args)
    if args.engine == "athena":
        return _athena(args)
    if args.archive.startswith("s3://"):
        import tempfile

        with tempfile.TemporaryDirectory(prefix="ses-events-archive-") as copy:
            return _duckdb(args, _download(args, copy))
    _local_archive(args.archive, args.storage)
    return _duckdb(args, args.archive)


def _where(args: argparse.Namespace) -> QueryFilter:
    from ses_events.analytics.engines import QueryFilter

    return QueryFilter(tuple(args.sets), args.since, args.until, slack_days=args.slack_days)


def _parameters(args: argparse.Namespace) -> dict[str, str]:
    return {"tag": args.tag} if args.tag else {}


def _download(args: argparse.Namespace, copy: str) -> str:
    import boto3

    from ses_events.analytics.engines import download_archive

    client = boto3.client("s3", endpoint_url=args.endpoint_url)
    files, size = download_archive(args.archive, copy, client=client, where=_where(args))
    print(f"copied {files} objects ({size / 1e6:.1f} MB) from {args.archive}", file=sys.stderr)
    if not files:
        raise UsageError(
            "--archive",
            args.archive,
            "holds no record files"
            + (f" of --set {', '.join(args.sets)}" if args.sets else "")
            + ": nothing to query",
        )
    return copy


def _duckdb(args: argparse.Namespace, archive: str) -> int:
    from ses_events.analytics.engines import DuckDBEngine

    engine = DuckDBEngine(archive, storage_format=args.storage, progress=sys.stderr.isatty())
    result = _show_or_run(args, engine)
    if result is not None and not result.rows:
        print(f"ses-events query: {_why_empty(engine, args)}", file=sys.stderr)
    return 0


def _why_empty(engine: DuckDBEngine, args: argparse.Namespace) -> str:
    """Why a query over a DuckDB archive found no rows: what the archive holds, and how much of
    it the filter kept."""
    from ses_events.analytics.engines import QueryFilter

    def extent(where: QueryFilter) -> tuple[int, Any, Any, list[str]]:
        condition = where.condition()
        sql = (
            "SELECT count(*), min(mail.timestamp), max(mail.timestamp),"
            f" list(DISTINCT configuration_set ORDER BY configuration_set) FROM {engine.source()}"
        )
        if condition is not None:
            sql += f" WHERE {condition.sql(dialect='duckdb')}"
        row = engine.connection.execute(sql).fetchone()
        assert row is not None
        return int(row[0]), row[1], row[2], list(row[3] or [])

    total, first, last, sets = extent(QueryFilter())
    held = f"the archive holds {total} records of {', '.join(sets)}, sent {first} to {last}"
    filters = [f"--set {s}" for s in args.sets]
    filters += [f"--{n} {getattr(args, n)}" for n in ("since", "until") if getattr(args, n)]
    if filters:
        kept = extent(_where(args))[0]
        if not kept:
            return f"no rows: no record matches {' '.join(filters)}; {held}"
        return (
            f"no rows: {kept} records match {' '.join(filters)}, none of them is what query"
            f" {args.name} reports; {held}"
        )
    return f"no rows: none of the archive's records is what query {args.name} reports; {held}"


def _athena(args: argparse.Namespace) -> int:
    from ses_events.analytics.engines import AthenaEngine

    _athena_names_from_assembly(args)
    missing = [f"--{n}" for n in ("database", "table", "workgroup") if not getattr(args, n)]
    if missing:
        raise UsageError(
            missing[0],
            None,
            f"--engine athena needs {', '.join(missing)}: not given, and {args.assembly} has no"
            " single one",
        )

    def progress(state: str, scanned: int) -> None:
        print(f"  {state}: {scanned / 1e6:.1f} MB scanned", file=sys.stderr)

    engine = AthenaEngine(
        database=args.database, table=args.table, workgroup=args.workgroup, progress=progress
    )
    result = _show_or_run(args, engine)
    if result is not None and not result.rows:
        print(
            f"ses-events query: no rows: no record of table {args.database}.{args.table} is what"
            f" query {args.name} reports"
            + (" within the filter" if args.sets or args.since or args.until else ""),
            file=sys.stderr,
        )
    return 0


def _show_or_run(
    args: argparse.Namespace, engine: DuckDBEngine | AthenaEngine
) -> QueryResult | None:
    """Print the query's SQL (``--show-sql``; returns ``None``), or run it and print the result."""
    where = _where(args)
    if args.since is not None or args.until is not None:
        print(f"ses-events query: reading {where.described_range()}", file=sys.stderr)
    if args.show_sql:
        print(engine.sql(args.name, where, **_parameters(args)))
        return None
    result = engine.run(args.name, where, **_parameters(args))
    _print(args, result)
    return result


def _print(args: argparse.Namespace, result: QueryResult) -> None:
    print(
        {"table": result.table, "csv": result.csv, "json": result.json}[args.format]().rstrip("\n")
    )


def _athena_names_from_assembly(args: argparse.Namespace) -> None:
    """Fill in the database, table and workgroup the synthesized stacks define, where there is
    exactly one of each (say, the example app's)."""
    tables: set[tuple[str, str]] = set()
    workgroups: set[str] = set()
    for path in sorted(Path(args.assembly).glob("*.template.json")):
        try:
            resources = json.loads(path.read_text()).get("Resources", {})
        except (OSError, ValueError):
            continue
        for resource in resources.values():
            properties = resource.get("Properties", {})
            if resource.get("Type") == "AWS::Glue::Table":
                tables.add((str(properties["DatabaseName"]), str(properties["TableInput"]["Name"])))
            elif resource.get("Type") == "AWS::Athena::WorkGroup":
                workgroups.add(str(properties["Name"]))
    if len(tables) == 1:
        database, table = next(iter(tables))
        args.database = args.database or database
        args.table = args.table or table
    if len(workgroups) == 1:
        args.workgroup = args.workgroup or next(iter(workgroups))
