"""``ses-events send-test``: see :mod:`ses_events.send_test`."""

from __future__ import annotations

import argparse

from ses_events import send_test

HELP = "send tagged test emails to the SES mailbox simulator through a configuration set"
DESCRIPTION = (send_test.__doc__ or "").replace("``", "")
RAW_DESCRIPTION = True


def add_arguments(parser: argparse.ArgumentParser) -> None:
    send_test.add_arguments(parser)


def run(args: argparse.Namespace) -> int:
    return send_test.run(args)
