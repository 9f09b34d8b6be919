"""The spec's monitoring section: validation at its place in the file, and what the stack builds."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from aws_cdk.assertions import Template

from ses_events import SesEventsValidationError
from ses_events.spec import SpecError, parse_spec
from ses_events.stacks import EXAMPLE_SPEC, SesEventPublishingStack
from tests.conftest import new_app
from tests.test_monitoring import _alarms_by_name, dashboard_bodies

EXAMPLE: dict[str, Any] = yaml.safe_load(EXAMPLE_SPEC.read_text())


def _with(change: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
    data = copy.deepcopy(EXAMPLE)
    change(data)
    return data


def _problems(data: Any) -> list[tuple[str, str]]:
    with pytest.raises(SpecError) as caught:
        parse_spec(data, source="spec.yaml")
    return [(p.field, p.rule) for p in caught.value.problems]


def _template(data: dict[str, Any]) -> Template:
    stack = SesEventPublishingStack(new_app(), "S", spec=parse_spec(data))
    return Template.from_stack(stack)


def _monitoring(data: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = data["monitoring"]
    return result


def _set_monitoring(index: int) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def get(data: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = data["configuration_sets"][index].setdefault("monitoring", {})
        return result

    return get


@pytest.mark.parametrize(
    ("change", "field", "rule"),
    [
        (
            lambda d: _monitoring(d)["thresholds"].update(
                bounce_rate={"warning": 2.5, "critical": 5}
            ),
            "monitoring.thresholds.bounce_rate.warning",
            "must be a fraction above 0 and at most 1 (0.05 means 5%)",
        ),
        (
            lambda d: _monitoring(d)["thresholds"].update(
                complaint_rate={"warning": 0.01, "critical": 0.001}
            ),
            "monitoring.thresholds.complaint_rate",
            "warning 0.01 must not be above the critical level 0.001",
        ),
        (
            lambda d: _set_monitoring(0)(d).update(breakdowns=["campaign", "region"]),
            "configuration_sets[0].monitoring.breakdowns[1]",
            "must be a dimension of the set's CloudWatch destination (other than"
            " ses:configuration-set): ['campaign', 'link-section', 'ses:from-domain']",
        ),
        (
            lambda d: _set_monitoring(1)(d).update(alarms=["bounce_rate", "click_rate"]),
            "configuration_sets[1].monitoring.alarms[1]",
            "Input should be 'bounce_rate', 'complaint_rate', 'rendering_failures', 'rejects' or"
            " 'delivery_delays'",
        ),
        (
            lambda d: (
                d["configuration_sets"][1].update(reputation_metrics=False),
                _set_monitoring(1)(d).update(alarms=["bounce_rate"]),
            ),
            "configuration_sets[1].monitoring.alarms[0]",
            "needs reputation metrics enabled on the configuration set (reputation_metrics: true)",
        ),
        (
            lambda d: (
                _set_monitoring(1)(d).update(alarms=["rendering_failures", "delivery_delays"])
                or d["configuration_sets"][1]["destinations"][0].update(event_types=["send"])
            ),
            "configuration_sets[1].monitoring.alarms[0]",
            "needs a CloudWatch event destination publishing renderingFailure events with the"
            " ses:configuration-set dimension",
        ),
        (
            lambda d: _monitoring(d)["notifications"].update(emails=["ops"]),
            "monitoring.notifications.emails",
            "'ops' must be an email address",
        ),
        (
            lambda d: _monitoring(d).update(prefix="my prefix"),
            "monitoring.prefix",
            "must be 1 to 100 ASCII letters, digits, '_' or '-'",
        ),
        (
            lambda d: _monitoring(d).update(dashboards="per_team"),
            "monitoring.dashboards",
            "Input should be 'per_environment', 'per_configuration_set' or 'none'",
        ),
        (
            lambda d: d["configuration_sets"][1].update(name="account"),
            "configuration_sets[1].name",
            "its alarm names would clash with the account alarms",
        ),
    ],
)
def test_bad_monitoring_settings_point_at_their_place(
    change: Callable[[dict[str, Any]], Any], field: str, rule: str
) -> None:
    problems = _problems(_with(change))
    assert any(f == field and rule in r for f, r in problems), problems


def test_example_stack_alarms_follow_the_spec() -> None:
    found = _alarms_by_name(_template(EXAMPLE))
    prefix = "ses-events"
    marketing = {n for n in found if n.startswith(f"{prefix}-marketing-")}
    assert marketing == {
        f"{prefix}-marketing-{what}"
        for what in (
            "bounce-rate-warning",
            "bounce-rate-critical",
            "complaint-rate-warning",
            "complaint-rate-critical",
            "rendering-failures-critical",
            "rejects-critical",
            "delivery-delays-warning",
            "health",
        )
    }
    # the set's own bounce thresholds, the top-level complaint thresholds
    assert found[f"{prefix}-marketing-bounce-rate-warning"]["Threshold"] == 0.02
    assert found[f"{prefix}-marketing-bounce-rate-critical"]["Threshold"] == 0.04
    assert found[f"{prefix}-marketing-complaint-rate-critical"]["Threshold"] == 0.001
    # transactional chose three alarms
    assert {n for n in found if n.startswith(f"{prefix}-transactional-")} == {
        f"{prefix}-transactional-bounce-rate-warning",
        f"{prefix}-transactional-bounce-rate-critical",
        f"{prefix}-transactional-complaint-rate-warning",
        f"{prefix}-transactional-complaint-rate-critical",
        f"{prefix}-transactional-rendering-failures-critical",
        f"{prefix}-transactional-health",
    }
    assert f"{prefix}-account-bounce-rate-critical" in found
    assert f"{prefix}-archive-default-data-freshness-critical" in found
    # each set's composite alarm watches its archive too
    rule = json.dumps(found[f"{prefix}-transactional-health"]["AlarmRule"])
    assert "ArchivedefaultDataFreshness" in rule and "ArchivedefaultS3Delivery" in rule


def test_example_dashboard_breaks_down_by_the_chosen_dimensions() -> None:
    bodies = dashboard_bodies(_template(EXAMPLE))
    # the sets' dashboard, and the example's two tenants: the fleet view and their sections
    assert sorted(bodies) == ["ses-events", "ses-events-tenant-health", "ses-events-tenants"]
    titles = [w["properties"].get("title") for w in bodies["ses-events"]["widgets"]]
    assert "marketing: per campaign" in titles
    assert "marketing: per ses:from-domain" in titles
    assert "marketing: per link-section" not in titles  # not among the chosen breakdowns
    assert "transactional: per X-Message-Kind" in titles  # default: every dimension


def test_dashboard_per_configuration_set() -> None:
    data = _with(lambda d: _monitoring(d).update(dashboards="per_configuration_set"))
    data["configuration_sets"][1]["monitoring"]["dashboard"] = False
    assert sorted(dashboard_bodies(_template(data))) == [
        "ses-events-marketing",
        "ses-events-tenant-health",
        "ses-events-tenants",
    ]


def test_monitoring_can_be_turned_off_or_pointed_at_an_existing_topic() -> None:
    off = _template(_with(lambda d: _monitoring(d).update(enabled=False, breaker=False)))
    off.resource_count_is("AWS::CloudWatch::Alarm", 0)
    off.resource_count_is("AWS::CloudWatch::Dashboard", 0)
    arn = "arn:aws:sns:eu-west-1:123456789012:mail-ops"
    given = _template(_with(lambda d: _monitoring(d)["notifications"].update(topic_arn=arn)))
    given.resource_count_is("AWS::SNS::Topic", 1)  # only the spec's event topic
    for alarm in _alarms_by_name(given).values():
        assert alarm.get("AlarmActions", [arn]) == [arn]
    given.has_resource_properties(
        "AWS::SNS::Subscription", {"TopicArn": arn, "Endpoint": "mail-ops@example.com"}
    )


def test_too_many_metrics_insights_alarms_is_an_error() -> None:
    sets = [
        {
            "name": f"tenant{i}",
            "destinations": [
                {
                    "name": "metrics",
                    "type": "cloudwatch",
                    "dimensions": [
                        {"name": "ses:configuration-set"},
                        {"name": "campaign", "default_value": "none"},
                    ],
                }
            ],
        }
        for i in range(67)
    ]
    spec = parse_spec({"configuration_sets": sets, "monitoring": {"dashboards": "none"}})
    with pytest.raises(
        SesEventsValidationError, match=r"201 Metrics Insights alarms.*quota of 200"
    ):
        SesEventPublishingStack(new_app(), "S", spec=spec)


def test_snapshot_of_the_example_dashboards_and_alarms(json_snapshot: Any) -> None:
    template = _template(EXAMPLE)
    assert dashboard_bodies(template) == json_snapshot(name="dashboards")
    assert _alarms_by_name(template) == json_snapshot(name="alarms")
