"""Monitoring: where SES publishes metrics, what AWS reviews, CloudWatch's limits, and which alarms a set has."""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable, Sequence
from typing import Protocol, TypeVar

from ses_events.rules.base import PatternRule
from ses_events.rules.event_types import EventType

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
