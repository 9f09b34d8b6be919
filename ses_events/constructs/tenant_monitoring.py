"""Watching SES tenants: alarms and a dashboard section per tenant, and a fleet view for all.

A tenant's mail is told apart by the ``tenant`` message tag (:data:`ses_events.rules.TENANT_TAG`,
added by the sender helpers), published as the only dimension of a CloudWatch event destination
(:data:`ses_events.rules.TENANT_METRICS_DESTINATION`, which the spec adds to each set a tenant
sends with). So ``Bounce`` with the dimension ``tenant=acme`` is a plain metric: acme's bounces
over every set, which standard alarms and metric math read.

- :class:`TenantAlarms`: a warning and a critical alarm on a tenant's bounce rate and complaint
  rate (bounces or complaints per send, per hour, 0 below a minimum of sends), with SES's review
  levels as the critical defaults (5% bounces, 0.1% complaints);
- :func:`tenant_section`: the tenant's dashboard section (events, rates against the review levels
  and the alarms' thresholds, alarm states);
- :class:`TenantFleetMonitoring`: for any number of tenants, Metrics Insights widgets ranking the
  tenants by bounces, complaints and sends, and two Metrics Insights alarms on the tenant with
  the most bounces and complaints in an hour. A Metrics Insights alarm watches one query of one
  metric (``SELECT SUM(...) ... GROUP BY``) and goes to ALARM when any of its series breaches
  (at most 500 series, 100 named in ALARM: "Limits", CloudWatch alarms,
  https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-limits.html): so the
  fleet alarms watch *counts* per tenant, not rates, which are a division of two metrics.

Example::

    from ses_events.constructs import TenantAlarms, TenantFleetMonitoring

    acme = TenantAlarms(stack, "Acme", tenant_name="acme", prefix="mail", alarm_topic=topic)
    TenantFleetMonitoring(stack, "Tenants", prefix="mail", alarm_topic=topic)
"""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_sns as sns
from constructs import Construct

from ses_events import rules
from ses_events.constructs.alarm_factory import AlarmActions, AlarmFactory, RateThreshold
from ses_events.constructs.alarm_naming import (
    AlarmLevel,
    AlarmNamingStrategy,
    default_alarm_prefix,
)
from ses_events.constructs.alarms import AlarmThresholds
from ses_events.constructs.dashboard import review_threshold_annotations
from ses_events.errors import Problems
from ses_events.rules import EventType
from ses_events.tokens import is_unresolved

__all__ = [
    "TenantAlarms",
    "TenantFleetMonitoring",
    "tenant_fleet_query",
    "tenant_metric",
    "tenant_rate",
    "tenant_section",
]

RATE_PERIOD = Duration.seconds(rules.TENANT_RATE_PERIOD_SECONDS)


def tenant_metric(
    tenant_name: str, event_type: EventType, *, period: Duration = RATE_PERIOD
) -> cloudwatch.Metric:
    """Events of ``event_type`` sent for the tenant, over every set (summed per period)."""
    return cloudwatch.Metric(
        namespace=rules.SES_METRIC_NAMESPACE,
        metric_name=event_type.metric_name,
        dimensions_map={rules.TENANT_TAG: tenant_name},
        statistic="Sum",
        period=period,
    )


def tenant_rate(
    tenant_name: str,
    event_type: EventType,
    *,
    minimum_sends: int = rules.TENANT_MINIMUM_SENDS,
    period: Duration = RATE_PERIOD,
    label: str | None = None,
) -> cloudwatch.MathExpression:
    """``event_type`` per send for the tenant (a fraction), 0 in a period with fewer than
    ``minimum_sends`` sends: ``IF(send >= minimum, FILL(events, 0) / send, 0)``.

    SES publishes no data point for a period without events of a type, so a tenant that stops
    bouncing has no ``Bounce`` point at all; ``FILL`` makes that a rate of 0 (the alarm returns
    to OK) instead of a gap ("FILL", CloudWatch metric math functions,
    https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html)."""
    n = event_type.name.lower()
    return cloudwatch.MathExpression(
        expression=f"IF(send >= {minimum_sends}, FILL({n}, 0) / send, 0)",
        using_metrics={
            n: tenant_metric(tenant_name, event_type, period=period),
            "send": tenant_metric(tenant_name, EventType.SEND, period=period),
        },
        period=period,
        label=label or f"{event_type.metric_name} rate",
    )


def tenant_fleet_query(metric_name: str, *, limit: int = rules.MAX_METRICS_INSIGHTS_SERIES) -> str:
    """The ``limit`` tenants with the most ``metric_name`` events, one time series each."""
    tag = f'"{rules.TENANT_TAG}"'
    return (
        f'SELECT SUM("{metric_name}") FROM SCHEMA("{rules.SES_METRIC_NAMESPACE}", {tag})'
        f" WHERE {tag} != '{rules.TENANT_DIMENSION_DEFAULT}'"
        f" GROUP BY {tag} ORDER BY SUM() DESC LIMIT {limit}"
    )


_RATES = (
    (rules.SesAlarm.BOUNCE_RATE, EventType.BOUNCE, "bounce_rate"),
    (rules.SesAlarm.COMPLAINT_RATE, EventType.COMPLAINT, "complaint_rate"),
)


class TenantAlarms(Construct):
    """A warning and a critical alarm on one tenant's bounce rate and complaint rate.

    Alarms ``<prefix>-tenant-<name>-bounce-rate-warning|critical`` and
    ``...-complaint-rate-warning|critical``: bounces (complaints) per send of the tenant's mail
    in an hour, over every set (see the module doc), at least the level; 0 in an hour with fewer
    than ``minimum_sends`` sends; missing data keeps the state.

    Example::

        from ses_events.constructs import TenantAlarms

        alarms = TenantAlarms(stack, "Acme", tenant_name="acme", alarm_topic=topic)
        alarms.critical  # the two critical alarms (the breaker watches them)

    :param tenant_name: the tenant (must be known at synth: it names the alarms).
    :param prefix: first part of the alarm names. Default: the stack's name.
    :param alarm_topic: one topic every alarm notifies. Default: none.
    :param alarm_actions: actions by level, instead of ``alarm_topic``. Default: none.
    :param naming: how alarms are named. Default: ``<prefix>-<subject>-<what>-<level>``.
    :param thresholds: only the rates are used. Default: 2.5% / 5% bounces, 0.05% / 0.1%
        complaints (the critical levels are SES's review levels).
    :param minimum_sends: sends in an hour below which the rates read 0. Default: 100.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,  # noqa: A002 - the construct id, named as in aws-cdk-lib
        *,
        tenant_name: str,
        prefix: str | None = None,
        alarm_topic: sns.ITopic | None = None,
        alarm_actions: AlarmActions | None = None,
        naming: AlarmNamingStrategy | None = None,
        thresholds: AlarmThresholds | None = None,
        minimum_sends: int = rules.TENANT_MINIMUM_SENDS,
    ) -> None:
        where = f"{scope.node.path}/{id} (alarms of tenant {tenant_name!r})".lstrip("/")
        prefix = default_alarm_prefix(scope) if prefix is None else prefix
        thresholds = thresholds or AlarmThresholds()
        problems = Problems(where)
        if is_unresolved(tenant_name):
            problems.add(
                "tenant_name",
                tenant_name,
                "must be known at synth: it names the alarms and the tenant dimension they read",
            )
        else:
            problems.check("tenant_name", tenant_name, rules.TENANT_NAME)
        if is_unresolved(minimum_sends) or not (
            isinstance(minimum_sends, int) and not isinstance(minimum_sends, bool)
        ):
            problems.add(
                "minimum_sends", minimum_sends, "must be a whole number known at synth, at least 1"
            )
        elif minimum_sends < 1:
            problems.add("minimum_sends", minimum_sends, "must be at least 1")
        problems.extend(thresholds.problems())
        problems.raise_if_any()
        super().__init__(scope, id)
        self.tenant_name = tenant_name
        factory = AlarmFactory(self, prefix, alarm_topic, where, alarm_actions, naming)
        self.alarms: dict[str, cloudwatch.Alarm] = factory.created
        """The four alarms, by alarm name."""
        self.critical: list[cloudwatch.Alarm] = []
        """The critical alarms (bounce rate, complaint rate)."""
        self.thresholds: dict[rules.SesAlarm, RateThreshold] = {}
        """The levels of each rate alarm."""
        for kind, event_type, attribute in _RATES:
            rate: RateThreshold = getattr(thresholds, attribute)
            self.thresholds[kind] = rate
            label = kind.value.replace("_", " ").capitalize()
            created = factory.rate_alarms(
                subject=f"tenant-{tenant_name}",
                what=kind.value.replace("_", "-"),
                metric=tenant_rate(tenant_name, event_type, minimum_sends=minimum_sends),
                rate=rate,
                description=(
                    f"{label} of tenant {tenant_name} (its {event_type.metric_name} events per"
                    f" Send, over one hour, all its sets; 0 below {minimum_sends} sends) is at"
                    " least {value:g} ({value:.2%}); AWS reviews accounts from 5% bounces /"
                    " 0.1% complaints."
                ),
            )
            self.critical.append(created[AlarmLevel.CRITICAL])


def tenant_section(alarms: TenantAlarms) -> list[list[cloudwatch.IWidget]]:
    """A tenant's dashboard rows: a title, its events, its rates against the review levels and
    its alarms' thresholds, and its alarm states."""
    name = alarms.tenant_name
    events = [
        tenant_metric(name, t).with_(label=t.metric_name)
        for t in (EventType.SEND, EventType.DELIVERY, EventType.BOUNCE, EventType.COMPLAINT)
    ]
    rows: list[list[cloudwatch.IWidget]] = [
        [cloudwatch.TextWidget(markdown=f"## Tenant {name}", width=24, height=1)]
    ]
    axis = cloudwatch.YAxisProps(min=0, label="fraction (0.05 = 5%)", show_units=False)
    graphs: list[cloudwatch.IWidget] = [
        cloudwatch.GraphWidget(
            title=f"{name}: events per hour",
            left=events,
            left_y_axis=cloudwatch.YAxisProps(min=0, label="events", show_units=False),
            width=8,
        )
    ]
    for kind, event_type, _attribute in _RATES:
        rate = alarms.thresholds[kind]
        what = "Bounce" if event_type is EventType.BOUNCE else "Complaint"
        review, pause = (
            (rules.BOUNCE_RATE_REVIEW, rules.BOUNCE_RATE_PAUSE)
            if event_type is EventType.BOUNCE
            else (rules.COMPLAINT_RATE_REVIEW, rules.COMPLAINT_RATE_PAUSE)
        )
        graphs.append(
            cloudwatch.GraphWidget(
                title=f"{name}: {what.lower()} rate",
                left=[tenant_rate(name, event_type, label=f"{what} rate")],
                left_annotations=[
                    *review_threshold_annotations(review, pause, what),
                    cloudwatch.HorizontalAnnotation(
                        value=rate.warning, label=f"warning alarm {rate.warning:.2%}"
                    ),
                    cloudwatch.HorizontalAnnotation(
                        value=rate.critical, label=f"critical alarm {rate.critical:.2%}"
                    ),
                ],
                left_y_axis=axis,
                width=8,
            )
        )
    rows.append(graphs)
    rows.append(
        [
            cloudwatch.AlarmStatusWidget(
                title=f"{name}: alarms", alarms=list(alarms.alarms.values()), width=24, height=2
            )
        ]
    )
    return rows


class TenantFleetMonitoring(Construct):
    """Every tenant at once, with Metrics Insights: a dashboard and two alarms, whatever the
    number of tenants.

    - alarms ``<prefix>-tenants-bounces-critical`` and ``<prefix>-tenants-complaints-critical``:
      ALARM when some tenant's mail had at least ``bounces_per_hour`` bounces
      (``complaints_per_hour`` complaints) in an hour; the alarm names the tenants that breach
      (the 500 with the most, 100 of them named);
    - a dashboard ``<prefix>-tenants``: the ten tenants with the most bounces, complaints and
      sends, and the alarm states.

    :param prefix: first part of the names. Default: the stack's name.
    :param alarm_topic: one topic both alarms notify. Default: none.
    :param alarm_actions: actions by level, instead of ``alarm_topic``. Default: none.
    :param naming: how alarms are named. Default: ``<prefix>-<subject>-<what>-<level>``.
    :param bounces_per_hour: Default: 50 (5% of 1,000 sends an hour).
    :param complaints_per_hour: Default: 5.
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
        bounces_per_hour: int = 50,
        complaints_per_hour: int = 5,
        dashboard: bool = True,
    ) -> None:
        where = f"{scope.node.path}/{id} (tenant fleet monitoring)".lstrip("/")
        prefix = default_alarm_prefix(scope) if prefix is None else prefix
        problems = Problems(where)
        for field_name, value in (
            ("bounces_per_hour", bounces_per_hour),
            ("complaints_per_hour", complaints_per_hour),
        ):
            if is_unresolved(value) or not isinstance(value, int) or isinstance(value, bool):
                problems.add(field_name, value, "must be a whole number known at synth")
            elif value < 1:
                problems.add(field_name, value, "must be at least 1")
        problems.raise_if_any()
        super().__init__(scope, id)
        factory = AlarmFactory(self, prefix, alarm_topic, where, alarm_actions, naming)
        for what, event_type, threshold in (
            ("bounces", EventType.BOUNCE, bounces_per_hour),
            ("complaints", EventType.COMPLAINT, complaints_per_hour),
        ):
            factory.alarm(
                f"{what}-critical",
                subject="tenants",
                what=what,
                level=AlarmLevel.CRITICAL,
                metric=cloudwatch.MathExpression(
                    expression=tenant_fleet_query(event_type.metric_name),
                    using_metrics={},
                    period=RATE_PERIOD,
                    label=f"{event_type.metric_name} per tenant",
                ),
                threshold=threshold,
                description=(
                    f"Some tenant's mail had at least {threshold} {event_type.metric_name}"
                    " events in an hour (the alarm names the tenants that breach; Metrics"
                    " Insights reads the 500 tenants with the most)."
                ),
            )
        self.alarms: dict[str, cloudwatch.Alarm] = factory.created
        """The two alarms, by alarm name."""
        self.dashboard: cloudwatch.Dashboard | None = None
        """``<prefix>-tenants``."""
        if not dashboard:
            return
        top = 10
        self.dashboard = cloudwatch.Dashboard(
            self,
            "Dashboard",
            dashboard_name=f"{prefix}-tenants",
            default_interval=Duration.days(1),
            period_override=cloudwatch.PeriodOverride.INHERIT,
        )
        self.dashboard.add_widgets(
            cloudwatch.TextWidget(
                markdown=(
                    "# All tenants\n"
                    f"The {top} tenants with the most bounces, complaints and sends per hour"
                    f" (the `{rules.TENANT_TAG}` message tag), and the fleet alarms, which cover"
                    " every tenant."
                ),
                width=24,
                height=2,
            )
        )
        self.dashboard.add_widgets(
            *(
                cloudwatch.GraphWidget(
                    title=title,
                    left=[
                        cloudwatch.MathExpression(
                            expression=tenant_fleet_query(event_type.metric_name, limit=top),
                            using_metrics={},
                            period=RATE_PERIOD,
                            label="",
                        )
                    ],
                    left_y_axis=cloudwatch.YAxisProps(
                        min=0, label="events per hour", show_units=False
                    ),
                    width=8,
                )
                for title, event_type in (
                    ("Most bounces", EventType.BOUNCE),
                    ("Most complaints", EventType.COMPLAINT),
                    ("Most sends", EventType.SEND),
                )
            )
        )
        self.dashboard.add_widgets(
            cloudwatch.AlarmStatusWidget(
                title="Tenant fleet alarms", alarms=list(self.alarms.values()), width=24, height=2
            )
        )
