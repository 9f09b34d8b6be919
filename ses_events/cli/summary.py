"""``ses-events summary``: what the templates of a cloud assembly hold."""

from __future__ import annotations

import argparse

from ses_events.cli.arguments import add_assembly_argument

HELP = "summarize the templates of a cloud assembly"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_assembly_argument(parser)


def run(args: argparse.Namespace) -> int:
    from ses_events.summary import summarize_assembly

    print(summarize_assembly(args.outdir))
    return 0
