"""CloudWatch metrics of SES event publishing: one factory, metric names in one place (``rules``).

SES publishes each event of a configuration set with *all* the dimensions of its CloudWatch event
destination, and CloudWatch matches a metric only on its exact set of dimensions. So the metric
"bounces of configuration set ``marketing``" is a plain metric only when the destination's sole
dimension is ``ses:configuration-set``; with more dimensions (``campaign``, ...) the whole-set
figure is a sum over the dimension combinations:

- for graphs, ``SUM(SEARCH(...))``, which works over any time range;
- for alarms, a CloudWatch Metrics Insights query (alarms cannot use SEARCH). Such alarms count
  against a quota of 200 per account and Region and evaluate only the latest 3 hours.

Example::

    from ses_events.constructs import EventType

    bounces = marketing.metric(EventType.BOUNCE)           # whole set, alarmable
    per_campaign = marketing.metric_per_value(EventType.SEND, "campaign")   # graphs
    bounce_rate = marketing.metric_bounce_rate()           # Bounce / Send, 0 when nothing sent
"""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch

from ses_events import rules
from ses_events.constructs.interfaces import (
    ICloudWatchDestination,
    IEventPublishingConfigurationSet,
)
from ses_events.errors import Problem, SesEventsValidationError
from ses_events.rules import EventType

__all__ = [
    "DEFAULT_PERIOD",
    "ConfigurationSetMetrics",
    "account_reputation_bounce_rate",
    "account_reputation_complaint_rate",
    "firehose_metric",
]

DEFAULT_PERIOD = Duration.minutes(5)
"""Period of event-count metrics: SES publishes event metrics at one-minute resolution, and five
minutes smooths the bursts of bulk sends without hiding an incident for long."""

REPUTATION_PERIOD = Duration.hours(1)
"""Period of reputation metrics: SES recomputes them over a representative volume of mail, not
per minute, so an hour loses nothing and keeps alarms from flapping."""


def _quote(name: str) -> str:
    """A dimension or metric name as SEARCH and Metrics Insights want it: in double quotes."""
    return f'"{name}"'


def account_reputation_bounce_rate(period: Duration = REPUTATION_PERIOD) -> cloudwatch.Metric:
    """The account's ``Reputation.BounceRate`` (a fraction from 0 to 1, maximum per period)."""
    return cloudwatch.Metric(
        namespace=rules.SES_METRIC_NAMESPACE,
        metric_name=rules.REPUTATION_BOUNCE_RATE_METRIC,
        statistic="Maximum",
        period=period,
    )


def account_reputation_complaint_rate(period: Duration = REPUTATION_PERIOD) -> cloudwatch.Metric:
    """The account's ``Reputation.ComplaintRate`` (a fraction from 0 to 1, maximum per period)."""
    return cloudwatch.Metric(
        namespace=rules.SES_METRIC_NAMESPACE,
        metric_name=rules.REPUTATION_COMPLAINT_RATE_METRIC,
        statistic="Maximum",
        period=period,
    )


def firehose_metric(
    delivery_stream_name: str,
    metric_name: str,
    *,
    statistic: str,
    label: str | None = None,
    period: Duration = DEFAULT_PERIOD,
) -> cloudwatch.Metric:
    """A Firehose delivery-stream metric (``IncomingRecords``, ``DeliveryToS3.Success``, ...).

    Give ``label`` for graphs only: a labelled metric makes an alarm use the longer Metrics form.
    """
    return cloudwatch.Metric(
        namespace=rules.FIREHOSE_METRIC_NAMESPACE,
        metric_name=metric_name,
        dimensions_map={"DeliveryStreamName": delivery_stream_name},
        statistic=statistic,
        period=period,
        label=label,
    )


class ConfigurationSetMetrics:
    """The SES event metrics of one configuration set, read from its CloudWatch destinations.

    Get it from :attr:`EventPublishingConfigurationSet.metrics`; the construct's ``metric_*``
    methods delegate here. Metrics come from the first enabled CloudWatch event destination that
    publishes the event type with the ``ses:configuration-set`` dimension; without one, asking
    for the metric raises :class:`SesEventsValidationError` saying what to add.
    """

    def __init__(self, configuration_set: IEventPublishingConfigurationSet) -> None:
        self._set = configuration_set

    @property
    def name(self) -> str:
        return self._set.configuration_set_name

    # -- which destination publishes what ---------------------------------------------------

    def source(self, event_type: EventType) -> ICloudWatchDestination | None:
        """The CloudWatch destination the metrics of ``event_type`` come from, if any
        (:func:`ses_events.rules.metric_sources`, the rule the spec uses too)."""
        return rules.metric_sources(self._set.cloudwatch_destinations).get(event_type)

    def publishes(self, event_type: EventType) -> bool:
        """Whether this set's metrics include ``event_type``."""
        return self.source(event_type) is not None

    def dimension_names(self, event_type: EventType) -> tuple[str, ...]:
        """Dimensions of ``event_type``'s metrics, in the destination's order."""
        return tuple(self._require(event_type).dimension_names)

    def needs_metrics_insights(self, event_type: EventType) -> bool:
        """Whether the whole-set metric must sum dimension combinations (see the module doc)."""
        return self.dimension_names(event_type) != (rules.CONFIGURATION_SET_DIMENSION,)

    def _require(self, event_type: EventType) -> ICloudWatchDestination:
        source = self.source(event_type)
        if source is None:
            raise SesEventsValidationError(
                f"{self._set.node.path} (configuration set {self.name!r})",
                [
                    Problem(
                        "metrics",
                        event_type.metric_name,
                        "needs an enabled CloudWatch event destination that publishes"
                        f" {event_type.value} events with the {rules.CONFIGURATION_SET_DIMENSION}"
                        " dimension",
                    )
                ],
            )
        return source

    # -- counts -------------------------------------------------------------------------------

    def _schema(self, event_type: EventType) -> str:
        return ",".join(
            [rules.SES_METRIC_NAMESPACE, *map(_quote, self.dimension_names(event_type))]
        )

    def _search(self, event_type: EventType, period: Duration, extra: str = "") -> str:
        terms = (
            f'{{{self._schema(event_type)}}} MetricName="{event_type.metric_name}"'
            f' "{rules.CONFIGURATION_SET_DIMENSION}"="{self.name}"{extra}'
        )
        return f"SEARCH('{terms}', 'Sum', {int(period.to_seconds())})"

    def _insights(self, event_type: EventType, where: Sequence[tuple[str, str]] = ()) -> str:
        schema = ", ".join(
            [_quote(rules.SES_METRIC_NAMESPACE), *map(_quote, self.dimension_names(event_type))]
        )
        conditions = [(rules.CONFIGURATION_SET_DIMENSION, self.name), *where]
        clause = " AND ".join(f"{_quote(name)} = '{value}'" for name, value in conditions)
        return f"SELECT SUM({_quote(event_type.metric_name)}) FROM SCHEMA({schema}) WHERE {clause}"

    def metric(
        self,
        event_type: EventType,
        *,
        period: Duration = DEFAULT_PERIOD,
        label: str | None = None,
    ) -> cloudwatch.IMetric:
        """Events of ``event_type`` for the whole set, summed per period. Alarmable.

        A plain metric when ``ses:configuration-set`` is the destination's only dimension,
        otherwise a Metrics Insights query over the destination's dimensions.
        """
        if not self.needs_metrics_insights(event_type):
            # No label unless asked: a labelled metric makes alarms use the longer Metrics form.
            return cloudwatch.Metric(
                namespace=rules.SES_METRIC_NAMESPACE,
                metric_name=event_type.metric_name,
                dimensions_map={rules.CONFIGURATION_SET_DIMENSION: self.name},
                statistic="Sum",
                period=period,
                label=label,
            )
        return cloudwatch.MathExpression(
            expression=self._insights(event_type),
            using_metrics={},
            period=period,
            label=label or event_type.metric_name,
        )

    def graph_metric(
        self,
        event_type: EventType,
        *,
        period: Duration = DEFAULT_PERIOD,
        label: str | None = None,
    ) -> cloudwatch.IMetric:
        """Events of ``event_type`` for the whole set, for graphs and metric math.

        The plain metric when there is one, otherwise ``SUM(SEARCH(...))``, which (unlike a
        Metrics Insights query) covers any time range of the dashboard.
        """
        if not self.needs_metrics_insights(event_type):
            return self.metric(event_type, period=period, label=label or event_type.metric_name)
        return cloudwatch.MathExpression(
            expression=f"SUM({self._search(event_type, period)})",
            using_metrics={},
            period=period,
            label=label or event_type.metric_name,
        )

    def metric_per_value(
        self,
        event_type: EventType,
        dimension: str,
        *,
        period: Duration = DEFAULT_PERIOD,
    ) -> cloudwatch.MathExpression:
        """One series per value of ``dimension`` (a SEARCH expression; graphs only).

        With more than one other dimension, each combination is its own series, labelled by the
        value of ``dimension``.
        """
        if dimension not in self.dimension_names(event_type):
            raise SesEventsValidationError(
                f"{self._set.node.path} (configuration set {self.name!r})",
                [
                    Problem(
                        "breakdown",
                        dimension,
                        "must be a dimension of the CloudWatch destination publishing"
                        f" {event_type.value} events: {list(self.dimension_names(event_type))}",
                    )
                ],
            )
        return cloudwatch.MathExpression(
            expression=self._search(event_type, period),
            using_metrics={},
            period=period,
            label=f"{event_type.metric_name} ${{PROP('Dim.{dimension}')}}",
        )

    def metric_for_value(
        self,
        event_type: EventType,
        dimension: str,
        value: str,
        *,
        period: Duration = DEFAULT_PERIOD,
    ) -> cloudwatch.MathExpression:
        """Events of ``event_type`` where ``dimension`` is ``value`` (for example one campaign).

        A Metrics Insights query, so alarmable (within the Metrics Insights alarm quota).
        """
        problems: list[tuple[str, object, str]] = []
        broken = rules.DIMENSION_DEFAULT_VALUE.violation(value)
        if broken is not None:
            problems.append(("value", value, broken))
        if dimension not in self.dimension_names(event_type):
            problems.append(
                (
                    "dimension",
                    dimension,
                    "must be a dimension of the CloudWatch destination publishing"
                    f" {event_type.value} events: {list(self.dimension_names(event_type))}",
                )
            )
        if problems:
            raise SesEventsValidationError(
                f"{self._set.node.path} (configuration set {self.name!r})",
                [Problem(*p) for p in problems],
            )
        return cloudwatch.MathExpression(
            expression=self._insights(event_type, [(dimension, value)]),
            using_metrics={},
            period=period,
            label=f"{event_type.metric_name} {dimension}={value}",
        )

    # -- rates --------------------------------------------------------------------------------

    def rate(
        self,
        numerator: EventType,
        denominator: EventType,
        *,
        label: str,
        period: Duration = DEFAULT_PERIOD,
    ) -> cloudwatch.MathExpression:
        """``numerator / denominator`` per period as a fraction, 0 when the denominator is 0.

        ``IF(send > 0, bounce / send, 0)``: a period without sends is a rate of 0, not a gap or a division
        by zero.
        """
        # Ids name the event type, so rates sharing a denominator share its metric in a graph.
        n, d = numerator.name.lower(), denominator.name.lower()
        return cloudwatch.MathExpression(
            expression=f"IF({d} > 0, {n} / {d}, 0)",
            using_metrics={
                n: self.graph_metric(numerator, period=period),
                d: self.graph_metric(denominator, period=period),
            },
            period=period,
            label=label,
        )

    def bounce_rate(self, period: Duration = DEFAULT_PERIOD) -> cloudwatch.MathExpression:
        """Bounces per send (fraction), from event counts."""
        return self.rate(EventType.BOUNCE, EventType.SEND, label="Bounce rate", period=period)

    def complaint_rate(self, period: Duration = DEFAULT_PERIOD) -> cloudwatch.MathExpression:
        """Complaints per send (fraction), from event counts."""
        return self.rate(EventType.COMPLAINT, EventType.SEND, label="Complaint rate", period=period)

    def delivery_rate(self, period: Duration = DEFAULT_PERIOD) -> cloudwatch.MathExpression:
        """Deliveries per send (fraction)."""
        return self.rate(EventType.DELIVERY, EventType.SEND, label="Delivery rate", period=period)

    def open_rate(self, period: Duration = DEFAULT_PERIOD) -> cloudwatch.MathExpression:
        """Opens per delivery (fraction; opens are counted per open, not per recipient)."""
        return self.rate(EventType.OPEN, EventType.DELIVERY, label="Open rate", period=period)

    def click_rate(self, period: Duration = DEFAULT_PERIOD) -> cloudwatch.MathExpression:
        """Clicks per delivery (fraction; clicks are counted per click, not per recipient)."""
        return self.rate(EventType.CLICK, EventType.DELIVERY, label="Click rate", period=period)

    def available_rates(self, period: Duration = DEFAULT_PERIOD) -> list[cloudwatch.MathExpression]:
        """The rates whose two event types this set publishes."""
        pairs = (
            (EventType.BOUNCE, EventType.SEND, self.bounce_rate),
            (EventType.COMPLAINT, EventType.SEND, self.complaint_rate),
            (EventType.DELIVERY, EventType.SEND, self.delivery_rate),
            (EventType.OPEN, EventType.DELIVERY, self.open_rate),
            (EventType.CLICK, EventType.DELIVERY, self.click_rate),
        )
        return [make(period) for n, d, make in pairs if self.publishes(n) and self.publishes(d)]

    # -- reputation ---------------------------------------------------------------------------

    def _reputation(self, metric_name: str, period: Duration) -> cloudwatch.Metric:
        if not self._set.reputation_metrics:
            raise SesEventsValidationError(
                f"{self._set.node.path} (configuration set {self.name!r})",
                [
                    Problem(
                        "reputation_metrics",
                        False,
                        f"must be True for {metric_name} of the configuration set: SES publishes"
                        " per-set reputation metrics only when they are enabled",
                    )
                ],
            )
        return cloudwatch.Metric(
            namespace=rules.SES_METRIC_NAMESPACE,
            metric_name=metric_name,
            dimensions_map={rules.CONFIGURATION_SET_DIMENSION: self.name},
            statistic="Maximum",
            period=period,
        )

    def reputation_bounce_rate(self, period: Duration = REPUTATION_PERIOD) -> cloudwatch.Metric:
        """SES's ``Reputation.BounceRate`` for this set (fraction; needs reputation metrics)."""
        return self._reputation(rules.REPUTATION_BOUNCE_RATE_METRIC, period)

    def reputation_complaint_rate(self, period: Duration = REPUTATION_PERIOD) -> cloudwatch.Metric:
        """SES's ``Reputation.ComplaintRate`` for this set (fraction; needs reputation metrics)."""
        return self._reputation(rules.REPUTATION_COMPLAINT_RATE_METRIC, period)
