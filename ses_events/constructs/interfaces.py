"""What the constructs need of each other, as small interfaces (in the spirit of aws-cdk-lib's
``IConfigurationSet``): destinations, metrics, alarms and dashboards depend on these, never on
each other's modules or private members, so the modules form no import circle."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from constructs import Node

from ses_events.rules import EventType

__all__ = ["ICloudWatchDestination", "IEventPublishingConfigurationSet"]


class ICloudWatchDestination(Protocol):
    """What the metric helpers read of a CloudWatch event destination (the shape of
    :class:`ses_events.rules.MetricDestination`, which the spec's destinations have too)."""

    @property
    def enabled(self) -> bool: ...

    @property
    def published_event_types(self) -> Sequence[EventType]: ...

    @property
    def dimension_names(self) -> Sequence[str]: ...


class IEventPublishingConfigurationSet(Protocol):
    """A configuration set as event destinations, metrics and alarms see it: one of this app
    (:class:`~ses_events.constructs.EventPublishingConfigurationSet`) or an existing one."""

    @property
    def node(self) -> Node: ...

    @property
    def configuration_set_name(self) -> str:
        """The name senders pass to SES."""

    @property
    def configuration_set_arn(self) -> str:
        """The ARN SES presents to destinations as ``aws:SourceArn``."""

    @property
    def configuration_set_reference(self) -> str:
        """The name as destinations write it: a ``Ref`` for a set of this stack (so it is
        created first), the plain name for an existing set."""

    @property
    def reputation_metrics(self) -> bool: ...

    @property
    def cloudwatch_destinations(self) -> Sequence[ICloudWatchDestination]: ...

    def reserve_destination_name(self, name: str) -> str | None:
        """Reserve ``name`` for a new event destination; the broken rule, if any."""

    def add_cloudwatch_destination(self, destination: ICloudWatchDestination) -> None:
        """Record a CloudWatch destination (metrics and alarms read its dimensions)."""
