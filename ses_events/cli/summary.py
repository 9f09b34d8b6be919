"""``ses-events summary``: what the templates of a cloud assembly hold."""

from __future__ import annotations

import argparse
import sys

HELP = "summarize the templates of a cloud assembly"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("outdir", nargs="?", default="cdk.out", help="default: cdk.out")


def run(args: argparse.Namespace) -> int:
    from ses_events.summary import summarize_assembly

    try:
        print(summarize_assembly(args.outdir))
    except FileNotFoundError as error:
        print(f"ses-events: no cloud assembly at {args.outdir}: {error.strerror}", file=sys.stderr)
        return 1
    return 0
