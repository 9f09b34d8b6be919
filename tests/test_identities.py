"""Identities: a configuration set as an identity's default, and sending grants."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_ses as ses
from aws_cdk.assertions import Template

from ses_events.constructs import (
    EventPublishingConfigurationSet,
    IdentityDefaultConfigurationSet,
)
from ses_events.errors import SesEventsValidationError


def _policy_statements(template: Template) -> list[dict[str, Any]]:
    return [
        statement
        for policy in template.find_resources("AWS::IAM::Policy").values()
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]


def _arn_text(value: Any) -> str:
    """An ARN as CloudFormation writes it (Fn::Join of parts), joined, pseudo parameters kept."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return separator.join(_arn_text(p) for p in parts)
    if isinstance(value, dict) and "Ref" in value:
        return "{" + value["Ref"] + "}"
    return str(value)


def test_grant_send_allows_sending_on_the_identity_and_the_set_only(stack: Stack) -> None:
    marketing = EventPublishingConfigurationSet(
        stack, "Marketing", configuration_set_name="marketing"
    )
    role = iam.Role(stack, "Sender", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    marketing.grant_send(role, "news.example.com")
    (statement,) = _policy_statements(Template.from_stack(stack))
    assert statement["Effect"] == "Allow"
    assert sorted(statement["Action"]) == ["ses:SendEmail", "ses:SendRawEmail"]
    resources = sorted(_arn_text(r) for r in statement["Resource"])
    assert resources == [
        "arn:{AWS::Partition}:ses:{AWS::Region}:{AWS::AccountId}:configuration-set/marketing",
        "arn:{AWS::Partition}:ses:{AWS::Region}:{AWS::AccountId}:identity/news.example.com",
    ]


def test_grant_send_on_an_existing_set_and_an_imported_identity(stack: Stack) -> None:
    existing = EventPublishingConfigurationSet.from_configuration_set(stack, "Tx", "transactional")
    identity = ses.EmailIdentity.from_email_identity_name(stack, "Id", "ops@example.com")
    role = iam.Role(stack, "Sender", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    existing.grant_send(role, identity)
    (statement,) = _policy_statements(Template.from_stack(stack))
    resources = sorted(_arn_text(r) for r in statement["Resource"])
    assert resources[0].endswith(":configuration-set/transactional")
    assert resources[1].endswith(":identity/ops@example.com")


@pytest.mark.parametrize("identity", ["not a domain", "news", "@example.com", "a@b"])
def test_grant_send_refuses_what_is_not_an_identity(stack: Stack, identity: str) -> None:
    marketing = EventPublishingConfigurationSet(stack, "M", configuration_set_name="marketing")
    role = iam.Role(stack, "Sender", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    with pytest.raises(SesEventsValidationError, match=rf"identity = '{identity}': must be"):
        marketing.grant_send(role, identity)


def test_default_set_of_an_identity_created_here_is_set_on_the_identity(stack: Stack) -> None:
    marketing = EventPublishingConfigurationSet(stack, "M", configuration_set_name="marketing")
    identity = ses.EmailIdentity(stack, "News", identity=ses.Identity.domain("news.example.com"))
    IdentityDefaultConfigurationSet(
        stack, "Default", identity=identity, configuration_set=marketing
    )
    template = Template.from_stack(stack)
    (props,) = [
        r["Properties"] for r in template.find_resources("AWS::SES::EmailIdentity").values()
    ]
    # a Ref to the set: the identity is updated after the set exists
    assert props["ConfigurationSetAttributes"] == {
        "ConfigurationSetName": {"Ref": stack.get_logical_id(marketing.cfn_configuration_set)}
    }
    assert template.find_resources("Custom::SesIdentityDefaultConfigurationSet") == {}


def test_an_identity_has_one_default_set(stack: Stack) -> None:
    marketing = EventPublishingConfigurationSet(stack, "M", configuration_set_name="marketing")
    other = EventPublishingConfigurationSet(stack, "O", configuration_set_name="other")
    identity = ses.EmailIdentity(
        stack,
        "News",
        identity=ses.Identity.domain("news.example.com"),
        configuration_set=other.configuration_set,
    )
    with pytest.raises(SesEventsValidationError, match="already has a default configuration"):
        IdentityDefaultConfigurationSet(
            stack, "Default", identity=identity, configuration_set=marketing
        )


def test_default_set_of_an_existing_identity_is_a_custom_resource(stack: Stack) -> None:
    marketing = EventPublishingConfigurationSet(stack, "M", configuration_set_name="marketing")
    made = IdentityDefaultConfigurationSet(
        stack, "Default", identity="news.example.com", configuration_set=marketing
    )
    assert made.custom_resource is not None
    template = Template.from_stack(stack)
    (resource,) = template.find_resources("Custom::SesIdentityDefaultConfigurationSet").values()
    text = str(stack.resolve(resource["Properties"]))
    # create/update set the default; delete sends no ConfigurationSetName (leaves none)
    assert "PutEmailIdentityConfigurationSetAttributes" in text
    create = _arn_text(resource["Properties"]["Create"])
    delete = _arn_text(resource["Properties"]["Delete"])
    assert '"ConfigurationSetName":"' in create and "news.example.com" in create
    assert "ConfigurationSetName" not in delete and "news.example.com" in delete
    # the function may call that one action on that one identity
    statements = _policy_statements(template)
    assert [s["Action"] for s in statements] == ["ses:PutEmailIdentityConfigurationSetAttributes"]
    assert _arn_text(statements[0]["Resource"]).endswith(":identity/news.example.com")


def test_cdk_nag_passes_with_the_custom_resource_and_says_why(tmp_path: Any) -> None:
    """The one finding (the provider role's managed logging policy) is acknowledged, with a
    reason; nothing else is flagged."""
    import json as json_
    from pathlib import Path

    from aws_cdk import Validations
    from cdk_nag import AwsSolutionsChecks

    from tests.conftest import new_app

    app = new_app(outdir=str(tmp_path))
    stack = Stack(app, "Identities")
    marketing = EventPublishingConfigurationSet(stack, "M", configuration_set_name="marketing")
    IdentityDefaultConfigurationSet(
        stack, "Default", identity="news.example.com", configuration_set=marketing
    )
    Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    app.synth()  # raises on any unacknowledged finding
    report = json_.loads(Path(tmp_path, "validation-report.json").read_text())
    assert [r for p in report["pluginReports"] for r in p.get("violations", [])] == []
    acknowledged = {
        rule: reason
        for construct in app.node.find_all()
        for entry in construct.node.metadata
        if entry.type == Validations.ACKNOWLEDGED_RULES_METADATA_KEY
        for rule, reason in entry.data.items()
    }
    ((rule, reason),) = acknowledged.items()
    assert "AwsSolutions-IAM4[Policy::" in rule and "AWSLambdaBasicExecutionRole" in rule
    assert "AwsCustomResource provider" in reason
