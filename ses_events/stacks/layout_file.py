"""The layout file: state that outlives a synth, read strictly and written atomically.

The layout file records which stack holds which configuration set (see
:mod:`ses_events.stacks.layout`). It is *state*, like a Terraform state file: what it says is
what is deployed, so

- it is read strictly: a JSON object with ``comment``, ``configuration_sets`` and, once the spec
  has tenants, ``tenants``; each set name a valid configuration set name and each tenant name a
  valid tenant name (once), each stack number an integer from 1 (not ``"2"``, ``true`` or
  ``1.9``); anything else is an error naming the set or tenant and the value;
- it is written atomically (a temporary file in the same directory, then ``os.replace``), under
  a lock on the directory, so a concurrent synth or a synth killed mid-write never leaves a
  half-written file;
- a spec that needs several stacks and has no layout file is refused: planning from scratch
  could put sets that are deployed in one stack into another (CloudFormation would delete them
  there and fail to create them here with ``AlreadyExists``). A new layout is made only when
  asked (``-c ses-events:new-layout=true``, or ``ses-events layout --new``);
- in frozen mode (``-c ses-events:layout=frozen``, for CI) a synth that would change the file
  fails instead;
- sets and tenants that left the spec are reported, one line each, when the file is rewritten.

A spec without tenants writes no ``tenants`` key, so the files written before tenants were
recorded stay as they are. A file from before then, for a spec with tenants, gains the tenants
where they are deployed (a tenant was built in the stack of its first set) on the next synth.
"""

from __future__ import annotations

import contextlib
import enum
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ses_events import rules
from ses_events.errors import Problem, SesEventsValidationError
from ses_events.spec import EventPublishingSpec
from ses_events.stacks.layout import StackLayout, plan_layout

__all__ = [
    "LAYOUT_CONTEXT_KEY",
    "NEW_LAYOUT_CONTEXT_KEY",
    "LayoutChange",
    "LayoutMode",
    "LayoutState",
    "layout_mode_from_context",
    "layout_path",
    "read_layout",
    "read_layout_state",
    "resolve_layout",
    "write_layout",
]

LAYOUT_CONTEXT_KEY = "ses-events:layout"
"""CDK context: ``update`` (default: write the layout file when it changes) or ``frozen`` (fail
when synth would change it: for CI)."""
NEW_LAYOUT_CONTEXT_KEY = "ses-events:new-layout"
"""CDK context: ``true`` to create a layout file for a spec that has none."""

MAX_LAYOUT_FILE_BYTES = 16 * 1024 * 1024
"""A layout file of 10,000 sets takes about 400 KB; anything far larger is not one."""
LOCK_TIMEOUT_SECONDS = 60.0

_COMMENT = (
    "Which stack holds which configuration set (ses-events). Commit this file: a set that"
    " changes stack is deleted and recreated. Move a set only as the README says."
)
_KEYS = frozenset({"comment", "configuration_sets", "tenants"})


class LayoutMode(enum.Enum):
    """How synth treats the layout file."""

    UPDATE = "update"
    """Record new sets and drop removed ones; refuse a multi-stack spec without a file."""
    NEW = "new"
    """Create the layout file of a spec that has none (first fit, in spec order)."""
    FROZEN = "frozen"
    """Never write: fail when the layout would change (CI)."""


def layout_mode_from_context(
    layout: object, new_layout: object, *, where: str = "CDK context"
) -> LayoutMode:
    """The mode from the context values ``ses-events:layout`` and ``ses-events:new-layout``."""
    problems: list[Problem] = []
    mode = LayoutMode.UPDATE
    if layout is not None:
        if layout in ("update", "frozen"):
            mode = LayoutMode(layout)
        else:
            problems.append(Problem(LAYOUT_CONTEXT_KEY, layout, "must be 'update' or 'frozen'"))
    new = False
    if new_layout is not None:
        if new_layout in (True, "true"):
            new = True
        elif new_layout not in (False, "false"):
            problems.append(Problem(NEW_LAYOUT_CONTEXT_KEY, new_layout, "must be true or false"))
    if new and mode is LayoutMode.FROZEN:
        problems.append(
            Problem(
                NEW_LAYOUT_CONTEXT_KEY,
                new_layout,
                f"cannot be combined with {LAYOUT_CONTEXT_KEY}=frozen (a frozen layout is never"
                " written)",
            )
        )
    if problems:
        raise SesEventsValidationError(where, problems)
    return LayoutMode.NEW if new else mode


def layout_path(spec_path: str | Path, file: str | None) -> Path:
    """The layout file of the spec at ``spec_path``: ``file`` (relative to the spec's directory,
    inside it), or ``<spec name>.layout.json`` beside the spec.

    Raises :class:`SesEventsValidationError` for a path outside the spec's directory tree or in
    a directory that does not exist.
    """
    spec = Path(spec_path)
    base = spec.parent
    if file is None:
        return base / f"{spec.stem}.layout.json"
    problems: list[Problem] = []
    relative = Path(file)
    if relative.is_absolute() or ".." in relative.parts:
        problems.append(
            Problem(
                "layout.file",
                file,
                "must be a path relative to the spec's directory, inside it (no absolute path,"
                " no '..')",
            )
        )
    else:
        path = base / relative
        try:
            inside = path.resolve().is_relative_to(base.resolve())
        except (OSError, RuntimeError):  # Python 3.11 raises RuntimeError for a symlink loop
            inside = False
        if not inside:
            problems.append(
                Problem(
                    "layout.file",
                    file,
                    "must stay inside the spec's directory (a symlink leads out)",
                )
            )
        elif not path.parent.is_dir():
            problems.append(
                Problem(
                    "layout.file",
                    file,
                    f"its directory {str(path.parent)!r} does not exist: create it, or choose"
                    " another place",
                )
            )
        else:
            return path
    raise SesEventsValidationError(str(spec), problems)


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise ValueError(f"the key {key!r} appears twice")
        found[key] = value
    return found


def read_layout(path: Path) -> dict[str, int] | None:
    """The recorded ``{set name: stack number}``, or ``None`` when there is no file.

    Strict: see the module documentation. Raises :class:`SesEventsValidationError`.
    """
    state = read_layout_state(path)
    return None if state is None else state.configuration_sets


@dataclass(frozen=True)
class LayoutState:
    """What a layout file records: the stack of each configuration set and of each tenant."""

    configuration_sets: dict[str, int]
    tenants: dict[str, int] = field(default_factory=dict)


def read_layout_state(path: Path) -> LayoutState | None:
    """The recorded sets and tenants, or ``None`` when there is no file (read once, strictly:
    see the module documentation). Raises :class:`SesEventsValidationError`."""
    where = str(path)
    try:
        if path.stat().st_size > MAX_LAYOUT_FILE_BYTES:
            raise SesEventsValidationError(
                where,
                [
                    Problem(
                        "(file)",
                        f"{path.stat().st_size} bytes",
                        f"is larger than a layout file can be ({MAX_LAYOUT_FILE_BYTES} bytes)",
                    )
                ],
            )
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise SesEventsValidationError(
            where, [Problem("(file)", where, f"cannot be read: {error}")]
        ) from None

    def broken(field: str, value: object, rule: str) -> SesEventsValidationError:
        return SesEventsValidationError(
            where,
            [
                Problem(
                    field,
                    value,
                    f"{rule}. The layout file records what is deployed: fix it by hand (see the"
                    " README, 'Thousands of configuration sets'), or restore it from version"
                    " control",
                )
            ],
        )

    try:
        data = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except ValueError as error:
        raise broken("(file)", where, f"is not valid JSON ({error})") from None
    if not isinstance(data, dict):
        raise broken("(file)", type(data).__name__, "must be a JSON object")
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise broken("(file)", unknown, f"unknown keys: a layout file has only {sorted(_KEYS)}")

    def placements(key: str, what: str, rule: rules.PatternRule, default: object) -> dict[str, int]:
        entries = data.get(key, default)
        if not isinstance(entries, dict):
            raise broken(key, entries, f"must be an object of {what} name: stack number")
        for name, number in entries.items():
            violation = rule.violation(name)
            if violation is not None:
                raise broken(f"{key}[{name!r}]", name, f"the {what} name {violation}")
            wrong = _stack_number_problem(number)
            if wrong is not None:
                raise broken(f"{key}[{name!r}]", number, wrong)
        return dict(entries)

    return LayoutState(
        placements("configuration_sets", "set", rules.CONFIGURATION_SET_NAME, None),
        placements("tenants", "tenant", rules.TENANT_NAME, {}),
    )


def _stack_number_problem(number: object) -> str | None:
    """Why ``number`` is not a stack number, or ``None``."""
    # bool is an int in Python: true must not pass as stack 1
    if type(number) is not int or not 1 <= number <= rules.MAX_STACKS_PER_REGION:
        return (
            f"the stack number must be an integer from 1 to {rules.MAX_STACKS_PER_REGION}"
            " (CloudFormation's stacks per Region)"
        )
    return None


def _layout_text(layout: StackLayout) -> str:
    data: dict[str, Any] = {"comment": _COMMENT, "configuration_sets": layout.as_record()}
    if layout.tenants:  # (a spec without tenants keeps the file it had)
        data["tenants"] = layout.tenant_record()
    return json.dumps(data, indent=2) + "\n"


def write_layout(path: Path, layout: StackLayout) -> bool:
    """Record ``layout`` atomically; returns whether the file changed.

    The text goes to a temporary file in the same directory, is flushed to disk, and replaces
    the file in one ``os.replace``: a reader sees the old file or the new one, never a part.
    """
    text = _layout_text(layout)
    with contextlib.suppress(OSError):
        if path.read_text(encoding="utf-8") == text:
            return False
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return True


@contextlib.contextmanager
def _locked(directory: Path, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold an exclusive lock on ``directory`` (flock): one synth reads, plans and writes at a
    time. Where flock does not exist (Windows), no lock is taken."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on the platforms CI runs
        yield
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise SesEventsValidationError(
                        str(directory),
                        [
                            Problem(
                                "layout",
                                str(directory),
                                f"another synth has held the layout lock for {timeout:.0f} s;"
                                " wait for it, or stop it",
                            )
                        ],
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


class LayoutChange:
    """What a synth changed in the layout file: sets and tenants added (with their stack) and
    removed."""

    def __init__(
        self,
        before: dict[str, int],
        after: dict[str, int],
        tenants_before: dict[str, int] | None = None,
        tenants_after: dict[str, int] | None = None,
    ) -> None:
        self.added = {n: s for n, s in after.items() if n not in before}
        self.removed = {n: s for n, s in before.items() if n not in after}
        old, new = tenants_before or {}, tenants_after or {}
        self.tenants_added = {n: s for n, s in new.items() if n not in old}
        self.tenants_removed = {n: s for n, s in old.items() if n not in new}
        # (no "moved": planning never moves a recorded set or tenant, and check_complete holds
        # it to that)

    def lines(self) -> list[str]:
        return [
            *(
                f"configuration set {n!r} left the spec (was in stack {s})"
                for n, s in self.removed.items()
            ),
            *(f"configuration set {n!r} placed in stack {s}" for n, s in self.added.items()),
            *(
                f"tenant {n!r} left the spec (was in stack {s})"
                for n, s in self.tenants_removed.items()
            ),
            *(f"tenant {n!r} placed in stack {s}" for n, s in self.tenants_added.items()),
        ]

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.tenants_added or self.tenants_removed)


def _problem(path: Path, value: object, rule: str) -> SesEventsValidationError:
    return SesEventsValidationError(str(path), [Problem("layout", value, rule)])


def resolve_layout(
    spec: EventPublishingSpec,
    path: Path,
    mode: LayoutMode = LayoutMode.UPDATE,
    *,
    placements: dict[str, int] | None = None,
    report: Callable[[str], None] | None = None,
) -> StackLayout:
    """Plan the stacks of ``spec`` from its layout file at ``path``, and record the result.

    See the module documentation for what is refused. ``placements`` puts sets that the file
    does not record yet into chosen stacks (the second step of moving a set); a set recorded
    elsewhere is refused, since moving it in one deployment fails. ``report`` receives one line
    per set that was added to or left the file (default: standard error).
    """
    say = report or (lambda line: print(f"ses-events: {line}", file=sys.stderr))
    with _locked(path.parent):
        state = read_layout_state(path)
        original = None if state is None else state.configuration_sets
        original_tenants = {} if state is None else state.tenants
        recorded = original
        missing = original is None
        if missing is False and mode is LayoutMode.NEW:
            raise _problem(
                path,
                f"{NEW_LAYOUT_CONTEXT_KEY}=true",
                "a layout file exists already: it records where the sets are deployed, and a new"
                " layout could move them. Leave out the flag",
            )
        if placements:
            recorded = _place(spec, path, recorded, placements)
        layout = plan_layout(spec, recorded or {}, original_tenants)
        check_complete(spec, layout, recorded or {}, original_tenants)
        if missing and len(layout.parts) <= 1 and not placements:
            return layout  # one stack, no file: nothing to record
        if missing and mode is not LayoutMode.NEW and len(layout.parts) > 1:
            raise _problem(
                path,
                f"{len(layout.parts)} stacks",
                "the spec needs more than one stack and there is no layout file. If these sets"
                " were never deployed (or all fit in the first stack until now, with the ones"
                " deployed listed first in the spec), create it: cdk synth -c"
                f" {NEW_LAYOUT_CONTEXT_KEY}=true, or ses-events layout --spec SPEC --new. If the"
                " stacks exist, restore the layout file from version control: planning anew can"
                " move deployed sets",
            )
        before = original or {}
        after = layout.as_record()
        change = LayoutChange(before, after, original_tenants, layout.tenant_record())
        if not change and not missing:
            return layout
        if mode is LayoutMode.FROZEN:
            # (there is a change to tell: an unchanged layout returned above, and a new file
            # records every set of the spec)
            raise _problem(
                path,
                "; ".join(change.lines()),
                f"the layout is frozen ({LAYOUT_CONTEXT_KEY}=frozen) and this synth would change"
                " it: run cdk synth without the flag, review and commit the layout file",
            )
        write_layout(path, layout)
        for line in change.lines():
            say(f"{path.name}: {line}")
        return layout


def _place(
    spec: EventPublishingSpec,
    path: Path,
    recorded: dict[str, int] | None,
    placements: dict[str, int],
) -> dict[str, int]:
    names = {cs.name for cs in spec.configuration_sets}
    problems: list[Problem] = []
    placed = dict(recorded or {})
    for name, number in placements.items():
        if name not in names:
            problems.append(
                Problem(f"place {name}", name, "is not a configuration set of the spec")
            )
        elif (wrong := _stack_number_problem(number)) is not None:
            problems.append(Problem(f"place {name}", number, wrong))
        elif name in placed and placed[name] != number:
            problems.append(
                Problem(
                    f"place {name}",
                    number,
                    f"the set is recorded in stack {placed[name]}: moving a deployed set in one"
                    " deployment deletes it from one stack while creating it in the other, which"
                    " fails (AlreadyExists) or leaves it nowhere. First remove it from the spec,"
                    " synth and deploy; then add it back and place it",
                )
            )
        else:
            placed[name] = number
    if problems:
        raise SesEventsValidationError(str(path), problems)
    return placed


def check_complete(
    spec: EventPublishingSpec,
    layout: StackLayout,
    recorded: dict[str, int],
    recorded_tenants: dict[str, int] | None = None,
) -> None:
    """Every set and tenant of the spec in exactly one stack, recorded ones where they were
    recorded."""
    where: dict[str, list[int]] = {}
    for number, names in enumerate(layout.parts, start=1):
        for name in names:
            where.setdefault(name, []).append(number)
    problems = [
        Problem("layout", cs.name, f"is in stacks {where.get(cs.name, [])}: must be in exactly one")
        for cs in spec.configuration_sets
        if len(where.get(cs.name, [])) != 1
    ]
    problems += [
        Problem("layout", name, f"recorded in stack {recorded[name]} but planned in {stacks[0]}")
        for name, stacks in where.items()
        if name in recorded and stacks and stacks[0] != recorded[name]
    ]
    tenant_parts: dict[str, list[int]] = {}
    for name, number in layout.tenants:
        tenant_parts.setdefault(name, []).append(number)
    problems += [
        Problem(
            "layout", t.name, f"tenant in stacks {tenant_parts.get(t.name, [])}: must be in one"
        )
        for t in spec.tenants
        if len(tenant_parts.get(t.name, [])) != 1
    ]
    problems += [
        Problem(
            "layout",
            name,
            f"tenant recorded in stack {(recorded_tenants or {})[name]} but planned in {parts[0]}",
        )
        for name, parts in tenant_parts.items()
        if name in (recorded_tenants or {}) and parts[0] != (recorded_tenants or {})[name]
    ]
    if problems:  # a bug in planning, never a user error: refuse rather than deploy it
        raise SesEventsValidationError("layout (internal check)", problems)
