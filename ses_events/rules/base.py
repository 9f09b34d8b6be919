"""Pattern rules and helpers every rule module shares."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class PatternRule:
    """A regular expression that a whole value must match, with a sentence that says it."""

    pattern: str
    description: str

    def violation(self, value: object) -> str | None:
        """Return the rule as a sentence if ``value`` breaks it, else ``None``."""
        if not isinstance(value, str) or re.fullmatch(self.pattern, value) is None:
            return f"must be {self.description} (pattern {self.pattern})"
        return None


def _never(value: object) -> bool:
    return False


Undecided = Callable[[object], bool]
"""Whether a check cannot judge a value at synth: a CDK token, in a construct
(``Problems.undecided``); the spec and the local AWS only see concrete values (:func:`_never`)."""


def duplicates(values: Iterable[str], *, fold_case: bool = False) -> list[str]:
    """Values that appear more than once, in the order they first repeat."""
    seen: set[str] = set()
    repeated: list[str] = []
    for value in values:
        key = value.lower() if fold_case else value
        if key in seen and value not in repeated:
            repeated.append(value)
        seen.add(key)
    return repeated
