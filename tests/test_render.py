"""The one renderer: logical ids exactly as aws-cdk-lib computes them (length limits included),
and the jsii spelling the constructs pass to the L1 classes."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import CfnResource, Duration, Stack
from aws_cdk import aws_ses as ses
from aws_cdk.assertions import Template
from constructs import Construct

from ses_events import render
from ses_events.constructs import EventPublishingConfigurationSet
from ses_events.model import SetModel, SetOptions
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


_SET_OPTIONS: list[dict[str, Any]] = [
    {},
    {"reputation_metrics": False, "sending_enabled": False},
    {
        "tls_policy": ses.ConfigurationSetTlsPolicy.REQUIRE,
        "max_delivery_duration": Duration.seconds(300),
        "custom_tracking_redirect_domain": "t.example.com",
        "custom_tracking_https_policy": ses.HttpsPolicy.REQUIRE_OPEN_ONLY,
    },
    {"max_delivery_duration": Duration.hours(14)},
    {"suppression_reasons": ses.SuppressionReasons.BOUNCES_ONLY, "disable_validation": False},
    {"suppression_reasons": ses.SuppressionReasons.COMPLAINTS_ONLY, "disable_validation": True},
    {
        "suppression_reasons": ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
        "validation_threshold": ses.AutoValidationThreshold.MANAGED,
    },
    {"disable_suppression_list": True, "validation_threshold": ses.AutoValidationThreshold.HIGH},
    {"custom_tracking_redirect_domain": "t.example.com"},
    {"engagement_metrics": True},
    {"optimized_shared_delivery": False},
    {"engagement_metrics": False, "optimized_shared_delivery": True},
]


@pytest.mark.parametrize("options", _SET_OPTIONS)
def test_a_set_is_rendered_as_aws_cdk_libs_l2_wrote_it(options: dict[str, Any]) -> None:
    """The set's properties are what ``aws_ses.ConfigurationSet`` (which the construct was built
    on until it used the renderer) writes for the same arguments: a deployed set does not change."""
    l2_options = dict(options)
    if "engagement_metrics" in options or "optimized_shared_delivery" in options:
        l2_options["vdm_options"] = ses.VdmOptions(
            engagement_metrics=l2_options.pop("engagement_metrics", None),
            optimized_shared_delivery=l2_options.pop("optimized_shared_delivery", None),
        )
    if "validation_threshold" in options:
        l2_options["auto_validation_threshold"] = l2_options.pop("validation_threshold")
    if "disable_validation" in options:
        l2_options["disable_auto_validation"] = l2_options.pop("disable_validation")
    stack = Stack(new_app(), "S")
    ses.ConfigurationSet(stack, "L2", configuration_set_name="l2", **l2_options)
    ours = EventPublishingConfigurationSet(stack, "Ours", configuration_set_name="ours", **options)
    found = Template.from_stack(stack).find_resources("AWS::SES::ConfigurationSet")
    by_name = {r["Properties"]["Name"]: r["Properties"] for r in found.values()}
    expected = {**by_name["l2"], "Name": "ours"}
    # the L2 leaves reputation metrics and sending out when not given; the construct always
    # writes them (CloudFormation's default and its documentation disagree)
    expected.setdefault("ReputationOptions", {"ReputationMetricsEnabled": True})
    expected.setdefault("SendingOptions", {"SendingEnabled": True})
    assert by_name["ours"] == expected
    assert ours.options is not None
    assert (
        render.configuration_set(
            SetModel(
                "ours",
                reputation_metrics=options.get("reputation_metrics", True),
                sending_enabled=options.get("sending_enabled", True),
                options=ours.options,
            )
        )
        == by_name["ours"]
    )


def test_a_sets_every_option_in_cloudformations_spelling() -> None:
    options = SetOptions(
        tls_policy="REQUIRE",
        sending_pool_name="pool",
        max_delivery_seconds=600,
        suppression_reasons=("BOUNCE",),
        validation_enabled=True,
        validation_threshold="HIGH",
        custom_redirect_domain="t.example.com",
        https_policy="OPTIONAL",
        engagement_metrics=False,
        optimized_shared_delivery=True,
        archive_arn="arn",
        tags=(("a", "1"), ("b", "2")),
    )
    rendered = render.configuration_set(SetModel("s", sending_enabled=False, options=options))
    assert rendered == {
        "ArchivingOptions": {"ArchiveArn": "arn"},
        "DeliveryOptions": {
            "SendingPoolName": "pool",
            "TlsPolicy": "REQUIRE",
            "MaxDeliverySeconds": 600,
        },
        "Name": "s",
        "ReputationOptions": {"ReputationMetricsEnabled": True},
        "SendingOptions": {"SendingEnabled": False},
        "SuppressionOptions": {
            "SuppressedReasons": ["BOUNCE"],
            "ValidationOptions": {
                "ConditionThreshold": {
                    "ConditionThresholdEnabled": "ENABLED",
                    "OverallConfidenceThreshold": {"ConfidenceVerdictThreshold": "HIGH"},
                }
            },
        },
        "Tags": [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}],
        "TrackingOptions": {"CustomRedirectDomain": "t.example.com", "HttpsPolicy": "OPTIONAL"},
        "VdmOptions": {
            "DashboardOptions": {"EngagementMetrics": "DISABLED"},
            "GuardianOptions": {"OptimizedSharedDelivery": "ENABLED"},
        },
    }
    assert "Tags" not in render.configuration_set(SetModel("s", options=options), tags=False)
    # nothing set: only what is always written
    assert render.configuration_set(SetModel("s")) == {
        "Name": "s",
        "ReputationOptions": {"ReputationMetricsEnabled": True},
        "SendingOptions": {"SendingEnabled": True},
    }
    # the account's suppression list off: an empty list of reasons
    off = render.configuration_set(SetModel("s", options=SetOptions(disable_suppression_list=True)))
    assert off["SuppressionOptions"] == {"SuppressedReasons": []}
    jsii = render.to_jsii(rendered)
    assert jsii["suppressionOptions"]["validationOptions"]["conditionThreshold"] == {
        "conditionThresholdEnabled": "ENABLED",
        "overallConfidenceThreshold": {"confidenceVerdictThreshold": "HIGH"},
    }
    assert jsii["tags"] == [{"key": "a", "value": "1"}, {"key": "b", "value": "2"}]
