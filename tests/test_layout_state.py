"""The layout file is state: read strictly, written atomically under a lock, never planned anew
or changed behind the user's back (issue: nothing lost)."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

import pytest
import yaml

from ses_events import SesEventsValidationError, rules
from ses_events.cli import main as cli
from ses_events.spec import parse_spec
from ses_events.stacks import layout_file
from ses_events.stacks.app import _check_every_set_synthesized
from ses_events.stacks.layout import plan_layout
from ses_events.stacks.layout_file import (
    LayoutMode,
    layout_mode_from_context,
    layout_path,
    read_layout,
    resolve_layout,
    write_layout,
)
from tests.test_layout import _spec

NAMES = [f"tenant-{n:03d}" for n in range(40)]  # three stacks at 120 resources each


def _write_spec(tmp_path: Path, names: list[str], **layout: Any) -> tuple[Any, Path]:
    data = _spec(names, **layout)
    spec_path = tmp_path / "tenants.yaml"
    spec_path.write_text(yaml.safe_dump(data))
    return parse_spec(data), spec_path


def _record(path: Path, sets: object) -> None:
    path.write_text(json.dumps({"comment": "x", "configuration_sets": sets}))


# -- strict reading ------------------------------------------------------------------------------


@pytest.mark.parametrize("number", [0, -1, "2", True, 1.9, None, rules.MAX_STACKS_PER_REGION + 1])
def test_a_stack_number_that_is_not_an_integer_from_1_is_refused(
    tmp_path: Path, number: object
) -> None:
    path = tmp_path / "l.json"
    _record(path, {"a": 1, "b": number})
    with pytest.raises(SesEventsValidationError) as caught:
        read_layout(path)
    message = str(caught.value)
    assert "configuration_sets['b']" in message and repr(number) in message
    assert "integer from 1 to 2000" in message


@pytest.mark.parametrize("number", [1, rules.MAX_STACKS_PER_REGION])
def test_stack_numbers_at_the_limits_are_read(tmp_path: Path, number: int) -> None:
    path = tmp_path / "l.json"
    _record(path, {"a": number})
    assert read_layout(path) == {"a": number}


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ('{"configuration_sets": {"a": 1, "a": 2}}', "the key 'a' appears twice"),
        ('{"configuration_sets": {"a": 1', "is not valid JSON"),  # a synth killed mid-write
        ("", "is not valid JSON"),
        ("[1]", "must be a JSON object"),
        ('{"configuration_sets": {"a": 1}, "sets": {}}', "unknown keys"),
        ('{"comment": "x"}', "must be an object of set name"),
        ('{"configuration_sets": {"bad name": 1}}', "the set name must be"),
    ],
)
def test_a_broken_layout_file_is_refused_with_its_fault(
    tmp_path: Path, text: str, rule: str
) -> None:
    path = tmp_path / "l.json"
    path.write_text(text)
    with pytest.raises(SesEventsValidationError, match="restore it from version control") as e:
        read_layout(path)
    assert rule in str(e.value)


def test_no_file_reads_as_none(tmp_path: Path) -> None:
    assert read_layout(tmp_path / "missing.json") is None


def test_a_bad_stack_number_fails_the_synth_and_leaves_the_file_alone(tmp_path: Path) -> None:
    spec, spec_path = _write_spec(tmp_path, NAMES)
    path = layout_path(spec_path, None)
    record = {name: 1 if i < 10 else 2 for i, name in enumerate(NAMES)}
    record[NAMES[3]] = 0  # today: synth succeeded without this set, and the file dropped it
    _record(path, record)
    before = path.read_text()
    with pytest.raises(SesEventsValidationError, match=NAMES[3]):
        resolve_layout(spec, path)
    assert path.read_text() == before


# -- a missing file, a new layout, frozen mode ---------------------------------------------------


def test_a_multi_stack_spec_without_a_layout_file_is_refused(tmp_path: Path) -> None:
    spec, spec_path = _write_spec(tmp_path, NAMES)
    path = layout_path(spec_path, None)
    with pytest.raises(SesEventsValidationError, match="no layout file") as caught:
        resolve_layout(spec, path)
    assert str(caught.value).startswith(f"{path}: ")
    assert "layout = '3 stacks'" in str(caught.value)
    assert "ses-events:new-layout=true" in str(caught.value)
    assert not path.exists()


def test_reordering_the_spec_never_moves_a_set(tmp_path: Path) -> None:
    spec, spec_path = _write_spec(tmp_path, NAMES)
    path = layout_path(spec_path, None)
    first = resolve_layout(spec, path, LayoutMode.NEW, report=lambda _: None).as_record()
    assert len(set(first.values())) == 3
    reordered, _ = _write_spec(tmp_path, list(reversed(NAMES)))
    assert resolve_layout(reordered, path, report=lambda _: None).as_record() == first
    # without the file the same reorder would have moved most sets: it is refused instead
    path.unlink()
    assert sum(plan_layout(reordered).as_record()[n] != first[n] for n in NAMES) > 20
    with pytest.raises(SesEventsValidationError, match="no layout file"):
        resolve_layout(reordered, path)


def test_a_new_layout_is_refused_when_a_file_exists(tmp_path: Path) -> None:
    spec, spec_path = _write_spec(tmp_path, NAMES)
    path = layout_path(spec_path, None)
    resolve_layout(spec, path, LayoutMode.NEW, report=lambda _: None)
    with pytest.raises(SesEventsValidationError, match="a layout file exists already"):
        resolve_layout(spec, path, LayoutMode.NEW)


def test_a_one_stack_spec_needs_no_file_even_when_frozen(tmp_path: Path) -> None:
    spec, spec_path = _write_spec(tmp_path, NAMES[:5])
    path = layout_path(spec_path, None)
    assert resolve_layout(spec, path, LayoutMode.FROZEN).parts == (tuple(NAMES[:5]),)
    assert not path.exists()


def test_frozen_mode_fails_when_synth_would_change_the_file(tmp_path: Path) -> None:
    spec, spec_path = _write_spec(tmp_path, NAMES)
    path = layout_path(spec_path, None)
    resolve_layout(spec, path, LayoutMode.NEW, report=lambda _: None)
    before = path.read_text()
    assert resolve_layout(spec, path, LayoutMode.FROZEN).as_record() == read_layout(path)
    grown, _ = _write_spec(tmp_path, [*NAMES, "tenant-new"])
    with pytest.raises(SesEventsValidationError, match="frozen") as caught:
        resolve_layout(grown, path, LayoutMode.FROZEN)
    assert "'tenant-new' placed in stack" in str(caught.value)
    shrunk, _ = _write_spec(tmp_path, NAMES[1:])
    with pytest.raises(SesEventsValidationError, match=f"'{NAMES[0]}' left the spec"):
        resolve_layout(shrunk, path, LayoutMode.FROZEN)
    assert path.read_text() == before
    path.unlink()
    with pytest.raises(SesEventsValidationError, match="no layout file"):
        resolve_layout(spec, path, LayoutMode.FROZEN)


def test_sets_that_left_the_spec_are_reported_one_line_each(tmp_path: Path) -> None:
    spec, spec_path = _write_spec(tmp_path, NAMES)
    path = layout_path(spec_path, None)
    record = resolve_layout(spec, path, LayoutMode.NEW, report=lambda _: None).as_record()
    lines: list[str] = []
    shrunk, _ = _write_spec(tmp_path, [n for n in NAMES if n not in ("tenant-001", "tenant-030")])
    resolve_layout(shrunk, path, report=lines.append)
    assert lines == [
        f"tenants.layout.json: configuration set 'tenant-001' left the spec (was in stack"
        f" {record['tenant-001']})",
        f"tenants.layout.json: configuration set 'tenant-030' left the spec (was in stack"
        f" {record['tenant-030']})",
    ]
    assert "tenant-001" not in (read_layout(path) or {})


@pytest.mark.parametrize(
    ("layout", "new_layout", "mode"),
    [
        (None, None, LayoutMode.UPDATE),
        ("update", "false", LayoutMode.UPDATE),
        ("frozen", None, LayoutMode.FROZEN),
        (None, "true", LayoutMode.NEW),
        (None, True, LayoutMode.NEW),
    ],
)
def test_layout_context_values(layout: object, new_layout: object, mode: LayoutMode) -> None:
    assert layout_mode_from_context(layout, new_layout) is mode


@pytest.mark.parametrize(
    ("layout", "new_layout", "rule"),
    [
        ("freeze", None, "must be 'update' or 'frozen'"),
        (None, "yes", "must be true or false"),
        ("frozen", "true", "cannot be combined"),
    ],
)
def test_bad_layout_context_values_are_refused(
    layout: object, new_layout: object, rule: str
) -> None:
    with pytest.raises(SesEventsValidationError, match=rule):
        layout_mode_from_context(layout, new_layout)


# -- where the file may be ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "rule"),
    [
        ("/etc/layout.json", "relative to the spec's directory"),
        ("../layout.json", "relative to the spec's directory"),
        ("sub/../../layout.json", "relative to the spec's directory"),
        ("missing/layout.json", "does not exist"),
    ],
)
def test_a_layout_file_outside_the_spec_directory_is_refused(
    tmp_path: Path, file: str, rule: str
) -> None:
    with pytest.raises(SesEventsValidationError, match=r"layout\.file") as caught:
        layout_path(tmp_path / "spec.yaml", file)
    assert rule in str(caught.value)


def test_a_symlink_out_of_the_spec_directory_is_refused(tmp_path: Path) -> None:
    (tmp_path / "spec").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "spec" / "link").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(SesEventsValidationError, match="symlink leads out"):
        layout_path(tmp_path / "spec" / "s.yaml", "link/layout.json")
    assert layout_path(tmp_path / "spec" / "s.yaml", "layout.json") == tmp_path / "spec/layout.json"


# -- atomic writes and the lock -------------------------------------------------------------------


def test_a_write_that_fails_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec, spec_path = _write_spec(tmp_path, NAMES)
    path = layout_path(spec_path, None)
    resolve_layout(spec, path, LayoutMode.NEW, report=lambda _: None)
    before = path.read_text()

    def killed(*_: object) -> None:
        raise KeyboardInterrupt  # a synth stopped half-way

    monkeypatch.setattr(layout_file.os, "replace", killed)
    grown, _ = _write_spec(tmp_path, [*NAMES, "tenant-new"])
    with pytest.raises(KeyboardInterrupt):
        resolve_layout(grown, path, report=lambda _: None)
    assert path.read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tenants.layout.json", "tenants.yaml"]


def test_readers_see_the_old_or_the_new_file_never_a_part(tmp_path: Path) -> None:
    small = plan_layout(parse_spec(_spec(NAMES[:30])))
    large = plan_layout(parse_spec(_spec(NAMES)))
    path = tmp_path / "l.json"
    write_layout(path, small)
    stop = threading.Event()
    seen: list[int] = []

    def read_all_the_time() -> None:
        while not stop.is_set():
            seen.append(len(read_layout(path) or {}))  # raises on a partial file

    reader = threading.Thread(target=read_all_the_time)
    reader.start()
    try:
        for _ in range(200):
            write_layout(path, large)
            write_layout(path, small)
    finally:
        stop.set()
        reader.join()
    assert seen and set(seen) <= {30, 40}


def test_a_synth_waits_for_the_lock_and_gives_up_with_a_clear_error(tmp_path: Path) -> None:
    import fcntl

    _, spec_path = _write_spec(tmp_path, NAMES)
    path = layout_path(spec_path, None)
    fd = os.open(tmp_path, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        with (
            pytest.raises(SesEventsValidationError, match="held the layout lock"),
            layout_file._locked(tmp_path, timeout=0.2),
        ):
            pass
    finally:
        os.close(fd)
    with layout_file._locked(tmp_path, timeout=0.2):
        pass  # free again once the other holder closed it
    assert not path.exists()


# -- moving a set on purpose ---------------------------------------------------------------------


def test_placing_a_recorded_set_in_another_stack_is_refused(tmp_path: Path) -> None:
    spec, spec_path = _write_spec(tmp_path, NAMES)
    path = layout_path(spec_path, None)
    record = resolve_layout(spec, path, LayoutMode.NEW, report=lambda _: None).as_record()
    name = next(n for n, s in record.items() if s == 2)
    with pytest.raises(SesEventsValidationError, match="First remove it from the spec") as caught:
        resolve_layout(spec, path, placements={name: 1})
    assert str(caught.value).startswith(f"{path}: ")
    assert f"place {name} = 1: the set is recorded in stack 2" in str(caught.value)
    assert read_layout(path) == record
    # placing it where it is changes nothing; a name not in the spec is refused
    assert resolve_layout(spec, path, placements={name: 2}).as_record() == record
    with pytest.raises(
        SesEventsValidationError, match="place nobody = 'nobody': is not a configuration set"
    ):
        resolve_layout(spec, path, placements={"nobody": 1})


@pytest.mark.parametrize(
    ("number", "ok"), [(0, False), (1, True), (rules.MAX_STACKS_PER_REGION, True), (2001, False)]
)
def test_placing_a_new_set_takes_a_stack_number_within_the_limits(
    tmp_path: Path, number: int, ok: bool
) -> None:
    spec, spec_path = _write_spec(tmp_path, [*NAMES[:5], "late"])
    path = layout_path(spec_path, None)
    resolve_layout(parse_spec(_spec(NAMES[:5])), path, LayoutMode.NEW, placements={"tenant-000": 2})
    if ok:
        placed = resolve_layout(spec, path, placements={"late": number}, report=lambda _: None)
        assert placed.as_record()["late"] == number
    else:
        with pytest.raises(SesEventsValidationError, match=f"place late = {number}: the stack"):
            resolve_layout(spec, path, placements={"late": number})


def test_a_set_moves_in_two_steps_remove_then_place(tmp_path: Path) -> None:
    spec, spec_path = _write_spec(tmp_path, NAMES)
    path = layout_path(spec_path, None)
    record = resolve_layout(spec, path, LayoutMode.NEW, report=lambda _: None).as_record()
    name = next(n for n, s in record.items() if s == 3)
    gone = next(n for n, s in record.items() if s == 1)  # makes room in stack 1
    # step 1: the set leaves the spec (deploy: it is deleted from stack 3)
    without, _ = _write_spec(tmp_path, [n for n in NAMES if n not in (name, gone)])
    resolve_layout(without, path, report=lambda _: None)
    assert name not in (read_layout(path) or {})
    # step 2: it comes back, placed in stack 1 (deploy: it is created there)
    lines: list[str] = []
    back, _ = _write_spec(tmp_path, [n for n in NAMES if n != gone])
    after = resolve_layout(back, path, placements={name: 1}, report=lines.append).as_record()
    assert after[name] == 1
    assert {n: s for n, s in after.items() if n != name} == {
        n: s for n, s in record.items() if n not in (name, gone)
    }
    assert lines == [f"tenants.layout.json: configuration set {name!r} placed in stack 1"]


def test_every_set_must_be_synthesized_in_exactly_one_stack() -> None:
    class Stack:
        def __init__(self, name: str, sets: list[str]) -> None:
            self.stack_name = name
            self.hosted = [type("Set", (), {"name": s})() for s in sets]

    ok = [Stack("A", ["a", "b"]), Stack("A-2", ["c"])]
    _check_every_set_synthesized("s.yaml", ["a", "b", "c"], ok)  # type: ignore[arg-type]
    for stacks, name in (
        ([Stack("A", ["a", "b"])], "c"),
        ([Stack("A", ["a", "b"]), Stack("A-2", ["b", "c"])], "b"),
    ):
        with pytest.raises(SesEventsValidationError, match=f"'{name}': is synthesized in"):
            _check_every_set_synthesized("s.yaml", ["a", "b", "c"], stacks)  # type: ignore[arg-type]


# -- the command -----------------------------------------------------------------------------------


def test_the_layout_command_creates_checks_and_places(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, spec_path = _write_spec(tmp_path, NAMES)
    assert cli(["layout", "--spec", str(spec_path)]) == 1
    assert "no layout file" in capsys.readouterr().err
    assert cli(["layout", "--spec", str(spec_path), "--new"]) == 0
    out = capsys.readouterr().out
    assert out.count("stack ") == 3 and "tenants.layout.json" in out
    assert cli(["layout", "--spec", str(spec_path), "--check"]) == 0
    _write_spec(tmp_path, [*NAMES, "late"])
    assert cli(["layout", "--spec", str(spec_path), "--check"]) == 1
    assert "frozen" in capsys.readouterr().err
    assert cli(["layout", "--spec", str(spec_path), "--place", "late=3"]) == 0
    assert (read_layout(tmp_path / "tenants.layout.json") or {})["late"] == 3
    assert cli(["layout", "--spec", str(spec_path), "--place", "late"]) == 2


# -- found by mutation testing: what the messages name, return values, the safety net ----------


def test_a_refusal_names_the_file_the_set_the_value_and_the_rule(tmp_path: Path) -> None:
    path = tmp_path / "l.json"
    _record(path, {"a": 1, "b": 0})
    with pytest.raises(SesEventsValidationError) as caught:
        read_layout(path)
    assert str(caught.value).splitlines()[:2] == [
        f"{path}: invalid SES event publishing settings",
        "  - configuration_sets['b'] = 0: the stack number must be an integer from 1 to 2000"
        " (CloudFormation's stacks per Region). The layout file records what is deployed: fix it"
        " by hand (see the README, 'Thousands of configuration sets'), or restore it from version"
        " control",
    ]


def test_the_layout_file_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "l.json"
    _record(path, {"a": 1})
    monkeypatch.setattr(layout_file, "MAX_LAYOUT_FILE_BYTES", path.stat().st_size)
    assert read_layout(path) == {"a": 1}  # exactly at the limit
    monkeypatch.setattr(layout_file, "MAX_LAYOUT_FILE_BYTES", path.stat().st_size - 1)
    with pytest.raises(
        SesEventsValidationError, match=r"\(file\) = '\d+ bytes': is larger"
    ) as caught:
        read_layout(path)
    assert caught.value.where == str(path)


def test_write_layout_says_whether_it_changed_the_file_and_writes_beside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "l.json"
    layout = plan_layout(parse_spec(_spec(NAMES[:3])))
    made: list[dict[str, object]] = []
    real = layout_file.tempfile.mkstemp

    def mkstemp(**kwargs: Any) -> tuple[int, str]:
        made.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(layout_file.tempfile, "mkstemp", mkstemp)
    assert write_layout(path, layout) is True
    assert write_layout(path, layout) is False  # the same text: not written again
    assert made == [{"dir": tmp_path, "prefix": ".l.json.", "suffix": ".tmp"}]
    assert json.loads(path.read_text())["configuration_sets"] == dict.fromkeys(NAMES[:3], 1)
    assert path.read_text().endswith("}\n") and "\n  " in path.read_text()  # readable diffs
    assert path.stat().st_mode & 0o777 == 0o644


def test_synth_reports_to_standard_error_by_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec, spec_path = _write_spec(tmp_path, NAMES)
    resolve_layout(spec, layout_path(spec_path, None), LayoutMode.NEW)
    err = capsys.readouterr().err
    assert err.startswith("ses-events: tenants.layout.json: configuration set 'tenant-000'")
    assert err.count("\n") == len(NAMES)


def test_check_complete_refuses_a_plan_that_loses_or_moves_a_set() -> None:
    from ses_events.stacks.layout import StackLayout
    from ses_events.stacks.layout_file import check_complete

    spec = parse_spec(_spec(["a", "b", "c"]))
    check_complete(spec, StackLayout((("a", "b"), ("c",))), {"c": 2})
    for parts, recorded, problem in (
        ((("a", "b"),), {}, "'c': is in stacks []"),
        ((("a", "b"), ("b", "c")), {}, "'b': is in stacks [1, 2]"),
        ((("a", "b", "c"),), {"c": 2}, "'c': recorded in stack 2 but planned in 1"),
    ):
        with pytest.raises(SesEventsValidationError) as caught:
            check_complete(spec, StackLayout(parts), recorded)
        assert problem in str(caught.value)


def test_the_messages_of_context_and_paths_name_their_field() -> None:
    with pytest.raises(SesEventsValidationError) as caught:
        layout_mode_from_context("freeze", None)
    assert str(caught.value).splitlines()[1] == (
        "  - ses-events:layout = 'freeze': must be 'update' or 'frozen'"
    )
    assert layout_mode_from_context(None, False) is LayoutMode.UPDATE
    with pytest.raises(SesEventsValidationError) as caught:
        layout_path("/specs/s.yaml", "../x.json")
    assert str(caught.value).startswith("/specs/s.yaml: ")
    assert "layout.file = '../x.json': must be a path relative" in str(caught.value)


def test_exactly_two_stacks_without_a_file_is_refused_and_one_is_not(tmp_path: Path) -> None:
    count = 1
    while len(plan_layout(parse_spec(_spec(NAMES[:count]))).parts) < 2:
        count += 1
    spec, spec_path = _write_spec(tmp_path, NAMES[: count - 1])  # the most that fit one stack
    path = layout_path(spec_path, None)
    assert len(resolve_layout(spec, path).parts) == 1 and not path.exists()
    spec, _ = _write_spec(tmp_path, NAMES[:count])  # one more: two stacks
    with pytest.raises(SesEventsValidationError, match="layout = '2 stacks'"):
        resolve_layout(spec, path)
    # placing a set records a file even for one stack, and needs no flag
    spec, _ = _write_spec(tmp_path, NAMES[:2])
    assert resolve_layout(spec, path, placements={NAMES[1]: 1}, report=lambda _: None)
    assert read_layout(path) == {NAMES[0]: 1, NAMES[1]: 1}


def test_a_layout_path_that_cannot_be_read_is_refused(tmp_path: Path) -> None:
    (tmp_path / "l.json").mkdir()
    with pytest.raises(SesEventsValidationError, match=r"\(file\) = '.*l\.json': cannot be read"):
        read_layout(tmp_path / "l.json")


# -- found by mutation testing (scripts/mutation.sh layout): exact messages, the file's text -----


def test_context_refusals_name_where_the_key_and_the_value_exactly() -> None:
    with pytest.raises(SesEventsValidationError) as caught:
        layout_mode_from_context("freeze", "yes")
    assert caught.value.where == "CDK context"
    assert [(p.field, p.value, p.rule) for p in caught.value.problems] == [
        ("ses-events:layout", "freeze", "must be 'update' or 'frozen'"),
        ("ses-events:new-layout", "yes", "must be true or false"),
    ]
    with pytest.raises(SesEventsValidationError) as caught:
        layout_mode_from_context("frozen", "true", where="cdk.json")
    assert caught.value.where == "cdk.json"
    assert [(p.field, p.value, p.rule) for p in caught.value.problems] == [
        (
            "ses-events:new-layout",
            "true",
            "cannot be combined with ses-events:layout=frozen (a frozen layout is never written)",
        )
    ]


def test_the_layout_file_text_is_exactly_what_is_committed(tmp_path: Path) -> None:
    from ses_events.stacks.layout import StackLayout

    path = tmp_path / "l.json"
    assert layout_file.write_layout(path, StackLayout((("a", "b"), ("c",))))
    assert path.read_bytes() == (
        b'{\n  "comment": "Which stack holds which configuration set (ses-events). Commit this'
        b" file: a set that changes stack is deleted and recreated. Move a set only as the README"
        b' says.",\n  "configuration_sets": {\n    "a": 1,\n    "b": 1,\n    "c": 2\n  }\n}\n'
    )
    assert not layout_file.write_layout(path, StackLayout((("a", "b"), ("c",))))  # unchanged


def test_part_of_names_the_set_it_cannot_find() -> None:
    from ses_events.stacks.layout import StackLayout

    layout = StackLayout((("a",), ("b", "c")))
    assert [layout.part_of(n) for n in ("a", "b", "c")] == [1, 2, 2]
    with pytest.raises(KeyError) as caught:
        layout.part_of("d")
    assert caught.value.args == ("d",)


def test_a_move_in_one_deployment_is_refused_with_the_two_step_way(tmp_path: Path) -> None:
    spec, _ = _write_spec(tmp_path, NAMES[:3])
    path = tmp_path / "l.json"
    _record(path, {NAMES[0]: 1, NAMES[1]: 1, NAMES[2]: 1})
    with pytest.raises(SesEventsValidationError) as caught:
        resolve_layout(spec, path, placements={NAMES[0]: 2})
    ((field, value, rule),) = [(p.field, p.value, p.rule) for p in caught.value.problems]
    assert (field, value) == (f"place {NAMES[0]}", 2)
    assert rule == (
        "the set is recorded in stack 1: moving a deployed set in one deployment deletes it from"
        " one stack while creating it in the other, which fails (AlreadyExists) or leaves it"
        " nowhere. First remove it from the spec, synth and deploy; then add it back and place it"
    )


def test_the_internal_check_names_its_field_and_where() -> None:
    from ses_events.stacks.layout import StackLayout
    from ses_events.stacks.layout_file import check_complete

    spec = parse_spec(_spec(["a", "b"]))
    with pytest.raises(SesEventsValidationError) as caught:
        check_complete(spec, StackLayout((("a",), ("a",))), {"a": 2})
    assert caught.value.where == "layout (internal check)"
    assert [(p.field, p.value, p.rule) for p in caught.value.problems] == [
        ("layout", "a", "is in stacks [1, 2]: must be in exactly one"),
        ("layout", "b", "is in stacks []: must be in exactly one"),
        ("layout", "a", "recorded in stack 2 but planned in 1"),
    ]


def test_a_layout_file_behind_a_symlink_loop_is_refused_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    with pytest.raises(SesEventsValidationError) as caught:
        layout_path(tmp_path / "s.yaml", "loop/l.json")
    assert [(p.field, p.value) for p in caught.value.problems] == [("layout.file", "loop/l.json")]
    assert "must stay inside the spec's directory" in caught.value.problems[0].rule


def test_path_refusals_say_the_rule_exactly() -> None:
    with pytest.raises(SesEventsValidationError) as caught:
        layout_path("/specs/s.yaml", "/abs/l.json")
    assert [(p.field, p.value, p.rule) for p in caught.value.problems] == [
        (
            "layout.file",
            "/abs/l.json",
            "must be a path relative to the spec's directory, inside it (no absolute path,"
            " no '..')",
        )
    ]


# -- found by the second mutation pass (scripts/mutation.sh layout) -----------------------------


def _problems(error: SesEventsValidationError) -> list[tuple[str, object, str]]:
    return [(p.field, p.value, p.rule) for p in error.problems]


def test_each_refusal_of_a_synth_names_the_file_and_says_the_rule_exactly(tmp_path: Path) -> None:
    spec, spec_path = _write_spec(tmp_path, NAMES)
    path = layout_path(spec_path, None)
    with pytest.raises(SesEventsValidationError) as caught:
        resolve_layout(spec, path)
    assert caught.value.where == str(path)
    assert _problems(caught.value) == [
        (
            "layout",
            "3 stacks",
            "the spec needs more than one stack and there is no layout file. If these sets were"
            " never deployed (or all fit in the first stack until now, with the ones deployed"
            " listed first in the spec), create it: cdk synth -c ses-events:new-layout=true, or"
            " ses-events layout --spec SPEC --new. If the stacks exist, restore the layout file"
            " from version control: planning anew can move deployed sets",
        )
    ]
    recorded = resolve_layout(spec, path, LayoutMode.NEW, report=lambda _: None).as_record()
    with pytest.raises(SesEventsValidationError) as caught:
        resolve_layout(spec, path, LayoutMode.NEW)
    assert caught.value.where == str(path)
    assert _problems(caught.value) == [
        (
            "layout",
            "ses-events:new-layout=true",
            "a layout file exists already: it records where the sets are deployed, and a new"
            " layout could move them. Leave out the flag",
        )
    ]
    changed, _ = _write_spec(tmp_path, [*NAMES[1:], "tenant-new"])
    new_stack = plan_layout(changed, recorded).as_record()["tenant-new"]
    with pytest.raises(SesEventsValidationError) as caught:
        resolve_layout(changed, path, LayoutMode.FROZEN)
    assert caught.value.where == str(path)
    assert _problems(caught.value) == [
        (
            "layout",
            f"configuration set {NAMES[0]!r} left the spec (was in stack {recorded[NAMES[0]]});"
            f" configuration set 'tenant-new' placed in stack {new_stack}",
            "the layout is frozen (ses-events:layout=frozen) and this synth would change it: run"
            " cdk synth without the flag, review and commit the layout file",
        )
    ]


def test_a_symlink_out_of_the_spec_directory_is_refused_with_the_rule(tmp_path: Path) -> None:
    (tmp_path / "spec").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "spec" / "link").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(SesEventsValidationError) as caught:
        layout_path(tmp_path / "spec" / "s.yaml", "link/layout.json")
    assert caught.value.where == str(tmp_path / "spec" / "s.yaml")
    assert _problems(caught.value) == [
        (
            "layout.file",
            "link/layout.json",
            "must stay inside the spec's directory (a symlink leads out)",
        )
    ]


def test_a_failed_write_whose_clean_up_fails_too_raises_the_write_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The temporary file's removal is best effort: its own failure must not hide the error
    that stopped the write."""
    layout = plan_layout(parse_spec(_spec(NAMES[:3])))

    def full(*_: object) -> None:
        raise OSError("the disk is full")

    def stuck(*_: object) -> None:
        raise PermissionError("cannot remove the temporary file")

    monkeypatch.setattr(layout_file.os, "replace", full)
    monkeypatch.setattr(layout_file.os, "unlink", stuck)
    with pytest.raises(OSError, match="the disk is full"):
        write_layout(tmp_path / "l.json", layout)
    assert not (tmp_path / "l.json").exists()


def test_a_layout_file_in_a_directory_that_does_not_exist_is_refused_with_it(
    tmp_path: Path,
) -> None:
    with pytest.raises(SesEventsValidationError) as caught:
        layout_path(tmp_path / "s.yaml", "state/layout.json")
    assert _problems(caught.value) == [
        (
            "layout.file",
            "state/layout.json",
            f"its directory {str(tmp_path / 'state')!r} does not exist: create it, or choose"
            " another place",
        )
    ]


def test_a_file_that_cannot_be_read_or_parsed_is_named_with_its_fault(tmp_path: Path) -> None:
    unreadable = tmp_path / "dir.json"
    unreadable.mkdir()
    with pytest.raises(SesEventsValidationError) as caught:
        read_layout(unreadable)
    assert caught.value.where == str(unreadable)
    ((field, value, rule),) = _problems(caught.value)
    assert (field, value) == ("(file)", str(unreadable))
    assert rule.startswith("cannot be read: [Errno 21] Is a directory")
    broken = tmp_path / "broken.json"
    broken.write_text('{"configuration_sets": {"a": 1')
    with pytest.raises(SesEventsValidationError) as caught:
        read_layout(broken)
    assert caught.value.where == str(broken)
    ((field, value, rule),) = _problems(caught.value)
    assert (field, value) == ("(file)", str(broken))
    assert rule.startswith("is not valid JSON (Expecting ")
    assert rule.endswith(
        "). The layout file records what is deployed: fix it by hand (see the README, 'Thousands"
        " of configuration sets'), or restore it from version control"
    )


_FIX = (
    ". The layout file records what is deployed: fix it by hand (see the README, 'Thousands of"
    " configuration sets'), or restore it from version control"
)


@pytest.mark.parametrize(
    ("text", "field", "value", "rule"),
    [
        (
            '{"configuration_sets": {"a": 1, "a": 2}}',
            "(file)",
            None,
            "is not valid JSON (the key 'a' appears twice)" + _FIX,
        ),
        ("[1]", "(file)", "list", "must be a JSON object" + _FIX),
        (
            '{"configuration_sets": {"a": 1}, "sets": {}}',
            "(file)",
            ["sets"],
            "unknown keys: a layout file has only ['comment', 'configuration_sets', 'tenants']"
            + _FIX,
        ),
        (
            '{"configuration_sets": [1]}',
            "configuration_sets",
            [1],
            "must be an object of set name: stack number" + _FIX,
        ),
        (
            '{"configuration_sets": {"bad name": 1}}',
            "configuration_sets['bad name']",
            "bad name",
            "the set name " + str(rules.CONFIGURATION_SET_NAME.violation("bad name")) + _FIX,
        ),
    ],
)
def test_each_fault_of_a_layout_file_is_named_exactly(
    tmp_path: Path, text: str, field: str, value: object, rule: str
) -> None:
    path = tmp_path / "l.json"
    path.write_text(text)
    with pytest.raises(SesEventsValidationError) as caught:
        read_layout(path)
    assert caught.value.where == str(path)
    # a fault of the whole file names the file as its value
    assert _problems(caught.value) == [(field, str(path) if value is None else value, rule)]
