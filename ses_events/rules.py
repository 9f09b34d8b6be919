"""The Amazon SES rules that ses-events enforces, in one place.

Every name pattern, quota and closed set that the spec, the constructs and (later) the sender
helpers check lives here, with the source it comes from. Nothing in this module touches jsii or
CloudFormation, so it is cheap to call and easy to test.

Where the SES API reference and the CloudFormation resource schema disagree, SES wins: SES is
what accepts or rejects the call when CloudFormation creates the resource.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from ses_events.tokens import must_be_known

__all__ = [
    "CONFIGURATION_SET_NAME",
    "DEFAULT_EVENT_BUS_NAME",
    "DIMENSION_DEFAULT_VALUE",
    "DIMENSION_NAME",
    "EVENT_DESTINATION_NAME",
    "FORBIDDEN_HEADER_DIMENSIONS",
    "MAX_DELIVERY_SECONDS",
    "MAX_DESTINATIONS_PER_CONFIGURATION_SET",
    "MAX_DIMENSIONS_PER_CLOUDWATCH_DESTINATION",
    "MESSAGE_TAG_NAME",
    "MESSAGE_TAG_VALUE",
    "MIN_DELIVERY_SECONDS",
    "SES_AUTOMATIC_TAGS",
    "ArchiveAlarm",
    "DimensionSource",
    "EventType",
    "PatternRule",
    "SetOptionValues",
    "archive_alarms",
    "parse_event_type",
    "set_option_problems",
]


@dataclass(frozen=True)
class PatternRule:
    """A regular expression that a whole value must match, with a sentence that says it."""

    pattern: str
    description: str

    def violation(self, value: object) -> str | None:
        """Return the rule as a sentence if ``value`` breaks it, else ``None``."""
        if not isinstance(value, str) or re.fullmatch(self.pattern, value) is None:
            return f"must be {self.description} (pattern {self.pattern})"
        return None


def _never(value: object) -> bool:
    return False


Undecided = Callable[[object], bool]
"""Whether a check cannot judge a value at synth: a CDK token, in a construct
(``Problems.undecided``); the spec and the local AWS only see concrete values (:func:`_never`)."""


# Configuration set names: SES API v2 CreateConfigurationSet and the CloudFormation schema of
# AWS::SES::ConfigurationSet (property Name, pattern ^[a-zA-Z0-9_-]{1,64}$) agree.
# https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ses-configurationset.html
CONFIGURATION_SET_NAME = PatternRule(
    r"[a-zA-Z0-9_-]{1,64}", "1 to 64 ASCII letters, digits, '_' or '-'"
)

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


class SetOptionValues(Protocol):
    """A configuration set's options as :func:`set_option_problems` sees them (plain data:
    ``ses_events.model.SetOptions``)."""

    @property
    def suppression_reasons(self) -> tuple[str, ...] | None: ...

    @property
    def disable_suppression_list(self) -> bool: ...

    @property
    def validation_enabled(self) -> bool | None: ...

    @property
    def validation_threshold(self) -> str | None: ...

    @property
    def custom_redirect_domain(self) -> str | None: ...

    @property
    def https_policy(self) -> str | None: ...


CONFIDENCE_VERDICT_THRESHOLDS = ("MEDIUM", "HIGH", "MANAGED")
"""Auto Validation's thresholds (AWS::SES::ConfigurationSet ``ConfidenceVerdictThreshold``)."""
TRACKING_HTTPS_POLICIES = ("REQUIRE", "REQUIRE_OPEN_ONLY", "OPTIONAL")
"""Tracking links' HTTPS policies (AWS::SES::ConfigurationSet ``TrackingOptions.HttpsPolicy``,
https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_TrackingOptions.html)."""


def set_option_problems(
    options: SetOptionValues, names: Callable[[str], str]
) -> list[tuple[str, str]]:
    """Options of a set that contradict each other, as ``(option, rule)``; ``names`` gives the
    caller's spelling of an option in the rule's sentence (a construct's parameter, a spec's
    field).

    The same three that aws-cdk-lib's ``aws_ses.ConfigurationSet`` refuses: suppression reasons
    while the account's suppression list is turned off (SES would get both an empty and a
    non-empty ``SuppressedReasons``), a confidence threshold while Auto Validation is turned off,
    and a tracking HTTPS policy without a custom redirect domain (``TrackingOptions`` is the
    custom domain's; https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_TrackingOptions.html).
    """
    found: list[tuple[str, str]] = []
    if options.disable_suppression_list and options.suppression_reasons is not None:
        found.append(
            (
                "suppression_reasons",
                f"cannot be set while {names('disable_suppression_list')} turns the account's"
                " suppression list off",
            )
        )
    if options.validation_enabled is False and options.validation_threshold is not None:
        found.append(
            (
                "validation_threshold",
                f"cannot be set while {names('validation_enabled')} turns Auto Validation off",
            )
        )
    if options.https_policy is not None and options.custom_redirect_domain is None:
        found.append(("https_policy", f"needs {names('custom_redirect_domain')}"))
    return found


# Quotas on event publishing: at most 10 event destinations per configuration set, and at most
# 10 dimensions per CloudWatch event destination.
# https://docs.aws.amazon.com/ses/latest/dg/quotas.html
MAX_DESTINATIONS_PER_CONFIGURATION_SET = 10
MAX_DIMENSIONS_PER_CLOUDWATCH_DESTINATION = 10

# CloudFormation's quotas on a stack: 500 resources, and a template of 1 MB (uploaded to S3).
# https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
MAX_RESOURCES_PER_STACK = 500
MAX_TEMPLATE_BYTES = 1_000_000

# DeliveryOptions.MaxDeliverySeconds: 300 to 50400 seconds (5 minutes to 14 hours).
# https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_DeliveryOptions.html
MIN_DELIVERY_SECONDS = 300
MAX_DELIVERY_SECONDS = 50_400

# SES accepts only the account's default event bus as an EventBridge event destination.
# https://docs.aws.amazon.com/ses/latest/dg/event-publishing-add-event-destination-eventbridge.html
DEFAULT_EVENT_BUS_NAME = "default"

# Message tags that senders set: ASCII letters, digits, '_' and '-', at most 256 characters; the
# "ses:" prefix is reserved for the automatic tags SES adds itself.
# https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_MessageTag.html
MESSAGE_TAG_NAME = PatternRule(
    r"[a-zA-Z0-9_-]{1,256}", "1 to 256 ASCII letters, digits, '_' or '-'"
)
MESSAGE_TAG_VALUE = MESSAGE_TAG_NAME

# Tags SES adds to every message sent through a configuration set.
# https://docs.aws.amazon.com/ses/latest/dg/event-publishing-how-works.html
SES_AUTOMATIC_TAGS = (
    "ses:configuration-set",
    "ses:caller-identity",
    "ses:from-domain",
    "ses:source-ip",
    "ses:outgoing-ip",
)
# SES always sets the automatic tags, so their dimension default is only ever a formality.
AUTOMATIC_TAG_DEFAULT_VALUE = "unknown"


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


def duplicates(values: Iterable[str], *, fold_case: bool = False) -> list[str]:
    """Values that appear more than once, in the order they first repeat."""
    seen: set[str] = set()
    repeated: list[str] = []
    for value in values:
        key = value.lower() if fold_case else value
        if key in seen and value not in repeated:
            repeated.append(value)
        seen.add(key)
    return repeated


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


# --- CloudWatch: where SES publishes metrics, what AWS reviews, and CloudWatch's own limits ------

SES_METRIC_NAMESPACE = "AWS/SES"
"""Namespace of every SES metric, account-level and event publishing alike."""

REPUTATION_BOUNCE_RATE_METRIC = "Reputation.BounceRate"
REPUTATION_COMPLAINT_RATE_METRIC = "Reputation.ComplaintRate"
"""SES reputation metrics: account-level without dimensions, per configuration set with the
``ses:configuration-set`` dimension when the set's reputation metrics are enabled. Their values are
fractions from 0 to 1, not percentages ("multiply by 100 to get the percentage"): SES Developer
Guide, "Creating reputation monitoring alarms using CloudWatch"
(https://docs.aws.amazon.com/ses/latest/dg/reputationdashboard-cloudwatch-alarm.html)."""

CONFIGURATION_SET_DIMENSION = "ses:configuration-set"
"""The automatic tag (and dimension) naming the configuration set a message was sent with."""

BOUNCE_RATE_REVIEW = 0.05
BOUNCE_RATE_PAUSE = 0.10
COMPLAINT_RATE_REVIEW = 0.001
COMPLAINT_RATE_PAUSE = 0.005
"""AWS review thresholds, as fractions. A bounce rate of 5% or more puts the account under review,
10% or more may pause sending; for complaints 0.1% and 0.5%. SES Developer Guide, "Sending review
process FAQs" (https://docs.aws.amazon.com/ses/latest/dg/faqs-enforcement.html) and the reputation
metrics page (https://docs.aws.amazon.com/ses/latest/dg/reputationdashboard.html)."""

FIREHOSE_METRIC_NAMESPACE = "AWS/Firehose"
"""Firehose metrics (``IncomingRecords``, ``DeliveryToS3.Success``, ``DeliveryToS3.DataFreshness``)
with the ``DeliveryStreamName`` dimension: Firehose Developer Guide, "Data delivery CloudWatch
metrics" (https://docs.aws.amazon.com/firehose/latest/dev/monitoring-with-cloudwatch-metrics.html)."""

MAX_WIDGETS_PER_DASHBOARD = 500
MAX_METRICS_PER_WIDGET = 500
MAX_METRICS_PER_DASHBOARD = 2500
MAX_ALARMS_PER_ALARM_STATUS_WIDGET = 100
"""CloudWatch dashboard quotas: up to 500 widgets per dashboard, 500 metrics per widget and 2,500
metrics per dashboard across widgets (CloudWatch User Guide, "CloudWatch service quotas",
https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html); an alarm
status widget shows at most 100 alarms (dashboard body reference, "Properties of an Alarm Status
Widget Object")."""

MAX_DASHBOARD_BODY_BYTES = 100_000
"""Our own budget per dashboard body, well below what CloudFormation and PutDashboard accept, so
that many dashboards fit in one template (the template itself is limited to 1 MB)."""

MAX_METRICS_INSIGHTS_ALARMS = 200
"""Default quota of alarms on Metrics Insights queries, per account and Region (CloudWatch service
quotas; adjustable). Such alarms evaluate only the latest 3 hours of data."""

MAX_ALARM_NAME_LENGTH = 255
MAX_DASHBOARD_NAME_LENGTH = 255
DASHBOARD_NAME = PatternRule(
    r"[A-Za-z0-9_-]{1,255}",
    "1 to 255 ASCII letters, digits, '_' or '-' (CloudWatch dashboard names)",
)
ALARM_NAME_PREFIX = PatternRule(
    r"[A-Za-z0-9_-]{1,100}",
    "1 to 100 ASCII letters, digits, '_' or '-'",
)


def rate_threshold_problems(
    warning: float | None, critical: float | None
) -> list[tuple[str, object, str]]:
    """Problems of a rate alarm's two levels, as ``(field, value, rule)`` triples.

    Rates are fractions from 0 to 1 (0.05 is 5%), and the warning level may not lie above the
    critical one.
    """
    found: list[tuple[str, object, str]] = []
    for field, value in (("warning", warning), ("critical", critical)):
        if value is not None and not 0 < value <= 1:
            found.append(
                (
                    field,
                    value,
                    "must be a fraction above 0 and at most 1 (0.05 means 5%): SES rates are"
                    " fractions, not percentages",
                )
            )
    if not found and warning is not None and critical is not None and warning > critical:
        found.append(("warning", warning, f"must not be above the critical level {critical}"))
    return found


EMAIL_ADDRESS = PatternRule(r"[^@\s]+@[^@\s]+\.[^@\s]+", "an email address such as ops@example.com")
"""A plausible email address (for alarm notification subscriptions); SNS confirms the rest."""


def source_arn_characters(name: str) -> int:
    """Characters the ``aws:SourceArn`` entry of the set ``name`` takes in a policy, counted at
    its longest (the longest partition and Region names): a policy that fits here fits wherever
    it is deployed."""
    return len(name) + CONFIGURATION_SET_ARN_OVERHEAD


TRUST_POLICY_ARN_ROOM = 1_600
"""Room for the listed ARNs in a role trust policy: 2,048 characters
(:data:`MAX_TRUST_POLICY_CHARACTERS`) less about 450 for the principal, action and the other
condition (the rest of the policy takes about 230). About 20 sets of 10-character names."""
SNS_TOPIC_POLICY_ARN_ROOM = 26_000
"""Room for the listed ARNs in an SNS event topic's policy: 30 KB less the TLS statement, the
alarm or subscription statements and a margin."""
KMS_KEY_POLICY_ARN_ROOM = 28_000
"""Room for the listed ARNs in a topic key's policy: 32 KB less the account's statement and a
margin."""


# --- Which metrics and alarms a set has (computed once: the spec, the layout and the constructs)


class SesAlarm(enum.StrEnum):
    """The alarms a configuration set can have; the spec lists them by these values."""

    BOUNCE_RATE = "bounce_rate"
    COMPLAINT_RATE = "complaint_rate"
    RENDERING_FAILURES = "rendering_failures"
    REJECTS = "rejects"
    DELIVERY_DELAYS = "delivery_delays"


REPUTATION_ALARMS = (SesAlarm.BOUNCE_RATE, SesAlarm.COMPLAINT_RATE)
"""Alarms on the set's ``Reputation.*`` metrics: a warning and a critical alarm each."""
COUNT_ALARM_EVENT_TYPES: dict[SesAlarm, EventType] = {
    SesAlarm.RENDERING_FAILURES: EventType.RENDERING_FAILURE,
    SesAlarm.REJECTS: EventType.REJECT,
    SesAlarm.DELIVERY_DELAYS: EventType.DELIVERY_DELAY,
}
"""Alarms on an event count, one alarm each, and the event type they count."""


class MetricDestination(Protocol):
    """A CloudWatch event destination as the metric rules see it (plain data)."""

    @property
    def enabled(self) -> bool: ...

    @property
    def published_event_types(self) -> Collection[EventType]: ...

    @property
    def dimension_names(self) -> Sequence[str]: ...


_Destination = TypeVar("_Destination", bound=MetricDestination)


def metric_sources(destinations: Iterable[_Destination]) -> dict[EventType, _Destination]:
    """For each event type in a set's metrics, the destination they come from: the first
    enabled CloudWatch destination publishing it with the ``ses:configuration-set`` dimension
    (without that dimension, a set's events cannot be told from another set's)."""
    found: dict[EventType, _Destination] = {}
    for destination in destinations:
        if not destination.enabled:
            continue
        if CONFIGURATION_SET_DIMENSION not in destination.dimension_names:
            continue
        for event_type in destination.published_event_types:
            found.setdefault(event_type, destination)
    return found


def alarm_support(
    reputation_metrics: bool, published: Collection[EventType]
) -> dict[SesAlarm, str]:
    """Each alarm kind, with ``""`` when a set supports it or the reason it does not."""
    reasons: dict[SesAlarm, str] = {}
    for kind in REPUTATION_ALARMS:
        reasons[kind] = (
            ""
            if reputation_metrics
            else "needs reputation metrics enabled on the configuration set"
            " (reputation_metrics: true)"
        )
    for kind, event_type in COUNT_ALARM_EVENT_TYPES.items():
        reasons[kind] = (
            ""
            if event_type in published
            else f"needs a CloudWatch event destination publishing {event_type.value} events"
            f" with the {CONFIGURATION_SET_DIMENSION} dimension"
        )
    return reasons


def alarm_resources(chosen: Iterable[SesAlarm], *, composite: bool) -> int:
    """CloudFormation resources of a set's alarms: two per reputation alarm, one per count
    alarm, and the composite alarm when asked for and the set has a critical alarm (every alarm
    but delivery delays is critical at some level)."""
    kinds = set(chosen)
    count = sum(2 if kind in REPUTATION_ALARMS else 1 for kind in kinds)
    return count + int(composite and any(k is not SesAlarm.DELIVERY_DELAYS for k in kinds))


class ArchiveAlarm(enum.StrEnum):
    """The alarms of a Firehose event archive (``FirehoseArchiveAlarms``), by what they watch."""

    DATA_FRESHNESS = "data-freshness"
    S3_DELIVERY = "s3-delivery"
    THROTTLED_RECORDS = "throttled-records"
    PARTITION_LIMIT = "partition-limit"
    FORMAT_CONVERSION = "format-conversion"
    """Parquet archives only: records that failed conversion."""


def archive_alarms(*, parquet: bool) -> tuple[ArchiveAlarm, ...]:
    """The alarms an archive gets (one resource each): all of them for a Parquet archive, all
    but the format conversion's for a JSON one. The construct makes these; the layout counts
    them."""
    return tuple(a for a in ArchiveAlarm if parquet or a is not ArchiveAlarm.FORMAT_CONVERSION)


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


PARQUET_BLOCK_COMPRESSION = {"GZIP": "GZIP", "Snappy": "SNAPPY", "UNCOMPRESSED": "UNCOMPRESSED"}
"""The archive compressions a Parquet archive can use, and Firehose's ParquetSerDe name for each
(``ParquetSerDe.Compression``: GZIP, SNAPPY or UNCOMPRESSED,
https://docs.aws.amazon.com/firehose/latest/APIReference/API_ParquetSerDe.html)."""
PARQUET_COMPRESSION_RULE = "Parquet blocks are compressed with GZIP or Snappy, or not at all"


# --- Quotas that span a spec ------------------------------------------------------------------

MAX_CONFIGURATION_SETS_PER_REGION = 10_000
"""SES allows 10,000 configuration sets per account and Region, not adjustable (SES Developer
Guide, "Service quotas in Amazon SES", quotas related to event publishing,
https://docs.aws.amazon.com/ses/latest/dg/quotas.html)."""

MAX_STACKS_PER_REGION = 2_000
"""CloudFormation's default quota of stacks per account and Region ("AWS CloudFormation quotas",
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html). A
layout file's stack numbers are checked against it."""


# --- Names of other things a configuration set refers to ---------------------------------------

# Dedicated IP pool names: lowercase ASCII letters, digits, '_' and '-', at most 64 characters
# (CloudFormation schema of AWS::SES::DedicatedIpPool, PoolName ^[a-z0-9_-]{0,64}$; aws-cdk-lib's
# DedicatedIpPool checks the same). A configuration set names an existing pool, so the name is
# not empty.
# https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ses-dedicatedippool.html
DEDICATED_IP_POOL_NAME = PatternRule(
    r"[a-z0-9_-]{1,64}", "1 to 64 lowercase ASCII letters, digits, '_' or '-'"
)

# The custom redirect domain of open and click tracking is a domain name: labels of 1 to 63
# letters, digits and hyphens (not at either end), separated by dots, 253 characters at most,
# with at least two labels (RFC 1035 section 2.3.4, RFC 1123 section 2.1). SES asks for a
# subdomain you own, such as track.example.com.
# https://docs.aws.amazon.com/ses/latest/dg/configure-custom-open-click-domains.html
DOMAIN_NAME = PatternRule(
    r"(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?",
    "a domain name such as track.example.com (labels of 1 to 63 letters, digits or '-', not"
    " starting or ending with '-', 253 characters at most)",
)


# --- Resource tags ------------------------------------------------------------------------------

# AWS resource tags: a key of 1 to 128 and a value of 0 to 256 Unicode letters, digits, spaces and
# _ . : / = + - @; the "aws:" prefix is reserved; at most 50 tags per resource ("Tagging AWS
# resources", tag naming limits and requirements,
# https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html#tag-conventions; the
# CloudFormation Tag type, https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-resource-tags.html).
MAX_TAGS_PER_RESOURCE = 50
_TAG_CHARACTERS = (
    r"[\w \u00a0\u3000.:/=+\-@]"  # \w: Unicode letters, digits, '_'; spaces, not line breaks
)
TAG_KEY = PatternRule(
    rf"{_TAG_CHARACTERS}{{1,128}}",
    "1 to 128 letters, digits, spaces or _ . : / = + - @",
)
TAG_VALUE = PatternRule(
    rf"{_TAG_CHARACTERS}{{0,256}}", "0 to 256 letters, digits, spaces or _ . : / = + - @"
)


def tag_problems(
    tags: object, *, reserved: int = 0, undecided: Undecided = _never
) -> list[tuple[str, object, str]]:
    """Problems of a mapping of resource tags, as ``(field, value, rule)`` triples.

    ``reserved`` counts tags added to the same resource from elsewhere (a stack's tags); a key or
    value that is ``undecided`` (a token) is left to CloudFormation.
    """
    found: list[tuple[str, object, str]] = []
    if not isinstance(tags, dict):
        return [("tags", tags, "must be a mapping of tag keys to values")]
    if len(tags) + reserved > MAX_TAGS_PER_RESOURCE:
        found.append(
            (
                "tags",
                f"{len(tags) + reserved} tags",
                f"AWS allows at most {MAX_TAGS_PER_RESOURCE} tags per resource",
            )
        )
    for key, value in tags.items():
        for rule, part in ((TAG_KEY, key), (TAG_VALUE, value)):
            violation = rule.violation(part)
            if violation is not None and not undecided(part):
                found.append((f"tags[{key!r}]", part, violation))
        if isinstance(key, str) and key.lower().startswith("aws:"):
            found.append((f"tags[{key!r}]", key, "the 'aws:' prefix is reserved for AWS"))
    return found


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


# --- Policy sizes: how many configuration sets a shared policy can list -----------------------

MAX_TRUST_POLICY_CHARACTERS = 2_048
"""IAM role trust policy, default quota ("IAM and AWS STS quotas",
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html; whitespace is not
counted)."""
MAX_SNS_TOPIC_POLICY_BYTES = 30 * 1024
"""SNS topic policy ("Amazon SNS API permissions: Actions and resources reference", policy
quotas: 30 KB, https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-language-api-permissions-reference.html)."""
MAX_KMS_KEY_POLICY_BYTES = 32 * 1024
"""KMS key policy document ("AWS KMS quotas", key policy document size: 32 KB,
https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html)."""

CONFIGURATION_SET_ARN_OVERHEAD = len(
    '"arn:aws-us-gov:ses:ap-southeast-5:123456789012:configuration-set/",'
)
"""Characters an ``aws:SourceArn`` entry takes beside the set name, at the longest partition
and Region names (the ARN, its quotes and a comma)."""

# The MailManager archive a configuration set keeps its mail in (SES API v2, ArchivingOptions,
# ArchiveArn: 20 to 1011 characters, pattern below).
# https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_ArchivingOptions.html
MAILMANAGER_ARCHIVE_ARN = PatternRule(
    r"arn:(aws|aws-[a-z-]+):ses:[a-z]{2,4}-[a-z-]+-[0-9]:[0-9]{1,20}:mailmanager-archive/a-[a-z0-9]{24,62}",
    "the ARN of a MailManager archive",
)

FIREHOSE_BUFFER_MIB = (64, 128)
FIREHOSE_BUFFER_SECONDS = (60, 900)
"""Buffering of a Firehose stream with dynamic partitioning (the archive partitions by set):
64 to 128 MiB and 60 to 900 seconds ("Dynamic partitioning", Firehose Developer Guide,
https://docs.aws.amazon.com/firehose/latest/dev/dynamic-partitioning.html)."""
FIREHOSE_STREAM_NAME = r"[a-zA-Z0-9_.-]{1,64}"
"""A delivery stream name: 1 to 64 of ``[a-zA-Z0-9_.-]`` (Firehose API reference,
https://docs.aws.amazon.com/firehose/latest/APIReference/API_CreateDeliveryStream.html)."""

MAX_FIREHOSE_DATA_AGE_SECONDS = 86_400
"""Firehose keeps records it cannot deliver for at most 24 hours: a freshness alarm above that
could never fire ("Data delivery failure handling", Firehose Developer Guide,
https://docs.aws.amazon.com/firehose/latest/dev/basic-deliver.html#retry)."""

MAX_STACK_DESCRIPTION_CHARACTERS = 1_024
"""A CloudFormation template's Description: at most 1,024 bytes ("Template format: Description",
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-description-structure.html)."""
MAX_TOPIC_DISPLAY_NAME_CHARACTERS = 100
"""An SNS topic's DisplayName: at most 100 characters, for SMS (SNS API reference,
SetTopicAttributes)."""


# --- S3 lifecycle of the event archive ----------------------------------------------------------

MIN_DAYS_BEFORE_INFREQUENT_ACCESS = 30
"""S3 moves objects to Standard-IA only after 30 days, and keeps them there 30 days at least
before a further transition ("Transitioning objects using Amazon S3 Lifecycle", constraints,
https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html)."""
DEFAULT_NONCURRENT_VERSION_DAYS = 30
"""ses-events' default: an old version of an event object (after an overwrite or a delete) is
kept 30 days, time to undo a mistake without keeping personal data forever."""


def retention_problems(
    expire: int | None, infrequent_access: int | None, glacier: int | None
) -> list[tuple[str, object, str]]:
    """Problems of an archive's retention in days, as ``(field, value, rule)`` triples (fields:
    ``expiration``, ``infrequent_access_after``, ``glacier_after``)."""
    found: list[tuple[str, object, str]] = []
    for field, value in (
        ("infrequent_access_after", infrequent_access),
        ("glacier_after", glacier),
    ):
        if value is not None and expire is not None and value >= expire:
            found.append((field, f"{value} days", f"must come before expiration ({expire} days)"))
    if (
        infrequent_access is not None
        and glacier is not None
        and glacier < infrequent_access + MIN_DAYS_BEFORE_INFREQUENT_ACCESS
    ):
        found.append(
            (
                "glacier_after",
                f"{glacier} days",
                f"must be at least {MIN_DAYS_BEFORE_INFREQUENT_ACCESS} days after"
                " infrequent_access_after (S3 keeps objects in Standard-IA that long at least)",
            )
        )
    return found


# --- Glue and Athena (the archive's query layer) ------------------------------------------------

# Athena reads database, table and column names written in lowercase letters, digits and '_'
# (at most 255 characters): "Name databases, tables, and columns", Athena User Guide,
# https://docs.aws.amazon.com/athena/latest/ug/tables-databases-columns-names.html
GLUE_NAME = PatternRule(r"[a-z0-9_]{1,255}", "1 to 255 lowercase ASCII letters, digits or '_'")

# Athena workgroup names: 1 to 128 letters, digits, '.', '_' or '-' (Athena API reference,
# CreateWorkGroup, Name pattern [a-zA-Z0-9._-]{1,128}).
# https://docs.aws.amazon.com/athena/latest/APIReference/API_CreateWorkGroup.html
ATHENA_WORKGROUP_NAME = PatternRule(
    r"[a-zA-Z0-9._-]{1,128}", "1 to 128 ASCII letters, digits, '.', '_' or '-'"
)

MIN_ATHENA_BYTES_SCANNED_CUTOFF = 10_000_000
"""A workgroup's BytesScannedCutoffPerQuery is at least 10,000,000 bytes (Athena API reference,
WorkGroupConfiguration, https://docs.aws.amazon.com/athena/latest/APIReference/API_WorkGroupConfiguration.html)."""

MAX_NAMED_QUERY_DESCRIPTION = 1_024
MAX_NAMED_QUERY_NAME = 128
"""A named query's description: 1 to 1,024 characters; its name 1 to 128 (Athena API reference,
CreateNamedQuery, https://docs.aws.amazon.com/athena/latest/APIReference/API_CreateNamedQuery.html)."""

MIN_PROJECTED_YEAR = 2010
MAX_PROJECTED_YEAR = 2100
"""Years a table's partition projection may span: SES event publishing began in 2016; an
unfiltered query lists every projected hour, so the range is bounded."""
