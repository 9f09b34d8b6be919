"""CloudWatch alarms for SES event publishing: reputation, sending failures and event archives.

Alarm names are part of the API (teams wire them into paging), so they follow one pattern,
``<prefix>-<scope>-<what>-<level>``, for example ``mail-marketing-bounce-rate-critical``,
``mail-account-complaint-rate-warning`` or ``mail-archive-default-data-freshness-critical``, and
names are checked for clashes across the app at synth time.

Choices made for sparse email metrics, each explained where it is made:

- *reputation rates* (``Reputation.BounceRate`` / ``Reputation.ComplaintRate``): the maximum over
  one hour, one datapoint to alarm, missing data ``ignore`` — SES recomputes the rates over a
  representative volume and publishes them irregularly; a missing point says nothing new, so the
  alarm keeps its state instead of flapping to OK or INSUFFICIENT_DATA;
- *rendering failures and rejects*: any event in 5 minutes, missing data ``notBreaching`` — SES
  emits no datapoint at all when nothing failed, which is the healthy case;
- *delivery delays*: a sustained rise, the threshold met in 3 consecutive 5-minute periods,
  missing data ``notBreaching`` — single delays are normal (full mailboxes, greylisting);
- *Firehose archive*: data freshness above its threshold in 3 consecutive periods, and any period
  whose ``DeliveryToS3.Success`` average falls below 1 — a failing stream loses event data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_sns as sns
from constructs import Construct

from ses_events import rules
from ses_events.constructs.alarm_factory import (
    AlarmActions,
    AlarmFactory,
    AlarmTarget,
    RateThreshold,
)
from ses_events.constructs.alarm_naming import (
    AlarmLevel,
    AlarmNamingStrategy,
    PrefixedAlarmNaming,
    default_alarm_prefix,
)
from ses_events.constructs.alarm_topic import AlarmTopic
from ses_events.constructs.configuration_set import (
    ConfigurationSetLike,
    EventPublishingConfigurationSet,
)
from ses_events.constructs.firehose import ArchiveStorageFormat, FirehoseEventArchive
from ses_events.constructs.metrics import (
    account_reputation_bounce_rate,
    account_reputation_complaint_rate,
    firehose_metric,
)
from ses_events.errors import Problems
from ses_events.rules import ArchiveAlarm, EventType, SesAlarm
from ses_events.tokens import is_unresolved, must_be_known

__all__ = [
    "AccountReputationAlarms",
    "AlarmActions",
    "AlarmLevel",
    "AlarmNamingStrategy",
    "AlarmTarget",
    "AlarmThresholds",
    "AlarmTopic",
    "ConfigurationSetAlarms",
    "FirehoseArchiveAlarms",
    "PrefixedAlarmNaming",
    "RateThreshold",
    "SesAlarm",
]


# Defaults at or below the AWS review thresholds (rules.BOUNCE_RATE_REVIEW = 5%,
# rules.COMPLAINT_RATE_REVIEW = 0.1%, cited there): the warning at half the review level leaves time
# to act, the critical level is the review level itself.
DEFAULT_BOUNCE_RATE = RateThreshold(
    warning=rules.BOUNCE_RATE_REVIEW / 2, critical=rules.BOUNCE_RATE_REVIEW
)
DEFAULT_COMPLAINT_RATE = RateThreshold(
    warning=rules.COMPLAINT_RATE_REVIEW / 2, critical=rules.COMPLAINT_RATE_REVIEW
)


_COUNT_THRESHOLDS = ("rendering_failures", "rejects", "delivery_delays")
_THRESHOLD_MUST_BE_KNOWN = must_be_known(
    "each alarm's description states its threshold, and a warning level is checked against its"
    " critical one",
    "write the number in the code",
)


@dataclass(frozen=True)
class AlarmThresholds:
    """Thresholds of the configuration-set and account alarms; every one has a default.

    :param bounce_rate: ``Reputation.BounceRate`` levels. Default: 2.5% warning, 5% critical.
    :param complaint_rate: ``Reputation.ComplaintRate`` levels. Default: 0.05% and 0.1%.
    :param rendering_failures: rendering failures per 5 minutes. Default: 1 (any).
    :param rejects: rejects (virus found) per 5 minutes. Default: 1 (any).
    :param delivery_delays: delivery delays per 5 minutes, 3 periods in a row. Default: 50.
    """

    bounce_rate: RateThreshold = field(default_factory=lambda: DEFAULT_BOUNCE_RATE)
    complaint_rate: RateThreshold = field(default_factory=lambda: DEFAULT_COMPLAINT_RATE)
    rendering_failures: int = 1
    rejects: int = 1
    delivery_delays: int = 50

    def problems(self) -> list[tuple[str, object, str]]:
        """Every broken rule as ``(field, value, rule)``, fields like ``thresholds.bounce_rate.warning``."""
        tokens = [
            (f"thresholds.{name}.{level}", getattr(rate, level))
            for name, rate in (
                ("bounce_rate", self.bounce_rate),
                ("complaint_rate", self.complaint_rate),
            )
            for level in ("warning", "critical")
        ] + [(f"thresholds.{name}", getattr(self, name)) for name in _COUNT_THRESHOLDS]
        found = [
            (field_name, value, _THRESHOLD_MUST_BE_KNOWN)
            for field_name, value in tokens
            if is_unresolved(value)
        ]
        if found:
            return found
        found = [
            (f"thresholds.{name}.{f}", value, rule)
            for name, rate in (
                ("bounce_rate", self.bounce_rate),
                ("complaint_rate", self.complaint_rate),
            )
            for f, value, rule in rules.rate_threshold_problems(rate.warning, rate.critical)
        ]
        for name in _COUNT_THRESHOLDS:
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                found.append((f"thresholds.{name}", value, "must be a whole number >= 1"))
        return found


class ConfigurationSetAlarms(Construct):
    """Alarms of one configuration set, and a composite alarm over them.

    - ``bounce_rate`` / ``complaint_rate``: the set's ``Reputation.*`` metrics (needs reputation
      metrics), each with a warning and a critical alarm;
    - ``rendering_failures`` and ``rejects``: any in 5 minutes (critical);
    - ``delivery_delays``: a sustained rise (warning).

    The composite alarm ``<prefix>-<set>-health`` is in ALARM when any critical alarm of the set
    (or of ``related_alarms``, such as its archive's) is.

    Example::

        from ses_events.constructs import AlarmThresholds, ConfigurationSetAlarms, RateThreshold

        ConfigurationSetAlarms(
            stack, "MarketingAlarms",
            configuration_set=marketing,
            prefix="mail",
            alarm_topic=topic.topic,
            thresholds=AlarmThresholds(bounce_rate=RateThreshold(warning=0.02, critical=0.04)),
        )

    :param configuration_set: the set to watch (ours, or an existing one: an
        ``aws_ses.IConfigurationSet`` or its name).
    :param prefix: first part of every alarm name. Default: the stack's name (see
        :func:`~ses_events.constructs.alarm_naming.default_alarm_prefix`).
    :param alarm_topic: one SNS topic every alarm notifies (ALARM and OK). Default: none.
    :param alarm_actions: actions by level (any ``IAlarmAction``), OK notifications
        optional; instead of ``alarm_topic``. Default: no notifications.
    :param naming: how alarms are named. Default: :class:`PrefixedAlarmNaming`
        (``<prefix>-<subject>-<what>-<level>``).
    :param alarms: which alarms to create. Default: every alarm the set supports (reputation
        alarms when reputation metrics are on; count alarms when a CloudWatch destination
        publishes the event type with the ``ses:configuration-set`` dimension). Asking for one
        the set cannot support is an error.
    :param thresholds: Default: :class:`AlarmThresholds` defaults.
    :param related_alarms: more alarms the composite alarm should include. Default: none.
    :param composite: create the composite alarm. Default: ``True``.
    :param notify_via_composite: notify through the composite alarm only (one message per
        incident) instead of through each critical alarm. Warnings always notify directly.
        Default: ``False``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,  # noqa: A002 - the construct id, named as in aws-cdk-lib
        *,
        configuration_set: ConfigurationSetLike,
        prefix: str | None = None,
        alarm_topic: sns.ITopic | None = None,
        alarm_actions: AlarmActions | None = None,
        naming: AlarmNamingStrategy | None = None,
        alarms: Iterable[SesAlarm | str] | None = None,
        thresholds: AlarmThresholds | None = None,
        related_alarms: Sequence[cloudwatch.IAlarm] = (),
        composite: bool = True,
        notify_via_composite: bool = False,
    ) -> None:
        configuration_set = EventPublishingConfigurationSet.of(scope, configuration_set)
        name = configuration_set.configuration_set_name
        where = f"{scope.node.path}/{id} (alarms of configuration set {name!r})".lstrip("/")
        prefix = default_alarm_prefix(scope) if prefix is None else prefix
        thresholds = thresholds or AlarmThresholds()
        problems = Problems(where)
        if is_unresolved(name):
            problems.add(
                "configuration_set",
                name,
                must_be_known(
                    "alarm names and descriptions are written from the set's name, and alarm"
                    " names are checked for clashes",
                    "name the set in the code, or alarm on it in the stack that knows its name",
                ),
            )
        problems.extend(thresholds.problems())
        supported = supported_alarms(configuration_set)
        chosen: list[SesAlarm] = []
        default = [kind for kind, reason in supported.items() if not reason]
        for requested in default if alarms is None else alarms:
            try:
                kind = SesAlarm(requested)
            except ValueError:
                problems.add(
                    "alarms", requested, "must be one of " + ", ".join(a.value for a in SesAlarm)
                )
                continue
            reason = supported.get(kind)
            if reason:
                problems.add("alarms", kind.value, reason)
            elif kind not in chosen:
                chosen.append(kind)
        if notify_via_composite and not composite:
            problems.add(
                "notify_via_composite", True, "needs composite=True (it notifies through it)"
            )
        problems.raise_if_any()
        insights = [
            kind
            for kind, event_type in _COUNT_ALARMS
            if kind in chosen and configuration_set.metrics.needs_metrics_insights(event_type)
        ]
        super().__init__(scope, id)
        factory = AlarmFactory(self, prefix, alarm_topic, where, alarm_actions, naming)
        self.alarms: dict[str, cloudwatch.Alarm] = factory.created
        """The alarms, by alarm name."""
        critical: list[cloudwatch.IAlarm] = list(related_alarms)
        metrics = configuration_set.metrics
        self.reputation_critical: list[cloudwatch.Alarm] = []
        """The critical bounce and complaint rate alarms, where the set has them (the breaker
        watches them)."""

        def add(alarm: cloudwatch.Alarm, level: AlarmLevel) -> None:
            if level is AlarmLevel.CRITICAL:
                critical.append(alarm)

        for kind, metric, rate in (
            (SesAlarm.BOUNCE_RATE, "reputation_bounce_rate", thresholds.bounce_rate),
            (SesAlarm.COMPLAINT_RATE, "reputation_complaint_rate", thresholds.complaint_rate),
        ):
            if kind not in chosen:
                continue
            label = kind.value.replace("_", " ").capitalize()
            created = factory.rate_alarms(
                subject=name,
                what=kind.value.replace("_", "-"),
                metric=getattr(metrics, metric)(),
                rate=rate,
                description=(
                    f"{label} of configuration set {name} is at least {{value:g}}"
                    " ({value:.2%}); AWS reviews accounts from 5% bounces / 0.1% complaints."
                ),
                notify_critical=not notify_via_composite,
            )
            for level, alarm in created.items():
                add(alarm, level)
            self.reputation_critical.append(created[AlarmLevel.CRITICAL])
        for kind, event_type, threshold, level, periods in (
            (
                SesAlarm.RENDERING_FAILURES,
                EventType.RENDERING_FAILURE,
                thresholds.rendering_failures,
                AlarmLevel.CRITICAL,
                1,
            ),
            (SesAlarm.REJECTS, EventType.REJECT, thresholds.rejects, AlarmLevel.CRITICAL, 1),
            (
                SesAlarm.DELIVERY_DELAYS,
                EventType.DELIVERY_DELAY,
                thresholds.delivery_delays,
                AlarmLevel.WARNING,
                3,
            ),
        ):
            if kind not in chosen:
                continue
            what = kind.value.replace("_", "-")
            add(
                factory.alarm(
                    f"{what}-{level.value}",
                    subject=name,
                    what=what,
                    level=level,
                    metric=metrics.metric(event_type),
                    threshold=threshold,
                    description=(
                        f"{threshold} or more {event_type.metric_name} events per 5 minutes"
                        f" for configuration set {name}"
                        + (f", {periods} periods in a row." if periods > 1 else ".")
                    ),
                    evaluation_periods=periods,
                    datapoints_to_alarm=periods,
                    notify=not (notify_via_composite and level is AlarmLevel.CRITICAL),
                ),
                level,
            )
        self.metrics_insights_alarms: int = len(insights)
        """How many of these alarms run a Metrics Insights query (quota: 200 per Region)."""
        self.composite_alarm: cloudwatch.CompositeAlarm | None = None
        """``<prefix>-<set>-health``: ALARM when any critical alarm of the set is."""
        # A composite alarm for a set with no critical alarm of its own would only repeat the
        # archive's alarms: none then.
        if composite and len(critical) > len(related_alarms):
            composite_name = factory.name(name, "health", None)
            self.composite_alarm = cloudwatch.CompositeAlarm(
                self,
                "Health",
                composite_alarm_name=composite_name,
                alarm_description=f"Any critical alarm of configuration set {name}.",
                alarm_rule=cloudwatch.AlarmRule.any_of(
                    *(
                        cloudwatch.AlarmRule.from_alarm(a, cloudwatch.AlarmState.ALARM)
                        for a in critical
                    )
                ),
            )
            if notify_via_composite:
                factory.notify(self.composite_alarm, AlarmLevel.CRITICAL)


_COUNT_ALARMS = tuple(rules.COUNT_ALARM_EVENT_TYPES.items())


def supported_alarms(configuration_set: EventPublishingConfigurationSet) -> dict[SesAlarm, str]:
    """Each alarm kind, with ``""`` when the set supports it or the reason it does not
    (:func:`ses_events.rules.alarm_support`, the rule the spec and the layout use too)."""
    metrics = configuration_set.metrics
    published = [event_type for event_type in EventType if metrics.publishes(event_type)]
    return rules.alarm_support(configuration_set.reputation_metrics, published)


class AccountReputationAlarms(Construct):
    """Warning and critical alarms on the account's ``Reputation.BounceRate`` and ``ComplaintRate``.

    These are the figures AWS reviews; they cover every configuration set and mail sent without
    one. Names: ``<prefix>-account-bounce-rate-warning`` and so on.

    Example::

        AccountReputationAlarms(stack, "Account", prefix="mail", alarm_topic=topic.topic)

    :param prefix: first part of every alarm name. Default: the stack's name (see
        :func:`~ses_events.constructs.alarm_naming.default_alarm_prefix`).
    :param alarm_topic: one SNS topic every alarm notifies (ALARM and OK). Default: none.
    :param alarm_actions: actions by level (any ``IAlarmAction``), OK notifications
        optional; instead of ``alarm_topic``. Default: no notifications.
    :param naming: how alarms are named. Default: :class:`PrefixedAlarmNaming`
        (``<prefix>-<subject>-<what>-<level>``).
    :param thresholds: Default: :class:`AlarmThresholds` defaults (only the rates are used).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,  # noqa: A002 - the construct id, named as in aws-cdk-lib
        *,
        prefix: str | None = None,
        alarm_topic: sns.ITopic | None = None,
        alarm_actions: AlarmActions | None = None,
        naming: AlarmNamingStrategy | None = None,
        thresholds: AlarmThresholds | None = None,
    ) -> None:
        where = f"{scope.node.path}/{id} (account reputation alarms)".lstrip("/")
        prefix = default_alarm_prefix(scope) if prefix is None else prefix
        thresholds = thresholds or AlarmThresholds()
        problems = Problems(where)
        problems.extend(thresholds.problems())
        problems.raise_if_any()
        super().__init__(scope, id)
        factory = AlarmFactory(self, prefix, alarm_topic, where, alarm_actions, naming)
        self.alarms: dict[str, cloudwatch.Alarm] = factory.created
        """The alarms, by alarm name."""
        rates = {
            SesAlarm.BOUNCE_RATE: (account_reputation_bounce_rate(), thresholds.bounce_rate),
            SesAlarm.COMPLAINT_RATE: (
                account_reputation_complaint_rate(),
                thresholds.complaint_rate,
            ),
        }
        for kind in rules.REPUTATION_ALARMS:  # what the layout counts
            metric, rate = rates[kind]
            what = kind.value.replace("_", "-")
            factory.rate_alarms(
                subject="account",
                what=what,
                metric=metric,
                rate=rate,
                description=(
                    f"Account {what.replace('-', ' ')} is at least {{value:g}} ({{value:.2%}})."
                ),
            )


class FirehoseArchiveAlarms(Construct):
    """Alarms of a Firehose event archive, each critical (a failing archive loses event data):

    - ``<prefix>-archive-<name>-data-freshness-critical``: records wait too long to reach S3;
    - ``<prefix>-archive-<name>-s3-delivery-critical``: a delivery to S3 failed;
    - ``<prefix>-archive-<name>-throttled-records-critical``: Firehose refused records (over
      the stream's throughput quota);
    - ``<prefix>-archive-<name>-partition-limit-critical``: over the active partition limit,
      records go to the error prefix instead of their set's partition;
    - ``<prefix>-archive-<name>-format-conversion-critical`` (Parquet archives): records that
      failed conversion went to the error prefix.

    Example::

        FirehoseArchiveAlarms(stack, "ArchiveAlarms", archive=archive, archive_name="default",
                              prefix="mail", alarm_topic=topic.topic)

    :param archive: the archive to watch.
    :param archive_name: its name in alarm names.
    :param prefix: first part of every alarm name. Default: the stack's name (see
        :func:`~ses_events.constructs.alarm_naming.default_alarm_prefix`).
    :param alarm_topic: one SNS topic every alarm notifies (ALARM and OK). Default: none.
    :param alarm_actions: actions by level (any ``IAlarmAction``), OK notifications
        optional; instead of ``alarm_topic``. Default: no notifications.
    :param naming: how alarms are named. Default: :class:`PrefixedAlarmNaming`
        (``<prefix>-<subject>-<what>-<level>``).
    :param max_data_age: the oldest a record may be before it reaches S3. Default: three times
        the archive's buffering interval, at least 15 minutes.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,  # noqa: A002 - the construct id, named as in aws-cdk-lib
        *,
        archive: FirehoseEventArchive,
        archive_name: str,
        prefix: str | None = None,
        alarm_topic: sns.ITopic | None = None,
        alarm_actions: AlarmActions | None = None,
        naming: AlarmNamingStrategy | None = None,
        max_data_age: Duration | None = None,
    ) -> None:
        where = f"{scope.node.path}/{id} (alarms of archive {archive_name!r})".lstrip("/")
        prefix = default_alarm_prefix(scope) if prefix is None else prefix
        problems = Problems(where)
        # A buffering interval from a token may be as long as Firehose allows: the default
        # freshness threshold then assumes the longest, and max_data_age may be any length.
        known = not is_unresolved(archive.buffering_interval)
        longest = rules.FIREHOSE_BUFFER_SECONDS[1]
        interval = archive.buffering_interval.to_seconds() if known else 0
        seconds: float = max(900, 3 * (interval if known else longest))
        if max_data_age is not None:
            seconds = (
                problems.whole_seconds(
                    "max_data_age",
                    max_data_age,
                    interval,
                    rules.MAX_FIREHOSE_DATA_AGE_SECONDS,
                    f"must be at least the archive's buffering interval ({interval:g} seconds):"
                    " records wait that long; and at most a day",
                    why="the freshness alarm's threshold and description are written from it",
                )
                or seconds
            )
        problems.check("archive_name", archive_name, rules.ALARM_NAME_PREFIX)
        problems.raise_if_any()
        super().__init__(scope, id)
        factory = AlarmFactory(self, prefix, alarm_topic, where, alarm_actions, naming)
        stream = archive.delivery_stream_name
        subject = f"archive-{archive_name}"

        def any_in_a_period(
            id_: str, what: str, metric_name: str, statistic: str, why: str
        ) -> cloudwatch.Alarm:
            """Critical when the metric reaches 1 in a period (0 is the healthy value)."""
            return factory.alarm(
                id_,
                subject=subject,
                what=what,
                level=AlarmLevel.CRITICAL,
                metric=firehose_metric(stream, metric_name, statistic=statistic),
                threshold=1,
                description=why,
            )

        errors = archive.error_output_prefix
        builders: dict[ArchiveAlarm, Callable[[], cloudwatch.Alarm]] = {
            ArchiveAlarm.DATA_FRESHNESS: lambda: factory.alarm(
                "DataFreshness",
                subject=subject,
                what=ArchiveAlarm.DATA_FRESHNESS.value,
                level=AlarmLevel.CRITICAL,
                metric=firehose_metric(stream, "DeliveryToS3.DataFreshness", statistic="Maximum"),
                threshold=seconds,
                description=(
                    f"SES events wait more than {seconds:g} seconds to reach S3 in archive"
                    f" {archive_name}, 3 periods in a row."
                ),
                evaluation_periods=3,
                datapoints_to_alarm=3,
            ),
            ArchiveAlarm.S3_DELIVERY: lambda: factory.alarm(
                "S3Delivery",
                subject=subject,
                what=ArchiveAlarm.S3_DELIVERY.value,
                level=AlarmLevel.CRITICAL,
                metric=firehose_metric(stream, "DeliveryToS3.Success", statistic="Average"),
                threshold=1,
                comparison=cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
                description=f"Some deliveries of archive {archive_name} to S3 failed.",
            ),
            # Firehose recommends an alarm on ThrottledRecords ("Implement best practices with
            # CloudWatch Alarms", https://docs.aws.amazon.com/firehose/latest/dev/firehose-cloudwatch-metrics-best-practices.html):
            # records refused because the stream is over its throughput quota never reach S3.
            ArchiveAlarm.THROTTLED_RECORDS: lambda: any_in_a_period(
                "ThrottledRecords",
                ArchiveAlarm.THROTTLED_RECORDS.value,
                "ThrottledRecords",
                "Sum",
                f"Firehose throttled records of archive {archive_name}: the stream is over its"
                " throughput quota and SES events are refused.",
            ),
            # The archive partitions by configuration set (dynamic partitioning). Past the
            # stream's active partition limit (500 by default), records go to the error prefix,
            # which the S3 delivery alarm does not see ("Buffer data for dynamic partitioning",
            # https://docs.aws.amazon.com/firehose/latest/dev/buffering.html);
            # PartitionCountExceeded is 1 while that happens.
            ArchiveAlarm.PARTITION_LIMIT: lambda: any_in_a_period(
                "PartitionLimit",
                ArchiveAlarm.PARTITION_LIMIT.value,
                "PartitionCountExceeded",
                "Maximum",
                f"Archive {archive_name} is over its active partition limit: records go to the"
                f" error prefix {errors!r}, not to their set's partition.",
            ),
            ArchiveAlarm.FORMAT_CONVERSION: lambda: any_in_a_period(
                "FormatConversion",
                ArchiveAlarm.FORMAT_CONVERSION.value,
                "FailedConversion.Records",
                "Sum",
                f"Records of archive {archive_name} failed conversion to Parquet and went"
                f" to the error prefix {errors!r}.",
            ),
        }
        parquet = archive.storage_format is ArchiveStorageFormat.PARQUET
        made = {kind: builders[kind]() for kind in rules.archive_alarms(parquet=parquet)}
        self.data_freshness: cloudwatch.Alarm = made[ArchiveAlarm.DATA_FRESHNESS]
        """Records older than ``max_data_age`` still undelivered, 3 periods in a row."""
        self.delivery_failures: cloudwatch.Alarm = made[ArchiveAlarm.S3_DELIVERY]
        """Any failed delivery to S3 in a period (success average below 1)."""
        self.throttled_records: cloudwatch.Alarm = made[ArchiveAlarm.THROTTLED_RECORDS]
        """Any throttled record in a period."""
        self.partition_limit: cloudwatch.Alarm = made[ArchiveAlarm.PARTITION_LIMIT]
        """Active partitions over the stream's limit in a period."""
        self.format_conversion: cloudwatch.Alarm | None = made.get(ArchiveAlarm.FORMAT_CONVERSION)
        """Records Firehose could not convert to Parquet (Parquet archives only)."""
        self.alarms: dict[str, cloudwatch.Alarm] = factory.created
        """The alarms, by alarm name."""
