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
  :data:`MAX_SPEC_BYTES`, before building anything (the size is counted on YAML's parse
  events, an alias counting the value it names, so the count itself builds nothing);
- keeps no node tree: the document is built from the events, which takes a fraction of the
  memory of PyYAML's node graph.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    DocumentEndEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

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


class _Recursive(Exception):
    """An alias inside the mapping or list it names."""


def _events(text: str, loader: type[Any]) -> Iterator[Any]:
    """The document's parse events, one at a time (no node tree: at 10,000 sets PyYAML's node
    graph of a 2 MB spec takes over 100 MB)."""
    parser = loader(text)
    try:
        while parser.check_event():
            yield parser.get_event()
    finally:
        parser.dispose()


def _single_document(events: Iterator[Any]) -> Iterator[Any] | None:
    """The events of the stream's one document, after its start; ``None`` for an empty stream.
    A second document is refused, as ``yaml.compose`` refuses it."""
    next(events)  # StreamStartEvent
    first = next(events)
    if isinstance(first, StreamEndEvent):
        return None

    def body() -> Iterator[Any]:
        for event in events:
            if isinstance(event, DocumentEndEvent):
                break
            yield event
        following = next(events)
        if not isinstance(following, StreamEndEvent):
            raise ComposerError(
                "expected a single document in the stream",
                first.start_mark,
                "but found another document",
                following.start_mark,
            )

    return body()


def _line(event: Any) -> int:
    """The line, from 1, where ``event`` starts."""
    return int(event.start_mark.line) + 1


def _undefined(event: Any) -> ComposerError:
    return ComposerError(None, None, f"found undefined alias {event.anchor!r}", event.start_mark)


def _expanded_size(events: Iterator[Any]) -> int:
    """Values of the document with aliases expanded (each alias counts the whole value it
    names), counted on the events: nothing is built."""
    sizes: dict[str, int] = {}
    open_anchors: set[str] = set()

    def size(event: Any) -> int:
        if isinstance(event, AliasEvent):
            if event.anchor in open_anchors:
                raise _Recursive("an alias refers to the mapping or list that contains it")
            if event.anchor not in sizes:
                raise _undefined(event)
            return sizes[event.anchor]
        anchor = getattr(event, "anchor", None)
        if anchor is not None and (anchor in sizes or anchor in open_anchors):
            raise ComposerError(None, None, f"found duplicate anchor {anchor!r}", event.start_mark)
        total = 1
        if isinstance(event, CollectionStartEvent):
            if anchor is not None:
                open_anchors.add(anchor)
            end = SequenceEndEvent if isinstance(event, SequenceStartEvent) else MappingEndEvent
            for item in events:
                if isinstance(item, end):
                    break
                total += size(item)
            if anchor is not None:
                open_anchors.discard(anchor)
        if anchor is not None:
            sizes[anchor] = total
        return total

    return size(next(events))


class _Reader:
    """Builds the document from its events; an alias is built again where it is used (from the
    recorded events of the value it names), so hints and problems name that place."""

    def __init__(self, source: str, events: Iterator[Any]) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.plain: dict[str, PlainScalar] = {}
        self.constructor = SafeConstructor()
        self.resolver: Any = Resolver()
        self.sources: list[Iterator[Any]] = [events]
        self.recordings: list[list[Any]] = []
        self.anchors: dict[str, list[Any]] = {}
        self.tags: dict[tuple[str, tuple[bool, bool]], str] = {}

    def next(self) -> Any:
        event = next(self.sources[-1])
        if len(self.sources) == 1:  # an alias is recorded as itself, not as what it replays
            for recording in self.recordings:
                recording.append(event)
        return event

    def build(self, event: Any, path: Path) -> Any:
        if isinstance(event, AliasEvent):
            recorded = self.anchors.get(event.anchor or "")
            if recorded is None:  # pragma: no cover - the size pass refuses it first
                raise _undefined(event)
            self.sources.append(iter(recorded))
            try:
                return self.build(self.next(), path)
            finally:
                self.sources.pop()
        anchor = getattr(event, "anchor", None)
        if anchor is None or len(self.sources) > 1:  # a replayed value defines nothing anew
            return self.value(event, path)
        recording = [event]
        self.recordings.append(recording)
        try:
            return self.value(event, path)
        finally:
            self.recordings.pop()
            self.anchors[anchor] = recording

    def value(self, event: Any, path: Path) -> Any:
        if isinstance(event, ScalarEvent):
            return self.scalar(event, path)
        if isinstance(event, SequenceStartEvent):
            items: list[Any] = []
            while not isinstance(item := self.next(), SequenceEndEvent):
                items.append(self.build(item, (*path, len(items))))
            return items
        if isinstance(event, MappingStartEvent):
            return self.mapping(path)
        raise TypeError(event)  # pragma: no cover - only values start here

    def scalar(self, event: Any, path: Path, *, key: bool = False) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self._resolve(event.value, event.implicit)
        if tag == _STR:  # text, as SafeConstructor reads it (most of a spec: nothing to do)
            return event.value
        node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            value = self.constructor.construct_object(node)
        except (ValueError, TypeError, AttributeError):  # such as "!!int x"
            raise ConstructorError(
                None, None, f"cannot read {event.value!r} as {tag}", event.start_mark
            ) from None
        finally:
            # the constructor remembers every node it built (and its marks): a scalar is
            # needed once, so nothing is kept
            self.constructor.constructed_objects.clear()
        where = location(path) + (" (a key)" if key else "")
        if key:
            path = (*path, value, "[key]")  # where pydantic reports a bad key
        if not event.style:  # plain: None in PyYAML, '' in libyaml
            kind = _KINDS.get(tag, tag)
            line = _line(event)
            self.plain[location(path)] = PlainScalar(line, event.value, kind)
            if tag == _BOOL and event.value.lower() not in ("true", "false"):
                self.problems.append(
                    Problem(
                        where,
                        event.value,
                        f"is a YAML 1.1 boolean (line {line}): write true or"
                        f" false for a boolean, or quote it ('{event.value}') for the text",
                    )
                )
        return value

    def _resolve(self, value: str, implicit: tuple[bool, bool]) -> str:
        """The tag YAML gives an untagged scalar (remembered: a spec repeats its words)."""
        known = self.tags.get((value, implicit))
        if known is None:
            known = self.tags[(value, implicit)] = self.resolver.resolve(
                ScalarNode, value, implicit
            )
        return str(known)

    def mapping(self, path: Path) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        lines: dict[Any, int] = {}
        merged: list[dict[Any, Any]] = []
        while not isinstance(key_event := self.next(), MappingEndEvent):
            if isinstance(key_event, AliasEvent):  # an alias of a text is that text as a key
                recorded = self.anchors.get(key_event.anchor or "", [])
                if len(recorded) == 1:
                    key_event = recorded[0]
            if isinstance(key_event, ScalarEvent) and self._is_merge(key_event):
                # "<<: *defaults" merges a mapping (or a list of them)
                value = self.build(self.next(), path)
                for item in value if isinstance(value, list) else [value]:
                    if isinstance(item, dict):
                        merged.append(item)
                continue
            if not isinstance(key_event, ScalarEvent):
                self.problems.append(
                    Problem(location(path), "a mapping or list as a key", "keys must be text")
                )
                self.build(key_event, path)  # read past the key and its value
                self.build(self.next(), path)
                continue
            if key_event.anchor is not None and len(self.sources) == 1:
                self.anchors[key_event.anchor] = [key_event]
            key = self.scalar(key_event, path, key=True)
            line = _line(key_event)
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
                self.build(self.next(), path)  # read past its value
                continue
            lines[key] = line
            result[key] = self.build(self.next(), (*path, key))
        for extra in merged:
            for key, value in extra.items():
                result.setdefault(key, value)
        return result

    def _is_merge(self, event: Any) -> bool:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self._resolve(event.value, event.implicit)
        return bool(tag == _MERGE)


def _yaml_error(error: yaml.YAMLError) -> str:
    """A YAML error on one line: what is wrong and where (line and column, from 1)."""
    mark = getattr(error, "problem_mark", None)
    what = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    text = f"{context}: {what}" if context else str(what)
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    return " ".join(f"{text}{where}".split())


def read_yaml(text: str, source: str) -> tuple[Any, dict[str, PlainScalar]]:
    """The document in ``text``, and the unquoted non-text values by place in the spec.

    Raises :class:`SesEventsValidationError` naming ``source`` for anything refused. The text is
    read twice as a stream of events: once to count the values it expands to (refused past
    :data:`MAX_SPEC_VALUES` before anything is built), once to build it.
    """

    def refuse(value: object, rule: str) -> SesEventsValidationError:
        return SesEventsValidationError(
            source, [Problem("(file)", value, rule)], headline="not a readable spec file"
        )

    size = len(text.encode("utf-8"))
    if size > MAX_SPEC_BYTES:
        raise refuse(f"{size} bytes", f"is larger than a spec may be ({MAX_SPEC_BYTES} bytes)")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        document = _single_document(_events(text, loader))
        if document is None:
            return None, {}
        values = _expanded_size(document)
        for _ in document:  # the rest of the stream: a second document is refused
            pass
    except yaml.YAMLError as error:
        raise refuse(source, f"is not valid YAML: {_yaml_error(error)}") from None
    except _Recursive as error:
        raise refuse(source, f"is not a spec: {error}") from None
    except RecursionError:
        raise refuse(source, "is nested too deeply to be a spec") from None
    if values > MAX_SPEC_VALUES:
        raise refuse(
            f"{values} values",
            f"the spec expands (through anchors and aliases) to more than {MAX_SPEC_VALUES}"
            " values: refused",
        )
    try:
        document = _single_document(_events(text, loader))
        assert document is not None
        reader = _Reader(source, document)
        data = reader.build(reader.next(), ())
    except yaml.YAMLError as error:  # a scalar that its tag cannot read, such as !!int x
        raise refuse(source, f"is not valid YAML: {_yaml_error(error)}") from None
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
