"""Monitoring for many configuration sets at once, with CloudWatch Metrics Insights.

At thousands of configuration sets, an alarm and a dashboard section per set cost money
(alarms are billed each, dashboards past three) and run into quotas. A Metrics Insights query
with ``GROUP BY "ses:configuration-set"`` covers every set in one alarm or widget: an alarm on a
query that returns several time series goes to ALARM when any of them breaches ("Alarms on
Metrics Insights queries", CloudWatch User Guide,
https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-metrics-insights-alarms.html).
Such an alarm reads at most 500 time series: the query keeps the 500 worst sets.

Example::

    from ses_events.constructs import FleetMonitoring

    FleetMonitoring(stack, "Fleet", prefix="mail", alarm_topic=topic.topic)
"""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_sns as sns
from constructs import Construct

from ses_events import rules
from ses_events.constructs.alarm_factory import AlarmActions, AlarmFactory
from ses_events.constructs.alarm_naming import AlarmNamingStrategy, default_alarm_prefix
from ses_events.constructs.alarms import AlarmThresholds
from ses_events.constructs.dashboard import review_threshold_annotations
from ses_events.errors import Problems

__all__ = ["FleetMonitoring", "fleet_query"]

_SERIES_PER_ALARM = 500
"""A Metrics Insights alarm evaluates at most 500 time series (PARTIAL_DATA beyond)."""


def fleet_query(metric_name: str, *, statistic: str = "MAX", limit: int = _SERIES_PER_ALARM) -> str:
    """The worst ``limit`` configuration sets by ``metric_name``, one time series each."""
    return (
        f'SELECT {statistic}("{metric_name}") FROM SCHEMA("{rules.SES_METRIC_NAMESPACE}",'
        f' "{rules.CONFIGURATION_SET_DIMENSION}") GROUP BY "{rules.CONFIGURATION_SET_DIMENSION}"'
        f" ORDER BY {statistic}() DESC LIMIT {limit}"
    )


class FleetMonitoring(Construct):
    """Alarms and a dashboard that cover every configuration set of the account and Region.

    - alarms ``<prefix>-fleet-bounce-rate-warning|critical`` and
      ``<prefix>-fleet-complaint-rate-warning|critical``: ALARM when any configuration set's
      ``Reputation.*`` rate (sets with reputation metrics on) reaches the level;
    - a dashboard ``<prefix>-fleet``: the ten worst sets by bounce and complaint rate, with the
      AWS review levels, the sets sending most, and the alarm states.

    :param prefix: first part of alarm and dashboard names. Default: the stack's name (see
        :func:`~ses_events.constructs.alarm_naming.default_alarm_prefix`).
    :param alarm_topic: one SNS topic every alarm notifies (ALARM and OK). Default: none.
    :param alarm_actions: actions by level (any ``IAlarmAction``), OK notifications
        optional; instead of ``alarm_topic``. Default: no notifications.
    :param naming: how alarms are named. Default: ``<prefix>-<subject>-<what>-<level>``.
    :param thresholds: Default: :class:`AlarmThresholds` defaults (only the rates are used).
    :param dashboard: create the dashboard. Default: ``True``.
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
        dashboard: bool = True,
    ) -> None:
        thresholds = thresholds or AlarmThresholds()
        where = f"{scope.node.path}/{id} (fleet monitoring)".lstrip("/")
        prefix = default_alarm_prefix(scope) if prefix is None else prefix
        problems = Problems(where)
        problems.extend(thresholds.problems())
        problems.check("prefix", prefix, rules.ALARM_NAME_PREFIX)
        problems.raise_if_any()
        super().__init__(scope, id)
        factory = AlarmFactory(self, prefix, alarm_topic, where, alarm_actions, naming)
        period = Duration.hours(1)
        rates = {
            rules.SesAlarm.BOUNCE_RATE: (
                rules.REPUTATION_BOUNCE_RATE_METRIC,
                thresholds.bounce_rate,
            ),
            rules.SesAlarm.COMPLAINT_RATE: (
                rules.REPUTATION_COMPLAINT_RATE_METRIC,
                thresholds.complaint_rate,
            ),
        }
        for kind in rules.REPUTATION_ALARMS:  # what the layout counts
            metric_name, rate = rates[kind]
            what = kind.value.replace("_", "-")
            factory.rate_alarms(
                subject="fleet",
                what=what,
                metric=cloudwatch.MathExpression(
                    expression=fleet_query(metric_name),
                    using_metrics={},
                    period=period,
                    label=f"{metric_name} per configuration set",
                ),
                rate=rate,
                description=(
                    f"Some configuration set's {metric_name} is at least {{value:g}}"
                    " ({value:.2%}); the alarm names the sets that breach."
                ),
            )
        self.alarms: dict[str, cloudwatch.Alarm] = factory.created
        """The alarms, by alarm name (4, whatever the number of sets)."""
        self.dashboard: cloudwatch.Dashboard | None = None
        """``<prefix>-fleet``."""
        if not dashboard:
            return
        top = 10
        self.dashboard = cloudwatch.Dashboard(
            self,
            "Dashboard",
            dashboard_name=f"{prefix}-fleet",
            default_interval=Duration.days(1),
            period_override=cloudwatch.PeriodOverride.INHERIT,
        )
        axis = cloudwatch.YAxisProps(min=0, label="fraction (0.05 = 5%)", show_units=False)
        self.dashboard.add_widgets(
            cloudwatch.TextWidget(
                markdown=(
                    "# All configuration sets\n"
                    f"The {top} configuration sets with the highest SES reputation rates (sets"
                    " with reputation metrics on), the sets sending most (sets whose event"
                    " metrics have the `ses:configuration-set` dimension alone), and the fleet"
                    " alarms, which cover every set. Rates are fractions (0.05 = 5%)."
                ),
                width=24,
                height=2,
            )
        )
        widgets: list[cloudwatch.IWidget] = []
        for title, metric_name, review, pause, what in (
            (
                "Highest bounce rates",
                rules.REPUTATION_BOUNCE_RATE_METRIC,
                rules.BOUNCE_RATE_REVIEW,
                rules.BOUNCE_RATE_PAUSE,
                "Bounce",
            ),
            (
                "Highest complaint rates",
                rules.REPUTATION_COMPLAINT_RATE_METRIC,
                rules.COMPLAINT_RATE_REVIEW,
                rules.COMPLAINT_RATE_PAUSE,
                "Complaint",
            ),
        ):
            widgets.append(
                cloudwatch.GraphWidget(
                    title=title,
                    left=[
                        cloudwatch.MathExpression(
                            expression=fleet_query(metric_name, limit=top),
                            using_metrics={},
                            period=period,
                            label="",
                        )
                    ],
                    left_annotations=review_threshold_annotations(review, pause, what),
                    left_y_axis=axis,
                    width=8,
                )
            )
        widgets.append(
            cloudwatch.GraphWidget(
                title="Most sends",
                left=[
                    cloudwatch.MathExpression(
                        expression=fleet_query(
                            rules.EventType.SEND.metric_name, statistic="SUM", limit=top
                        ),
                        using_metrics={},
                        period=Duration.minutes(5),
                        label="",
                    )
                ],
                width=8,
            )
        )
        self.dashboard.add_widgets(*widgets)
        self.dashboard.add_widgets(
            cloudwatch.AlarmStatusWidget(
                title="Fleet alarms", alarms=list(self.alarms.values()), width=24, height=3
            )
        )
