#!/usr/bin/env python3
"""CDK app entry point: the stacks of the spec named in context, checked by cdk-nag."""

import sys

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
    try:
        stacks = build_app(app)
        spec = stacks[0].spec if stacks else None
        Validations.of(app).add_plugins(AwsSolutionsChecks(app))
        app.synth()
    except SesEventsValidationError as error:
        print(f"ses-events: {error}", file=sys.stderr)
        sys.exit(1)
    except RuntimeError as error:  # aws-cdk-lib's own checks, raised through jsii
        print(f"ses-events: synth failed: {explain_synth_error(error, spec)}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
