"""What a synthesized deployment will cost to run in CloudWatch each month, from the price list.

Read from the templates of a cloud assembly: alarms (by kind), dashboards, and the custom metrics
that SES event publishing creates (each distinct combination of dimension values, for each
event type a CloudWatch destination publishes, is one custom metric: "Set up a CloudWatch event
destination", SES Developer Guide). Prices are CloudWatch's published list prices for US East
(N. Virginia), https://aws.amazon.com/cloudwatch/pricing/, as of 2026:

- custom metrics, per metric-month: $0.30 (first 10,000), $0.10 (next 240,000), $0.05 (next
  750,000), $0.02 (beyond);
- alarms, per alarm-month: $0.10 per metric of a standard-resolution alarm, $0.10 per metric a
  Metrics Insights query alarm analyzes, $0.50 per composite alarm;
- dashboards: $3.00 per dashboard-month.

The free tier, from the same page: 10 custom metrics, 10 alarm metrics (standard-resolution
alarms that list their metrics, not Metrics Insights alarms), and 3 dashboards referencing up to
50 metrics each. A dashboard referencing more is billed even among the first three.

A metric is a combination of event type and dimension values, so a dimension multiplies the
metrics only for the event types that carry its value: a link tag only for click events, every
other event type publishing its default (``rules.dimension_value_varies``).

Not counted: what depends on traffic (SES sending, Firehose ingestion, S3 storage, SNS
deliveries, API calls), and SES's own reputation metrics (vended, not custom).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ses_events import rules

__all__ = [
    "CostLine",
    "CostReport",
    "estimate_analytics_cost",
    "estimate_cost",
    "estimate_tenant_cost",
    "tenant_metric_count",
]

METRIC_TIERS = ((10_000, 0.30), (240_000, 0.10), (750_000, 0.05), (float("inf"), 0.02))
ALARM_METRIC_MONTH = 0.10
INSIGHTS_ALARM_METRIC_MONTH = 0.10
COMPOSITE_ALARM_MONTH = 0.50
DASHBOARD_MONTH = 3.00
FREE_CUSTOM_METRICS = 10
FREE_ALARM_METRICS = 10
FREE_DASHBOARDS = 3
FREE_DASHBOARD_METRICS = 50
"""A dashboard is free (one of three) only while it references at most this many metrics."""


@dataclass(frozen=True)
class CostLine:
    item: str
    quantity: int
    unit: str
    monthly_usd: float


@dataclass(frozen=True)
class CostReport:
    lines: tuple[CostLine, ...]
    assumptions: tuple[str, ...]
    title: str = "CloudWatch, per month"

    @property
    def total_usd(self) -> float:
        return round(sum(line.monthly_usd for line in self.lines), 2)

    def table(self) -> str:
        """The report as a plain-text table."""
        rows = [(self.title, "quantity", "USD")]
        rows += [
            (f"{line.item} ({line.unit})", f"{line.quantity:,}", f"{line.monthly_usd:,.2f}")
            for line in self.lines
        ]
        rows.append(("total", "", f"{self.total_usd:,.2f}"))
        widths = [max(len(r[i]) for r in rows) for i in range(3)]
        out = []
        for index, (a, b, c) in enumerate(rows):
            out.append(f"  {a:<{widths[0]}}  {b:>{widths[1]}}  {c:>{widths[2]}}")
            if index == 0 or index == len(rows) - 2:
                out.append("  " + "-" * (sum(widths) + 4))
        out.append("  Assumptions: " + "; ".join(self.assumptions) + ".")
        return "\n".join(out)


def _tiered(metrics: int) -> float:
    """Custom metric price: each tier's band at its rate (the free ones already taken off)."""
    cost, left = 0.0, float(metrics)
    for band, price in METRIC_TIERS:
        used = min(left, band)
        cost += used * price
        left -= used
    return round(cost, 2)


_CLICK_METRIC = rules.EventType.CLICK.metric_name


def _analyzed(
    expression: str,
    values_per_dimension: int,
    reputation_sets: int,
    link_tags: frozenset[str] = frozenset(),
    tenants: int = 0,
) -> int:
    """Metrics a Metrics Insights query reads: per tenant for GROUP BY tenant, per set for
    GROUP BY set, else the combinations of the other dimensions of its SCHEMA (a link tag's only
    for click metrics: the other event types publish its default)."""
    if f'GROUP BY "{rules.TENANT_TAG}"' in expression:
        return max(1, tenants)
    if "GROUP BY" in expression:
        return max(1, reputation_sets)
    schema = re.search(r"SCHEMA\(([^)]*)\)", expression)
    names = [n.strip().strip('"') for n in schema.group(1).split(",")[1:]] if schema else []
    metric = re.search(r'SELECT\s+\w+\("([^"]+)"\)', expression)
    clicks = metric is not None and metric.group(1) == _CLICK_METRIC
    others = [
        n
        for n in names
        if n != rules.CONFIGURATION_SET_DIMENSION and (clicks or n not in link_tags)
    ]
    return int(values_per_dimension ** len(others))


def _tenant_only(destination: dict[str, Any]) -> bool:
    """Whether the destination's one dimension is the tenant tag: its metrics are the same
    metrics for every set (``tenant=acme``), counted once per tenant, not per destination."""
    dimensions = destination["CloudWatchDestination"].get("DimensionConfigurations", [])
    return [d["DimensionName"] for d in dimensions] == [rules.TENANT_TAG]


def tenant_metric_count(tenants: int) -> int:
    """Custom metrics of per-tenant event metrics: each event type the tenant metrics
    destination publishes, for each tenant and for untagged mail."""
    return len(rules.TENANT_METRIC_EVENT_TYPES) * (tenants + 1)


def _metrics_of_destination(destination: dict[str, Any], values_per_dimension: int) -> int:
    """Custom metrics of a CloudWatch destination: per event type, the combinations of the
    values its dimensions take for that event type."""
    dimensions = destination["CloudWatchDestination"].get("DimensionConfigurations", [])
    total = 0
    for event_type in destination.get("MatchingEventTypes", []):
        combinations = 1
        for dimension in dimensions:
            if dimension["DimensionName"] == rules.CONFIGURATION_SET_DIMENSION:
                continue  # one value: the set itself
            source = rules.DimensionSource(dimension["DimensionValueSource"])
            if rules.dimension_value_varies(source, event_type):
                combinations *= values_per_dimension
        total += combinations
    return total


def _dashboard_widgets(body: Any) -> list[dict[str, Any]]:
    """The widgets of a dashboard body as a template writes it (a string, or an ``Fn::Join``
    whose tokens sit inside JSON strings)."""
    parts = body["Fn::Join"][1] if isinstance(body, dict) and "Fn::Join" in body else [body]
    text = "".join(part if isinstance(part, str) else "TOKEN" for part in parts)
    widgets: list[dict[str, Any]] = json.loads(text).get("widgets", [])
    return widgets


_SEARCH = re.compile(r"SEARCH\('((?:[^'\\]|\\.)*)'")
_LIMIT = re.compile(r"\bLIMIT\s+(\d+)")


def _dashboard_metrics(body: Any, values_per_dimension: int) -> int:
    """Metrics a dashboard references: each distinct metric it lists, each distinct SEARCH
    (as many metrics as the combinations of its dimensions other than the set's, the same
    assumption as for custom metrics), and each Metrics Insights query (its LIMIT, the series
    it shows)."""
    listed: set[str] = set()
    searches: set[str] = set()
    insights = 0
    for widget in _dashboard_widgets(body):
        for entry in widget.get("properties", {}).get("metrics", []):
            options = entry[-1] if entry and isinstance(entry[-1], dict) else {}
            expression = str(options.get("expression", ""))
            if not expression:
                listed.add(json.dumps([e for e in entry if not isinstance(e, dict)]))
            elif expression.startswith("SELECT"):
                limit = _LIMIT.search(expression)
                insights += int(limit.group(1)) if limit else values_per_dimension
            else:
                searches.update(_SEARCH.findall(expression))
    searched = 0
    for search in searches:
        schema = re.search(r"\{([^}]*)\}", search)
        names = schema.group(1).split(",")[1:] if schema else []
        others = [n for n in names if n.strip().strip('"') != rules.CONFIGURATION_SET_DIMENSION]
        searched += int(values_per_dimension ** len(others))
    return len(listed) + searched + insights


def _check_counts(where: str, **counts: tuple[int, int]) -> None:
    """Refuse a count (``name=(value, least)``) that is not a whole number ``least`` or more."""
    from ses_events.errors import Problem, SesEventsValidationError

    problems = [
        Problem(name, value, f"must be a whole number, {least} or more")
        for name, (value, least) in counts.items()
        if isinstance(value, bool) or not isinstance(value, int) or value < least
    ]
    if problems:
        raise SesEventsValidationError(where, problems)


def estimate_cost(templates: list[dict[str, Any]], *, values_per_dimension: int = 10) -> CostReport:
    """Monthly CloudWatch cost of the resources in ``templates`` (see the module doc)."""
    _check_counts("cost estimate", values_per_dimension=(values_per_dimension, 1))
    metric_alarm_metrics = insights_alarm_metrics = composite = dashboards = metrics = 0
    free_eligible_dashboards = 0
    reputation_sets = sum(
        1
        for template in templates
        for resource in template.get("Resources", {}).values()
        if resource["Type"] == "AWS::SES::ConfigurationSet"
        and resource.get("Properties", {})
        .get("ReputationOptions", {})
        .get("ReputationMetricsEnabled")
    )
    link_tags = frozenset(
        dimension["DimensionName"]
        for template in templates
        for resource in template.get("Resources", {}).values()
        if resource["Type"] == "AWS::SES::ConfigurationSetEventDestination"
        for dimension in resource.get("Properties", {})
        .get("EventDestination", {})
        .get("CloudWatchDestination", {})
        .get("DimensionConfigurations", [])
        if dimension.get("DimensionValueSource") == rules.DimensionSource.LINK_TAG.value
    )
    tenants = sum(
        1
        for template in templates
        for resource in template.get("Resources", {}).values()
        if resource["Type"] == "AWS::SES::Tenant"
    )
    tenant_event_types: set[str] = set()
    for template in templates:
        for resource in template.get("Resources", {}).values():
            kind, props = resource["Type"], resource.get("Properties", {})
            if kind == "AWS::CloudWatch::Alarm":
                queries = props.get("Metrics", [])
                insights = [q for q in queries if str(q.get("Expression", "")).startswith("SELECT")]
                if insights:
                    insights_alarm_metrics += _analyzed(
                        insights[0]["Expression"],
                        values_per_dimension,
                        reputation_sets,
                        link_tags,
                        tenants,
                    )
                else:
                    stats = sum(1 for q in queries if "MetricStat" in q)
                    metric_alarm_metrics += stats if queries else 1
            elif kind == "AWS::CloudWatch::CompositeAlarm":
                composite += 1
            elif kind == "AWS::CloudWatch::Dashboard":
                dashboards += 1
                referenced = _dashboard_metrics(props["DashboardBody"], values_per_dimension)
                free_eligible_dashboards += int(referenced <= FREE_DASHBOARD_METRICS)
            elif kind == "AWS::SES::ConfigurationSetEventDestination":
                destination = props.get("EventDestination", {})
                if "CloudWatchDestination" in destination and destination.get("Enabled", False):
                    if _tenant_only(destination):
                        tenant_event_types |= set(destination.get("MatchingEventTypes", []))
                    else:
                        metrics += _metrics_of_destination(destination, values_per_dimension)
    metrics += len(tenant_event_types) * (tenants + 1)  # once per tenant, and untagged mail
    billable_alarm_metrics = max(0, metric_alarm_metrics - FREE_ALARM_METRICS)
    billable_dashboards = dashboards - min(FREE_DASHBOARDS, free_eligible_dashboards)
    lines = (
        CostLine(
            "custom metrics from event publishing",
            metrics,
            f"metric-months, {FREE_CUSTOM_METRICS} free",
            _tiered(max(0, metrics - FREE_CUSTOM_METRICS)),
        ),
        CostLine(
            "standard alarms",
            metric_alarm_metrics,
            f"alarm metrics, {FREE_ALARM_METRICS} free",
            billable_alarm_metrics * ALARM_METRIC_MONTH,
        ),
        CostLine(
            "Metrics Insights alarms",
            insights_alarm_metrics,
            "metrics analyzed",
            insights_alarm_metrics * INSIGHTS_ALARM_METRIC_MONTH,
        ),
        CostLine("composite alarms", composite, "alarms", composite * COMPOSITE_ALARM_MONTH),
        CostLine(
            "dashboards",
            dashboards,
            f"dashboards, {FREE_DASHBOARDS} of up to {FREE_DASHBOARD_METRICS} metrics free",
            billable_dashboards * DASHBOARD_MONTH,
        ),
    )
    assumptions = (
        "US East (N. Virginia) list prices of 2026",
        f"{values_per_dimension} distinct values per dimension other than"
        f" {rules.CONFIGURATION_SET_DIMENSION}, every combination seen each month (a link tag"
        " only on click events: the others publish its default)",
        f"a dashboard's SEARCH finds {values_per_dimension} values per dimension too",
        "a Metrics Insights alarm analyzes every set with reputation metrics (GROUP BY set),"
        " every tenant (GROUP BY tenant), or every combination of its other dimensions",
        "each tenant's mail seen each month (its tenant metrics: one per event type, shared by"
        " all its sets)",
        "traffic-driven costs (SES, Firehose, S3, SNS, API calls) not included",
        "the account's free tier counted once, against these resources only",
    )
    return CostReport(tuple(lines), assumptions)


def estimate_assembly_cost(outdir: str | Path, *, values_per_dimension: int = 10) -> CostReport:
    """:func:`estimate_cost` of every template in the cloud assembly at ``outdir``."""
    templates = [json.loads(p.read_text()) for p in sorted(Path(outdir).glob("*.template.json"))]
    return estimate_cost(templates, values_per_dimension=values_per_dimension)


# -- the analytics side: the archive in S3, the named queries in Athena ---------------------------

S3_STANDARD_GB_MONTH = 0.023
"""S3 Standard storage, first 50 TB, per GB-month, US East (N. Virginia), 2026:
https://aws.amazon.com/s3/pricing/."""
ATHENA_TB_SCANNED = 5.00
ATHENA_MINIMUM_BYTES = 10 * 1024**2
"""Athena SQL queries: $5.00 per TB scanned, at least 10 MB per query, US East (N. Virginia),
2026: https://aws.amazon.com/athena/pricing/."""


def measured_bytes_per_event(sample: int = 20_000) -> float:
    """Bytes one archived record takes, GZIP JSON in the archive's layout (an object per set and
    hour): measured on the records of :mod:`ses_events.analytics.generator` (deterministic)
    written as the archive writes them, not assumed."""
    import tempfile

    from ses_events.analytics.generator import CorpusSpec, generate_events, write_archive

    records = list(generate_events(CorpusSpec(messages=sample // 2, seed=1)))
    with tempfile.TemporaryDirectory() as folder:
        files = write_archive(records, folder)
        return sum(f.stat().st_size for f in files) / len(records)


def estimate_analytics_cost(
    templates: list[dict[str, Any]],
    *,
    events_per_month: int = 1_000_000,
    runs_per_month: int = 30,
    bytes_per_event: float | None = None,
) -> CostReport | None:
    """Monthly cost of the archive's storage and of running each named query, or ``None`` when
    the templates have no named queries. A query reads a month of events (GZIP JSON is read
    whole, whatever columns the query uses)."""
    _check_counts(
        "analytics cost estimate",
        events_per_month=(events_per_month, 0),
        runs_per_month=(runs_per_month, 0),
    )
    if bytes_per_event is not None and not bytes_per_event > 0:
        from ses_events.errors import Problem, SesEventsValidationError

        raise SesEventsValidationError(
            "analytics cost estimate",
            [Problem("bytes_per_event", bytes_per_event, "must be more than 0")],
        )
    queries = sorted(
        resource["Properties"]["Name"]
        for template in templates
        for resource in template.get("Resources", {}).values()
        if resource["Type"] == "AWS::Athena::NamedQuery"
    )
    if not queries:
        return None
    per_event = bytes_per_event if bytes_per_event is not None else measured_bytes_per_event()
    month_bytes = events_per_month * per_event
    scanned = max(month_bytes, ATHENA_MINIMUM_BYTES)
    per_run = scanned / 1024**4 * ATHENA_TB_SCANNED
    lines = [
        CostLine(
            "S3 storage, one month of events",
            round(month_bytes / 1e6),
            "MB; each month kept adds as much",
            round(month_bytes / 1e9 * S3_STANDARD_GB_MONTH, 2),
        )
    ]
    lines += [
        CostLine(f"Athena: {name}", runs_per_month, "runs", round(per_run * runs_per_month, 2))
        for name in queries
    ]
    assumptions = (
        "US East (N. Virginia) list prices of 2026",
        f"{events_per_month:,} events a month at {per_event:,.0f} bytes each (GZIP JSON,"
        " measured on generated records; real records with more headers are larger)",
        f"each named query run {runs_per_month} times a month over a month of events, reading"
        " every byte of it (JSON is not columnar), at least 10 MB a run",
        "Glue Data Catalog storage and requests within its free tier",
    )
    return CostReport(tuple(lines), assumptions, title="Analytics, per month")


# -- watching tenants: per tenant or fleet only ---------------------------------------------------


def estimate_tenant_cost(tenants: int, *, per_tenant: bool) -> CostReport:
    """Monthly CloudWatch cost of watching ``tenants`` tenants (``monitoring.tenants``), with the
    prices above and no free tier (an account that watches many tenants has used it up):

    - both: the tenant metrics (one per event type the tenant metrics destination publishes, per
      tenant and for untagged mail) and the fleet view (two Metrics Insights alarms, each
      analyzing every tenant's metric, and one dashboard);
    - ``per_tenant`` adds four alarms per tenant (two metrics each: events and sends) and a
      dashboard per :data:`~ses_events.stacks.layout.TENANTS_PER_DASHBOARD` tenants.
    """
    from ses_events.stacks.layout import TENANT_ALARMS, TENANTS_PER_DASHBOARD

    _check_counts("tenant cost estimate", tenants=(tenants, 0))
    metrics = tenant_metric_count(tenants)
    fleet_analyzed = 2 * max(1, tenants)
    lines = [
        CostLine("tenant metrics", metrics, "metric-months", _tiered(metrics)),
        CostLine(
            "fleet Metrics Insights alarms",
            fleet_analyzed,
            "metrics analyzed",
            fleet_analyzed * INSIGHTS_ALARM_METRIC_MONTH,
        ),
        CostLine("fleet dashboard", 1, "dashboards", DASHBOARD_MONTH),
    ]
    if per_tenant:
        alarm_metrics = TENANT_ALARMS * 2 * tenants
        dashboards = -(-tenants // TENANTS_PER_DASHBOARD)
        lines += [
            CostLine(
                "per-tenant alarms",
                alarm_metrics,
                "alarm metrics",
                alarm_metrics * ALARM_METRIC_MONTH,
            ),
            CostLine(
                "per-tenant dashboards", dashboards, "dashboards", dashboards * DASHBOARD_MONTH
            ),
        ]
    return CostReport(
        tuple(lines),
        (
            "US East (N. Virginia) list prices of 2026",
            "every tenant sends each month",
            "no free tier",
        ),
        title=f"{tenants:,} tenants, {'per tenant' if per_tenant else 'fleet only'}, per month",
    )
