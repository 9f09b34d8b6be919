"""The one renderer: logical ids exactly as aws-cdk-lib computes them (length limits included),
and the jsii spelling the constructs pass to the L1 classes."""

from __future__ import annotations

import pytest
from aws_cdk import CfnResource, Stack
from constructs import Construct

from ses_events import render
from ses_events.rules import EventType
from tests.conftest import new_app


def _cdk_logical_id(*path: str) -> str:
    """The logical id aws-cdk-lib gives a resource at ``path`` below a stack."""
    stack = Stack(new_app(), "S")
    scope: Construct = stack
    for part in path[:-1]:
        scope = Construct(scope, part)
    resource = CfnResource(scope, path[-1], type="AWS::SNS::Topic")
    logical: str = stack.resolve(stack.get_logical_id(resource))
    return logical


@pytest.mark.parametrize(
    "path",
    [
        ("marketing",),
        ("a" * 255,),  # a top-level id at the limit keeps its name
        ("a" * 256,),  # one past it: hashed like a nested path
        ("b" * 150, "c" * 150, "Resource"),  # the human part cut at 240 characters
        ("marketing-metrics", "Resource"),
        ("set", "set", "Resource"),  # a repeat left out of the human part
        ("x", "Default", "y"),  # Default dropped
        ("ses.events", "Resource", "Resource"),
        ("TopicKey-Alerts", "Resource"),  # upper case kept
        ("Marketing",),
    ],
)
def test_logical_ids_are_aws_cdk_libs(path: tuple[str, ...]) -> None:
    assert render.logical_id(list(path)) == _cdk_logical_id(*path)


def test_logical_id_refuses_what_aws_cdk_lib_refuses() -> None:
    with pytest.raises(ValueError, match="unresolved token"):
        render.logical_id(["${Token[TOKEN.1]}", "Resource"])
    with pytest.raises(ValueError, match="no path components"):
        render.logical_id(["Default"])


def test_an_event_destination_in_both_spellings() -> None:
    rendered = render.event_destination(
        "archive",
        enabled=True,
        event_types=[EventType.CLICK, EventType.SEND],  # written in SES's order
        target=render.firehose_target("stream-arn", "role-arn"),
    )
    assert rendered == {
        "Name": "archive",
        "Enabled": True,
        "MatchingEventTypes": ["send", "click"],
        "KinesisFirehoseDestination": {"DeliveryStreamARN": "stream-arn", "IAMRoleARN": "role-arn"},
    }
    assert render.to_jsii(rendered) == {
        "name": "archive",
        "enabled": True,
        "matchingEventTypes": ["send", "click"],
        "kinesisFirehoseDestination": {"deliveryStreamArn": "stream-arn", "iamRoleArn": "role-arn"},
    }
    dimensions = render.to_jsii(render.cloudwatch_target([("campaign", "messageTag", "none")]))
    assert dimensions == {
        "cloudWatchDestination": {
            "dimensionConfigurations": [
                {
                    "dimensionName": "campaign",
                    "dimensionValueSource": "messageTag",
                    "defaultDimensionValue": "none",
                }
            ]
        }
    }
    assert render.to_jsii(render.sns_target("t")) == {"snsDestination": {"topicArn": "t"}}
    assert render.to_jsii(render.eventbridge_target("b")) == {
        "eventBridgeDestination": {"eventBusArn": "b"}
    }
    with pytest.raises(KeyError, match="NewOption"):
        render.to_jsii({"NewOption": 1})  # a name the table does not know is never guessed


def test_the_paths_are_where_the_stack_builds_the_constructs() -> None:
    """The bulk path names resources from these paths; the constructs the stack builds sit at
    exactly those paths (a drift would move resources when a set changes path)."""
    from aws_cdk.assertions import Template

    from ses_events.spec import parse_spec
    from ses_events.stacks import SesEventPublishingStack

    spec = parse_spec(
        {
            "monitoring": {"enabled": False},
            "configuration_sets": [
                {
                    "name": "news",
                    "delivery": {"tls_policy": "REQUIRE"},  # not plain: built as constructs
                    "destinations": [{"name": "metrics", "type": "cloudwatch"}],
                }
            ],
        }
    )
    stack = SesEventPublishingStack(new_app(), "S", spec=spec)
    resources = Template.from_stack(stack).to_json()["Resources"]
    set_id = render.logical_id(render.configuration_set_path("news"))
    destination_id = render.logical_id(render.destination_path("news", "metrics"))
    assert resources[set_id]["Type"] == "AWS::SES::ConfigurationSet"
    assert resources[destination_id]["Type"] == "AWS::SES::ConfigurationSetEventDestination"
