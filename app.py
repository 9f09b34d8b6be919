#!/usr/bin/env python3
"""CDK app entry point: the stacks of the spec named in context, checked by cdk-nag."""

import sys

from aws_cdk import App, Validations
from cdk_nag import AwsSolutionsChecks

from ses_events.errors import SesEventsValidationError
from ses_events.stacks import build_app


def main() -> None:
    app = App()
    try:
        build_app(app)
    except SesEventsValidationError as error:
        # A clear message and a non-zero exit, not a stack trace: `cdk synth` shows it as is.
        print(f"ses-events: {error}", file=sys.stderr)
        sys.exit(1)
    Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    app.synth()


if __name__ == "__main__":
    main()
