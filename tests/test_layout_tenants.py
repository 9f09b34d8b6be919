"""Tenants in the layout file: a tenant's name is its physical id, so a tenant that changed stack
would be deleted from one and fail to be created in the other. The layout records each tenant's
stack, and planning never moves it (issue 21, "the layout rules hold for tenants too")."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from ses_events import SesEventsValidationError, rules
from ses_events.spec import parse_spec
from ses_events.stacks.layout import StackLayout, plan_layout
from ses_events.stacks.layout_file import (
    LayoutMode,
    check_complete,
    read_layout,
    read_layout_state,
    resolve_layout,
)
from tests.test_layout import _spec

NAMES = [f"set-{n:03d}" for n in range(40)]  # three stacks at 120 resources each


def _document(tenants: list[dict[str, Any]], names: list[str] = NAMES) -> dict[str, Any]:
    """Tenants that are one resource each (not watched): these tests are about where they go;
    what watching adds is counted in tests/test_tenant_monitoring.py."""
    document = {**_spec(names), "tenants": tenants}
    document["monitoring"] = {**document["monitoring"], "tenants": "none"}
    return document


def _write(tmp_path: Path, document: dict[str, Any]) -> tuple[Any, Path]:
    (tmp_path / "spec.yaml").write_text(yaml.safe_dump(document))
    return parse_spec(document), tmp_path / "spec.layout.json"


def _file(path: Path, sets: object, tenants: object = None) -> None:
    data: dict[str, Any] = {"comment": "x", "configuration_sets": sets}
    if tenants is not None:
        data["tenants"] = tenants
    path.write_text(json.dumps(data))


def _quiet(_line: str) -> None:
    pass


# -- strict reading ------------------------------------------------------------------------------


def test_a_file_without_tenants_reads_as_no_tenants(tmp_path: Path) -> None:
    path = tmp_path / "l.json"
    _file(path, {"a": 1})
    state = read_layout_state(path)
    assert state is not None and state.configuration_sets == {"a": 1} and state.tenants == {}
    assert read_layout(path) == {"a": 1}
    _file(path, {"a": 1}, {"acme": 2})
    state = read_layout_state(path)
    assert state is not None and state.tenants == {"acme": 2}


@pytest.mark.parametrize("number", [1, rules.MAX_STACKS_PER_REGION])
def test_a_tenant_in_the_first_or_last_stack_number_is_read(tmp_path: Path, number: int) -> None:
    path = tmp_path / "l.json"
    _file(path, {}, {"acme": number})
    state = read_layout_state(path)
    assert state is not None and state.tenants == {"acme": number}


@pytest.mark.parametrize("number", [0, rules.MAX_STACKS_PER_REGION + 1, "1", True, 1.0, None])
def test_a_tenant_stack_number_that_is_not_an_integer_from_1_is_refused(
    tmp_path: Path, number: object
) -> None:
    path = tmp_path / "l.json"
    _file(path, {"a": 1}, {"acme": number})
    with pytest.raises(SesEventsValidationError) as caught:
        read_layout_state(path)
    ((problem),) = caught.value.problems
    assert problem.field == "tenants['acme']" and problem.value == number
    assert "integer from 1 to 2000" in problem.rule


@pytest.mark.parametrize("name", ["", "a" * (64 + 1), "has space", "dot.ted"])
def test_a_recorded_tenant_name_that_ses_refuses_is_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / "l.json"
    _file(path, {}, {name: 1})
    with pytest.raises(SesEventsValidationError) as caught:
        read_layout_state(path)
    ((problem),) = caught.value.problems
    assert problem.field == f"tenants[{name!r}]" and "the tenant name" in problem.rule


def test_the_longest_tenant_name_is_read(tmp_path: Path) -> None:
    path = tmp_path / "l.json"
    _file(path, {}, {"a" * 64: 1})
    state = read_layout_state(path)
    assert state is not None and list(state.tenants) == ["a" * 64]


@pytest.mark.parametrize("tenants", [[], ["acme"], "acme", 1])
def test_tenants_that_are_not_an_object_are_refused(tmp_path: Path, tenants: object) -> None:
    path = tmp_path / "l.json"
    _file(path, {}, tenants)
    with pytest.raises(SesEventsValidationError) as caught:
        read_layout_state(path)
    ((problem),) = caught.value.problems
    assert problem.field == "tenants" and "tenant name: stack number" in problem.rule


def test_a_tenant_recorded_twice_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "l.json"
    path.write_text('{"comment": "x", "configuration_sets": {}, "tenants": {"a": 1, "a": 2}}')
    with pytest.raises(SesEventsValidationError, match="appears twice"):
        read_layout_state(path)


# -- writing ---------------------------------------------------------------------------------


def test_a_spec_without_tenants_writes_the_file_it_always_wrote(tmp_path: Path) -> None:
    spec, path = _write(tmp_path, _spec(NAMES))
    resolve_layout(spec, path, LayoutMode.NEW, report=_quiet)
    assert set(json.loads(path.read_text())) == {"comment", "configuration_sets"}


def test_tenants_are_recorded_with_their_stack(tmp_path: Path) -> None:
    spec, path = _write(
        tmp_path,
        _document(
            [
                {"name": "last", "configuration_sets": [NAMES[-1]]},
                {"name": "bare"},
                {"name": "first", "configuration_sets": [NAMES[0]]},
            ]
        ),
    )
    lines: list[str] = []
    layout = resolve_layout(spec, path, LayoutMode.NEW, report=lines.append)
    last = layout.part_of(NAMES[-1])
    assert last > 1
    assert json.loads(path.read_text())["tenants"] == {"last": last, "bare": 1, "first": 1}
    assert layout.tenants == (("last", last), ("bare", 1), ("first", 1))
    assert layout.tenants_of(1) == ("bare", "first") and layout.tenants_of(last) == ("last",)
    assert f"spec.layout.json: tenant 'last' placed in stack {last}" in lines


# -- planning --------------------------------------------------------------------------------


def test_a_recorded_tenant_stays_when_its_first_set_changes() -> None:
    """Without the record, a tenant goes with its first set: listing a new set first would move
    it to that set's stack."""
    last = NAMES[-1]
    before = plan_layout(parse_spec(_document([{"name": "acme", "configuration_sets": [last]}])))
    home = before.part_of(last)
    assert home > 1 and before.tenant_record() == {"acme": home}
    # a new set listed first, with room in the first stack (one set left it)
    after_names = ["new-set", *NAMES[1:]]
    document = _document([{"name": "acme", "configuration_sets": ["new-set", last]}], after_names)
    recorded = {n: s for n, s in before.as_record().items() if n != NAMES[0]}
    with pytest.raises(SesEventsValidationError) as caught:  # unrecorded, it would follow new-set
        plan_layout(parse_spec(document), recorded)
    assert [p.value for p in caught.value.problems] == [last]
    planned = plan_layout(parse_spec(document), recorded, {"acme": home})
    assert planned.tenant_record() == {"acme": home}
    assert planned.part_of("new-set") == home  # the tenant's new set joins it, not stack 1
    assert {n: planned.part_of(n) for n in NAMES[1:]} == recorded


def test_a_recorded_tenant_listing_a_set_of_another_stack_is_refused() -> None:
    first, last = NAMES[0], NAMES[-1]
    recorded = plan_layout(parse_spec(_spec(NAMES))).as_record()
    assert recorded[first] != recorded[last]
    document = _document([{"name": "acme", "configuration_sets": [first, last]}])
    with pytest.raises(SesEventsValidationError) as caught:
        plan_layout(parse_spec(document), recorded, {"acme": recorded[last]})
    ((problem),) = caught.value.problems
    assert problem.field == "tenants[0].configuration_sets[0]" and problem.value == first
    assert problem.rule.startswith(
        f"is in stack {recorded[first]}, the tenant 'acme' in stack {recorded[last]}: a tenant is"
        " built in one stack with all its sets"
    )


def test_a_new_tenant_over_two_stacks_is_refused_at_planning() -> None:
    first, last = NAMES[0], NAMES[-1]
    recorded = plan_layout(parse_spec(_spec(NAMES))).as_record()
    document = _document([{"name": "acme", "configuration_sets": [first, last]}])
    with pytest.raises(SesEventsValidationError) as caught:
        plan_layout(parse_spec(document), recorded)
    ((problem),) = caught.value.problems
    assert (problem.field, problem.value) == ("tenants[0].configuration_sets[1]", last)


def test_a_new_tenant_of_a_recorded_set_goes_to_that_sets_stack() -> None:
    last = NAMES[-1]
    recorded = plan_layout(parse_spec(_spec(NAMES))).as_record()
    document = _document([{"name": "acme", "configuration_sets": [last]}])
    assert plan_layout(parse_spec(document), recorded).tenant_record() == {"acme": recorded[last]}


def test_a_recorded_tenant_without_sets_keeps_its_stack_alive() -> None:
    """A tenant recorded in stack 2 whose sets were all taken from it stays in stack 2: a stack
    with only a tenant is still a stack (dropping it would delete the tenant)."""
    recorded = {"set-a": 1}
    document = _document([{"name": "acme"}], ["set-a"])
    planned = plan_layout(parse_spec(document), recorded, {"acme": 2})
    assert planned.parts == (("set-a",), ())
    assert planned.tenants_of(2) == ("acme",)


def _needed(document: dict[str, Any], recorded: dict[str, int], tenants: dict[str, int]) -> int:
    """The smallest budget at which the spec plans, found by planning (not from a message)."""
    for budget in range(20, 501):
        try:
            plan_layout(
                parse_spec({**document, "layout": {"max_resources_per_stack": budget}}),
                recorded,
                tenants,
            )
        except SesEventsValidationError:
            continue
        return budget
    raise AssertionError("fits no budget")


def _at(document: dict[str, Any], budget: int) -> Any:
    return parse_spec({**document, "layout": {"max_resources_per_stack": budget}})


def test_a_new_set_of_a_recorded_tenant_must_fit_the_tenants_stack() -> None:
    """Exactly at the budget the tenant's new set joins its stack; one resource short, it is
    refused (it is never put elsewhere, where the tenant could not follow)."""
    recorded = {"set-a": 1, "set-b": 2}
    names = ["set-a", "set-b", "set-c"]
    document = _document([{"name": "acme", "configuration_sets": ["set-b", "set-c"]}], names)
    needed = _needed(document, recorded, {"acme": 2})
    assert plan_layout(_at(document, needed), recorded, {"acme": 2}).part_of("set-c") == 2
    with pytest.raises(SesEventsValidationError) as caught:
        plan_layout(_at(document, needed - 1), recorded, {"acme": 2})
    (problem,) = caught.value.problems
    assert (problem.field, problem.value) == ("configuration_sets[2]", "set-c")
    assert problem.rule.startswith(
        f"belongs to a tenant recorded in stack 2, which has no room for it ({needed} resources"
    )
    # unpinned, the same set at the same budget would have gone to another stack
    plain = _document([{"name": "acme", "configuration_sets": ["set-b"]}], names)
    assert plan_layout(_at(plain, needed - 1), recorded, {"acme": 2}).part_of("set-c") != 2


def test_a_recorded_tenant_counts_in_its_own_stack() -> None:
    """Stack 2 holds more than stack 1; a tenant recorded there needs one more resource of
    budget, exactly (counted in stack 1, or not at all, it would need none)."""
    recorded = {"set-a": 1, "set-b": 2, "set-c": 2}
    names = ["set-a", "set-b", "set-c"]
    without = _needed(_document([], names), recorded, {})
    document = _document([{"name": "acme"}], names)
    assert _needed(document, recorded, {"acme": 2}) == without + 1
    assert _needed(document, recorded, {"acme": 1}) == without  # stack 1 has room to spare
    assert plan_layout(_at(document, without + 1), recorded, {"acme": 2}).tenants_of(2) == ("acme",)


# -- the file over synths --------------------------------------------------------------------


def test_a_file_from_before_tenants_gains_them_where_they_are_deployed(tmp_path: Path) -> None:
    """A layout written before tenants were recorded: the tenants were built in the stack of their
    first set, so that is what the file gains; frozen, the synth says so and fails."""
    last = NAMES[-1]
    spec, path = _write(tmp_path, _spec(NAMES))
    sets = resolve_layout(spec, path, LayoutMode.NEW, report=_quiet).as_record()
    spec, path = _write(tmp_path, _document([{"name": "acme", "configuration_sets": [last]}]))
    with pytest.raises(SesEventsValidationError) as caught:
        resolve_layout(spec, path, LayoutMode.FROZEN)
    assert f"tenant 'acme' placed in stack {sets[last]}" in str(caught.value)
    lines: list[str] = []
    resolve_layout(spec, path, report=lines.append)
    assert lines == [f"spec.layout.json: tenant 'acme' placed in stack {sets[last]}"]
    assert json.loads(path.read_text())["tenants"] == {"acme": sets[last]}
    assert resolve_layout(spec, path, LayoutMode.FROZEN).tenant_record() == {"acme": sets[last]}


def test_a_tenant_that_left_the_spec_is_reported_and_dropped(tmp_path: Path) -> None:
    spec, path = _write(tmp_path, _document([{"name": "acme"}, {"name": "globex"}]))
    resolve_layout(spec, path, LayoutMode.NEW, report=_quiet)
    spec, path = _write(tmp_path, _document([{"name": "globex"}]))
    lines: list[str] = []
    resolve_layout(spec, path, report=lines.append)
    assert lines == ["spec.layout.json: tenant 'acme' left the spec (was in stack 1)"]
    assert json.loads(path.read_text())["tenants"] == {"globex": 1}


def test_a_tenant_recorded_in_stack_2_stays_there_in_the_app(tmp_path: Path) -> None:
    """Built by the app: the tenant recorded in stack 2 is in stack 2's template, even when its
    set-less definition would put a new tenant in stack 1."""
    from ses_events.stacks import build_app
    from tests.conftest import new_app

    spec, path = _write(tmp_path, _document([{"name": "acme"}]))
    sets = resolve_layout(spec, path, LayoutMode.NEW, report=_quiet).as_record()
    _file(path, sets, {"acme": 2})
    app = new_app(outdir=str(tmp_path / "out"), **{"ses-events:spec": str(tmp_path / "spec.yaml")})
    stacks = build_app(app)
    assembly = app.synth()
    holding = {
        s.stack_name: [
            r["Properties"]["TenantName"]
            for r in assembly.get_stack_by_name(s.stack_name).template["Resources"].values()
            if r["Type"] == "AWS::SES::Tenant"
        ]
        for s in stacks
    }
    assert holding == {"Tenants": [], "Tenants-2": ["acme"], "Tenants-3": []}


def test_the_internal_check_refuses_a_moved_or_missing_tenant() -> None:
    spec = parse_spec(_document([{"name": "acme"}], ["a"]))
    check_complete(spec, StackLayout((("a",),), (("acme", 1),)), {"a": 1}, {"acme": 1})
    for tenants, recorded in [
        ((), {}),
        ((("acme", 1), ("acme", 2)), {}),
        ((("acme", 1),), {"acme": 2}),
    ]:
        with pytest.raises(SesEventsValidationError, match="internal check"):
            check_complete(spec, StackLayout((("a",),), tenants), {"a": 1}, recorded)
