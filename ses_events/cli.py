"""The ``ses-events`` command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ses_events import send_test
from ses_events.summary import summarize_assembly


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ses-events", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    summary = commands.add_parser("summary", help="summarize the templates of a cloud assembly")
    summary.add_argument("outdir", nargs="?", default="cdk.out", help="default: cdk.out")
    send_test.add_arguments(
        commands.add_parser(
            "send-test",
            help="send tagged test emails to the SES mailbox simulator through a configuration set",
            description=send_test.__doc__,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
    )
    args = parser.parse_args(argv)
    if args.command == "send-test":
        return send_test.run(args)
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
