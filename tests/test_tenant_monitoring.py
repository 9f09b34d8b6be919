"""Watching each tenant (issue 21, point 2): rate alarms per tenant from the tenant metrics
destination, a dashboard section per tenant, and a Metrics Insights fleet view for any number."""

from __future__ import annotations

import contextlib
import copy
import json
from typing import Any

import pytest
import yaml
from aws_cdk import App, Stack, Token
from aws_cdk.assertions import Template

from ses_events import SesEventsValidationError, rules
from ses_events.constructs import TenantAlarms, TenantFleetMonitoring
from ses_events.spec import EXAMPLE_SPEC, SpecError, parse_spec
from ses_events.stacks import SesEventPublishingStack
from ses_events.stacks.layout import TENANTS_PER_DASHBOARD, plan_layout, resources_of_tenant
from tests.test_layout import _spec
from tests.test_monitoring import dashboard_bodies

EXAMPLE: dict[str, Any] = yaml.safe_load(EXAMPLE_SPEC.read_text())
EXAMPLE["monitoring"]["breaker"] = False  # watching, not pausing (tests/test_breaker.py)


def _template(data: dict[str, Any]) -> Template:
    return Template.from_stack(SesEventPublishingStack(App(), "SesEvents", spec=parse_spec(data)))


@pytest.fixture(scope="module")
def example() -> Template:
    return _template(EXAMPLE)


def _alarms(template: Template) -> dict[str, dict[str, Any]]:
    return {
        r["Properties"]["AlarmName"]: r["Properties"]
        for r in template.find_resources("AWS::CloudWatch::Alarm").values()
    }


def _with(**monitoring: Any) -> dict[str, Any]:
    data = copy.deepcopy(EXAMPLE)
    data.setdefault("monitoring", {}).update(monitoring)
    return data


# -- the tenant metrics destination --------------------------------------------------------


def test_each_tenant_set_gets_the_tenant_metrics_destination(example: Template) -> None:
    """The plain per-tenant metrics come from a destination whose one dimension is the tag."""
    found = example.find_resources(
        "AWS::SES::ConfigurationSetEventDestination",
        {"Properties": {"EventDestination": {"Name": "tenant-metrics"}}},
    )
    assert len(found) == 2  # marketing (acme's) and transactional (globex's)
    for resource in found.values():
        destination = resource["Properties"]["EventDestination"]
        assert destination["Enabled"] is True
        assert sorted(destination["MatchingEventTypes"]) == [
            "bounce",
            "complaint",
            "delivery",
            "send",
        ]
        assert destination["CloudWatchDestination"]["DimensionConfigurations"] == [
            {
                "DimensionName": "tenant",
                "DimensionValueSource": "messageTag",
                "DefaultDimensionValue": "no-tenant",
            }
        ]


def test_a_set_no_tenant_lists_gets_no_tenant_metrics() -> None:
    data = copy.deepcopy(EXAMPLE)
    data["tenants"] = [t for t in data["tenants"] if "marketing" in t["configuration_sets"]]
    spec = parse_spec(data)
    by_name = {cs.name: [d.name for d in cs.destinations] for cs in spec.configuration_sets}
    assert "tenant-metrics" in by_name["marketing"]
    assert "tenant-metrics" not in by_name["transactional"]


def test_a_destination_like_it_is_used_instead() -> None:
    """A set that already publishes the tenant tag alone (under any name) gets no second one."""
    data = copy.deepcopy(EXAMPLE)
    data["configuration_sets"][0]["destinations"].append(
        {
            "name": "per-customer",
            "type": "cloudwatch",
            "event_types": ["send", "bounce", "complaint"],
            "dimensions": [{"name": "tenant", "source": "message_tag", "default_value": "x"}],
        }
    )
    names = [d.name for d in parse_spec(data).configuration_sets[0].destinations]
    assert "per-customer" in names and "tenant-metrics" not in names


@pytest.mark.parametrize(
    "change",
    [
        {"event_types": ["send", "bounce"]},  # no complaints
        {"enabled": False},
        {"dimensions": [{"name": "tenant", "source": "email_header", "default_value": "x"}]},
        {
            "dimensions": [
                {"name": "tenant", "default_value": "x"},
                {"name": "campaign", "default_value": "x"},
            ]
        },
    ],
)
def test_a_destination_not_quite_like_it_does_not_count(change: dict[str, Any]) -> None:
    data = copy.deepcopy(EXAMPLE)
    destination = {
        "name": "per-customer",
        "type": "cloudwatch",
        "event_types": ["send", "bounce", "complaint"],
        "dimensions": [{"name": "tenant", "source": "message_tag", "default_value": "x"}],
        **change,
    }
    data["configuration_sets"][0]["destinations"].append(destination)
    names = [d.name for d in parse_spec(data).configuration_sets[0].destinations]
    assert "tenant-metrics" in names


def test_a_destination_of_that_name_that_is_not_like_it_is_refused() -> None:
    data = copy.deepcopy(EXAMPLE)
    destinations = data["configuration_sets"][0]["destinations"]
    topic = data["topics"][0]["name"]
    destinations.append({"name": "tenant-metrics", "type": "sns", "topic": topic})
    with pytest.raises(SpecError) as caught:
        parse_spec(data)
    (problem,) = caught.value.problems
    assert problem.field == f"configuration_sets[0].destinations[{len(destinations) - 1}].name"
    assert problem.value == "tenant-metrics"
    assert problem.rule.startswith("is the name of the destination per-tenant monitoring adds")


def _set_with_destinations(count: int) -> dict[str, Any]:
    """The example with the transactional set at ``count`` destinations of its own."""
    data = copy.deepcopy(EXAMPLE)
    destinations = data["configuration_sets"][1]["destinations"]
    topic = data["topics"][0]["name"]
    destinations += [
        {"name": f"d{n}", "type": "sns", "topic": topic} for n in range(count - len(destinations))
    ]
    assert len(destinations) == count
    return data


def test_a_set_with_nine_destinations_takes_the_tenth() -> None:
    spec = parse_spec(_set_with_destinations(rules.MAX_DESTINATIONS_PER_CONFIGURATION_SET - 1))
    destinations = spec.configuration_sets[1].destinations
    assert len(destinations) == rules.MAX_DESTINATIONS_PER_CONFIGURATION_SET
    assert destinations[-1].name == "tenant-metrics"


def test_a_set_with_ten_destinations_has_no_room_and_says_so() -> None:
    with pytest.raises(SpecError) as caught:
        parse_spec(_set_with_destinations(rules.MAX_DESTINATIONS_PER_CONFIGURATION_SET))
    (problem,) = caught.value.problems
    assert (problem.field, problem.value) == (
        "configuration_sets[1].destinations",
        "10 destinations",
    )
    assert "SES allows at most 10 per set" in problem.rule


def test_a_tenant_named_like_untagged_mail_is_refused() -> None:
    data = copy.deepcopy(EXAMPLE)
    data["tenants"][1]["name"] = "no-tenant"
    with pytest.raises(SpecError) as caught:
        parse_spec(data)
    (problem,) = caught.value.problems
    assert (problem.field, problem.value) == ("tenants[1].name", "no-tenant")
    data["monitoring"]["tenants"] = "none"  # not watched: no dimension, no clash
    assert parse_spec(data).tenants[1].name == "no-tenant"


@pytest.mark.parametrize("tenants", ["none"])
def test_unwatched_tenants_add_nothing(tenants: str) -> None:
    template = _template(_with(tenants=tenants))
    assert not template.find_resources(
        "AWS::SES::ConfigurationSetEventDestination",
        {"Properties": {"EventDestination": {"Name": "tenant-metrics"}}},
    )
    names = set(_alarms(template))
    assert not any("-tenant-" in n or "-tenants-" in n for n in names)
    assert not any("tenant" in n for n in dashboard_bodies(template))


def test_monitoring_off_adds_no_tenant_metrics() -> None:
    spec = parse_spec(_with(enabled=False))
    assert all(
        "tenant-metrics" not in [d.name for d in cs.destinations] for cs in spec.configuration_sets
    )


# -- per-tenant alarms ---------------------------------------------------------------------


def test_each_tenant_has_rate_alarms_at_the_review_levels(example: Template) -> None:
    alarms = _alarms(example)
    expected = {
        f"ses-events-tenant-{tenant}-{what}-{level}"
        for tenant in ("acme", "globex")
        for what in ("bounce-rate", "complaint-rate")
        for level in ("warning", "critical")
    }
    assert expected <= set(alarms)
    levels = {
        ("bounce-rate", "warning"): 0.025,
        ("bounce-rate", "critical"): rules.BOUNCE_RATE_REVIEW,
        ("complaint-rate", "warning"): 0.0005,
        ("complaint-rate", "critical"): rules.COMPLAINT_RATE_REVIEW,
    }
    for (what, level), threshold in levels.items():
        alarm = alarms[f"ses-events-tenant-acme-{what}-{level}"]
        assert alarm["Threshold"] == threshold
        assert alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
        assert alarm["TreatMissingData"] == "ignore"
        assert alarm["EvaluationPeriods"] == 1
        assert alarm["AlarmActions"] and alarm["OKActions"]


def test_a_tenant_rate_divides_its_plain_metrics_over_an_hour(example: Template) -> None:
    alarm = _alarms(example)["ses-events-tenant-acme-bounce-rate-critical"]
    queries = {q["Id"]: q for q in alarm["Metrics"]}
    (watched,) = [q for q in queries.values() if q.get("ReturnData", True)]
    assert watched["Expression"] == "IF(send >= 100, FILL(bounce, 0) / send, 0)"
    for metric_id, metric_name in (("bounce", "Bounce"), ("send", "Send")):
        stat = queries[metric_id]["MetricStat"]
        assert stat["Metric"] == {
            "Namespace": "AWS/SES",
            "MetricName": metric_name,
            "Dimensions": [{"Name": "tenant", "Value": "acme"}],
        }
        assert (stat["Period"], stat["Stat"]) == (3600, "Sum")
    complaint = _alarms(example)["ses-events-tenant-globex-complaint-rate-warning"]
    expressions = [q["Expression"] for q in complaint["Metrics"] if "Expression" in q]
    assert expressions == ["IF(send >= 100, FILL(complaint, 0) / send, 0)"]


def test_the_minimum_of_sends_and_the_thresholds_come_from_the_spec() -> None:
    data = _with(
        tenant_minimum_sends=1,
        thresholds={"bounce_rate": {"warning": 0.01, "critical": 0.02}},
    )
    alarms = _alarms(_template(data))
    alarm = alarms["ses-events-tenant-acme-bounce-rate-critical"]
    assert alarm["Threshold"] == 0.02
    assert [q["Expression"] for q in alarm["Metrics"] if "Expression" in q] == [
        "IF(send >= 1, FILL(bounce, 0) / send, 0)"
    ]


@pytest.mark.parametrize("sends", [0, -1])
def test_a_minimum_below_one_send_is_refused(sends: int) -> None:
    with pytest.raises(SpecError, match="tenant_minimum_sends"):
        parse_spec(_with(tenant_minimum_sends=sends))


def test_fleet_only_has_no_per_tenant_alarms_or_sections() -> None:
    template = _template(_with(tenants="fleet"))
    names = set(_alarms(template))
    assert not any(n.startswith("ses-events-tenant-") for n in names)
    assert {
        "ses-events-tenants-bounces-critical",
        "ses-events-tenants-complaints-critical",
    } <= names
    assert sorted(n for n in dashboard_bodies(template) if "tenant" in n) == ["ses-events-tenants"]
    assert template.find_resources(  # the fleet view reads the tenant metrics too
        "AWS::SES::ConfigurationSetEventDestination",
        {"Properties": {"EventDestination": {"Name": "tenant-metrics"}}},
    )


# -- the fleet ------------------------------------------------------------------------------


def test_the_fleet_alarms_rank_tenants_with_one_metrics_insights_query(example: Template) -> None:
    alarms = _alarms(example)
    for what, metric, threshold in (("bounces", "Bounce", 50), ("complaints", "Complaint", 5)):
        alarm = alarms[f"ses-events-tenants-{what}-critical"]
        (query,) = alarm["Metrics"]
        assert query["Expression"] == (
            f'SELECT SUM("{metric}") FROM SCHEMA("AWS/SES", "tenant")'
            ' WHERE "tenant" != \'no-tenant\' GROUP BY "tenant" ORDER BY SUM() DESC LIMIT 500'
        )
        assert query["Period"] == 3600
        assert alarm["Threshold"] == threshold
        assert alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"


def test_the_fleet_dashboard_shows_the_top_tenants(example: Template) -> None:
    body = dashboard_bodies(example)["ses-events-tenants"]
    titles = [w["properties"].get("title") for w in body["widgets"]]
    assert titles[1:] == ["Most bounces", "Most complaints", "Most sends", "Tenant fleet alarms"]
    graph = body["widgets"][1]["properties"]
    assert graph["metrics"][0][0]["expression"].endswith("ORDER BY SUM() DESC LIMIT 10")


@pytest.mark.parametrize("value", [0, True, 1.5])
def test_fleet_thresholds_must_be_whole_numbers_from_one(value: object) -> None:
    with pytest.raises(SesEventsValidationError) as caught:
        TenantFleetMonitoring(Stack(App(), "S"), "F", bounces_per_hour=value)  # type: ignore[arg-type]
    ((field, got),) = [(p.field, p.value) for p in caught.value.problems]
    assert (field, got) == ("bounces_per_hour", value)


def test_a_fleet_threshold_of_one_is_accepted() -> None:
    stack = Stack(App(), "S")
    TenantFleetMonitoring(stack, "F", prefix="p", complaints_per_hour=1, dashboard=False)
    alarms = _alarms(Template.from_stack(stack))
    assert alarms["p-tenants-complaints-critical"]["Threshold"] == 1


# -- the dashboard sections ------------------------------------------------------------------


def test_each_tenant_has_a_section_with_its_thresholds(example: Template) -> None:
    body = dashboard_bodies(example)["ses-events-tenant-health"]
    texts = [w["properties"]["markdown"] for w in body["widgets"] if w["type"] == "text"]
    assert texts == ["## Tenant acme", "## Tenant globex"]
    rates = [
        w["properties"]
        for w in body["widgets"]
        if w["properties"].get("title") == "acme: bounce rate"
    ]
    (graph,) = rates
    lines = {a["label"]: a["value"] for a in graph["annotations"]["horizontal"]}
    assert lines["warning alarm 2.50%"] == 0.025
    assert lines["critical alarm 5.00%"] == 0.05
    assert any("AWS review" in label for label in lines)
    statuses = [w for w in body["widgets"] if w["type"] == "alarm"]
    assert len(statuses) == 2 and all(len(w["properties"]["alarms"]) == 4 for w in statuses)


def _many_tenants(count: int) -> dict[str, Any]:
    names = [f"set-{n:03d}" for n in range(count)]
    document = _spec(names, max_resources_per_stack=500)
    # a dashboard per set: the planner's count of per-environment dashboards is a bound, not exact
    document["monitoring"] = {"account_alarms": False, "dashboards": "per_configuration_set"}
    document["configuration_sets"] = [
        {"name": n, "destinations": [{"name": "m", "type": "cloudwatch"}]} for n in names
    ]
    document["tenants"] = [{"name": f"t{n}", "configuration_sets": [n]} for n in names]
    return document


@pytest.mark.parametrize(
    ("count", "dashboards"),
    [(TENANTS_PER_DASHBOARD, 1), (TENANTS_PER_DASHBOARD + 1, 2)],
)
def test_sections_split_over_dashboards_of_twenty(count: int, dashboards: int) -> None:
    template = _template(_many_tenants(count))
    health = sorted(n for n in dashboard_bodies(template) if "tenant-health" in n)
    assert len(health) == dashboards
    assert health[0] == "Tenants-tenant-health"
    if dashboards > 1:
        assert health[1] == "Tenants-tenant-health-2"
        last = dashboard_bodies(template)["Tenants-tenant-health-2"]
        assert [w["properties"]["markdown"] for w in last["widgets"] if w["type"] == "text"] == [
            f"## Tenant tset-{count - 1:03d}"
        ]


def test_the_layout_counts_what_watching_a_tenant_adds() -> None:
    """The planner's count is the template's, with the tenants' alarms, dashboards, the fleet
    view and the tenant metrics destinations."""
    from tests.test_layout import _estimate

    document = _many_tenants(TENANTS_PER_DASHBOARD + 1)
    spec = parse_spec(document)
    (names,) = plan_layout(spec).parts
    template = _template(document).to_json()
    assert _estimate(spec, 1, list(names)).load() == len(template["Resources"])
    assert resources_of_tenant(spec) == 1 + 4
    off = {**document, "monitoring": {**document["monitoring"], "tenants": "none"}}
    assert resources_of_tenant(parse_spec(off)) == 1


# -- the construct on its own -----------------------------------------------------------------


def test_tenant_alarms_need_a_tenant_name_known_at_synth() -> None:
    stack = Stack(App(), "S")
    with pytest.raises(SesEventsValidationError) as caught:
        TenantAlarms(stack, "A", tenant_name=Token.as_string({"Ref": "X"}))
    ((field, rule),) = [(p.field, p.rule) for p in caught.value.problems]
    assert field == "tenant_name" and "must be known at synth" in rule


@pytest.mark.parametrize("name", ["", "a b", "x" * 65])
def test_tenant_alarms_refuse_a_name_ses_refuses(name: str) -> None:
    with pytest.raises(SesEventsValidationError, match="tenant_name"):
        TenantAlarms(Stack(App(), "S"), "A", tenant_name=name)


@pytest.mark.parametrize("sends", [0, True, 2.5])
def test_tenant_alarms_refuse_a_minimum_that_is_not_a_whole_number_from_one(sends: object) -> None:
    with pytest.raises(SesEventsValidationError, match="minimum_sends"):
        TenantAlarms(Stack(App(), "S"), "A", tenant_name="acme", minimum_sends=sends)  # type: ignore[arg-type]


def test_tenant_alarms_on_their_own() -> None:
    stack = Stack(App(), "S")
    alarms = TenantAlarms(stack, "A", tenant_name="x" * 64, prefix="mail", minimum_sends=1)
    assert len(alarms.alarms) == 4 and len(alarms.critical) == 2
    names = set(_alarms(Template.from_stack(stack)))
    assert f"mail-tenant-{'x' * 64}-bounce-rate-critical" in names
    body = json.dumps(Template.from_stack(stack).to_json())
    assert "IF(send >= 1, FILL(bounce, 0) / send, 0)" in body


@pytest.mark.parametrize("tenants", ["per_tenant", "fleet", "none"])
def test_the_layout_counts_each_way_of_watching_exactly(tenants: str) -> None:
    """The budget that is exactly the template's resource count keeps one stack; one less
    does not (the fleet's alarms and dashboard are counted only when tenants are watched)."""
    from ses_events import SesEventsValidationError

    data = _with(tenants=tenants)
    count = len(_template(data).to_json()["Resources"])
    data["layout"] = {"max_resources_per_stack": count}
    assert len(plan_layout(parse_spec(data)).parts) == 1
    data["layout"] = {"max_resources_per_stack": count - 1}
    with contextlib.suppress(SesEventsValidationError):  # refused: it did not fit either
        assert len(plan_layout(parse_spec(data)).parts) == 2
