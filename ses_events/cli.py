"""The ``ses-events`` command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from ses_events import send_test
from ses_events.summary import summarize_assembly


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ses-events", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    summary = commands.add_parser("summary", help="summarize the templates of a cloud assembly")
    summary.add_argument("outdir", nargs="?", default="cdk.out", help="default: cdk.out")
    cost = commands.add_parser(
        "cost", help="estimate the monthly CloudWatch cost of a cloud assembly's templates"
    )
    cost.add_argument("outdir", nargs="?", default="cdk.out", help="default: cdk.out")
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
            description=send_test.__doc__,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
    )
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
        from ses_events.local_aws.deploy import main as local_deploy

        return local_deploy(spec=args.spec, keep_running=args.keep_running, port=args.port)
    if args.command == "send-test":
        return send_test.run(args)
    if args.command == "cost":
        from ses_events.cost import estimate_assembly_cost

        if not (Path(args.outdir) / "manifest.json").is_file():
            print(f"ses-events: no cloud assembly at {args.outdir}", file=sys.stderr)
            return 1
        report = estimate_assembly_cost(args.outdir, values_per_dimension=args.values_per_dimension)
        print(report.table())
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


if __name__ == "__main__":
    sys.exit(main())
