"""The one error type of ses-events, and the collector that gathers problems before raising it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ses_events.rules import PatternRule
from ses_events.tokens import is_unresolved, must_be_known

__all__ = ["Problem", "Problems", "SesEventsValidationError"]

MAX_VALUE_CHARACTERS = 200
"""A value is shown with at most this many characters: a message never prints a huge input."""
MAX_LISTED_PROBLEMS = 50
"""At most this many problems are listed in one message; the rest are counted."""
SETTINGS_HEADLINE = "invalid SES event publishing settings"
"""The first line's words for settings that break a rule; other failures (a file that cannot be
read, an unknown query) say what they are instead."""


def shown(value: object) -> str:
    """``repr(value)``, cut to :data:`MAX_VALUE_CHARACTERS` with the length of what was cut."""
    text = repr(value)
    if len(text) <= MAX_VALUE_CHARACTERS:
        return text
    return f"{text[:MAX_VALUE_CHARACTERS]}... ({len(text)} characters)"


@dataclass(frozen=True)
class Problem:
    """One broken rule: which field, the value it had, and the rule it broke."""

    field: str
    value: object
    rule: str

    def __str__(self) -> str:
        return f"{self.field} = {shown(self.value)}: {self.rule}"


class SesEventsValidationError(ValueError):
    """Input that SES (or ses-events) would reject, found at synth time.

    The message names where the problem is (construct path, configuration set, event
    destination, or the place in the spec file), each bad field, its value and the rule.
    ``problems`` holds the same facts for programs.
    """

    def __init__(
        self, where: str, problems: Sequence[Problem], *, headline: str = SETTINGS_HEADLINE
    ) -> None:
        self.where = where
        self.problems = tuple(problems)
        self.headline = headline
        lines = [f"{where}: {headline}"]
        lines += [f"  - {problem}" for problem in self.problems[:MAX_LISTED_PROBLEMS]]
        if len(self.problems) > MAX_LISTED_PROBLEMS:
            lines.append(f"  ... and {len(self.problems) - MAX_LISTED_PROBLEMS} more problems")
        super().__init__("\n".join(lines))


class DurationLike(Protocol):
    """What the checks need of an ``aws_cdk.Duration``."""

    def to_milliseconds(self) -> float: ...


@dataclass
class Problems:
    """Collects problems so that one error can report all of them at once."""

    where_: str | Callable[[], str]
    items: list[Problem] = field(default_factory=list)
    tokens: bool = True
    """Whether values may be CDK tokens (constructs): a check that a token leaves undecided
    passes, as in aws-cdk-lib, and CloudFormation decides at deploy. ``False`` where values are
    always concrete (sending mail), so that a token's placeholder is refused like any bad value."""

    def undecided(self, value: object) -> bool:
        """Whether ``value`` is a token that a check at synth cannot judge (see ``tokens``)."""
        return self.tokens and is_unresolved(value)

    @property
    def where(self) -> str:
        """Where the problems are; computed only when needed (a construct path costs jsii calls)."""
        return self.where_ if isinstance(self.where_, str) else self.where_()

    def add(self, field_name: str, value: object, rule: str) -> None:
        self.items.append(Problem(field_name, value, rule))

    def check(self, field_name: str, value: object, rule: PatternRule) -> bool:
        """Record a problem if ``value`` breaks ``rule``; return whether it passed."""
        violation = rule.violation(value)
        if violation is not None and not self.undecided(value):
            self.add(field_name, value, violation)
            return False
        return True

    def extend(self, found: Iterable[tuple[str, object, str]], *, prefix: str = "") -> None:
        """Record ``(field, value, rule)`` triples, such as the rules module returns."""
        for field_name, value, rule in found:
            self.add(prefix + field_name, value, rule)

    def whole_seconds(
        self,
        field_name: str,
        duration: DurationLike,
        low: float,
        high: float,
        rule: str,
        *,
        why: str = "ses-events computes with its seconds at synth",
    ) -> int | None:
        """The whole seconds of ``duration``, or ``None`` with a problem recorded when it has a
        fraction of a second (aws-cdk-lib would fail with a JavaScript error), lies outside
        ``low`` to ``high`` seconds (``rule`` says why) or is a CDK token (``why`` says why it
        must be known; a caller that can pass a token on asks :func:`is_unresolved` first)."""
        if is_unresolved(duration):
            self.add(
                field_name,
                str(duration),
                must_be_known(why, "pass a Duration of a literal amount"),
            )
            return None
        try:
            millis = duration.to_milliseconds()
        except RuntimeError as error:  # jsii: a duration that cannot be converted at all
            self.add(field_name, str(duration), f"is not a usable duration ({error})")
            return None
        if millis % 1000:
            self.add(
                field_name,
                f"{millis:g} milliseconds",
                f"must be a whole number of seconds: {rule}",
            )
            return None
        seconds = int(millis // 1000)
        if not low <= seconds <= high:
            self.add(field_name, f"{seconds} seconds", rule)
            return None
        return seconds

    def whole_days(
        self, field_name: str, duration: DurationLike, least: int, *, why: str
    ) -> int | None:
        """The whole days of ``duration`` (``least`` days or more, at most a century), or
        ``None`` with a problem recorded (``why``: why a token cannot be taken)."""
        seconds = self.whole_seconds(
            field_name,
            duration,
            least * 86_400,
            36_500 * 86_400,
            f"must be {least} days or more",
            why=why,
        )
        if seconds is None:
            return None
        if seconds % 86_400:
            self.add(field_name, f"{seconds} seconds", "must be a whole number of days")
            return None
        return seconds // 86_400

    def raise_if_any(self) -> None:
        if self.items:
            raise SesEventsValidationError(self.where, self.items)
