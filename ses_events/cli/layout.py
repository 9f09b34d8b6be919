"""``ses-events layout``: plan which stack holds which set and record it, as ``cdk synth`` does."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HELP = "plan which stack holds which configuration set, and record it in the layout file"
DESCRIPTION = (
    "Plan the stacks of a spec from its layout file and record the result, as"
    " cdk synth does, and print one line per stack. A spec that needs several stacks and has"
    " no layout file needs --new. Moving a deployed set takes two deployments: remove it"
    " from the spec, synth and deploy; then add it back and --place it."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--spec", help="spec file (default: the one cdk.json names)")
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
        metavar="SET=STACK",
        help="put a set that the file does not record yet into stack number STACK (repeatable)",
    )


def spec_from_cdk_json() -> str:
    """The spec ``cdk.json`` in this directory names, else the example spec."""
    from ses_events.stacks.app import EXAMPLE_SPEC, SPEC_CONTEXT_KEY

    try:
        context = json.loads(Path("cdk.json").read_text()).get("context", {})
    except (OSError, ValueError):
        context = {}
    return str(context.get(SPEC_CONTEXT_KEY) or EXAMPLE_SPEC)


def run(args: argparse.Namespace) -> int:
    from ses_events.errors import SesEventsValidationError
    from ses_events.spec import load_spec
    from ses_events.stacks.layout import resources_of_set
    from ses_events.stacks.layout_file import LayoutMode, layout_path, resolve_layout

    spec_path = args.spec or spec_from_cdk_json()
    placements: dict[str, int] = {}
    for item in args.place:
        name, _, number = item.partition("=")
        if not number.isdigit():
            print(
                f"ses-events: --place {item!r}: write SET=STACK, e.g. tenant-7=2", file=sys.stderr
            )
            return 2
        placements[name] = int(number)
    if args.new and args.check:
        print("ses-events: --new and --check exclude each other", file=sys.stderr)
        return 2
    mode = LayoutMode.NEW if args.new else LayoutMode.FROZEN if args.check else LayoutMode.UPDATE
    try:
        spec = load_spec(spec_path)
        path = layout_path(spec_path, spec.layout.file)
        layout = resolve_layout(spec, path, mode, placements=placements)
    except SesEventsValidationError as error:
        print(f"ses-events: {error}", file=sys.stderr)
        return 1
    by_name = {cs.name: cs for cs in spec.configuration_sets}
    for number, names in enumerate(layout.parts, start=1):
        own = sum(resources_of_set(spec, by_name[n]) for n in names)
        print(f"stack {number}: {len(names)} configuration sets, {own} resources of their own")
    print(f"layout file: {path}" if path.is_file() else "layout file: none needed (one stack)")
    return 0
