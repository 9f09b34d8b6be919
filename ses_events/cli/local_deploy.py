"""``ses-events local-deploy``: the main job (see :mod:`ses_events.local_aws.deploy`)."""

from __future__ import annotations

import argparse
import sys

from ses_events.cli.arguments import port, spec_file

HELP = "deploy the app to a local AWS (moto), check it with boto3 and summarize it"
DESCRIPTION = (
    "Start the local AWS, cdk bootstrap and cdk deploy the app of this directory,"
    " check every deployed resource against its template, print what is deployed, then stop"
    " the local AWS. A stand-in for offline work (needs 'ses-events[local]')."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--spec", type=spec_file, help="spec file (default: the one cdk.json names)"
    )
    parser.add_argument(
        "--keep-running", action="store_true", help="keep the local AWS running until Ctrl-C"
    )
    parser.add_argument(
        "--port", type=port, help="port of the local AWS, 1 to 65535 (default: a free one)"
    )


def run(args: argparse.Namespace) -> int:
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
