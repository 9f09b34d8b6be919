"""Build the app's stacks from the spec named in CDK context."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from aws_cdk import App, Environment

from ses_events.errors import Problem, SesEventsValidationError
from ses_events.spec import EXAMPLE_SPEC, EventPublishingSpec, load_spec
from ses_events.stacks.event_publishing_stack import SesEventPublishingStack
from ses_events.stacks.layout_file import (
    LAYOUT_CONTEXT_KEY,
    NEW_LAYOUT_CONTEXT_KEY,
    layout_mode_from_context,
    layout_path,
    resolve_layout,
)

__all__ = ["EXAMPLE_SPEC", "SPEC_CONTEXT_KEY", "build_app", "explain_synth_error"]

SPEC_CONTEXT_KEY = "ses-events:spec"
"""CDK context key of the spec path (``cdk synth -c ses-events:spec=my.yaml``)."""
STACK_NAME_CONTEXT_KEY = "ses-events:stack-name"
ACCOUNT_CONTEXT_KEY = "ses-events:account"
REGION_CONTEXT_KEY = "ses-events:region"


def build_app(
    app: App, progress: Callable[[str], None] | None = None
) -> list[SesEventPublishingStack]:
    """Add the stacks of the spec named by context ``ses-events:spec`` (default: the example).

    Stack name and environment come from the spec, and context overrides them:
    ``ses-events:stack-name``, ``ses-events:account``, ``ses-events:region``. Without an
    account and region the stack is environment-agnostic. A spec that outgrows one stack is
    spread over ``<name>``, ``<name>-2``, ... as its layout file records
    (:mod:`ses_events.stacks.layout`); context ``ses-events:new-layout=true`` creates that file
    and ``ses-events:layout=frozen`` fails rather than change it
    (:mod:`ses_events.stacks.layout_file`).

    ``progress``, if given, is told what is happening (one line per step and per stack): large
    specs take tens of seconds to build.
    """
    say = progress or (lambda _line: None)
    spec_path = app.node.try_get_context(SPEC_CONTEXT_KEY) or EXAMPLE_SPEC
    spec = load_spec(spec_path)
    account = app.node.try_get_context(ACCOUNT_CONTEXT_KEY) or spec.environment.account
    region = app.node.try_get_context(REGION_CONTEXT_KEY) or spec.environment.region
    stack_name = app.node.try_get_context(STACK_NAME_CONTEXT_KEY) or spec.stack_name
    env = Environment(account=account, region=region) if account or region else None
    mode = layout_mode_from_context(
        app.node.try_get_context(LAYOUT_CONTEXT_KEY),
        app.node.try_get_context(NEW_LAYOUT_CONTEXT_KEY),
    )
    layout = resolve_layout(spec, layout_path(spec_path, spec.layout.file), mode)
    parts = [
        names
        for number, names in enumerate(layout.parts, 1)
        if names or number == 1 or layout.tenants_of(number)
    ]
    say(
        f"spec {spec_path}: {len(spec.configuration_sets)} configuration sets in"
        f" {len(parts)} stack{'s' if len(parts) != 1 else ''}"
    )
    stacks: list[SesEventPublishingStack] = []
    for number, names in enumerate(layout.parts, start=1):
        if not names and number > 1 and not layout.tenants_of(number):
            continue  # every set of this stack was removed; its stack is no longer synthesized
        name = stack_name if number == 1 else f"{stack_name}-{number}"
        stacks.append(
            SesEventPublishingStack(
                app,
                name,
                spec=spec,
                configuration_sets=names,
                tenants=layout.tenants_of(number),
                part=number,
                env=env,
                stack_name=name,
            )
        )
        say(f"built stack {name} ({len(names)} configuration sets)")
    if spec.analytics.enabled:
        # later stacks' named queries use the first stack's workgroup: deploy it first
        for stack in stacks[1:]:
            stack.add_dependency(stacks[0])
    _check_every_set_synthesized(spec_path, [cs.name for cs in spec.configuration_sets], stacks)
    return stacks


def _check_every_set_synthesized(
    spec_path: str | Path, names: list[str], stacks: list[SesEventPublishingStack]
) -> None:
    """Every set of the spec in exactly one stack: a set missing from every template would be
    deleted by the next deploy, so this is checked on every synth, whatever the layout says."""
    hosted: dict[str, list[str]] = {}
    for stack in stacks:
        stack_name = stack.stack_name  # one jsii call per stack, not per set
        for cs in stack.hosted:
            hosted.setdefault(cs.name, []).append(stack_name)
    problems = [
        Problem(
            "configuration_sets",
            name,
            f"is synthesized in {hosted.get(name, [])}: every set must be in exactly one stack",
        )
        for name in names
        if len(hosted.get(name, [])) != 1
    ]
    if problems:
        raise SesEventsValidationError(f"{spec_path} (stacks)", problems)


_CONSTRUCT_PATH = re.compile(r"\[([^\]\s]+)\]")


def spec_field_of(path: str, spec: EventPublishingSpec) -> str | None:
    """The place in the spec that made the construct at ``path`` (``Stack/id/...``), if any."""
    parts = path.split("/")
    if len(parts) < 2:
        return None
    first, rest = parts[1], parts[2:]
    for i, cs in enumerate(spec.configuration_sets):
        if first == cs.name:
            return f"configuration_sets[{i}]"
        for j, d in enumerate(cs.destinations):
            if first == f"{cs.name}-{d.name}":
                return f"configuration_sets[{i}].destinations[{j}]"
    for k, archive in enumerate(spec.archives):
        if first == f"Archive-{archive.name}":
            return f"archives[{k}]"
    for k, topic in enumerate(spec.topics):
        if first in (f"Topic-{topic.name}", f"TopicKey-{topic.name}"):
            return f"topics[{k}]"
    if first == "ses-events.monitoring":
        for i, cs in enumerate(spec.configuration_sets):
            if rest and rest[0] in (f"Set-{cs.name}", f"Dashboard-{cs.name}"):
                return f"configuration_sets[{i}].monitoring"
        return "monitoring"
    return None


def explain_synth_error(error: BaseException, spec: EventPublishingSpec | None) -> str:
    """A failure of aws-cdk-lib's own synth or validation, as a message for the user: without
    the JavaScript stack trace, each construct path followed by the spec field that made it."""
    lines = [
        line
        for line in str(error).splitlines()
        if line.strip() and not line.lstrip().startswith("at ")
    ]
    text = "\n".join(lines[:40]) + ("\n  ..." if len(lines) > 40 else "")
    if spec is None:
        return text

    def annotate(match: re.Match[str]) -> str:
        field = spec_field_of(match.group(1), spec)
        return f"{match.group(0)} (spec: {field})" if field else match.group(0)

    return _CONSTRUCT_PATH.sub(annotate, text)
