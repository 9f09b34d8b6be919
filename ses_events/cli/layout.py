"""``ses-events layout``: plan which stack holds which set and record it, as ``cdk synth`` does."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ses_events import rules
from ses_events.cli.arguments import UsageError, load_spec_argument, spec_file

HELP = "plan which stack holds which configuration set, and record it in the layout file"
DESCRIPTION = (
    "Plan the stacks of a spec from its layout file and record the result, as"
    " cdk synth does, and print one line per stack. A spec that needs several stacks and has"
    " no layout file needs --new. Moving a deployed set takes two deployments: remove it"
    " from the spec, synth and deploy; then add it back and --place it."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--spec", type=spec_file, help="spec file (default: the one cdk.json names)"
    )
    parser.add_argument(
        "--new", action="store_true", help="create the layout file of a spec that has none"
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="change nothing; exit 1 when the layout file is missing a change (for CI)",
    )
    parser.add_argument(
        "--place",
        action="append",
        default=[],
        type=placement,
        metavar="SET=STACK",
        help="put a set that the file does not record yet into stack number STACK (repeatable)",
    )


def placement(text: str) -> tuple[str, int]:
    """``SET=STACK``: a configuration set's name and a stack number, 1 or more."""
    name, sep, number = text.partition("=")
    bad_name = rules.CONFIGURATION_SET_NAME.violation(name) is not None
    if not sep or bad_name or not (number.isascii() and number.isdigit()) or int(number) < 1:
        raise argparse.ArgumentTypeError(
            f"{text!r}: expected SET=STACK, a configuration set's name and a stack number from 1,"
            " e.g. tenant-7=2"
        )
    return name, int(number)


def spec_from_cdk_json() -> str:
    """The spec ``cdk.json`` in this directory names, else the example spec; refused (a
    :class:`UsageError`) when that file does not exist."""
    from ses_events.stacks.app import EXAMPLE_SPEC, SPEC_CONTEXT_KEY

    try:
        context = json.loads(Path("cdk.json").read_text()).get("context", {})
    except (OSError, ValueError):
        context = {}
    named = context.get(SPEC_CONTEXT_KEY)
    path = str(named or EXAMPLE_SPEC)
    if not Path(path).is_file():
        source = f"the spec cdk.json names ({SPEC_CONTEXT_KEY})" if named else "the example spec"
        raise UsageError("--spec", path, f"not given, and {source} does not exist: give --spec")
    return path


def run(args: argparse.Namespace) -> int:
    from ses_events.errors import SesEventsValidationError
    from ses_events.stacks.layout import resources_of_set
    from ses_events.stacks.layout_file import LayoutMode, layout_path, resolve_layout

    spec_path = args.spec or spec_from_cdk_json()
    placements: dict[str, int] = {}
    for name, number in args.place:
        if placements.get(name, number) != number:
            raise UsageError(
                "--place", f"{name}={number}", f"{name} is placed twice, in two stacks: place once"
            )
        placements[name] = number
    if args.new and args.check:
        raise UsageError("--check", "--new", "--new and --check exclude each other: give one")
    mode = LayoutMode.NEW if args.new else LayoutMode.FROZEN if args.check else LayoutMode.UPDATE
    try:
        spec = load_spec_argument(spec_path)
        path = layout_path(spec_path, spec.layout.file)
        layout = resolve_layout(spec, path, mode, placements=placements)
    except SesEventsValidationError as error:
        print(f"ses-events layout: {error}", file=sys.stderr)
        return 1
    by_name = {cs.name: cs for cs in spec.configuration_sets}
    for number, names in enumerate(layout.parts, start=1):
        own = sum(resources_of_set(spec, by_name[n]) for n in names)
        print(f"stack {number}: {len(names)} configuration sets, {own} resources of their own")
    print(f"layout file: {path}" if path.is_file() else "layout file: none needed (one stack)")
    return 0
