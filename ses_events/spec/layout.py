"""The spec's layout settings: how big a stack may grow."""

from __future__ import annotations

from typing import Annotated

from pydantic import (
    Field,
)

from ses_events import rules
from ses_events.spec.base import Int, _Spec


class LayoutSpec(_Spec):
    """How configuration sets are spread over stacks (see :mod:`ses_events.stacks.layout`)."""

    max_resources_per_stack: Annotated[Int, Field(ge=20, le=rules.MAX_RESOURCES_PER_STACK)] = 450
    """Resources a stack may hold: CloudFormation allows 500; the default leaves room."""
    file: str | None = None
    """The layout file, relative to the spec. Default: ``<spec name>.layout.json``."""
