"""The ses-events command line: a small dispatcher over one module per command.

Each command module (``ses_events.cli.<module>``) has ``HELP`` (one line for ``ses-events
--help``), ``add_arguments(parser)`` and ``run(args) -> int``; :data:`COMMANDS` maps a command's
name to its module. The modules import what a command needs only when it runs, so ``--help``
stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Sequence
from types import ModuleType

__all__ = ["COMMANDS", "main", "spec_json_schema"]

COMMANDS: dict[str, str] = {
    "summary": "summary",
    "cost": "cost",
    "plan": "plan",
    "send-test": "send_test",
    "tenant": "tenant",
    "layout": "layout",
    "generate-events": "generate_events",
    "query": "query",
    "schema": "schema",
    "local-deploy": "local_deploy",
}
"""Command name -> module under ``ses_events.cli``, in the order ``--help`` lists them."""

_DESCRIPTION = "Amazon SES event publishing as infrastructure as code: the commands around it."
_EXAMPLES = """examples:
  ses-events summary cdk.out              what the synthesized templates hold
  ses-events cost cdk.out                 their monthly CloudWatch and analytics cost
  ses-events plan cdk.out                 the SES calls a deploy makes, and the least time
  ses-events layout --spec ses-events.yaml --check
                                          fail when synth would change the layout file
  ses-events local-deploy                 deploy to a local AWS, send test mail, check it all
  ses-events send-test --configuration-set marketing --from news@example.com
  ses-events tenant status acme           a tenant's sending status (pause, reinstate: the switch)
  ses-events generate-events --out archive --messages 10000
  ses-events query funnel --archive archive --set marketing
  ses-events schema --out ses-events.schema.json
                                          the spec's JSON Schema, for editors
"""


def command_module(name: str) -> ModuleType:
    """The module of command ``name``."""
    return importlib.import_module(f"{__name__}.{COMMANDS[name]}")


def main(argv: Sequence[str] | None = None) -> int:
    """The ``ses-events`` command; a closed pipe (``ses-events cost | head``) is no error."""
    try:
        return _main(argv)
    except BrokenPipeError:
        import os

        # Python flushes stdout at exit: point it at nothing so that flush cannot fail too
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as error:  # an AWS call, a file, DuckDB: one line, no traceback
        from ses_events.failures import failure_line

        line = failure_line(error)
        if line is None:
            raise
        print(f"ses-events: {line}", file=sys.stderr)
        return 1


def _main(argv: Sequence[str] | None = None) -> int:
    from importlib.metadata import PackageNotFoundError, version

    try:
        installed = version("ses-events")
    except PackageNotFoundError:  # pragma: no cover - run from a checkout without installing
        installed = "unknown"
    from ses_events.cli.arguments import Parser, UsageError, fail

    parser = Parser(
        prog="ses-events",
        description=_DESCRIPTION,
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"ses-events {installed}")
    commands = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        module = command_module(name)
        module.add_arguments(
            commands.add_parser(
                name,
                help=module.HELP,
                description=getattr(module, "DESCRIPTION", None),
                formatter_class=argparse.RawDescriptionHelpFormatter
                if getattr(module, "RAW_DESCRIPTION", False)
                else argparse.HelpFormatter,
            )
        )
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help, --version, or a bad argument (already said)
        return stop.code if isinstance(stop.code, int) else 0 if stop.code is None else 2
    try:
        code: int = command_module(args.command).run(args)
    except UsageError as error:
        return fail(f"ses-events {args.command}", error)
    return code


def spec_json_schema() -> str:
    """The spec's JSON Schema as text (stable: the same models give the same bytes)."""
    from ses_events.spec import EventPublishingSpec

    return json.dumps(EventPublishingSpec.model_json_schema(), indent=2) + "\n"


if __name__ == "__main__":
    sys.exit(main())
