"""What every kind of event destination shares: its name, event types, checks and CFN resource."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import jsii
from aws_cdk import Annotations, ArnFormat, IStableListProducer, Lazy, Stack
from aws_cdk import aws_ses as ses
from constructs import Construct

from ses_events import render, rules
from ses_events.constructs.configuration_set import (
    ConfigurationSetLike,
    EventPublishingConfigurationSet,
)
from ses_events.errors import Problems
from ses_events.rules import EventType

__all__ = ["ConfigurationSetSources", "EventDestinationBase", "EventTypeLike"]

EventTypeLike = EventType | str
"""An :class:`~ses_events.rules.EventType`, or its name as text (``"bounce"``, ``"RENDERING_FAILURE"``)."""


class EventDestinationBase(Construct):
    """Base of the event destination constructs; not used directly.

    The event destination name is explicit and derived from what the caller wrote (the
    ``destination_name``, or else the construct id), never generated. Renaming a destination
    is therefore a visible change in the template. Beware: CloudFormation has been seen to
    quietly keep the old destination when only its name changes, so rename by adding a new
    destination and removing the old one in two deployments.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,  # noqa: A002 - the construct id, named as in aws-cdk-lib
        *,
        configuration_set: ConfigurationSetLike,
        destination_name: str | None,
        event_types: Sequence[EventTypeLike] | None,
        enabled: bool,
        check_kind: Callable[[Problems], None] | None = None,
    ) -> None:
        configuration_set = EventPublishingConfigurationSet.of(scope, configuration_set)
        name = destination_name if destination_name is not None else id
        problems = Problems(
            lambda: (
                f"{scope.node.path}/{id} (configuration set"
                f" {configuration_set.configuration_set_name!r}, event destination {name!r})"
            )
        )
        problems.check("destination_name", name, rules.EVENT_DESTINATION_NAME)
        types, wrong_types = rules.event_type_selection(event_types)
        problems.extend(wrong_types)
        if check_kind is not None:
            check_kind(problems)
        if not problems.items:
            broken = configuration_set.reserve_destination_name(name)
            if broken is not None:
                problems.add("destination_name", name, broken)
        problems.raise_if_any()

        super().__init__(scope, id)
        self.configuration_set = configuration_set
        """The configuration set this destination belongs to."""
        self.destination_name: str = name
        """The event destination name in SES."""
        self.event_types: tuple[EventType, ...] = types
        """The event types published to this destination, in a fixed order."""
        self.enabled = enabled
        """Whether SES publishes to this destination."""
        self.cfn_event_destination: ses.CfnConfigurationSetEventDestination | None = None
        """The CloudFormation resource, once the subclass has created it."""

    @property
    def published_event_types(self) -> tuple[EventType, ...]:
        """The event types published to this destination (``event_types``)."""
        return self.event_types

    def _create_event_destination(
        self, target: dict[str, Any]
    ) -> ses.CfnConfigurationSetEventDestination:
        """Create the ``AWS::SES::ConfigurationSetEventDestination`` with ``target`` (one of
        :mod:`ses_events.render`'s ``*_target`` functions): the same rendering the bulk path
        uses, passed to the L1 class in its jsii spelling as a plain mapping, which skips the
        Python run-time type checks of the struct classes (about a millisecond per destination,
        at thousands of sets)."""
        self.cfn_event_destination = render.l1_resource(
            ses.CfnConfigurationSetEventDestination,
            self,
            render.RESOURCE_ID,
            {
                "EventDestination": render.event_destination(
                    self.destination_name,
                    enabled=self.enabled,
                    event_types=self.event_types,
                    target=target,
                )
            },
            # A Ref to the configuration set: CloudFormation creates the set first.
            configuration_set_name=self.configuration_set.configuration_set_reference,
        )
        return self.cfn_event_destination


@jsii.implements(IStableListProducer)
class _ListProducer:
    def __init__(self, sources: ConfigurationSetSources) -> None:
        self._sources = sources

    def produce(self) -> list[str]:
        if self._sources.wildcard:
            return [self._sources.wildcard_arn]
        return list(self._sources._arns)


class ConfigurationSetSources:
    """The configuration sets allowed to publish to a shared resource (a stream or a topic).

    ``arns`` is a list token, resolved at synth time, for the ``aws:SourceArn`` condition that
    protects the resource from the confused-deputy problem: SES may act only on behalf of these
    configuration sets of this account. Sets added after the policy was written are included.

    The sets are listed one by one while their ARNs fit in ``room`` characters of the policy
    (each counted at its longest: :func:`ses_events.rules.source_arn_characters`); beyond, the
    condition names every configuration set of the account and Region (``configuration-set/*``),
    which still keeps other accounts out, and a warning says so at synth.

    :param scope: a construct in the stack of the shared resource.
    :param room: characters of the policy the ARNs may take (``rules.*_ARN_ROOM``).
    :param policy: what the policy is, for the warning ("the SES role's trust policy").
    """

    def __init__(
        self,
        scope: Construct,
        *,
        room: int = rules.TRUST_POLICY_ARN_ROOM,
        policy: str = "the policy",
    ) -> None:
        self._scope = scope
        self._arns: list[str] = []
        self._names: list[str] = []
        self._room = room
        self._policy = policy
        self._used = 0
        self.wildcard = False
        """Whether the condition names the account's sets with a wildcard (too many to list)."""
        self.wildcard_arn: str = Stack.of(scope).format_arn(
            service="ses",
            resource="configuration-set",
            resource_name="*",
            arn_format=ArnFormat.SLASH_RESOURCE_NAME,
        )
        self.arns: list[str] = Lazy.list(_ListProducer(self))

    def conditions(self, account: str) -> dict[str, dict[str, object]]:
        """``aws:SourceAccount`` equals ``account``; ``aws:SourceArn`` is like one of the sets."""
        return {
            "StringEquals": {"aws:SourceAccount": account},
            "ArnLike": {"aws:SourceArn": self.arns},
        }

    def add(self, configuration_set: EventPublishingConfigurationSet) -> None:
        self.add_arn(
            configuration_set.configuration_set_name, configuration_set.configuration_set_arn
        )

    def add_arn(self, name: str, arn: str) -> None:
        """Allow the set ``name`` with ARN ``arn`` (for sets built without a construct)."""
        if name in self._names:
            return
        self._names.append(name)
        self._arns.append(arn)
        self._used += rules.source_arn_characters(name)
        if not self.wildcard and self._used > self._room:
            self.wildcard = True
            Annotations.of(self._scope).add_warning_v2(
                "ses-events:source-arn-wildcard",
                f"{len(self._names)} configuration sets do not fit in {self._policy} (room for"
                f" {self._room} characters of ARNs): its aws:SourceArn condition names every"
                " configuration set of the account (configuration-set/*), still with"
                " aws:SourceAccount. Spread the sets over more archives or topics to keep exact"
                " lists.",
            )

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._names)
