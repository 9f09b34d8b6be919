"""``ses-events plan``: the SES calls a deploy of a cloud assembly makes, and the least time."""

from __future__ import annotations

import argparse

from ses_events.cli.arguments import add_assembly_argument

HELP = "count the SES calls a deploy makes and the least time SES's documented rates allow"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_assembly_argument(parser)


def run(args: argparse.Namespace) -> int:
    from ses_events.plan import plan_assembly

    print(plan_assembly(args.outdir).report())
    return 0
