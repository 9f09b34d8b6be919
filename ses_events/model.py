"""A configuration set as plain data: spec → **model** → renderer / constructs → stacks.

Frozen, jsii-free values: what a set is (name, options, destinations with their event types and
dimensions, the alarms chosen), and what follows from it, computed once here with the rules of
:mod:`ses_events.rules`: where each event type's metrics come from, which alarms the set
supports, how many resources it adds to a stack. The spec produces it
(:meth:`ses_events.spec.ConfigurationSetSpec.to_model`); the layout, the spec's own checks, the
stack (:meth:`ses_events.constructs.EventPublishingConfigurationSet.from_model`) and the bulk
path read it, and :mod:`ses_events.render` writes it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from ses_events import rules
from ses_events.rules import DimensionSource, EventType, SesAlarm

__all__ = ["DestinationKind", "DestinationModel", "DimensionModel", "SetModel", "SetOptions"]


class DestinationKind(enum.StrEnum):
    """Where SES publishes a destination's events."""

    CLOUDWATCH = "cloudwatch"
    FIREHOSE = "firehose"
    SNS = "sns"
    EVENTBRIDGE = "eventbridge"


@dataclass(frozen=True)
class DimensionModel:
    """A CloudWatch dimension: its name, where SES reads its value, and the default."""

    name: str
    source: DimensionSource
    default_value: str


@dataclass(frozen=True)
class DestinationModel:
    """An event destination. ``archive`` (Firehose) and ``topic`` (SNS) name shared resources
    of the stack; ``dimensions`` are a CloudWatch destination's."""

    name: str
    kind: DestinationKind
    event_types: tuple[EventType, ...]
    enabled: bool = True
    dimensions: tuple[DimensionModel, ...] = ()
    archive: str | None = None
    topic: str | None = None

    @property
    def published_event_types(self) -> tuple[EventType, ...]:
        return self.event_types

    @property
    def dimension_names(self) -> tuple[str, ...]:
        return tuple(d.name for d in self.dimensions)


@dataclass(frozen=True)
class SetOptions:
    """A set's own options, in SES's terms (each ``None``: SES's or the account's default).

    Values are as CloudFormation takes them (``"REQUIRE"``, ``"BOUNCE"``, ``"MEDIUM"``, ...);
    ``max_delivery_seconds`` may be a token. Which combinations SES refuses is
    :func:`ses_events.rules.set_option_problems`; :func:`ses_events.render.configuration_set`
    renders them.
    """

    tls_policy: str | None = None
    sending_pool_name: str | None = None
    max_delivery_seconds: Any = None
    suppression_reasons: tuple[str, ...] | None = None
    """In SES's order (``BOUNCE``, ``COMPLAINT``); ``None``: the account's reasons."""
    disable_suppression_list: bool = False
    validation_enabled: bool | None = None
    validation_threshold: str | None = None
    custom_redirect_domain: str | None = None
    https_policy: str | None = None
    engagement_metrics: bool | None = None
    optimized_shared_delivery: bool | None = None
    archive_arn: str | None = None
    tags: tuple[tuple[str, str], ...] = ()
    """Resource tags of the set, sorted by key."""


@dataclass(frozen=True)
class SetModel:
    """A configuration set. ``alarms`` ``None`` means every alarm the set supports;
    ``dashboard``: whether the set has a section on the dashboards (when they are on)."""

    name: str
    destinations: tuple[DestinationModel, ...] = ()
    reputation_metrics: bool = True
    sending_enabled: bool = True
    alarms: tuple[SesAlarm, ...] | None = None
    dashboard: bool = True
    options: SetOptions = SetOptions()

    def metric_sources(self) -> dict[EventType, DestinationModel]:
        """For each event type in the set's metrics, the destination they come from."""
        return rules.metric_sources(
            d for d in self.destinations if d.kind is DestinationKind.CLOUDWATCH
        )

    def alarm_support(self) -> dict[SesAlarm, str]:
        """Each alarm kind, ``""`` when the set supports it or the reason it does not."""
        return rules.alarm_support(self.reputation_metrics, self.metric_sources())

    def chosen_alarms(self) -> tuple[SesAlarm, ...]:
        """The alarms the set gets: the ones asked for (once each), else every one supported."""
        if self.alarms is not None:
            return tuple(dict.fromkeys(self.alarms))
        return tuple(kind for kind, reason in self.alarm_support().items() if not reason)

    def resource_count(self, *, monitoring: bool, composite: bool) -> int:
        """Resources the set adds to its stack: itself, its destinations and its alarms."""
        count = 1 + len(self.destinations)
        if monitoring:
            count += rules.alarm_resources(self.chosen_alarms(), composite=composite)
        return count
