"""The monthly CloudWatch cost report, checked by hand on a small spec."""

from __future__ import annotations

import pytest
from aws_cdk.assertions import Template

from ses_events.cost import estimate_cost
from ses_events.spec import parse_spec
from ses_events.stacks import SesEventPublishingStack
from tests.conftest import new_app

SMALL = {
    "monitoring": {"fleet": True, "account_alarms": False, "archive_alarms": False},
    "configuration_sets": [
        {
            "name": "news",
            "destinations": [
                {
                    "name": "metrics",
                    "type": "cloudwatch",
                    "event_types": ["send", "bounce"],
                    "dimensions": [
                        {"name": "ses:configuration-set"},
                        {"name": "campaign", "default_value": "none"},
                    ],
                }
            ],
        }
    ],
}


def _templates(spec: dict[str, object]) -> list[dict[str, object]]:
    stack = SesEventPublishingStack(new_app(), "S", spec=parse_spec(spec))
    return [Template.from_stack(stack).to_json()]


def test_cost_of_a_small_spec_by_hand() -> None:
    report = estimate_cost(_templates(SMALL), values_per_dimension=10)
    lines = {line.item: line for line in report.lines}
    # 10 campaigns x 2 event types = 20 custom metrics, 10 of them free, 10 at $0.30
    assert (
        lines["custom metrics from event publishing"].quantity,
        lines["custom metrics from event publishing"].monthly_usd,
    ) == (20, 3.00)
    # bounce and complaint rate, warning and critical: 4 alarm metrics, inside the 10 free
    assert (lines["standard alarms"].quantity, lines["standard alarms"].monthly_usd) == (4, 0)
    # the set's composite alarm
    assert (lines["composite alarms"].quantity, lines["composite alarms"].monthly_usd) == (1, 0.5)
    # four fleet alarms, each reading the one set with reputation metrics: 4 x $0.10
    assert lines["Metrics Insights alarms"].quantity == 4
    assert lines["Metrics Insights alarms"].monthly_usd == 0.4
    # the environment dashboard (4 metrics + 2 searches x 10 campaigns) and the fleet dashboard
    # (3 queries of 10 series): each under 50 metrics, within the 3 free
    assert (lines["dashboards"].quantity, lines["dashboards"].monthly_usd) == (2, 0)
    assert report.total_usd == 3.90
    table = report.table()
    assert "total" in table and "3.90" in table and "Assumptions:" in table


def test_custom_metrics_grow_with_the_assumed_dimension_values() -> None:
    report = estimate_cost(_templates(SMALL), values_per_dimension=100)
    metrics = next(line for line in report.lines if line.item.startswith("custom metrics"))
    assert metrics.quantity == 200 and metrics.monthly_usd == 190 * 0.30


def test_tiers_of_custom_metric_prices() -> None:
    from ses_events.cost import _tiered

    assert _tiered(10_000) == 3000.0
    assert _tiered(10_001) == 3000.1
    assert _tiered(250_000) == 3000 + 240_000 * 0.10


def test_analytics_cost_by_hand() -> None:
    from ses_events.cost import (
        ATHENA_MINIMUM_BYTES,
        estimate_analytics_cost,
        measured_bytes_per_event,
    )

    template = {
        "Resources": {
            f"Q{n}": {"Type": "AWS::Athena::NamedQuery", "Properties": {"Name": f"events-q{n}"}}
            for n in range(2)
        }
    }
    assert estimate_analytics_cost([{"Resources": {}}]) is None
    report = estimate_analytics_cost(
        [template], events_per_month=2_000_000, runs_per_month=10, bytes_per_event=500
    )
    assert report is not None and report.title == "Analytics, per month"
    storage, first, second = report.lines
    # 2,000,000 events x 500 bytes = 1 GB: 0.023 USD a month for S3 Standard
    assert (storage.quantity, storage.monthly_usd) == (1_000, 0.02)
    # 1e9 bytes = 0.000909 TiB x 5 USD = 0.004547 a run, x 10 runs
    assert first.item == "Athena: events-q0" and first.monthly_usd == round(
        1e9 / 1024**4 * 5 * 10, 2
    )
    assert second.quantity == 10
    # below 10 MB a query is billed 10 MB
    tiny = estimate_analytics_cost(
        [template], events_per_month=10, runs_per_month=1000, bytes_per_event=500
    )
    assert tiny is not None
    assert tiny.lines[1].monthly_usd == round(ATHENA_MINIMUM_BYTES / 1024**4 * 5 * 1000, 2)
    # the record size is measured on the generated archive: tens to hundreds of bytes
    assert 20 < measured_bytes_per_event(2_000) < 1_000


def test_analytics_cost_defaults_and_the_measured_record_size() -> None:
    from ses_events.cost import estimate_analytics_cost, measured_bytes_per_event

    template = {
        "Resources": {"Q": {"Type": "AWS::Athena::NamedQuery", "Properties": {"Name": "q"}}}
    }
    report = estimate_analytics_cost([{}, template], bytes_per_event=500)
    assert report is not None
    storage, query = report.lines
    assert storage.quantity == 500  # 1,000,000 events a month by default, x 500 bytes = 500 MB
    assert query.quantity == 30  # runs a month by default
    # without a given size, the measured one (deterministic: the same twice)
    measured = measured_bytes_per_event()
    assert measured == measured_bytes_per_event()
    default = estimate_analytics_cost([template])
    assert default is not None
    assert f"at {measured:,.0f} bytes each" in "; ".join(default.assumptions)
    assert default.lines[0].quantity == round(1_000_000 * measured / 1e6)


def _destination(event_types: list[str], *sources: str) -> dict[str, object]:
    return {
        "Type": "AWS::SES::ConfigurationSetEventDestination",
        "Properties": {
            "EventDestination": {
                "Enabled": True,
                "MatchingEventTypes": event_types,
                "CloudWatchDestination": {
                    "DimensionConfigurations": [
                        {
                            "DimensionName": "ses:configuration-set",
                            "DimensionValueSource": "messageTag",
                        },
                        *(
                            {"DimensionName": f"d{i}", "DimensionValueSource": source}
                            for i, source in enumerate(sources)
                        ),
                    ]
                },
            }
        },
    }


def _custom_metrics(*resources: dict[str, object]) -> tuple[int, float]:
    template = {"Resources": {f"R{i}": r for i, r in enumerate(resources)}}
    line = estimate_cost([template], values_per_dimension=10).lines[0]
    return line.quantity, line.monthly_usd


def test_a_link_tag_multiplies_click_metrics_only() -> None:
    """Only click events carry a link tag's value; the other types publish its default."""
    # send: 1 (default) ; click: 10 link-tag values
    assert _custom_metrics(_destination(["send", "click"], "linkTag"))[0] == 1 + 10
    # a message tag varies on every event type: 10 + 10; with a link tag, click gets 10 x 10
    assert _custom_metrics(_destination(["send", "click"], "messageTag", "linkTag"))[0] == 110
    # headers vary like message tags
    assert _custom_metrics(_destination(["open", "bounce"], "emailHeader"))[0] == 20
    # no click event type: the link tag never varies
    assert _custom_metrics(_destination(["open", "delivery"], "linkTag"))[0] == 2


def test_the_first_ten_custom_metrics_are_free() -> None:
    # exactly 10: free; 11: one billed at $0.30
    assert _custom_metrics(_destination(["send"], "messageTag")) == (10, 0)
    assert _custom_metrics(_destination(["send"], "messageTag"), _destination(["open"])) == (
        11,
        0.30,
    )


def _dashboard(metrics: int) -> dict[str, object]:
    import json

    entries = [["AWS/SES", "Send", "ses:configuration-set", f"set{i}"] for i in range(metrics)]
    body = {"widgets": [{"type": "metric", "properties": {"metrics": entries}}]}
    return {
        "Type": "AWS::CloudWatch::Dashboard",
        "Properties": {"DashboardBody": {"Fn::Join": ["", [json.dumps(body)]]}},
    }


def _dashboard_cost(*dashboards: dict[str, object]) -> float:
    template = {"Resources": {f"D{i}": d for i, d in enumerate(dashboards)}}
    report = estimate_cost([template])
    return next(line for line in report.lines if line.item == "dashboards").monthly_usd


def test_three_dashboards_of_up_to_fifty_metrics_are_free() -> None:
    assert _dashboard_cost(_dashboard(50), _dashboard(50), _dashboard(50)) == 0
    # a fourth is billed; so is one of 51 metrics even among the first three
    assert _dashboard_cost(*[_dashboard(50)] * 4) == 3.00
    assert _dashboard_cost(_dashboard(51), _dashboard(50), _dashboard(1)) == 3.00
    assert _dashboard_cost(_dashboard(51)) == 3.00


def test_dashboard_metrics_count_searches_and_queries() -> None:
    from ses_events.cost import _dashboard_metrics

    search = (
        """SEARCH('{AWS/SES,"ses:configuration-set","campaign"} MetricName="Send"', 'Sum', 300)"""
    )
    body = {
        "widgets": [
            {
                "type": "metric",
                "properties": {
                    "metrics": [
                        [{"expression": f"SUM({search})"}],
                        [{"expression": search}],  # the same search again: counted once
                        [{"expression": "SELECT SUM(Send) FROM SCHEMA(x) LIMIT 7"}],
                        ["AWS/SES", "Send"],
                        ["AWS/SES", "Send"],  # the same metric again
                    ]
                },
            }
        ]
    }
    import json

    # 10 campaigns for the search, 7 series of the query, 1 listed metric
    assert _dashboard_metrics(json.dumps(body), 10) == 18


def test_an_insights_alarm_counts_a_link_tag_only_for_clicks() -> None:
    from ses_events.cost import _analyzed

    def query(metric: str) -> str:
        return (
            f'SELECT SUM("{metric}") FROM SCHEMA("AWS/SES", "ses:configuration-set", "campaign",'
            ' "link-section") WHERE "ses:configuration-set" = \'news\''
        )

    tags = frozenset({"link-section"})
    assert _analyzed(query("Reject"), 10, 0, tags) == 10  # campaign only
    assert _analyzed(query("Click"), 10, 0, tags) == 100  # campaign x link-section
    assert _analyzed(query("Reject"), 10, 0) == 100  # link-section is not a link tag here


def test_analytics_cost_of_a_tebibyte_month() -> None:
    """A month of exactly 1 TiB: each run scans 1 TiB ($5.00 at $5 per TB, a TB being 2^40 bytes
    for Athena), storage is 1,099,512 MB at $0.023 per GB-month."""
    from ses_events.cost import estimate_analytics_cost

    template = {
        "Resources": {
            "Q": {"Type": "AWS::Athena::NamedQuery", "Properties": {"Name": "events-funnel"}}
        }
    }
    report = estimate_analytics_cost(
        [template], events_per_month=1024**3, runs_per_month=1, bytes_per_event=1024
    )
    assert report is not None
    storage, query = report.lines
    assert (storage.item, storage.quantity, storage.monthly_usd) == (
        "S3 storage, one month of events",
        1_099_512,
        round(1024**4 / 1e9 * 0.023, 2),
    )
    assert (query.item, query.quantity, query.unit, query.monthly_usd) == (
        "Athena: events-funnel",
        1,
        "runs",
        5.00,
    )


# -- tenants -------------------------------------------------------------------------------------

WITH_TENANTS = {
    "monitoring": {"account_alarms": False, "archive_alarms": False, "dashboards": "none"},
    "configuration_sets": [
        {"name": name, "destinations": [{"name": "m", "type": "cloudwatch"}]}
        for name in ("a", "b", "c")
    ],
    "tenants": [
        {"name": "one", "configuration_sets": ["a", "b"]},
        {"name": "two", "configuration_sets": ["b"]},
        {"name": "three", "configuration_sets": ["c"]},
    ],
}


def test_cost_of_watched_tenants_by_hand() -> None:
    report = estimate_cost(_templates(WITH_TENANTS), values_per_dimension=10)
    lines = {line.item: line for line in report.lines}
    # each set's own destination: 10 event types x 1 (only ses:configuration-set) = 30; the three
    # tenant metrics destinations publish the same metrics (tenant=one, ...): 4 event types x
    # (3 tenants + untagged mail) = 16, not 3 x 4 x 10
    assert lines["custom metrics from event publishing"].quantity == 30 + 16
    # the per-tenant rate alarms: 3 tenants x 4 alarms x 2 metrics (events, sends); each set's
    # own: 4 reputation-rate alarms and 3 count alarms (rendering failures, rejects, delays),
    # 1 metric each
    assert lines["standard alarms"].quantity == 3 * 4 * 2 + 3 * 7
    # the two fleet alarms, GROUP BY tenant: each analyzes the 3 tenants' metrics
    assert lines["Metrics Insights alarms"].quantity == 2 * 3
    assert lines["Metrics Insights alarms"].monthly_usd == pytest.approx(0.6)


def test_watching_tenants_one_by_one_or_fleet_only() -> None:
    from ses_events.cost import estimate_tenant_cost

    fleet = {line.item: line for line in estimate_tenant_cost(1000, per_tenant=False).lines}
    assert fleet["tenant metrics"].quantity == 4 * 1001
    assert fleet["tenant metrics"].monthly_usd == 4004 * 0.30
    assert fleet["fleet Metrics Insights alarms"].monthly_usd == 2 * 1000 * 0.10
    assert "per-tenant alarms" not in fleet
    one_by_one = {line.item: line for line in estimate_tenant_cost(1000, per_tenant=True).lines}
    assert one_by_one["per-tenant alarms"].quantity == 1000 * 4 * 2
    assert one_by_one["per-tenant alarms"].monthly_usd == 800.0
    assert one_by_one["per-tenant dashboards"].quantity == 50
    report = estimate_tenant_cost(1000, per_tenant=True)
    assert report.total_usd == round(4004 * 0.30 + 200 + 3 + 800 + 150, 2)
    assert "1,000 tenants, per tenant" in report.table()


def test_tenant_cost_boundaries() -> None:
    """2,499 tenants and untagged mail make 10,000 metrics, all in the first price tier; one
    tenant more puts 4 metrics in the second. 20 tenants fill one dashboard; 21 need two."""
    from ses_events.cost import estimate_tenant_cost

    def line(tenants: int, item: str) -> tuple[int, float]:
        found = {x.item: x for x in estimate_tenant_cost(tenants, per_tenant=True).lines}[item]
        return found.quantity, found.monthly_usd

    assert line(2499, "tenant metrics") == (10_000, 3000.0)
    assert line(2500, "tenant metrics") == (10_004, round(3000 + 4 * 0.10, 2))
    assert line(20, "per-tenant dashboards") == (1, 3.0)
    assert line(21, "per-tenant dashboards") == (2, 6.0)
    assert line(0, "per-tenant alarms") == (0, 0.0)


def test_a_tenant_count_below_zero_is_refused() -> None:
    import pytest

    from ses_events import SesEventsValidationError
    from ses_events.cost import estimate_tenant_cost

    with pytest.raises(SesEventsValidationError, match="tenants"):
        estimate_tenant_cost(-1, per_tenant=True)
