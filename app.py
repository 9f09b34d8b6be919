#!/usr/bin/env python3
"""CDK app entry point: the stacks of the spec named in context, checked by cdk-nag."""

import os
import sys
import time
from collections.abc import Callable

from aws_cdk import App, Validations
from cdk_nag import AwsSolutionsChecks

from ses_events.errors import SesEventsValidationError
from ses_events.stacks import build_app
from ses_events.stacks.app import explain_synth_error


def main() -> None:
    """Build and synthesize; any failure is a message and exit code 1, never a stack trace
    (``python app.py`` behaves as ``cdk synth`` shows it)."""
    app = App()
    spec = None
    say = _progress()
    try:
        stacks = build_app(app, progress=say)
        spec = stacks[0].spec if stacks else None
        Validations.of(app).add_plugins(AwsSolutionsChecks(app))
        say("synthesizing the templates and checking them with cdk-nag")
        app.synth()
        say("synthesized")
    except SesEventsValidationError as error:
        print(f"ses-events: {error}", file=sys.stderr)
        sys.exit(1)
    except RuntimeError as error:  # aws-cdk-lib's own checks, raised through jsii
        print(f"ses-events: synth failed: {explain_synth_error(error, spec)}", file=sys.stderr)
        sys.exit(1)


def _progress() -> Callable[[str], None]:
    """Progress lines on stderr, with the seconds since start (a large spec takes tens of
    seconds); ``SES_EVENTS_QUIET=1`` turns them off."""
    start = time.monotonic()

    def say(line: str) -> None:
        if os.environ.get("SES_EVENTS_QUIET") != "1":
            print(f"ses-events: [{time.monotonic() - start:5.1f}s] {line}", file=sys.stderr)

    return say


if __name__ == "__main__":
    main()
