"""Shared fixtures. Unit tests pass cdk.json's context to App explicitly, so they see what
`cdk synth` sees (feature flags included) without relying on the CLI to inject it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, Stack
from aws_cdk.assertions import Template
from syrupy.extensions.json import JSONSnapshotExtension

ROOT = Path(__file__).resolve().parent.parent
CDK_CONTEXT: dict[str, Any] = json.loads((ROOT / "cdk.json").read_text())["context"]


def new_app(**context: Any) -> App:
    """An App with cdk.json's context (the spec path made absolute) plus ``context``."""
    merged = dict(CDK_CONTEXT)
    merged["ses-events:spec"] = str(ROOT / merged["ses-events:spec"])
    merged.update(context)
    return App(context=merged)


@pytest.fixture
def stack() -> Stack:
    """A fresh stack in a fresh app, environment-agnostic."""
    return Stack(new_app(), "Test")


@pytest.fixture
def template_of() -> Callable[[Stack], Template]:
    return Template.from_stack


@pytest.fixture
def json_snapshot(snapshot: Any) -> Any:
    """Snapshots stored as readable JSON files."""
    return snapshot.use_extension(JSONSnapshotExtension)


def resources_of_type(template: Template, type_: str) -> dict[str, Any]:
    found: dict[str, Any] = template.find_resources(type_)
    return found
