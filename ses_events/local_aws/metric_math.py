"""CloudWatch metric math, for the local alarm evaluation: one value per period.

The expressions ses-events writes, and the common operators around them: numbers, metric ids,
``+ - * /``, comparisons (``> >= < <= == !=``, true is 1, false 0), ``AND`` / ``OR`` / ``NOT``
(also ``&& || !``), parentheses, ``IF(condition, then, else)`` and ``FILL(metric, number)``
(a missing value becomes the number) ("Metric math syntax and
functions", CloudWatch User Guide,
https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html).
Any other function is refused (:class:`Unsupported`), so an alarm this cannot evaluate is
reported as such, never evaluated wrongly.

A metric with no data point in the period makes every value computed from it missing (``None``),
and so does a division by zero; ``IF`` evaluates only the branch its condition chooses.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

__all__ = ["Unsupported", "evaluate", "parse"]


class Unsupported(ValueError):
    """An expression outside what this evaluates (a function, or a syntax, it does not know)."""


Value = float | None
Node = Callable[[Mapping[str, Value]], Value]

_TOKEN = re.compile(
    r"\s*(?:(?P<number>\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)"
    r"|(?P<name>[A-Za-z][A-Za-z0-9_]*)"
    r"|(?P<op>>=|<=|==|!=|&&|\|\||[-+*/()<>,!]))"
)
# binding power of each binary operator, loosest first
_BINARY = {"OR": 1, "||": 1, "AND": 2, "&&": 2}
_BINARY.update(dict.fromkeys((">", ">=", "<", "<=", "==", "!="), 3))
_BINARY.update({"+": 4, "-": 4, "*": 5, "/": 5})


@dataclass
class _Tokens:
    items: list[str]
    at: int = 0

    def peek(self) -> str | None:
        return self.items[self.at] if self.at < len(self.items) else None

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            raise Unsupported(f"expected {expected or 'more'}, found {token or 'the end'}")
        self.at += 1
        return token


def _tokens(expression: str) -> _Tokens:
    items: list[str] = []
    at = 0
    for found in _TOKEN.finditer(expression):
        if found.start() != at:
            break  # something between two tokens that is none
        assert found.lastgroup is not None  # every alternative is a named group
        items.append(found.group(found.lastgroup))
        at = found.end()
    if expression[at:].strip():
        raise Unsupported(f"cannot read {expression[at:]!r}")
    return _Tokens(items)


def parse(expression: str) -> Node:
    """The expression as a function of the metric values of one period; raises
    :class:`Unsupported` for what it does not know."""
    tokens = _tokens(expression)
    node = _expression(tokens, 0)
    if tokens.peek() is not None:
        raise Unsupported(f"unexpected {tokens.peek()!r}")
    return node


def evaluate(expression: str, values: Mapping[str, Value]) -> Value:
    """The value of ``expression`` for one period, given each metric id's value."""
    return parse(expression)(values)


def _expression(tokens: _Tokens, floor: int) -> Node:
    left = _operand(tokens)
    while True:
        token = tokens.peek()
        op = token.upper() if token else None
        if op not in _BINARY or _BINARY[op] <= floor:
            return left
        tokens.take()
        right = _expression(tokens, _BINARY[op])
        left = _binary(op, left, right)


def _operand(tokens: _Tokens) -> Node:
    token = tokens.take()
    upper = token.upper()
    if token == "(":
        inner = _expression(tokens, 0)
        tokens.take(")")
        return inner
    if token == "-":
        operand = _operand(tokens)
        return lambda v: None if (x := operand(v)) is None else -x
    if token == "!" or upper == "NOT":
        # NOT binds looser than comparisons, tighter than AND and OR: NOT a > 2 is NOT (a > 2)
        operand = _expression(tokens, _BINARY["AND"])
        return lambda v: None if (x := operand(v)) is None else float(x == 0)
    if token[0].isdigit() or token[0] == ".":
        number = float(token)
        return lambda _v: number
    if token[0].isalpha():  # a metric id starts with a letter
        if tokens.peek() == "(":
            return _function(upper, tokens)
        return lambda v: _metric(v, token)
    raise Unsupported(f"unexpected {token!r}")


def _metric(values: Mapping[str, Value], name: str) -> Value:
    if name not in values:
        raise Unsupported(f"{name!r} is not a metric of the alarm")
    return values[name]


def _function(name: str, tokens: _Tokens) -> Node:
    if name == "FILL":
        return _fill(tokens)
    if name != "IF":
        raise Unsupported(f"the function {name} is not evaluated here")
    tokens.take()  # the "(" the caller saw
    condition = _expression(tokens, 0)
    tokens.take(",")
    then = _expression(tokens, 0)
    tokens.take(",")
    otherwise = _expression(tokens, 0)
    tokens.take(")")

    def chosen(values: Mapping[str, Value]) -> Value:
        test = condition(values)
        if test is None:
            return None
        return then(values) if test != 0 else otherwise(values)

    return chosen


def _fill(tokens: _Tokens) -> Node:
    """``FILL(m, value)``: ``m``, or ``value`` where ``m`` has no data point (a number; FILL's
    ``REPEAT`` and ``LINEAR`` need the series around the gap and are not evaluated here)."""
    tokens.take()  # the "(" the caller saw
    series = _expression(tokens, 0)
    tokens.take(",")
    with_what = tokens.peek()
    if with_what is not None and with_what.upper() in ("REPEAT", "LINEAR"):
        raise Unsupported(f"FILL with {with_what.upper()}")
    value = _expression(tokens, 0)
    tokens.take(")")

    def filled(values: Mapping[str, Value]) -> Value:
        got = series(values)
        return value(values) if got is None else got

    return filled


def _binary(op: str, left: Node, right: Node) -> Node:
    compute: Callable[[float, float], Value] = {
        "+": lambda a, b: a + b,
        "-": lambda a, b: a - b,
        "*": lambda a, b: a * b,
        "/": lambda a, b: None if b == 0 else a / b,
        ">": lambda a, b: float(a > b),
        ">=": lambda a, b: float(a >= b),
        "<": lambda a, b: float(a < b),
        "<=": lambda a, b: float(a <= b),
        "==": lambda a, b: float(a == b),
        "!=": lambda a, b: float(a != b),
        "AND": lambda a, b: float(a != 0 and b != 0),
        "&&": lambda a, b: float(a != 0 and b != 0),
        "OR": lambda a, b: float(a != 0 or b != 0),
        "||": lambda a, b: float(a != 0 or b != 0),
    }[op]

    def node(values: Mapping[str, Value]) -> Value:
        a, b = left(values), right(values)
        return None if a is None or b is None else compute(a, b)

    return node
