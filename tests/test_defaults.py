"""Names defaulted as aws-cdk-lib's L2s default theirs: a dashboard and alarm prefixes need no
name, and what they get is stable (the stack's name and the construct's path) and documented."""

from __future__ import annotations

from typing import Any

from aws_cdk import Stack
from aws_cdk.assertions import Template
from constructs import Construct

from ses_events.constructs import (
    AccountReputationAlarms,
    AlarmTopic,
    ConfigurationSetAlarms,
    EventPublishingConfigurationSet,
    EventPublishingDashboards,
    FirehoseArchiveAlarms,
    FirehoseEventArchive,
    FirehoseEventDestination,
    FleetMonitoring,
)
from ses_events.constructs.alarm_naming import default_alarm_prefix
from ses_events.constructs.dashboard import default_dashboard_name
from tests.conftest import new_app


def _props(stack: Stack, kind: str) -> list[dict[str, Any]]:
    template = Template.from_stack(stack).to_json()
    return [r["Properties"] for r in template["Resources"].values() if r["Type"] == kind]


def test_a_dashboard_without_a_name_is_named_by_its_stack_and_path() -> None:
    app = new_app()
    stack = Stack(app, "Mail-Prod")
    group = Construct(stack, "Ops.Monitoring")
    marketing = EventPublishingConfigurationSet(stack, "Set", configuration_set_name="marketing")
    EventPublishingDashboards(group, "Dashboards", configuration_sets=[marketing])
    (dashboard,) = _props(stack, "AWS::CloudWatch::Dashboard")
    # '.' is not allowed in a dashboard name: it becomes '-'
    assert dashboard["DashboardName"] == "Mail-Prod-Ops-Monitoring-Dashboards"
    assert default_dashboard_name(stack, "Top") == "Mail-Prod-Top"


def test_the_default_dashboard_name_leaves_room_for_further_dashboards() -> None:
    stack = Stack(new_app(), "S" * 128)
    name = default_dashboard_name(Construct(stack, "G" * 100), "D" * 100)
    assert len(name) == 240 and name.startswith("S" * 128 + "-")


def test_alarms_without_a_prefix_start_with_the_stack_name() -> None:
    stack = Stack(new_app(), "Mail")
    marketing = EventPublishingConfigurationSet(stack, "Set", configuration_set_name="marketing")
    archive = FirehoseEventArchive(stack, "Archive")
    FirehoseEventDestination(stack, "ToArchive", configuration_set=marketing, archive=archive)
    topic = AlarmTopic(stack, "Topic")
    ConfigurationSetAlarms(stack, "Alarms", configuration_set=marketing, alarm_topic=topic.topic)
    AccountReputationAlarms(stack, "Account")
    FleetMonitoring(stack, "Fleet", dashboard=False)
    FirehoseArchiveAlarms(stack, "ArchiveAlarms", archive=archive, archive_name="main")
    names = sorted(a["AlarmName"] for a in _props(stack, "AWS::CloudWatch::Alarm"))
    assert "Mail-marketing-bounce-rate-critical" in names
    assert "Mail-account-bounce-rate-warning" in names
    assert "Mail-fleet-complaint-rate-critical" in names
    assert "Mail-archive-main-data-freshness-critical" in names
    assert all(name.startswith("Mail-") for name in names)
    composite = _props(stack, "AWS::CloudWatch::CompositeAlarm")
    assert [c["AlarmName"] for c in composite] == ["Mail-marketing-health"]


def test_the_default_prefix_fits_the_alarm_prefix_rule() -> None:
    assert default_alarm_prefix(Stack(new_app(), "Mail-2")) == "Mail-2"
    assert default_alarm_prefix(Stack(new_app(), "x" * 100)) == "x" * 100
    assert default_alarm_prefix(Stack(new_app(), "x" * 101)) == "x" * 100


def test_an_explicit_prefix_and_dashboard_name_still_win() -> None:
    stack = Stack(new_app(), "Mail")
    marketing = EventPublishingConfigurationSet(stack, "Set", configuration_set_name="marketing")
    ConfigurationSetAlarms(stack, "Alarms", configuration_set=marketing, prefix="team")
    EventPublishingDashboards(
        stack, "Dashboards", dashboard_name="ops", configuration_sets=[marketing]
    )
    names = [a["AlarmName"] for a in _props(stack, "AWS::CloudWatch::Alarm")]
    assert names and all(name.startswith("team-marketing-") for name in names)
    assert [d["DashboardName"] for d in _props(stack, "AWS::CloudWatch::Dashboard")] == ["ops"]
