"""One code path on every aws-cdk-lib the range admits (ses_events.compat, render.l1_resource):
what an older L1 class cannot render is written raw, never dropped. The releases themselves are
installed and synthesized in tests/test_consumer.py; here the mechanism is pinned down."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk import aws_ses as ses
from aws_cdk.assertions import Template
from constructs import Construct

from ses_events import compat, render
from tests.conftest import new_app

SUPPRESSION = {
    "SuppressedReasons": ["BOUNCE"],
    "ValidationOptions": {
        "ConditionThreshold": {
            "ConditionThresholdEnabled": "ENABLED",
            "OverallConfidenceThreshold": {"ConfidenceVerdictThreshold": "HIGH"},
        }
    },
}


class _OlderConfigurationSet:
    """What 2.160's CfnConfigurationSet offers: no VdmOptions, and suppression options with
    suppressed reasons only."""

    def __init__(
        self, scope: Any, construct_id: str, *, name: Any = None, suppression_options: Any = None
    ) -> None: ...

    class SuppressionOptionsProperty:
        def __init__(self, *, suppressed_reasons: Any = None) -> None: ...


def test_what_an_older_l1_lacks_goes_raw_whole() -> None:
    properties = {
        "Name": "marketing",
        "SuppressionOptions": SUPPRESSION,
        "VdmOptions": {"DashboardOptions": {"EngagementMetrics": "ENABLED"}},
    }
    keywords, raw = render.l1_keywords(_OlderConfigurationSet, properties)
    assert keywords == {"name": "marketing"}
    # a struct that would drop ValidationOptions is not given it: the whole property goes raw
    assert raw == {"SuppressionOptions": SUPPRESSION, "VdmOptions": properties["VdmOptions"]}


def test_what_the_installed_l1_knows_is_all_keywords() -> None:
    properties = {"Name": "marketing", "SuppressionOptions": SUPPRESSION}
    keywords, raw = render.l1_keywords(ses.CfnConfigurationSet, properties)
    assert raw == {} and set(keywords) == {"name", "suppression_options"}
    assert (
        keywords["suppression_options"]["validationOptions"]["conditionThreshold"][
            "conditionThresholdEnabled"
        ]
        == "ENABLED"
    )


def test_raw_properties_reach_the_template() -> None:
    stack = Stack(new_app(), "S")
    render.l1_resource(
        ses.CfnConfigurationSet, stack, "Set", {"Name": "m", "SuppressionOptions": SUPPRESSION}
    )
    Template.from_stack(stack).has_resource_properties(
        "AWS::SES::ConfigurationSet", {"Name": "m", "SuppressionOptions": SUPPRESSION}
    )


def test_taggable_answers_for_both_kinds_of_l1_and_a_plain_construct() -> None:
    stack = Stack(new_app(), "S")
    assert compat.taggable(ses.CfnConfigurationSet(stack, "Set"))
    assert not compat.taggable(Construct(stack, "Plain"))


def test_acknowledge_writes_nothing_without_policy_validation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stack = Stack(new_app(), "S")
    monkeypatch.setattr(compat, "HAS_VALIDATIONS", False)
    before = len(stack.node.metadata)
    compat.acknowledge(stack, "AwsSolutions-S1", "a reason")
    assert len(stack.node.metadata) == before
    monkeypatch.setattr(compat, "HAS_VALIDATIONS", True)
    compat.acknowledge(stack, "AwsSolutions-S1", "a reason")
    assert len(stack.node.metadata) > before  # the acknowledgment, where cdk-nag 3 reads it


def test_enum_options_are_taken_as_text_where_the_enum_is_missing() -> None:
    """aws-cdk-lib 2.160 has no AutoValidationThreshold or HttpsPolicy: their text is taken."""
    from ses_events.constructs import EventPublishingConfigurationSet
    from ses_events.errors import SesEventsValidationError

    stack = Stack(new_app(), "S")
    EventPublishingConfigurationSet(
        stack,
        "Set",
        configuration_set_name="m",
        validation_threshold="HIGH",
        custom_tracking_redirect_domain="click.example.com",
        custom_tracking_https_policy="REQUIRE_OPEN_ONLY",
    )
    Template.from_stack(stack).has_resource_properties(
        "AWS::SES::ConfigurationSet",
        {
            "TrackingOptions": {"HttpsPolicy": "REQUIRE_OPEN_ONLY"},
            "SuppressionOptions": {
                "ValidationOptions": {
                    "ConditionThreshold": {
                        "OverallConfidenceThreshold": {"ConfidenceVerdictThreshold": "HIGH"}
                    }
                }
            },
        },
    )
    with pytest.raises(SesEventsValidationError) as raised:
        EventPublishingConfigurationSet(
            Stack(new_app(), "T"),
            "Set",
            validation_threshold="LOW",
            custom_tracking_redirect_domain="click.example.com",
            custom_tracking_https_policy="ALWAYS",
        )
    message = str(raised.value)
    assert "validation_threshold = 'LOW': must be one of MEDIUM, HIGH, MANAGED" in message
    assert (
        "custom_tracking_https_policy = 'ALWAYS': must be one of REQUIRE, REQUIRE_OPEN_ONLY,"
        " OPTIONAL" in message
    )
