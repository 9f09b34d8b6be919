"""The event types SES publishes, their spellings, metric names and EventBridge detail types."""

from __future__ import annotations

import enum
from collections.abc import Sequence


class EventType(enum.StrEnum):
    """The ten email sending event types SES publishes.

    The value is the spelling CloudFormation's ``MatchingEventTypes`` and the SES v1 API use.
    """

    SEND = "send"
    REJECT = "reject"
    BOUNCE = "bounce"
    COMPLAINT = "complaint"
    DELIVERY = "delivery"
    OPEN = "open"
    CLICK = "click"
    RENDERING_FAILURE = "renderingFailure"
    DELIVERY_DELAY = "deliveryDelay"
    SUBSCRIPTION = "subscription"

    @property
    def api_v2_name(self) -> str:
        """The SES API v2 spelling (``RENDERING_FAILURE``)."""
        return self.name

    @property
    def metric_name(self) -> str:
        """The CloudWatch metric name (namespace ``AWS/SES``) SES publishes these events under.

        The event-type names in their CloudWatch spelling: ``Send``, ``Delivery``, ``Bounce``,
        ``Complaint``, ``Reject``, ``Open``, ``Click``, ``RenderingFailure``, ``DeliveryDelay``,
        ``Subscription``. Sources: the CloudWatch User Guide, "Amazon SES metrics and dimensions"
        (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/ses-metricscollected.html)
        and the SES Developer Guide, "Retrieving Amazon SES event data from CloudWatch"
        (https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-cloudwatch.html),
        whose console labels ("Rendering Failures", "Delivery Delays") name the same metrics.
        """
        return _METRIC_NAMES[self]

    @property
    def eventbridge_detail_type(self) -> str:
        """The ``detail-type`` of the event SES puts on the default event bus.

        https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-ses.html
        """
        return _EVENTBRIDGE_DETAIL_TYPES[self]


_METRIC_NAMES = {
    EventType.SEND: "Send",
    EventType.REJECT: "Reject",
    EventType.BOUNCE: "Bounce",
    EventType.COMPLAINT: "Complaint",
    EventType.DELIVERY: "Delivery",
    EventType.OPEN: "Open",
    EventType.CLICK: "Click",
    EventType.RENDERING_FAILURE: "RenderingFailure",
    EventType.DELIVERY_DELAY: "DeliveryDelay",
    EventType.SUBSCRIPTION: "Subscription",
}


_EVENTBRIDGE_DETAIL_TYPES = {
    EventType.SEND: "Email Sent",
    EventType.REJECT: "Email Rejected",
    EventType.BOUNCE: "Email Bounced",
    EventType.COMPLAINT: "Email Complaint Received",
    EventType.DELIVERY: "Email Delivered",
    EventType.OPEN: "Email Opened",
    EventType.CLICK: "Email Clicked",
    EventType.RENDERING_FAILURE: "Email Rendering Failed",
    EventType.DELIVERY_DELAY: "Email Delivery Delayed",
    EventType.SUBSCRIPTION: "Email Subscribed",
}


_EVENT_TYPE_SPELLINGS = {
    spelling.lower().replace("_", "").replace("-", ""): event_type
    for event_type in EventType
    for spelling in (event_type.value, event_type.name)
}


EVENT_TYPE_RULE = (
    "must be one of " + ", ".join(e.value for e in EventType) + " (any case, '_' or '-' allowed)"
)


def parse_event_type(value: object) -> EventType | None:
    """Read an event type written as ``bounce``, ``BOUNCE``, ``renderingFailure`` or ``rendering_failure``.

    Returns ``None`` for anything else.
    """
    if isinstance(value, EventType):
        return value
    if not isinstance(value, str):
        return None
    return _EVENT_TYPE_SPELLINGS.get(value.lower().replace("_", "").replace("-", ""))


def event_type_selection(
    event_types: Sequence[str] | None,
) -> tuple[tuple[EventType, ...], list[tuple[str, object, str]]]:
    """The event types a destination publishes, in SES's order, and every broken rule as
    ``(field, value, rule)``: ``None`` means all ten; an empty list or a bare string is refused,
    as is a name SES does not know."""
    if event_types is None:
        return tuple(EventType), []
    if isinstance(event_types, str) or len(event_types) == 0:
        return (), [("event_types", event_types, "must list at least one event type")]
    chosen: set[EventType] = set()
    problems: list[tuple[str, object, str]] = []
    for index, value in enumerate(event_types):
        event_type = parse_event_type(value)
        if event_type is None:
            problems.append((f"event_types[{index}]", value, EVENT_TYPE_RULE))
        else:
            chosen.add(event_type)
    return tuple(event_type for event_type in EventType if event_type in chosen), problems
