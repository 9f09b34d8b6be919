"""EventBridge event destination: SES events on the account's default event bus."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import ArnFormat, Resource, Stack, Token
from aws_cdk import aws_events as events
from constructs import Construct

from ses_events import render, rules
from ses_events.constructs.configuration_set import (
    ConfigurationSetLike,
    EventPublishingConfigurationSet,
)
from ses_events.constructs.event_destination import (
    EventDestinationBase,
    EventTypeLike,
)
from ses_events.errors import Problems

__all__ = ["EventBridgeEventDestination"]


class EventBridgeEventDestination(EventDestinationBase):
    """Publish SES events of a configuration set to the default EventBridge bus.

    SES publishes only to the account's default event bus; any other bus is refused here with a
    clear error. Use :meth:`route_events` to send chosen event types of this configuration set
    on to targets with a rule.

    Example::

        from aws_cdk import aws_events_targets as targets

        bus = EventBridgeEventDestination(stack, "MarketingEvents", configuration_set=marketing)
        bus.route_events("Bounces", event_types=["bounce", "complaint"],
                         targets=[targets.SqsQueue(queue)])

    :param configuration_set: the configuration set that publishes the events: one of ours, or an
        existing one (an ``aws_ses.IConfigurationSet`` or its name).
    :param event_bus: the default bus, if you hold a reference to it. Default: the default bus.
    :param destination_name: the event destination name in SES. Default: the construct id.
    :param event_types: the event types to publish. Default: all ten.
    :param enabled: whether SES publishes to this destination. Default: ``True``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,  # noqa: A002 - the construct id, named as in aws-cdk-lib
        *,
        configuration_set: ConfigurationSetLike,
        event_bus: events.IEventBus | None = None,
        destination_name: str | None = None,
        event_types: Sequence[EventTypeLike] | None = None,
        enabled: bool = True,
    ) -> None:
        configuration_set = EventPublishingConfigurationSet.of(scope, configuration_set)

        def check(problems: Problems) -> None:
            if event_bus is None:
                return
            bus_name = event_bus.event_bus_name
            created_here = Resource.is_owned_resource(event_bus)
            if created_here or (
                not Token.is_unresolved(bus_name) and bus_name != rules.DEFAULT_EVENT_BUS_NAME
            ):
                problems.add(
                    "event_bus",
                    "a bus created in this app" if created_here else bus_name,
                    "SES publishes only to the default event bus: pass"
                    " EventBus.from_event_bus_name(scope, id, 'default') or omit event_bus",
                )

        super().__init__(
            scope,
            id,
            configuration_set=configuration_set,
            destination_name=destination_name,
            event_types=event_types,
            enabled=enabled,
            check_kind=check,
        )
        # An imported bus whose name is a token (a parameter, say) is written as its own ARN, so
        # that SES, not this code, judges it when the stack deploys.
        self.event_bus_arn: str = (
            event_bus.event_bus_arn
            if event_bus is not None and Token.is_unresolved(event_bus.event_bus_name)
            else Stack.of(self).format_arn(
                service="events",
                resource="event-bus",
                resource_name=rules.DEFAULT_EVENT_BUS_NAME,
                arn_format=ArnFormat.SLASH_RESOURCE_NAME,
            )
        )
        """ARN of the event bus: the default bus (or an imported bus named by a token)."""
        self._create_event_destination(render.eventbridge_target(self.event_bus_arn))

    def event_pattern(
        self, event_types: Sequence[EventTypeLike] | None = None
    ) -> events.EventPattern:
        """The pattern of this configuration set's events of ``event_types`` (default: all published)."""
        types = self._routed_types("event_types", event_types)
        return events.EventPattern(
            source=["aws.ses"],
            detail_type=[event_type.eventbridge_detail_type for event_type in types],
            detail={
                "mail": {
                    "tags": {
                        "ses:configuration-set": [self.configuration_set.configuration_set_name]
                    }
                }
            },
        )

    def route_events(
        self,
        id: str,  # noqa: A002 - the construct id, named as in aws-cdk-lib
        *,
        targets: Sequence[events.IRuleTarget],
        event_types: Sequence[EventTypeLike] | None = None,
        description: str | None = None,
    ) -> events.Rule:
        """Route this configuration set's events of ``event_types`` to ``targets`` with a rule.

        ``event_types`` must be among those this destination publishes (default: all of them).
        """
        return events.Rule(
            self,
            id,
            description=description
            or f"SES events of configuration set {self.configuration_set.configuration_set_name}",
            event_pattern=self.event_pattern(event_types),
            targets=list(targets),
        )

    def _routed_types(
        self, field: str, event_types: Sequence[EventTypeLike] | None
    ) -> tuple[rules.EventType, ...]:
        problems = Problems(
            f"{self.node.path} (configuration set"
            f" {self.configuration_set.configuration_set_name!r}, event destination"
            f" {self.destination_name!r})"
        )
        if event_types is None:
            return self.event_types
        types, broken = rules.event_type_selection(event_types)
        problems.extend(broken)
        for event_type in types:
            if event_type not in self.event_types:
                problems.add(
                    field,
                    event_type.value,
                    "is not published to this destination (it publishes "
                    + ", ".join(t.value for t in self.event_types)
                    + ")",
                )
        problems.raise_if_any()
        return types
