"""Deployable stacks composed from :mod:`ses_events.constructs`, driven by a spec."""

from ses_events.stacks.app import EXAMPLE_SPEC, SPEC_CONTEXT_KEY, build_app
from ses_events.stacks.event_publishing_stack import SesEventPublishingStack

__all__ = ["EXAMPLE_SPEC", "SPEC_CONTEXT_KEY", "SesEventPublishingStack", "build_app"]
