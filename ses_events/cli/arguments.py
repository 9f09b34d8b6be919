"""The checks of the commands' arguments: each bad argument is one line and exit status 2.

argparse reports a value that its ``type=`` function refuses as ``argument --name: <message>``;
the functions here raise :class:`argparse.ArgumentTypeError` with the value and what is expected,
and :class:`Parser` prints that as one line (no usage block) naming the command. Checks that need
several arguments (a window's two ends) raise :class:`UsageError`, which the dispatcher prints the
same way. Names are checked with the SES rules of :mod:`ses_events.rules`, so a name SES would
refuse is refused here before any call.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from email.utils import parseaddr
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from ses_events import rules
from ses_events.errors import shown

if TYPE_CHECKING:
    from ses_events.spec import EventPublishingSpec

__all__ = [
    "Parser",
    "UsageError",
    "assembly_directory",
    "configuration_set_name",
    "email_address",
    "endpoint_url",
    "instant",
    "load_spec_argument",
    "output_directory",
    "output_file",
    "pattern",
    "port",
    "region",
    "spec_file",
    "whole_number",
]

MAX_PORT = 65_535
"""The highest TCP port."""


class UsageError(Exception):
    """An argument that is wrong given the others: ``argument`` (as typed), its ``value`` and
    what is ``expected``."""

    def __init__(self, argument: str, value: object, expected: str) -> None:
        self.argument = argument
        self.value = value
        self.expected = expected
        given = "missing" if value is None else shown(value)
        super().__init__(f"argument {argument}: {given}: {expected}")


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, ``<prog>: <what> (<prog> --help ...)``,
    with exit status 2 (argparse's own prints the usage block first)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see '{self.prog} --help')\n")


def fail(prog: str, error: UsageError) -> int:
    """Print ``error`` as :class:`Parser` prints argparse's; the exit status."""
    print(f"{prog}: {error} (see '{prog} --help')", file=sys.stderr)
    return 2


def _refuse(value: str, expected: str) -> argparse.ArgumentTypeError:
    return argparse.ArgumentTypeError(f"{shown(value)}: {expected}")


def whole_number(least: int, most: int | None = None) -> Callable[[str], int]:
    """A ``type=`` for a whole number from ``least`` to ``most`` (no upper end when ``None``)."""
    expected = (
        f"expected a whole number from {least} to {most}"
        if most is not None
        else (f"expected a whole number, {least} or more")
    )

    def parse(text: str) -> int:
        try:
            number = int(text.strip(), 10)
        except ValueError:
            raise _refuse(text, expected) from None
        if number < least or (most is not None and number > most):
            raise _refuse(text, expected)
        return number

    return parse


def port(text: str) -> int:
    """A TCP port, 1 to 65535."""
    return whole_number(1, MAX_PORT)(text)


def pattern(rule: rules.PatternRule, what: str) -> Callable[[str], str]:
    """A ``type=`` for a name that must follow ``rule`` (``what``: what the name is)."""

    def parse(text: str) -> str:
        violation = rule.violation(text)
        if violation is not None:
            raise _refuse(text, f"a {what} {violation}")
        return text

    return parse


configuration_set_name = pattern(rules.CONFIGURATION_SET_NAME, "configuration set name")


def email_address(text: str) -> str:
    """A sender as SES takes it: ``news@example.com`` or ``News <news@example.com>``."""
    _, address = parseaddr(text)
    if not address or rules.EMAIL_ADDRESS.violation(address) is not None:
        raise _refuse(text, "expected an email address such as news@example.com")
    return text


REGION = rules.PatternRule(
    r"[a-z]{2,4}(-[a-z]+)+-[0-9]{1,2}", "an AWS Region's code such as us-east-1 or eu-west-2"
)


def region(text: str) -> str:
    """An AWS Region's code, such as ``us-east-1``."""
    if REGION.violation(text) is not None:
        raise _refuse(text, f"expected {REGION.description}")
    return text


def endpoint_url(text: str) -> str:
    """An endpoint: ``http://`` or ``https://`` and a host."""
    scheme, _, rest = text.partition("://")
    if scheme not in ("http", "https") or not rest.strip("/"):
        raise _refuse(text, "expected a URL such as http://localhost:4566")
    return text


def add_ses_client_arguments(parser: argparse.ArgumentParser) -> None:
    """``--region`` and ``--endpoint-url``: where the SES client of a command goes."""
    parser.add_argument(
        "--region", type=region, help="AWS Region (default: from the AWS configuration)"
    )
    parser.add_argument(
        "--endpoint-url",
        type=endpoint_url,
        help="SES endpoint, for example the local AWS (default: AWS, or $AWS_ENDPOINT_URL)",
    )


def instant(text: str) -> str:
    """An ISO 8601 date or time, such as ``2026-11-01`` or ``2026-11-01T12:00:00Z``."""
    from ses_events.analytics.engines import parse_instant

    if parse_instant(text) is None:
        raise _refuse(text, "expected an ISO 8601 date or time, such as 2026-11-01")
    return text


def spec_file(text: str) -> str:
    """An existing spec file (what it holds is checked when it is read)."""
    path = Path(text)
    if path.is_dir():
        raise _refuse(text, "is a directory: expected a spec file (YAML)")
    if not path.is_file():
        raise _refuse(text, "does not exist: expected a spec file (YAML)")
    return text


def load_spec_argument(path: str, argument: str = "--spec") -> EventPublishingSpec:
    """The spec at ``path``; a file that is no spec at all (empty, not YAML, not a mapping) is a
    :class:`UsageError` of ``argument``, a spec whose settings break rules its usual error."""
    from ses_events.spec import SPEC_FILE_HEADLINE, SpecError, load_spec

    try:
        return load_spec(path)
    except SpecError as error:
        if error.headline == SPEC_FILE_HEADLINE and len(error.problems) == 1:
            problem = error.problems[0]
            said = "" if problem.value == path else f"{shown(problem.value)} "
            raise UsageError(argument, path, f"{said}{problem.rule}") from None
        raise


def assembly_directory(text: str) -> str:
    """A cloud assembly: a directory with a ``manifest.json``, as ``cdk synth`` writes it."""
    path = Path(text)
    if path.is_file():
        raise _refuse(text, "is a file: expected a cloud assembly directory (cdk synth --output)")
    if not path.is_dir():
        raise _refuse(
            text, "does not exist: expected a cloud assembly directory; run cdk synth first"
        )
    if not (path / "manifest.json").is_file():
        raise _refuse(
            text, "has no manifest.json: not a cloud assembly; run cdk synth first, or name one"
        )
    for each in [path / "manifest.json", *sorted(path.glob("*.template.json"))]:
        try:
            json.loads(each.read_text(encoding="utf-8"))
        except UnicodeDecodeError as error:
            raise _refuse(text, f"{each.name} is not UTF-8 text ({error.reason})") from None
        except json.JSONDecodeError as error:
            raise _refuse(
                text,
                f"{each.name} is not JSON (line {error.lineno} column {error.colno}:"
                f" {error.msg}): synthesize it again",
            ) from None
        except OSError as error:
            raise _refuse(text, f"{each.name} cannot be read: {error.strerror}") from None
    return text


def add_assembly_argument(parser: argparse.ArgumentParser) -> None:
    """The optional positional ``outdir``: a cloud assembly, ``cdk.out`` unless named."""
    parser.add_argument(
        "outdir",
        nargs="?",
        default="cdk.out",
        type=assembly_directory,
        help="cloud assembly directory (default: cdk.out)",
    )


def output_file(text: str) -> str:
    """A file to write: not a directory, in a directory that exists."""
    path = Path(text)
    if path.is_dir():
        raise _refuse(text, "is a directory: expected a file to write")
    parent = path.parent
    if not parent.is_dir():
        raise _refuse(text, f"its directory {str(parent)!r} does not exist: create it first")
    return text


def output_directory(text: str) -> str:
    """A directory to write into: made when missing, refused when a file is in the way."""
    path = Path(text)
    for each in (path, *path.parents):
        if each.exists() and not each.is_dir():
            raise _refuse(text, f"{str(each)!r} is a file: expected a directory to write into")
    return text
