"""``ses-events summary``: what the templates of a cloud assembly hold."""

from __future__ import annotations

import argparse

from ses_events.cli.arguments import assembly_directory

HELP = "summarize the templates of a cloud assembly"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "outdir",
        nargs="?",
        default="cdk.out",
        type=assembly_directory,
        help="cloud assembly directory (default: cdk.out)",
    )


def run(args: argparse.Namespace) -> int:
    from ses_events.summary import summarize_assembly

    print(summarize_assembly(args.outdir))
    return 0
