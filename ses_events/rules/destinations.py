"""Event destinations: names, quotas, CloudWatch dimensions, the event bus."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Protocol

from ses_events.rules.base import PatternRule, Undecided, _never, duplicates
from ses_events.rules.configuration_sets import SES_AUTOMATIC_TAGS
from ses_events.rules.event_types import EventType
from ses_events.tokens import must_be_known

# Event destination names: SES API reference, EventDestination.Name ("can contain no more than 64
# characters; ASCII letters, numbers, underscores, dashes"). The CloudFormation schema allows an
# empty name ({0,64}); SES does not, and we always set one.
# https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_EventDestinationDefinition.html
EVENT_DESTINATION_NAME = PatternRule(
    r"[a-zA-Z0-9_-]{1,64}", "1 to 64 ASCII letters, digits, '_' or '-'"
)


# CloudWatch dimensions. The SES API reference (v1, CloudWatchDimensionConfiguration) allows in a
# dimension name ASCII letters, digits, '_', '-' and ':' (the colon is what lets the automatic tags
# such as ses:from-domain be dimensions), and in a default value ASCII letters, digits, '_', '-',
# '@' and '.'. The CloudFormation schema of AWS::SES::ConfigurationSetEventDestination
# (DefaultDimensionValue ^[a-zA-Z0-9_-]{1,256}$) leaves out '@' and '.': we follow SES, so a
# default such as "noreply@example.com" is accepted here (cfn-lint will flag it; SES takes it).
# https://docs.aws.amazon.com/ses/latest/APIReference/API_CloudWatchDimensionConfiguration.html
# https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_CloudWatchDimensionConfiguration.html
DIMENSION_NAME = PatternRule(
    r"[a-zA-Z0-9_:-]{1,256}", "1 to 256 ASCII letters, digits, '_', '-' or ':'"
)


DIMENSION_DEFAULT_VALUE = PatternRule(
    r"[a-zA-Z0-9_.@-]{1,256}", "1 to 256 ASCII letters, digits, '_', '-', '@' or '.'"
)


# Email headers that SES refuses as CloudWatch dimensions (compared without regard to case).
# https://docs.aws.amazon.com/ses/latest/dg/event-publishing-add-event-destination-cloudwatch.html
FORBIDDEN_HEADER_DIMENSIONS = frozenset(
    h.lower()
    for h in ("Received", "To", "From", "DKIM-Signature", "CC", "message-id", "Return-Path")
)


# Quotas on event publishing: at most 10 event destinations per configuration set, and at most
# 10 dimensions per CloudWatch event destination.
# https://docs.aws.amazon.com/ses/latest/dg/quotas.html
MAX_DESTINATIONS_PER_CONFIGURATION_SET = 10


MAX_DIMENSIONS_PER_CLOUDWATCH_DESTINATION = 10


# SES accepts only the account's default event bus as an EventBridge event destination.
# https://docs.aws.amazon.com/ses/latest/dg/event-publishing-add-event-destination-eventbridge.html
DEFAULT_EVENT_BUS_NAME = "default"


class DimensionSource(enum.StrEnum):
    """Where SES reads the value of a CloudWatch dimension (CloudFormation spelling)."""

    MESSAGE_TAG = "messageTag"
    """A message tag, set through the API or the ``X-SES-MESSAGE-TAGS`` header."""
    EMAIL_HEADER = "emailHeader"
    """An email header of the message; the dimension name is the header name."""
    LINK_TAG = "linkTag"
    """A tag on a link in the message (``ses:tags="name:value"``)."""


def dimension_value_varies(source: DimensionSource, event_type: str) -> bool:
    """Whether SES publishes events of ``event_type`` with a value read from ``source``, or
    always with the dimension's default value.

    Message tags and email headers belong to the message: every event of it carries them. A
    link tag belongs to a link ("Can I tag links with unique identifiers?": the ``ses:tags``
    of a link "are passed through to your event publishing destination so that you can perform
    additional analysis on the specific links that your users clicked", SES Developer Guide,
    https://docs.aws.amazon.com/ses/latest/dg/faqs-metrics.html), and only a click involves a
    link: the click event record alone has ``linkTags``
    (https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-firehose-contents.html).
    Every other event type publishes a link-tag dimension with its default value.
    """
    if source is DimensionSource.LINK_TAG:
        return event_type == EventType.CLICK.value
    return True


class Dimension(Protocol):
    """What the dimension rules look at: a CloudWatch dimension's name, source and default."""

    @property
    def name(self) -> str: ...
    @property
    def source(self) -> DimensionSource: ...
    @property
    def default_value(self) -> str: ...


def dimension_problems(
    dimensions: Sequence[Dimension], *, undecided: Undecided = _never
) -> list[tuple[str, object, str]]:
    """Every way ``dimensions`` break the SES rules of one CloudWatch event destination.

    Returns ``(field, value, rule)`` triples; fields are relative (``dimensions[2].name``). A
    default value that is ``undecided`` (a token) is left to CloudFormation; a name may not be
    one: metrics, dashboards and alarms are keyed by it.
    """
    found: list[tuple[str, object, str]] = []
    if len(dimensions) == 0:
        found.append(("dimensions", [], "must list at least one dimension"))
    if len(dimensions) > MAX_DIMENSIONS_PER_CLOUDWATCH_DESTINATION:
        found.append(
            (
                "dimensions",
                f"{len(dimensions)} dimensions",
                f"SES allows at most {MAX_DIMENSIONS_PER_CLOUDWATCH_DESTINATION} dimensions per"
                " CloudWatch event destination",
            )
        )
    for index, dimension in enumerate(dimensions):
        field = f"dimensions[{index}]"
        for part, value, rule in (
            ("name", dimension.name, DIMENSION_NAME),
            ("default_value", dimension.default_value, DIMENSION_DEFAULT_VALUE),
        ):
            violation = rule.violation(value)
            if violation is not None and undecided(value):
                if part == "default_value":
                    continue
                violation = must_be_known(
                    "the set's metrics, dashboards and alarms are keyed by the dimension's name",
                    "write the name in the code",
                )
            if violation is not None:
                found.append((f"{field}.{part}", value, violation))
        reserved = (
            ses_dimension_name_problem(dimension.name) if isinstance(dimension.name, str) else None
        )
        if reserved is not None:
            found.append((f"{field}.name", dimension.name, reserved))
        if (
            dimension.source == DimensionSource.EMAIL_HEADER
            and dimension.name.lower() in FORBIDDEN_HEADER_DIMENSIONS
        ):
            found.append(
                (
                    f"{field}.name",
                    dimension.name,
                    "SES does not accept this email header as a dimension (Received, To, From,"
                    " DKIM-Signature, CC, message-id and Return-Path are refused)",
                )
            )
    for name in duplicates(d.name for d in dimensions):
        found.append(("dimensions", name, "dimension names must be unique within a destination"))
    return found


def new_destination_problem(existing: Sequence[str], name: str) -> str | None:
    """The rule an event destination named ``name`` breaks when added to a set whose
    destinations are ``existing``: names are unique within a set, and SES allows at most
    :data:`MAX_DESTINATIONS_PER_CONFIGURATION_SET` per set. The spec and the constructs both ask
    this, destination by destination."""
    if name in existing:
        return "is already the name of another event destination of this configuration set"
    if len(existing) >= MAX_DESTINATIONS_PER_CONFIGURATION_SET:
        return (
            f"would be event destination number {len(existing) + 1}: SES allows at most"
            f" {MAX_DESTINATIONS_PER_CONFIGURATION_SET} event destinations per configuration set"
        )
    return None


def ses_dimension_name_problem(name: str) -> str | None:
    """A dimension named ``ses:...`` must be one of SES's automatic tags: other names with the
    prefix are reserved by SES and never carry a value."""
    if name.lower().startswith("ses:") and name not in SES_AUTOMATIC_TAGS:
        return (
            "the 'ses:' prefix is SES's own: use one of its automatic tags "
            + ", ".join(SES_AUTOMATIC_TAGS)
            + ", or a name without the prefix"
        )
    return None


MAX_TOPIC_DISPLAY_NAME_CHARACTERS = 100
"""An SNS topic's DisplayName: at most 100 characters, for SMS (SNS API reference,
SetTopicAttributes)."""
