"""``ses-events schema``: the spec's JSON Schema, for editors and CI checks."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ses_events.cli.arguments import output_file

HELP = "write the spec's JSON Schema, for editors and CI checks"
DESCRIPTION = (
    "Write the JSON Schema of the spec (generated from its pydantic models) to"
    " stdout or a file. Editors with a YAML language server complete and check a spec that"
    " starts with '# yaml-language-server: $schema=<path or URL of the schema>'. The schema"
    " checks shapes and types; cdk synth checks everything (names, limits, references)."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=output_file, help="file to write (default: stdout)")


def run(args: argparse.Namespace) -> int:
    from ses_events.cli import spec_json_schema

    text = spec_json_schema()
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote the spec's JSON Schema to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
