"""``ses-events generate-events``: realistic SES event records in the archive's layout."""

from __future__ import annotations

import argparse
import sys
from typing import Any

HELP = "write realistic SES event records, as the archive stores them, to a directory"
DESCRIPTION = (
    "Generate SES event records (all ten event types, bounce and complaint"
    " sub-types, the automatic tags and a campaign tag), deterministic with --seed, and write"
    " them in the archive's layout (GZIP JSON lines under"
    " ses-events/configuration_set=/year=/month=/day=/hour=/). Example: ses-events"
    " generate-events --out archive --messages 10000"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, help="directory to write the archive into")
    parser.add_argument("--messages", type=int, default=10_000, help="default: 10000")
    parser.add_argument("--seed", type=int, default=7, help="default: 7")
    parser.add_argument(
        "--configuration-set",
        action="append",
        dest="configuration_sets",
        help="configuration sets to spread messages over (repeatable; default: marketing,"
        " transactional)",
    )


def run(args: argparse.Namespace) -> int:
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
        f"wrote {count} event records of {args.messages} messages in {len(files)} files under"
        f" {args.out}"
    )
    return 0
