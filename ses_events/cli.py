"""The ses-events command line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ses_events import send_test
from ses_events.summary import summarize_assembly

_DESCRIPTION = "Amazon SES event publishing as infrastructure as code: the commands around it."
_EXAMPLES = """examples:
  ses-events summary cdk.out              what the synthesized templates hold
  ses-events cost cdk.out                 their monthly CloudWatch and analytics cost
  ses-events layout --spec ses-events.yaml --check
                                          fail when synth would change the layout file
  ses-events local-deploy                 deploy to a local AWS, send test mail, check it all
  ses-events send-test --configuration-set marketing --from news@example.com
  ses-events generate-events --out archive --messages 10000
  ses-events query funnel --archive archive --set marketing
  ses-events schema --out ses-events.schema.json
                                          the spec's JSON Schema, for editors
"""


def main(argv: Sequence[str] | None = None) -> int:
    """The ``ses-events`` command; a closed pipe (``ses-events cost | head``) is no error."""
    try:
        return _main(argv)
    except BrokenPipeError:
        import os

        # Python flushes stdout at exit: point it at nothing so that flush cannot fail too
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as error:  # an AWS call, a file, DuckDB: one line, no traceback
        from ses_events.failures import failure_line

        line = failure_line(error)
        if line is None:
            raise
        print(f"ses-events: {line}", file=sys.stderr)
        return 1


def _main(argv: Sequence[str] | None = None) -> int:
    from importlib.metadata import PackageNotFoundError, version

    try:
        installed = version("ses-events")
    except PackageNotFoundError:  # pragma: no cover - run from a checkout without installing
        installed = "unknown"
    parser = argparse.ArgumentParser(
        prog="ses-events",
        description=_DESCRIPTION,
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"ses-events {installed}")
    commands = parser.add_subparsers(dest="command", required=True)
    summary = commands.add_parser("summary", help="summarize the templates of a cloud assembly")
    summary.add_argument("outdir", nargs="?", default="cdk.out", help="default: cdk.out")
    cost = commands.add_parser(
        "cost", help="estimate the monthly CloudWatch cost of a cloud assembly's templates"
    )
    cost.add_argument("outdir", nargs="?", default="cdk.out", help="default: cdk.out")
    cost.add_argument(
        "--events-per-month",
        type=int,
        default=1_000_000,
        help="SES events a month, for the archive and Athena lines (default: 1000000)",
    )
    cost.add_argument(
        "--query-runs-per-month",
        type=int,
        default=30,
        help="how often each named query runs a month (default: 30)",
    )
    cost.add_argument(
        "--values-per-dimension",
        type=int,
        default=10,
        help="distinct values assumed for each dimension other than ses:configuration-set"
        " (default: 10)",
    )
    send_test.add_arguments(
        commands.add_parser(
            "send-test",
            help="send tagged test emails to the SES mailbox simulator through a configuration set",
            description=(send_test.__doc__ or "").replace("``", ""),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
    )
    layout = commands.add_parser(
        "layout",
        help="plan which stack holds which configuration set, and record it in the layout file",
        description="Plan the stacks of a spec from its layout file and record the result, as"
        " cdk synth does, and print one line per stack. A spec that needs several stacks and has"
        " no layout file needs --new. Moving a deployed set takes two deployments: remove it"
        " from the spec, synth and deploy; then add it back and --place it.",
    )
    layout.add_argument("--spec", help="spec file (default: the one cdk.json names)")
    layout.add_argument(
        "--new", action="store_true", help="create the layout file of a spec that has none"
    )
    layout.add_argument(
        "--check",
        action="store_true",
        help="change nothing; exit 1 when the layout file is missing a change (for CI)",
    )
    layout.add_argument(
        "--place",
        action="append",
        default=[],
        metavar="SET=STACK",
        help="put a set that the file does not record yet into stack number STACK (repeatable)",
    )
    generate = commands.add_parser(
        "generate-events",
        help="write realistic SES event records, as the archive stores them, to a directory",
        description="Generate SES event records (all ten event types, bounce and complaint"
        " sub-types, the automatic tags and a campaign tag), deterministic with --seed, and write"
        " them in the archive's layout (GZIP JSON lines under"
        " ses-events/configuration_set=/year=/month=/day=/hour=/). Example: ses-events"
        " generate-events --out archive --messages 10000",
    )
    generate.add_argument("--out", required=True, help="directory to write the archive into")
    generate.add_argument("--messages", type=int, default=10_000, help="default: 10000")
    generate.add_argument("--seed", type=int, default=7, help="default: 7")
    generate.add_argument(
        "--configuration-set",
        action="append",
        dest="configuration_sets",
        help="configuration sets to spread messages over (repeatable; default: marketing,"
        " transactional)",
    )
    query = commands.add_parser(
        "query",
        help="run a named query over an archive (DuckDB, embedded) or in Athena",
        description="Run one of the named queries (funnel, bounces, complaints, suppression,"
        " delivery_delays, rendering_failures, message_status) with DuckDB over a local archive"
        " directory, or with --engine athena against the archive's Glue table. Example:"
        " ses-events query funnel --archive archive --set marketing --since 2026-11-01",
    )
    query.add_argument("name", help="the query's name; --list shows them all")
    query.add_argument(
        "--archive",
        help="archive directory, or s3://bucket/prefix/ to copy first (DuckDB; with"
        " --endpoint-url for the local AWS)",
    )
    query.add_argument("--endpoint-url", help="S3 endpoint for an s3:// archive (the local AWS)")
    query.add_argument(
        "--storage",
        choices=("json", "parquet"),
        default="json",
        help="how the archive stores records (archives[].format; default: json)",
    )
    query.add_argument("--engine", choices=("duckdb", "athena"), default="duckdb")
    query.add_argument("--set", action="append", dest="sets", default=[], help="repeatable")
    query.add_argument("--since", help="send time from, ISO 8601")
    query.add_argument("--until", help="send time before, ISO 8601")
    query.add_argument("--tag", help="message tag the funnel groups by (default: campaign)")
    query.add_argument("--format", choices=("table", "csv", "json"), default="table")
    query.add_argument("--database", help="Glue database (Athena)")
    query.add_argument("--table", help="Glue table (Athena)")
    query.add_argument("--workgroup", help="Athena workgroup")
    query.add_argument(
        "--assembly",
        default="cdk.out",
        help="cloud assembly to take the Athena database, table and workgroup from when not"
        " given (default: cdk.out)",
    )
    query.add_argument(
        "--show-sql", action="store_true", help="print the SQL instead of running it"
    )
    schema = commands.add_parser(
        "schema",
        help="write the spec's JSON Schema, for editors and CI checks",
        description="Write the JSON Schema of the spec (generated from its pydantic models) to"
        " stdout or a file. Editors with a YAML language server complete and check a spec that"
        " starts with '# yaml-language-server: $schema=<path or URL of the schema>'. The schema"
        " checks shapes and types; cdk synth checks everything (names, limits, references).",
    )
    schema.add_argument("--out", help="file to write (default: stdout)")
    local = commands.add_parser(
        "local-deploy",
        help="deploy the app to a local AWS (moto), check it with boto3 and summarize it",
        description="Start the local AWS, cdk bootstrap and cdk deploy the app of this directory,"
        " check every deployed resource against its template, print what is deployed, then stop"
        " the local AWS. A stand-in for offline work (needs 'ses-events[local]').",
    )
    local.add_argument("--spec", help="spec file (default: the one cdk.json names)")
    local.add_argument(
        "--keep-running", action="store_true", help="keep the local AWS running until Ctrl-C"
    )
    local.add_argument("--port", type=int, help="port of the local AWS (default: a free one)")
    args = parser.parse_args(argv)
    if args.command == "local-deploy":
        try:
            from ses_events.local_aws.deploy import main as local_deploy
        except ImportError as error:  # moto, the [local] extra, is not installed
            print(
                f"ses-events local-deploy needs the local AWS ({error.name} is missing):"
                " pip install 'ses-events[local]'",
                file=sys.stderr,
            )
            return 2

        return local_deploy(spec=args.spec, keep_running=args.keep_running, port=args.port)
    if args.command == "layout":
        return _layout(args)
    if args.command == "generate-events":
        return _generate(args)
    if args.command == "query":
        return _query(args)
    if args.command == "send-test":
        return send_test.run(args)
    if args.command == "schema":
        return _schema(args)
    if args.command == "cost":
        from ses_events.cost import estimate_analytics_cost, estimate_assembly_cost

        if not (Path(args.outdir) / "manifest.json").is_file():
            print(f"ses-events: no cloud assembly at {args.outdir}", file=sys.stderr)
            return 1
        report = estimate_assembly_cost(args.outdir, values_per_dimension=args.values_per_dimension)
        print(report.table())
        templates = [
            json.loads(p.read_text()) for p in sorted(Path(args.outdir).glob("*.template.json"))
        ]
        analytics = estimate_analytics_cost(
            templates,
            events_per_month=args.events_per_month,
            runs_per_month=args.query_runs_per_month,
        )
        if analytics is not None:
            print()
            print(analytics.table())
        return 0
    if args.command == "summary":
        try:
            print(summarize_assembly(args.outdir))
        except FileNotFoundError as error:
            print(
                f"ses-events: no cloud assembly at {args.outdir}: {error.strerror}", file=sys.stderr
            )
            return 1
    return 0


def spec_json_schema() -> str:
    """The spec's JSON Schema as text (stable: the same models give the same bytes)."""
    from ses_events.spec import EventPublishingSpec

    return json.dumps(EventPublishingSpec.model_json_schema(), indent=2) + "\n"


def _schema(args: argparse.Namespace) -> int:
    text = spec_json_schema()
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote the spec's JSON Schema to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _generate(args: argparse.Namespace) -> int:
    from ses_events.analytics.generator import CorpusSpec, generate_events, write_archive

    if args.messages < 1:
        print("ses-events: --messages must be 1 or more", file=sys.stderr)
        return 2
    spec = CorpusSpec(
        messages=args.messages,
        seed=args.seed,
        configuration_sets=tuple(args.configuration_sets or ("marketing", "transactional")),
    )
    count = 0

    def counted() -> Any:
        nonlocal count
        for record in generate_events(spec):
            count += 1
            yield record

    files = write_archive(counted(), args.out)
    print(
        f"wrote {count} event records of {args.messages} messages in {len(files)} files under {args.out}"
    )
    return 0


def _query(args: argparse.Namespace) -> int:
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


def _spec_from_cdk_json() -> str:
    """The spec ``cdk.json`` in this directory names, else the example spec."""
    from ses_events.stacks.app import EXAMPLE_SPEC, SPEC_CONTEXT_KEY

    try:
        context = json.loads(Path("cdk.json").read_text()).get("context", {})
    except (OSError, ValueError):
        context = {}
    return str(context.get(SPEC_CONTEXT_KEY) or EXAMPLE_SPEC)


def _layout(args: argparse.Namespace) -> int:
    from ses_events.errors import SesEventsValidationError
    from ses_events.spec import load_spec
    from ses_events.stacks.layout import resources_of_set
    from ses_events.stacks.layout_file import LayoutMode, layout_path, resolve_layout

    spec_path = args.spec or _spec_from_cdk_json()
    placements: dict[str, int] = {}
    for item in args.place:
        name, _, number = item.partition("=")
        if not number.isdigit():
            print(
                f"ses-events: --place {item!r}: write SET=STACK, e.g. tenant-7=2", file=sys.stderr
            )
            return 2
        placements[name] = int(number)
    if args.new and args.check:
        print("ses-events: --new and --check exclude each other", file=sys.stderr)
        return 2
    mode = LayoutMode.NEW if args.new else LayoutMode.FROZEN if args.check else LayoutMode.UPDATE
    try:
        spec = load_spec(spec_path)
        path = layout_path(spec_path, spec.layout.file)
        layout = resolve_layout(spec, path, mode, placements=placements)
    except SesEventsValidationError as error:
        print(f"ses-events: {error}", file=sys.stderr)
        return 1
    by_name = {cs.name: cs for cs in spec.configuration_sets}
    for number, names in enumerate(layout.parts, start=1):
        own = sum(resources_of_set(spec, by_name[n]) for n in names)
        print(f"stack {number}: {len(names)} configuration sets, {own} resources of their own")
    print(f"layout file: {path}" if path.is_file() else "layout file: none needed (one stack)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
