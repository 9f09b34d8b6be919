"""``ses-events generate-events``: realistic SES event records in the archive's layout."""

from __future__ import annotations

import argparse
from typing import Any

from ses_events.cli.arguments import configuration_set_name, output_directory, whole_number

HELP = "write realistic SES event records, as the archive stores them, to a directory"
DESCRIPTION = (
    "Generate SES event records (all ten event types, bounce and complaint"
    " sub-types, the automatic tags and a campaign tag), deterministic with --seed, and write"
    " them in the archive's layout (GZIP JSON lines under"
    " ses-events/configuration_set=/year=/month=/day=/hour=/). Example: ses-events"
    " generate-events --out archive --messages 10000"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out",
        required=True,
        type=output_directory,
        help="directory to write the archive into (made when missing)",
    )
    parser.add_argument(
        "--messages", type=whole_number(1), default=10_000, help="1 or more (default: 10000)"
    )
    parser.add_argument("--seed", type=whole_number(0), default=7, help="0 or more (default: 7)")
    parser.add_argument(
        "--configuration-set",
        type=configuration_set_name,
        action="append",
        dest="configuration_sets",
        help="configuration sets to spread messages over (repeatable; default: marketing,"
        " transactional)",
    )


def run(args: argparse.Namespace) -> int:
    from ses_events.analytics.generator import CorpusSpec, generate_events, write_archive

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
