"""CloudWatch dashboards for SES event publishing, split to stay within CloudWatch's limits.

A dashboard is assembled from *sections*: an account section (reputation, what the dashboard
shows), one section per configuration set (event counts, rates with the AWS review thresholds,
a breakdown per dimension value, reputation, alarm status) and one per Firehose archive (delivery
health). Sections are packed in order into as few dashboards as the limits allow (widgets and
metrics per dashboard, metrics per widget, body size); a section that alone exceeds a limit is
an error.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from aws_cdk import Duration, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from constructs import Construct

from ses_events import rules
from ses_events.constructs.configuration_set import (
    ConfigurationSetLike,
    EventPublishingConfigurationSet,
)
from ses_events.constructs.firehose import FirehoseEventArchive
from ses_events.constructs.metrics import (
    DEFAULT_PERIOD,
    account_reputation_bounce_rate,
    account_reputation_complaint_rate,
    firehose_metric,
)
from ses_events.errors import Problem, Problems, SesEventsValidationError
from ses_events.rules import EventType

__all__ = [
    "DashboardSection",
    "EventPublishingDashboards",
    "account_reputation_section",
    "archive_section",
    "configuration_set_section",
    "default_dashboard_name",
    "review_threshold_annotations",
]

_FULL, _HALF, _THIRD = 24, 12, 8


def review_threshold_annotations(
    review: float, pause: float, what: str
) -> list[cloudwatch.HorizontalAnnotation]:
    """The AWS review and pause levels of a rate, as horizontal lines (fractions)."""
    return [
        cloudwatch.HorizontalAnnotation(
            value=review, label=f"{what} {review:.1%}: AWS review", color="#ff7f0e"
        ),
        cloudwatch.HorizontalAnnotation(
            value=pause, label=f"{what} {pause:.1%}: sending may pause", color="#d62728"
        ),
    ]


def _rate_annotations() -> list[cloudwatch.HorizontalAnnotation]:
    return [
        *review_threshold_annotations(rules.BOUNCE_RATE_REVIEW, rules.BOUNCE_RATE_PAUSE, "Bounce"),
        *review_threshold_annotations(
            rules.COMPLAINT_RATE_REVIEW, rules.COMPLAINT_RATE_PAUSE, "Complaint"
        ),
    ]


_RATE_AXIS = cloudwatch.YAxisProps(min=0, label="fraction (0.05 = 5%)", show_units=False)


@dataclass
class DashboardSection:
    """A titled group of widget rows that stays together on one dashboard."""

    title: str
    rows: list[list[cloudwatch.IWidget]] = field(default_factory=list)

    @property
    def widgets(self) -> list[cloudwatch.IWidget]:
        """Every widget, row by row."""
        return [w for row in self.rows for w in row]

    def add_to(self, dashboard: cloudwatch.Dashboard) -> None:
        """Add the section to ``dashboard`` (any dashboard, yours included), row by row."""
        for row in self.rows:
            dashboard.add_widgets(*row)


@dataclass(frozen=True)
class _Size:
    widgets: int
    metrics: int
    largest_widget: int
    body_bytes: int


def _measure(stack: Stack, section: DashboardSection) -> _Size:
    rendered = [stack.resolve(w.to_json()) for w in section.widgets]
    flat = [item for widget in rendered for item in widget]
    counts = [len(item.get("properties", {}).get("metrics", [])) for item in flat]
    return _Size(
        widgets=len(flat),
        metrics=sum(counts),
        largest_widget=max(counts, default=0),
        body_bytes=len(json.dumps(flat, separators=(",", ":"))),
    )


_DEFAULT_NAME_LENGTH = 240
"""A default dashboard name leaves room for the ``-2``, ``-3`` ... of further dashboards."""


def default_dashboard_name(scope: Construct, id: str) -> str:  # noqa: A002
    """The dashboard name :class:`EventPublishingDashboards` ``id`` in ``scope`` gets by default:
    its stack's name and its path below the stack, joined by ``-``, each character that
    CloudWatch refuses in a name made ``-``, cut to 240 characters."""
    stack = Stack.of(scope)
    below = scope.node.path[len(stack.node.path) :].strip("/")
    parts = [stack.stack_name, *below.split("/"), id] if below else [stack.stack_name, id]
    name = re.sub(r"[^A-Za-z0-9_-]", "-", "-".join(parts))
    return name[:_DEFAULT_NAME_LENGTH]


class EventPublishingDashboards(Construct):
    """One or more CloudWatch dashboards for SES configuration sets and their archives.

    Example::

        from ses_events.constructs import EventPublishingDashboards

        EventPublishingDashboards(
            stack, "Dashboards",
            dashboard_name="mail",
            configuration_sets=[marketing, transactional],
            archives={"default": archive},
            alarms={"marketing": list(marketing_alarms.alarms.values())},
            breakdowns={"marketing": ["campaign"]},
        )

    :param dashboard_name: name of the first dashboard; more are ``<name>-2``, ``<name>-3``...
        Default: :func:`default_dashboard_name`, the stack's name and this construct's path in
        it joined by ``-`` (``Mail-Dashboards``): stable, and distinct per stack and construct.
    :param configuration_sets: the sets to show, in order.
    :param archives: Firehose archives to show, by name. Default: none.
    :param alarms: alarms for each set's alarm status widget, by set name. Default: none.
    :param breakdowns: dimensions to break each set's events down by, by set name. Default: every
        dimension of the set's CloudWatch destination except ``ses:configuration-set``.
    :param account_section: start with the account's reputation. Default: ``True``.
    :param period: period of the event graphs. Default: 5 minutes.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,  # noqa: A002 - the construct id, named as in aws-cdk-lib
        *,
        configuration_sets: Sequence[ConfigurationSetLike],
        dashboard_name: str | None = None,
        archives: Mapping[str, FirehoseEventArchive] | None = None,
        alarms: Mapping[str, Sequence[cloudwatch.IAlarm]] | None = None,
        breakdowns: Mapping[str, Sequence[str]] | None = None,
        account_section: bool = True,
        period: Duration = DEFAULT_PERIOD,
    ) -> None:
        sets = [EventPublishingConfigurationSet.of(scope, cs) for cs in configuration_sets]
        if dashboard_name is None:
            dashboard_name = default_dashboard_name(scope, id)
        where = f"{scope.node.path}/{id} (dashboard {dashboard_name!r})".lstrip("/")
        problems = Problems(where)
        problems.check("dashboard_name", dashboard_name, rules.DASHBOARD_NAME)
        names = {cs.configuration_set_name for cs in sets}
        for name in (breakdowns or {}).keys() - names:
            problems.add("breakdowns", name, f"must name a configuration set of {sorted(names)}")
        for name in (alarms or {}).keys() - names:
            problems.add("alarms", name, f"must name a configuration set of {sorted(names)}")
        for cs in sets:
            _check_breakdowns(
                cs,
                (breakdowns or {}).get(cs.configuration_set_name, ()),
                f"breakdowns[{cs.configuration_set_name!r}]",
                problems,
            )
        problems.raise_if_any()
        super().__init__(scope, id)
        sections: list[DashboardSection] = []
        if account_section:
            sections.append(account_reputation_section())
        for cs in sets:
            chosen = (breakdowns or {}).get(cs.configuration_set_name)
            sections.append(
                _set_section(
                    cs,
                    period=period,
                    breakdowns=list(chosen) if chosen is not None else sorted(_dimensions(cs)),
                    alarms=list((alarms or {}).get(cs.configuration_set_name, ())),
                )
            )
        for name, archive in (archives or {}).items():
            sections.append(archive_section(name, archive, period=period))
        self.sections: list[DashboardSection] = sections
        """The sections, in order."""

        self.dashboards: list[cloudwatch.Dashboard] = []
        """The dashboards, in order; the first is named ``dashboard_name``."""
        stack = Stack.of(self)
        pages: list[list[DashboardSection]] = []
        totals = _Size(0, 0, 0, 0)
        for section in sections:
            size = _measure(stack, section)
            _check_fits(where, section, size)
            if pages and (
                totals.widgets + size.widgets <= rules.MAX_WIDGETS_PER_DASHBOARD
                and totals.metrics + size.metrics <= rules.MAX_METRICS_PER_DASHBOARD
                and totals.body_bytes + size.body_bytes <= rules.MAX_DASHBOARD_BODY_BYTES
            ):
                pages[-1].append(section)
                totals = _Size(
                    totals.widgets + size.widgets,
                    totals.metrics + size.metrics,
                    0,
                    totals.body_bytes + size.body_bytes,
                )
            else:
                pages.append([section])
                totals = size
        for number, page in enumerate(pages, start=1):
            name = dashboard_name if number == 1 else f"{dashboard_name}-{number}"
            if len(name) > rules.MAX_DASHBOARD_NAME_LENGTH:
                raise SesEventsValidationError(
                    where, [Problem("dashboard_name", name, "must be at most 255 characters")]
                )
            dashboard = cloudwatch.Dashboard(
                self,
                "Dashboard" if number == 1 else f"Dashboard{number}",
                dashboard_name=name,
                default_interval=Duration.days(1),
                period_override=cloudwatch.PeriodOverride.INHERIT,
            )
            for section in page:
                section.add_to(dashboard)
            self.dashboards.append(dashboard)


def account_reputation_section() -> DashboardSection:
    """The account's reputation (bounce and complaint rate with the AWS review levels), as
    widgets for any dashboard: ``account_reputation_section().add_to(my_dashboard)``."""
    return DashboardSection(
        "account",
        [
            [
                cloudwatch.TextWidget(
                    markdown=(
                        "# SES account reputation\n"
                        "Bounce and complaint rates of the whole account, as SES computes them"
                        " over a representative volume of mail: the figures AWS reviews."
                        " Rates are fractions (0.05 = 5%). Lines: AWS review level and the"
                        " level at which sending may be paused."
                    ),
                    width=_FULL,
                    height=2,
                )
            ],
            [
                cloudwatch.GraphWidget(
                    title="Account bounce rate",
                    left=[account_reputation_bounce_rate().with_(label="Account bounce rate")],
                    left_annotations=review_threshold_annotations(
                        rules.BOUNCE_RATE_REVIEW, rules.BOUNCE_RATE_PAUSE, "Bounce"
                    ),
                    left_y_axis=_RATE_AXIS,
                    width=_HALF,
                ),
                cloudwatch.GraphWidget(
                    title="Account complaint rate",
                    left=[
                        account_reputation_complaint_rate().with_(label="Account complaint rate")
                    ],
                    left_annotations=review_threshold_annotations(
                        rules.COMPLAINT_RATE_REVIEW, rules.COMPLAINT_RATE_PAUSE, "Complaint"
                    ),
                    left_y_axis=_RATE_AXIS,
                    width=_HALF,
                ),
            ],
        ],
    )


def _set_section(
    cs: EventPublishingConfigurationSet,
    *,
    breakdowns: list[str],
    alarms: list[cloudwatch.IAlarm],
    period: Duration,
) -> DashboardSection:
    name = cs.configuration_set_name
    metrics = cs.metrics
    published = [e for e in EventType if metrics.publishes(e)]
    section = DashboardSection(name)
    section.rows.append(
        [
            cloudwatch.TextWidget(
                markdown=(
                    f"# Configuration set `{name}`\n"
                    + (
                        "Event counts per period, rates (fractions: 0.05 = 5%) with the AWS"
                        " review levels, a breakdown per dimension value"
                        + (", SES reputation" if cs.reputation_metrics else "")
                        + (" and alarm status." if alarms else ".")
                        if published
                        else "No CloudWatch event destination publishes this set's events"
                        f" with the `{rules.CONFIGURATION_SET_DIMENSION}` dimension, so"
                        " there are no event graphs."
                    )
                ),
                width=_FULL,
                height=2,
            )
        ]
    )
    graphs: list[cloudwatch.IWidget] = []
    if published:
        graphs.append(
            cloudwatch.GraphWidget(
                title=f"{name}: events",
                left=[metrics.graph_metric(e, period=period) for e in published],
                left_y_axis=cloudwatch.YAxisProps(min=0, label="events", show_units=False),
                width=_HALF,
            )
        )
    rates = metrics.available_rates(period)
    if rates:
        graphs.append(
            cloudwatch.GraphWidget(
                title=f"{name}: rates",
                left=rates,
                left_annotations=_rate_annotations(),
                left_y_axis=_RATE_AXIS,
                width=_HALF,
            )
        )
    if graphs:
        section.rows.append(graphs)
    breakdown_types = [
        e for e in (EventType.SEND, EventType.BOUNCE, EventType.COMPLAINT) if e in published
    ]
    breakdown_widgets: list[cloudwatch.IWidget] = [
        cloudwatch.GraphWidget(
            title=f"{name}: per {dimension}",
            left=[
                metrics.metric_per_value(e, dimension, period=period)
                for e in breakdown_types
                if dimension in metrics.dimension_names(e)
            ],
            left_y_axis=cloudwatch.YAxisProps(min=0, label="events", show_units=False),
            width=_HALF,
        )
        for dimension in breakdowns
        if breakdown_types
    ]
    for start in range(0, len(breakdown_widgets), 2):
        section.rows.append(breakdown_widgets[start : start + 2])
    last_row: list[cloudwatch.IWidget] = []
    if cs.reputation_metrics:
        last_row.append(
            cloudwatch.GraphWidget(
                title=f"{name}: reputation",
                left=[
                    metrics.reputation_bounce_rate().with_(label="Bounce rate (SES)"),
                    metrics.reputation_complaint_rate().with_(label="Complaint rate (SES)"),
                ],
                left_annotations=_rate_annotations(),
                left_y_axis=_RATE_AXIS,
                width=_HALF,
            )
        )
    # An alarm status widget shows at most 100 alarms: more get more widgets.
    step = rules.MAX_ALARMS_PER_ALARM_STATUS_WIDGET
    for start in range(0, len(alarms), step):
        last_row.append(
            cloudwatch.AlarmStatusWidget(
                title=f"{name}: alarms" + (f" ({start // step + 1})" if start else ""),
                alarms=alarms[start : start + step],
                width=_HALF,
                height=6,
            )
        )
    if last_row:
        section.rows.append(last_row)
    return section


def archive_section(
    name: str, archive: FirehoseEventArchive, *, period: Duration = DEFAULT_PERIOD
) -> DashboardSection:
    """A Firehose archive's health (incoming records, share delivered to S3, data freshness),
    as widgets for any dashboard: ``archive_section("default", archive).add_to(my_dashboard)``."""
    stream = archive.delivery_stream_name

    def metric(metric_name: str, statistic: str, label: str) -> cloudwatch.Metric:
        return firehose_metric(stream, metric_name, statistic=statistic, label=label, period=period)

    return DashboardSection(
        f"archive {name}",
        [
            [
                cloudwatch.TextWidget(
                    markdown=(
                        f"# Event archive `{name}` (Firehose to S3)\n"
                        "Records SES put on the stream, the share delivered to S3 (1 = all),"
                        " and the age of the oldest record not yet in S3. A failing stream"
                        " loses event data."
                    ),
                    width=_FULL,
                    height=2,
                )
            ],
            [
                cloudwatch.GraphWidget(
                    title=f"archive {name}: incoming records",
                    left=[metric("IncomingRecords", "Sum", "Incoming records")],
                    width=_THIRD,
                ),
                cloudwatch.GraphWidget(
                    title=f"archive {name}: delivered to S3",
                    left=[metric("DeliveryToS3.Success", "Average", "S3 delivery success")],
                    left_y_axis=cloudwatch.YAxisProps(min=0, max=1, show_units=False),
                    width=_THIRD,
                ),
                cloudwatch.GraphWidget(
                    title=f"archive {name}: data freshness",
                    left=[metric("DeliveryToS3.DataFreshness", "Maximum", "Oldest record (s)")],
                    left_y_axis=cloudwatch.YAxisProps(min=0, label="seconds", show_units=False),
                    width=_THIRD,
                ),
            ],
        ],
    )


def _check_breakdowns(
    cs: EventPublishingConfigurationSet,
    breakdowns: Sequence[str],
    field_name: str,
    problems: Problems,
) -> None:
    known = _dimensions(cs)
    for dimension in breakdowns:
        if dimension not in known:
            problems.add(
                field_name,
                dimension,
                "must be a dimension of the set's CloudWatch destination other than"
                f" {rules.CONFIGURATION_SET_DIMENSION}: {sorted(known)}",
            )


def configuration_set_section(
    scope: Construct,
    configuration_set: ConfigurationSetLike,
    *,
    breakdowns: Sequence[str] | None = None,
    alarms: Sequence[cloudwatch.IAlarm] = (),
    period: Duration = DEFAULT_PERIOD,
) -> DashboardSection:
    """A configuration set's section as widgets, to add to a dashboard of your own instead of
    creating another (each dashboard past the free three costs money).

    The same widgets :class:`EventPublishingDashboards` shows: event counts, rates with the AWS
    review levels, a breakdown per dimension value, reputation and alarm status.

    Example::

        from ses_events.constructs import configuration_set_section

        ops = cloudwatch.Dashboard(stack, "Ops", dashboard_name="ops")
        configuration_set_section(stack, marketing, breakdowns=["campaign"]).add_to(ops)

    :param scope: where an existing set given by name is looked up (any construct of its stack).
    :param configuration_set: ours, an ``aws_ses.IConfigurationSet`` or a name.
    :param breakdowns: dimensions to break events down by. Default: every dimension of the set's
        CloudWatch destination except ``ses:configuration-set``.
    :param alarms: alarms for the alarm status widget. Default: none.
    :param period: period of the event graphs. Default: 5 minutes.
    """
    cs = EventPublishingConfigurationSet.of(scope, configuration_set)
    problems = Problems(
        f"{scope.node.path} (dashboard section of configuration set"
        f" {cs.configuration_set_name!r})".lstrip("/")
    )
    _check_breakdowns(cs, breakdowns or (), "breakdowns", problems)
    problems.raise_if_any()
    section = _set_section(
        cs,
        breakdowns=list(breakdowns) if breakdowns is not None else sorted(_dimensions(cs)),
        alarms=list(alarms),
        period=period,
    )
    _check_fits(problems.where, section, _measure(Stack.of(scope), section))
    return section


def _dimensions(cs: EventPublishingConfigurationSet) -> set[str]:
    """Dimensions a set's events can be broken down by (all but ``ses:configuration-set``)."""
    found: set[str] = set()
    for event_type in EventType:
        if cs.metrics.publishes(event_type):
            found.update(cs.metrics.dimension_names(event_type))
    found.discard(rules.CONFIGURATION_SET_DIMENSION)
    return found


def _check_fits(where: str, section: DashboardSection, size: _Size) -> None:
    problems = Problems(where)
    for value, limit, rule in (
        (size.widgets, rules.MAX_WIDGETS_PER_DASHBOARD, "widgets per dashboard"),
        (size.metrics, rules.MAX_METRICS_PER_DASHBOARD, "metrics per dashboard"),
        (size.largest_widget, rules.MAX_METRICS_PER_WIDGET, "metrics per widget"),
        (size.body_bytes, rules.MAX_DASHBOARD_BODY_BYTES, "bytes of dashboard body"),
    ):
        if value > limit:
            problems.add(
                f"section {section.title!r}",
                value,
                f"exceeds {limit} {rule} even on a dashboard of its own",
            )
    problems.raise_if_any()
