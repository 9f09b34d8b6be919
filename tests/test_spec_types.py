"""What the spec's JSON Schema says about a value's type is what the loader takes (issue 20.4).

Both directions, on every boolean, integer and number of the example spec (which sets every
field's kind at least once) and on many generated values:
- a value hypothesis-jsonschema draws from the field's own schema is accepted by the schema and
  loads with no type problem (a refusal may only come from a rule the schema cannot state, such
  as a warning level above its critical one);
- a value of another type (``"on"`` for ``true``, ``"5"`` for ``5``, ``5.5`` for an integer, a
  boolean for a number, any text) is refused by the schema, and the loader refuses it with an
  error at exactly that path."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from ses_events.spec import SpecError, parse_spec
from ses_events.spec_yaml import location
from tests.conftest import ROOT

SCHEMA: dict[str, Any] = json.loads(
    (ROOT / "ses_events" / "examples" / "ses-events.schema.json").read_text()
)
EXAMPLE: dict[str, Any] = yaml.safe_load(
    (ROOT / "ses_events" / "examples" / "ses-events.yaml").read_text()
)
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
Path = tuple[str | int, ...]


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = SCHEMA["$defs"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _branch(node: dict[str, Any], value: Any) -> dict[str, Any]:
    """The member of an anyOf/oneOf that describes ``value`` (a destination by its type)."""
    node = _resolve(node)
    options = node.get("anyOf") or node.get("oneOf")
    if not options:
        return node
    for option in map(_resolve, options):
        if option.get("type") == "null":
            continue
        kind = option.get("properties", {}).get("type", {})
        if isinstance(value, dict) and "const" in kind and value.get("type") != kind["const"]:
            continue
        return _branch(option, value)
    raise AssertionError(f"no schema branch for {value!r}")


def _child(node: dict[str, Any], key: str | int, value: Any) -> dict[str, Any]:
    node = _branch(node, value)
    if isinstance(key, int):
        if "prefixItems" in node:
            return node["prefixItems"][key]  # type: ignore[no-any-return]
        return node["items"]  # type: ignore[no-any-return]
    properties = node.get("properties", {})
    return properties[key] if key in properties else node["additionalProperties"]  # type: ignore[no-any-return]


def _leaves(
    value: Any, node: dict[str, Any], path: Path = ()
) -> Iterator[tuple[Path, Any, dict[str, Any]]]:
    """Every boolean, integer and number of ``value`` with its path and the schema of its field."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, _child(node, key, value), (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, _child(node, index, value), (*path, index))
    elif isinstance(value, bool | int | float):
        options = [o for o in (_resolve(node).get("anyOf") or [node]) if o.get("type") != "null"]
        (field,) = options
        yield path, value, _resolve(field)


LEAVES = list(_leaves(EXAMPLE, SCHEMA))


def _with(path: Path, value: Any) -> dict[str, Any]:
    document = copy.deepcopy(EXAMPLE)
    target: Any = document
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return document


def _type_problems(error: SpecError, place: str) -> list[str]:
    return [p.rule for p in error.problems if p.field == place and "should be a valid" in p.rule]


def test_the_example_sets_every_kind_of_scalar() -> None:
    kinds = {field["type"] for _, _, field in LEAVES}
    assert kinds == {"boolean", "integer", "number"}
    assert len(LEAVES) >= 25  # the example sets most options: many places are tried


WRONG = {
    "boolean": ["on", "true", "yes", 1, 0, "false"],
    "integer": ["5", "64", True, 5.5, "five", [5]],
    "number": ["0.05", True, "5%", {"value": 1}],
}


@pytest.mark.parametrize(
    ("path", "original", "field"), LEAVES, ids=[location(p) for p, _, _ in LEAVES]
)
def test_another_type_is_refused_by_both_at_its_path(
    path: Path, original: Any, field: dict[str, Any]
) -> None:
    place = location(path)
    for wrong in WRONG[field["type"]]:
        document = _with(path, wrong)
        assert not VALIDATOR.is_valid(document), (place, wrong)
        with pytest.raises(SpecError) as raised:
            parse_spec(document)
        fields = [p.field for p in raised.value.problems]
        assert place in fields, (place, wrong, fields)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_generated_values_of_the_fields_type_load_and_text_never_does(data: st.DataObject) -> None:
    path, _, field = data.draw(st.sampled_from(LEAVES))
    place = location(path)
    value = data.draw(from_schema(field))
    document = _with(path, value)
    assert VALIDATOR.is_valid(document)
    try:
        parse_spec(document)
    except SpecError as error:  # a rule beyond the schema (ordering of levels, ...), not a type
        assert not _type_problems(error, place), (place, value, error)
    text = data.draw(st.text(max_size=8))
    document = _with(path, text)
    assert not VALIDATOR.is_valid(document)
    with pytest.raises(SpecError) as raised:
        parse_spec(document)
    assert place in [p.field for p in raised.value.problems]


def test_a_quoted_on_is_refused_with_the_path() -> None:
    """The case in the issue: ``engagement_metrics: "on"`` used to load as true."""
    index = next(i for i, cs in enumerate(EXAMPLE["configuration_sets"]) if "vdm" in cs)
    path: Path = ("configuration_sets", index, "vdm", "engagement_metrics")
    with pytest.raises(SpecError) as raised:
        parse_spec(_with(path, "on"))
    (problem,) = raised.value.problems
    assert problem.field == f"configuration_sets[{index}].vdm.engagement_metrics"
    assert problem.value == "on" and "valid boolean" in problem.rule


def test_a_whole_float_is_an_integer_as_json_schema_says() -> None:
    place = ("archives", 0, "buffering_size_mib")
    assert VALIDATOR.is_valid(_with(place, 64.0))
    assert parse_spec(_with(place, 64.0)).archives[0].buffering_size_mib == 64
