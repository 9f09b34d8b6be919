"""Shared fixtures. Unit tests pass cdk.json's context to App explicitly, so they see what
`cdk synth` sees (feature flags included) without relying on the CLI to inject it.

aws_cdk is imported where it is used, not here: importing it starts jsii's Node.js kernel, which
the tests of the local AWS, the queries and the CLI do not need (a run of those alone, and each
mutant of a mutation run, starts faster)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from syrupy.extensions.json import JSONSnapshotExtension

if TYPE_CHECKING:
    from aws_cdk import App, Stack
    from aws_cdk.assertions import Template

ROOT = Path(__file__).resolve().parent.parent
CDK_CONTEXT: dict[str, Any] = json.loads((ROOT / "cdk.json").read_text())["context"]


def new_app(*, outdir: str | None = None, **context: Any) -> App:
    """An App with cdk.json's context (the spec path made absolute) plus ``context``."""
    from aws_cdk import App

    merged = dict(CDK_CONTEXT)
    merged["ses-events:spec"] = str(ROOT / merged["ses-events:spec"])
    merged.update(context)
    return App(context=merged, outdir=outdir)


@pytest.fixture
def stack() -> Stack:
    """A fresh stack in a fresh app, environment-agnostic."""
    from aws_cdk import Stack

    return Stack(new_app(), "Test")


@pytest.fixture
def template_of() -> Callable[[Stack], Template]:
    from aws_cdk.assertions import Template

    return Template.from_stack


@pytest.fixture
def json_snapshot(snapshot: Any) -> Any:
    """Snapshots stored as readable JSON files."""
    return snapshot.use_extension(JSONSnapshotExtension)


def resources_of_type(template: Template, type_: str) -> dict[str, Any]:
    found: dict[str, Any] = template.find_resources(type_)
    return found


def without_cli_additions(template: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``template`` without what only the CDK CLI adds (version reporting and
    ``aws:cdk:path`` metadata, which it turns on through context of its own)."""
    template = json.loads(json.dumps(template))
    template.get("Resources", {}).pop("CDKMetadata", None)
    conditions = template.get("Conditions", {})
    conditions.pop("CDKMetadataAvailable", None)
    if not conditions:
        template.pop("Conditions", None)
    for resource in template.get("Resources", {}).values():
        metadata = resource.get("Metadata", {})
        metadata.pop("aws:cdk:path", None)
        if not metadata:
            resource.pop("Metadata", None)
    return template
