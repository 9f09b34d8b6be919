"""Reading a spec's YAML strictly: what YAML would quietly turn into something else is refused.

PyYAML reads YAML 1.1, where ``no``, ``on``, ``off`` and ``yes`` are booleans, ``0123`` is an
octal number, ``1:20`` a sexagesimal one and ``2026-01-01`` a date, and where a key written twice
keeps its last value. A spec is infrastructure: such surprises must stop synth, not reach a
template. This reader

- refuses the YAML 1.1 booleans other than ``true`` and ``false`` (in any case), with a hint to
  write ``true``/``false`` or to quote the text;
- remembers, for every unquoted value that YAML read as something other than text (number,
  boolean, null, date), where it was and how it was written, so that a field that wants text
  can say "quote it" (:func:`hint_for`);
- refuses a key written twice in one mapping, naming both lines;
- refuses specs that expand, through anchors and aliases, to more than
  :data:`MAX_SPEC_VALUES` values ("billion laughs"), recursive aliases, and files larger than
  :data:`MAX_SPEC_BYTES`, before building anything (the size is counted on the node graph,
  where an alias is shared, so the count itself is cheap).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ses_events.errors import Problem, SesEventsValidationError

__all__ = ["MAX_SPEC_BYTES", "MAX_SPEC_VALUES", "PlainScalar", "hint_for", "location", "read_yaml"]

MAX_SPEC_BYTES = 32 * 1024 * 1024
"""A spec of 10,000 configuration sets with three destinations each takes about 5 MB."""
MAX_SPEC_VALUES = 2_000_000
"""Values (mappings, lists and scalars) after aliases are expanded; 10,000 sets take ~300,000."""

_BOOL = "tag:yaml.org,2002:bool"
_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_KINDS = {
    _BOOL: "a boolean",
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:null": "null",
    "tag:yaml.org,2002:timestamp": "a date",
}

Path = tuple[int | str, ...]


@dataclass(frozen=True)
class PlainScalar:
    """An unquoted value that YAML did not read as text: where it is and how it was written."""

    line: int
    text: str
    kind: str

    def hint(self) -> str:
        return (
            f"YAML read the unquoted {self.text!r} on line {self.line} as {self.kind}; if you"
            f" mean the text, quote it: '{self.text}'"
        )


def location(path: Path) -> str:
    """A place in the spec as errors show it: ``configuration_sets[1].destinations[0].name``."""
    text = ""
    for part in path:
        if isinstance(part, int) and not isinstance(part, bool):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(top level)"


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.plain: dict[str, PlainScalar] = {}
        self.constructor = SafeConstructor()

    def scalar(self, node: ScalarNode, path: Path, *, key: bool = False) -> Any:
        value = self.constructor.construct_object(node)
        where = location(path) + (" (a key)" if key else "")
        if key:
            path = (*path, value, "[key]")  # where pydantic reports a bad key
        if not node.style and node.tag != _STR:  # plain: None in PyYAML, '' in libyaml
            kind = _KINDS.get(node.tag, node.tag)
            self.plain[location(path)] = PlainScalar(node.start_mark.line + 1, node.value, kind)
            if node.tag == _BOOL and node.value.lower() not in ("true", "false"):
                self.problems.append(
                    Problem(
                        where,
                        node.value,
                        f"is a YAML 1.1 boolean (line {node.start_mark.line + 1}): write true or"
                        f" false for a boolean, or quote it ('{node.value}') for the text",
                    )
                )
        return value

    def build(self, node: Node, path: Path) -> Any:
        if isinstance(node, ScalarNode):
            return self.scalar(node, path)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            return self.mapping(node, path)
        raise TypeError(node)  # pragma: no cover - the composer makes only these three

    def mapping(self, node: MappingNode, path: Path) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        lines: dict[Any, int] = {}
        merged: list[dict[Any, Any]] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:  # "<<: *defaults" merges a mapping (or a list of them)
                value = self.build(value_node, path)
                for item in value if isinstance(value, list) else [value]:
                    if isinstance(item, dict):
                        merged.append(item)
                continue
            if not isinstance(key_node, ScalarNode):
                self.problems.append(
                    Problem(location(path), "a mapping or list as a key", "keys must be text")
                )
                continue
            key = self.scalar(key_node, path, key=True)
            line = key_node.start_mark.line + 1
            try:
                repeated = key in lines
            except TypeError:  # an unhashable key cannot come from a scalar, but be safe
                repeated = False
            if repeated:
                self.problems.append(
                    Problem(
                        location((*path, key)),
                        key,
                        f"is written twice in one mapping (lines {lines[key]} and {line}); YAML"
                        " would keep only the last: remove one",
                    )
                )
                continue
            lines[key] = line
            result[key] = self.build(value_node, (*path, key))
        for extra in merged:
            for key, value in extra.items():
                result.setdefault(key, value)
        return result


def _expanded_size(root: Node) -> int:
    """Values of the document with aliases expanded, counted on the (shared) node graph."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise ValueError("an alias refers to the mapping or list that contains it")
        active.add(key)
        if isinstance(node, SequenceNode):
            total = 1 + sum(size(item) for item in node.value)
        elif isinstance(node, MappingNode):
            total = 1 + sum(size(k) + size(v) for k, v in node.value)
        else:
            total = 1
        active.discard(key)
        sizes[key] = total
        return total

    return size(root)


def read_yaml(text: str, source: str) -> tuple[Any, dict[str, PlainScalar]]:
    """The document in ``text``, and the unquoted non-text values by place in the spec.

    Raises :class:`SesEventsValidationError` naming ``source`` for anything refused.
    """

    def refuse(value: object, rule: str) -> SesEventsValidationError:
        return SesEventsValidationError(source, [Problem("(file)", value, rule)])

    size = len(text.encode("utf-8"))
    if size > MAX_SPEC_BYTES:
        raise refuse(f"{size} bytes", f"is larger than a spec may be ({MAX_SPEC_BYTES} bytes)")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        root = yaml.compose(text, Loader=loader)
    except yaml.YAMLError as error:
        raise refuse(source, f"is not valid YAML: {error}") from None
    except RecursionError:
        raise refuse(source, "is nested too deeply to be a spec") from None
    if root is None:
        return None, {}
    try:
        values = _expanded_size(root)
    except ValueError as error:
        raise refuse(source, f"is not a spec: {error}") from None
    except RecursionError:
        raise refuse(source, "is nested too deeply to be a spec") from None
    if values > MAX_SPEC_VALUES:
        raise refuse(
            f"{values} values",
            f"the spec expands (through anchors and aliases) to more than {MAX_SPEC_VALUES}"
            " values: refused",
        )
    reader = _Reader(source)
    try:
        data = reader.build(root, ())
    except yaml.YAMLError as error:  # a scalar that its tag cannot read, such as !!int x
        raise refuse(source, f"is not valid YAML: {error}") from None
    except RecursionError:
        raise refuse(source, "is nested too deeply to be a spec") from None
    if reader.problems:
        raise SesEventsValidationError(source, reader.problems)
    return data, reader.plain


def hint_for(plain: dict[str, PlainScalar], place: str, value: object) -> str:
    """A hint to add when the field at ``place`` refused ``value``: the quoting advice when YAML
    read an unquoted value there as something other than text, else nothing."""
    if isinstance(value, str):
        return ""
    found = plain.get(place)
    return f" ({found.hint()})" if found is not None else ""
