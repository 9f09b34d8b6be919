"""``ses-events query``: a named query over an archive (DuckDB, embedded) or in Athena."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HELP = "run a named query over an archive (DuckDB, embedded) or in Athena"
DESCRIPTION = (
    "Run one of the named queries (funnel, bounces, complaints, suppression,"
    " delivery_delays, rendering_failures, message_status) with DuckDB over a local archive"
    " directory, or with --engine athena against the archive's Glue table. Example:"
    " ses-events query funnel --archive archive --set marketing --since 2026-11-01"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", help="the query's name; --list shows them all")
    parser.add_argument(
        "--archive",
        help="archive directory, or s3://bucket/prefix/ to copy first (DuckDB; with"
        " --endpoint-url for the local AWS)",
    )
    parser.add_argument("--endpoint-url", help="S3 endpoint for an s3:// archive (the local AWS)")
    parser.add_argument(
        "--storage",
        choices=("json", "parquet"),
        default="json",
        help="how the archive stores records (archives[].format; default: json)",
    )
    parser.add_argument("--engine", choices=("duckdb", "athena"), default="duckdb")
    parser.add_argument("--set", action="append", dest="sets", default=[], help="repeatable")
    parser.add_argument("--since", help="send time from, ISO 8601")
    parser.add_argument("--until", help="send time before, ISO 8601")
    parser.add_argument("--tag", help="message tag the funnel groups by (default: campaign)")
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table")
    parser.add_argument("--database", help="Glue database (Athena)")
    parser.add_argument("--table", help="Glue table (Athena)")
    parser.add_argument("--workgroup", help="Athena workgroup")
    parser.add_argument(
        "--assembly",
        default="cdk.out",
        help="cloud assembly to take the Athena database, table and workgroup from when not"
        " given (default: cdk.out)",
    )
    parser.add_argument(
        "--show-sql", action="store_true", help="print the SQL instead of running it"
    )


def run(args: argparse.Namespace) -> int:
    from ses_events.analytics.engines import AthenaEngine, DuckDBEngine, QueryFilter
    from ses_events.errors import SesEventsValidationError

    where = QueryFilter(tuple(args.sets), args.since, args.until)
    parameters = {"tag": args.tag} if args.tag else {}
    engine: DuckDBEngine | AthenaEngine
    try:
        if args.engine == "athena":
            _athena_names_from_assembly(args)
            missing = [f"--{n}" for n in ("database", "table", "workgroup") if not getattr(args, n)]
            if missing:
                print(
                    f"ses-events: --engine athena needs {', '.join(missing)} (no single one in"
                    f" {args.assembly})",
                    file=sys.stderr,
                )
                return 2

            def progress(state: str, scanned: int) -> None:
                print(f"  {state}: {scanned / 1e6:.1f} MB scanned", file=sys.stderr)

            engine = AthenaEngine(
                database=args.database,
                table=args.table,
                workgroup=args.workgroup,
                progress=progress,
            )
        else:
            if not args.archive:
                print("ses-events: --archive DIR is needed with the duckdb engine", file=sys.stderr)
                return 2
            archive = args.archive
            if archive.startswith("s3://"):
                import tempfile

                import boto3

                from ses_events.analytics.engines import download_archive

                archive = tempfile.mkdtemp(prefix="ses-events-archive-")
                client = boto3.client("s3", endpoint_url=args.endpoint_url)
                files, size = download_archive(args.archive, archive, client=client, where=where)
                print(
                    f"copied {files} objects ({size / 1e6:.1f} MB) from {args.archive}",
                    file=sys.stderr,
                )
            if not Path(archive).is_dir():
                print(f"ses-events: no archive directory at {archive}", file=sys.stderr)
                return 1
            engine = DuckDBEngine(
                archive, storage_format=args.storage, progress=sys.stderr.isatty()
            )
        if args.show_sql:
            print(engine.sql(args.name, where, **parameters))
            return 0
        result = engine.run(args.name, where, **parameters)
    except SesEventsValidationError as error:
        print(f"ses-events: {error}", file=sys.stderr)
        return 2
    print(
        {"table": result.table, "csv": result.csv, "json": result.json}[args.format]().rstrip("\n")
    )
    return 0


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
