"""The monthly CloudWatch cost report, checked by hand on a small spec."""

from __future__ import annotations

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
    # 10 campaigns x 2 event types = 20 custom metrics at $0.30
    assert (
        lines["custom metrics from event publishing"].quantity,
        lines["custom metrics from event publishing"].monthly_usd,
    ) == (20, 6.00)
    # bounce and complaint rate, warning and critical: 4 alarm metrics, inside the 10 free
    assert (lines["standard alarms"].quantity, lines["standard alarms"].monthly_usd) == (4, 0)
    # the set's composite alarm
    assert (lines["composite alarms"].quantity, lines["composite alarms"].monthly_usd) == (1, 0.5)
    # four fleet alarms, each reading the one set with reputation metrics: 4 x $0.10
    assert lines["Metrics Insights alarms"].quantity == 4
    assert lines["Metrics Insights alarms"].monthly_usd == 0.4
    # the environment dashboard and the fleet dashboard: within the 3 free
    assert (lines["dashboards"].quantity, lines["dashboards"].monthly_usd) == (2, 0)
    assert report.total_usd == 6.90
    table = report.table()
    assert "total" in table and "6.90" in table and "Assumptions:" in table


def test_custom_metrics_grow_with_the_assumed_dimension_values() -> None:
    report = estimate_cost(_templates(SMALL), values_per_dimension=100)
    metrics = next(line for line in report.lines if line.item.startswith("custom metrics"))
    assert metrics.quantity == 200 and metrics.monthly_usd == 60.0


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
