"""What every part of the spec shares: strict scalars, the error, the base model."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Strict,
)

from ses_events import rules
from ses_events.errors import Problem, SesEventsValidationError


def _whole_numbers(value: Any) -> Any:
    """``value`` with each float that has no fraction made the integer it is: JSON Schema's
    ``integer`` takes ``5.0``, and so does the loader (a number field takes either)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _whole_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_whole_numbers(item) for item in value]
    return value


# What the spec's JSON Schema says is what the loader takes: no "on" for true, no "5" for 5
# (pydantic's lax mode would coerce both). Strings stay strings; enums are still read from theirs.
Bool = Annotated[bool, Strict()]
"""``true`` or ``false`` only."""


Int = Annotated[int, Strict()]
"""An integer (``5``, or ``5.0`` through :func:`_whole_numbers`); not a string, a boolean or
``5.5``."""


Float = Annotated[float, Strict()]
"""A number (``0.05`` or ``1``); not a string or a boolean."""


class SpecError(SesEventsValidationError):
    """A spec that breaks a rule; each problem's field is its place in the file."""


SPEC_FILE_HEADLINE = "not a readable spec file"
"""The headline of a spec file that cannot be read as a spec at all (missing, not UTF-8, not
YAML, empty, not a mapping), as opposed to a spec whose settings break a rule."""


def _unreadable(path: str, value: object, rule: str) -> SpecError:
    return SpecError(path, [Problem("(file)", value, rule)], headline=SPEC_FILE_HEADLINE)


def _rule(rule: rules.PatternRule) -> Any:
    def check(value: str) -> str:
        violation = rule.violation(value)
        if violation is not None:
            raise ValueError(violation)
        return value

    return check


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
