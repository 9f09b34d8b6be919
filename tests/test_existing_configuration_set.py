"""Configuration sets that exist already: destinations, alarms, dashboards and metrics on them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk import aws_ses as ses
from aws_cdk.assertions import Template

from ses_events.constructs import (
    CloudWatchDimension,
    CloudWatchEventDestination,
    ConfigurationSetAlarms,
    EventPublishingConfigurationSet,
    EventPublishingDashboards,
    FirehoseEventDestination,
    SnsEventDestination,
)
from ses_events.errors import SesEventsValidationError
from ses_events.rules import EventType


def _destinations(template: Template) -> list[dict[str, Any]]:
    return [
        resource["Properties"]
        for resource in template.to_json()["Resources"].values()
        if resource["Type"] == "AWS::SES::ConfigurationSetEventDestination"
    ]


def test_an_imported_set_gets_destinations_and_nothing_else_of_its_own(stack: Stack) -> None:
    imported = ses.ConfigurationSet.from_configuration_set_name(stack, "Imported", "transactional")
    SnsEventDestination(
        stack, "Bounces", configuration_set=imported, event_types=["bounce", "complaint"]
    )
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::SES::ConfigurationSet", 0)
    (destination,) = _destinations(template)
    # The name itself, not a Ref: the set is not a resource of this stack.
    assert destination["ConfigurationSetName"] == "transactional"
    assert destination["EventDestination"]["MatchingEventTypes"] == ["bounce", "complaint"]
    topic_policy = json.dumps(template.find_resources("AWS::SNS::TopicPolicy"))
    assert ":configuration-set/transactional" in topic_policy


def test_a_set_given_by_name_is_one_set_for_every_destination(stack: Stack) -> None:
    """Two destinations of one existing set share its checks: a repeated name is refused."""
    FirehoseEventDestination(stack, "Archive", configuration_set="transactional")
    template = Template.from_stack(stack)
    assert _destinations(template)[0]["ConfigurationSetName"] == "transactional"
    trust = json.dumps(template.find_resources("AWS::IAM::Role"))
    assert ":configuration-set/transactional" in trust
    with pytest.raises(SesEventsValidationError, match="already the name of another"):
        SnsEventDestination(
            stack, "Second", configuration_set="transactional", destination_name="Archive"
        )


def test_ten_destinations_on_an_existing_set_and_not_eleven(stack: Stack) -> None:
    existing = EventPublishingConfigurationSet.from_configuration_set(stack, "Existing", "shared")
    for number in range(10):
        SnsEventDestination(stack, f"Topic{number}", configuration_set=existing)
    assert len(existing.event_destination_names) == 10
    with pytest.raises(SesEventsValidationError, match="number 11"):
        SnsEventDestination(stack, "Topic10", configuration_set=existing)


def test_a_name_not_known_at_synth_or_not_a_set_name_is_refused(stack: Stack) -> None:
    imported = ses.ConfigurationSet.from_configuration_set_name(
        stack, "FromToken", ses.CfnConfigurationSet(stack, "Other").ref
    )
    with pytest.raises(SesEventsValidationError, match="must be known at synth"):
        SnsEventDestination(stack, "Bounces", configuration_set=imported)
    with pytest.raises(SesEventsValidationError, match="'bad name'"):
        SnsEventDestination(stack, "Bad", configuration_set="bad name")


def test_metrics_alarms_and_dashboards_on_an_existing_set(stack: Stack) -> None:
    existing = EventPublishingConfigurationSet.from_configuration_set(
        stack, "Existing", "transactional", reputation_metrics=False
    )
    CloudWatchEventDestination(
        stack,
        "Metrics",
        configuration_set=existing,
        dimensions=[CloudWatchDimension.configuration_set()],
    )
    metric = existing.metric(EventType.BOUNCE)
    assert metric.to_metric_config().metric_stat is not None
    ConfigurationSetAlarms(stack, "Alarms", configuration_set=existing, prefix="mail")
    EventPublishingDashboards(
        stack, "Dashboard", dashboard_name="mail", configuration_sets=[existing]
    )
    template = Template.from_stack(stack)
    alarms = template.find_resources("AWS::CloudWatch::Alarm")
    names = [a["Properties"]["AlarmName"] for a in alarms.values()]
    # Count alarms read the metrics of the destination added here ...
    assert "mail-transactional-rejects-critical" in names
    # ... and reputation metrics are off for this set: no rate alarm, and the helper refuses.
    assert not any("rate" in name for name in names)
    with pytest.raises(SesEventsValidationError):
        existing.metric_reputation_bounce_rate()
    assert template.find_resources("AWS::CloudWatch::Dashboard")
    with pytest.raises(SesEventsValidationError, match="existing configuration set"):
        _ = existing.cfn_configuration_set
