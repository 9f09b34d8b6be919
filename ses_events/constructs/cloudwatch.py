"""CloudWatch event destination: SES event counts as CloudWatch metrics, split by dimensions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from constructs import Construct

from ses_events import render, rules
from ses_events.constructs.configuration_set import (
    ConfigurationSetLike,
    EventPublishingConfigurationSet,
)
from ses_events.constructs.event_destination import EventDestinationBase, EventTypeLike
from ses_events.rules import DimensionSource

__all__ = ["CloudWatchDimension", "CloudWatchEventDestination"]


@dataclass(frozen=True)
class CloudWatchDimension:
    """A CloudWatch dimension of SES event metrics: its name, where SES reads it, its default.

    SES publishes ``default_value`` when a message lacks the tag, header or link tag. Each
    distinct combination of dimension values is a custom metric that CloudWatch bills.

    Example::

        CloudWatchDimension.message_tag("campaign", default_value="none")
        CloudWatchDimension.email_header("X-Mailer", default_value="unknown")
        CloudWatchDimension.from_domain()  # the automatic tag ses:from-domain
    """

    name: str
    source: DimensionSource
    default_value: str

    @classmethod
    def message_tag(cls, name: str, *, default_value: str) -> CloudWatchDimension:
        """A dimension read from the message tag ``name``."""
        return cls(name, DimensionSource.MESSAGE_TAG, default_value)

    @classmethod
    def email_header(cls, name: str, *, default_value: str) -> CloudWatchDimension:
        """A dimension read from the email header ``name`` (some headers are refused by SES)."""
        return cls(name, DimensionSource.EMAIL_HEADER, default_value)

    @classmethod
    def link_tag(cls, name: str, *, default_value: str) -> CloudWatchDimension:
        """A dimension read from the link tag ``name`` of clicked links."""
        return cls(name, DimensionSource.LINK_TAG, default_value)

    @classmethod
    def automatic_tag(
        cls, tag: str, *, default_value: str = rules.AUTOMATIC_TAG_DEFAULT_VALUE
    ) -> CloudWatchDimension:
        """A dimension read from one of the tags SES adds itself (``ses:from-domain``, ...)."""
        return cls(tag, DimensionSource.MESSAGE_TAG, default_value)

    @classmethod
    def configuration_set(cls) -> CloudWatchDimension:
        """``ses:configuration-set``: the configuration set the message was sent with."""
        return cls.automatic_tag("ses:configuration-set")

    @classmethod
    def caller_identity(cls) -> CloudWatchDimension:
        """``ses:caller-identity``: the IAM identity that called SES."""
        return cls.automatic_tag("ses:caller-identity")

    @classmethod
    def from_domain(cls) -> CloudWatchDimension:
        """``ses:from-domain``: the domain of the From address."""
        return cls.automatic_tag("ses:from-domain")

    @classmethod
    def source_ip(cls) -> CloudWatchDimension:
        """``ses:source-ip``: the IP address the caller sent the request from."""
        return cls.automatic_tag("ses:source-ip")

    @classmethod
    def outgoing_ip(cls) -> CloudWatchDimension:
        """``ses:outgoing-ip``: the IP address SES sent the message from."""
        return cls.automatic_tag("ses:outgoing-ip")


class CloudWatchEventDestination(EventDestinationBase):
    """Publish SES events of a configuration set as CloudWatch metrics (namespace ``AWS/SES``).

    Example::

        from ses_events.constructs import CloudWatchDimension, CloudWatchEventDestination

        CloudWatchEventDestination(
            stack, "MarketingMetrics",
            configuration_set=marketing,
            dimensions=[
                CloudWatchDimension.configuration_set(),
                CloudWatchDimension.message_tag("campaign", default_value="none"),
            ],
            event_types=["send", "delivery", "bounce", "complaint"],
        )

    :param configuration_set: the configuration set that publishes the events: one of ours, or an
        existing one (an ``aws_ses.IConfigurationSet`` or its name).
    :param dimensions: up to 10 dimensions. Default: ``ses:configuration-set`` only.
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
        dimensions: Sequence[CloudWatchDimension] | None = None,
        destination_name: str | None = None,
        event_types: Sequence[EventTypeLike] | None = None,
        enabled: bool = True,
    ) -> None:
        configuration_set = EventPublishingConfigurationSet.of(scope, configuration_set)
        chosen = (
            tuple(dimensions)
            if dimensions is not None
            else (CloudWatchDimension.configuration_set(),)
        )
        super().__init__(
            scope,
            id,
            configuration_set=configuration_set,
            destination_name=destination_name,
            event_types=event_types,
            enabled=enabled,
            check_kind=lambda problems: problems.extend(
                rules.dimension_problems(chosen, undecided=problems.undecided)
            ),
        )
        self.dimensions: tuple[CloudWatchDimension, ...] = chosen
        """The dimensions SES publishes the metrics with."""
        self.dimension_names: tuple[str, ...] = tuple(d.name for d in chosen)
        """Their names, in order."""
        configuration_set.add_cloudwatch_destination(self)
        self._create_event_destination(
            render.cloudwatch_target((d.name, d.source.value, d.default_value) for d in chosen)
        )
