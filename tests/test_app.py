"""The app as `cdk synth` builds it from the example spec: targeted assertions, a snapshot of
every stack, cfn-lint on every template, and cdk-nag's AwsSolutions pack."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import Acknowledgment, App, Stack, Validations
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_ses as ses
from aws_cdk import aws_sqs as sqs
from aws_cdk.assertions import Match, Template
from cdk_nag import AwsSolutionsChecks

from ses_events.constructs import (
    CloudWatchDimension,
    CloudWatchEventDestination,
    EventBridgeEventDestination,
    EventPublishingConfigurationSet,
    FirehoseEventArchive,
    FirehoseEventDestination,
    SnsEventDestination,
    SnsEventTopic,
)
from ses_events.constructs.analytics import EventArchiveTable, EventQueryWorkgroup
from ses_events.stacks import SesEventPublishingStack, build_app
from tests.conftest import new_app, without_cli_additions


def _kitchen_sink(app: App) -> Stack:
    """Every construct and option in one stack, as another team would write it."""
    stack = Stack(app, "KitchenSink")
    key = kms.Key(stack, "Key", enable_key_rotation=True)
    marketing = EventPublishingConfigurationSet(
        stack,
        "Marketing",
        configuration_set_name="ks-marketing",
        tls_policy=ses.ConfigurationSetTlsPolicy.REQUIRE,
        suppression_reasons=ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    )
    tx = EventPublishingConfigurationSet(stack, "Tx", configuration_set_name="ks-tx")
    archive = FirehoseEventArchive(stack, "Archive")
    topic = SnsEventTopic(stack, "Alerts", encryption_key=key)
    for cs in (marketing, tx):
        prefix = cs.node.id
        CloudWatchEventDestination(
            stack,
            f"{prefix}Metrics",
            configuration_set=cs,
            destination_name="metrics",
            dimensions=[CloudWatchDimension.configuration_set(), CloudWatchDimension.message_tag("campaign", default_value="none")],
        )  # fmt: skip
        FirehoseEventDestination(
            stack,
            f"{prefix}Archive",
            configuration_set=cs,
            archive=archive,
            destination_name="archive",
        )
        SnsEventDestination(
            stack,
            f"{prefix}Alerts",
            configuration_set=cs,
            event_topic=topic,
            destination_name="alerts",
            event_types=["bounce", "complaint"],
        )
    bus = EventBridgeEventDestination(
        stack, "Bus", configuration_set=marketing, destination_name="bus"
    )
    queue = sqs.Queue(
        stack, "BounceQueue", enforce_ssl=True, encryption=sqs.QueueEncryption.KMS_MANAGED
    )
    Validations.of(queue).acknowledge(
        Acknowledgment(
            id="AwsSolutions-SQS3",
            reason="The queue stands for another team's target; its dead-letter queue is theirs to add.",
        )
    )
    bus.route_events("Bounces", event_types=["bounce"], targets=[targets.SqsQueue(queue)])
    table = EventArchiveTable(stack, "EventsTable", archive=archive, database_name="kitchen_sink")
    EventQueryWorkgroup(stack, "Queries", workgroup_name="kitchen-sink-events", tables=[table])
    return stack


@pytest.fixture(scope="module")
def assembly(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The example app and the kitchen-sink stack, synthesized once, cdk-nag included."""
    outdir = tmp_path_factory.mktemp("cdk.out")
    app = new_app(outdir=str(outdir))
    stacks = build_app(app)
    sink = _kitchen_sink(app)
    Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    assembly = app.synth()
    return {
        "app": app,
        "stacks": [*stacks, sink],
        "directory": Path(assembly.directory),
        "assembly": assembly,
    }


def _template(assembly: dict[str, Any], name: str) -> dict[str, Any]:
    result: dict[str, Any] = assembly["assembly"].get_stack_by_name(name).template
    return result


def test_example_stack_holds_what_the_spec_says(assembly: dict[str, Any]) -> None:
    stack = assembly["stacks"][0]
    assert isinstance(stack, SesEventPublishingStack)
    template = Template.from_json(_template(assembly, "SesEvents"))
    template.resource_count_is("AWS::SES::ConfigurationSet", 2)
    # 7 of the spec's, and the tenant metrics destination of each set (both are tenants' sets)
    template.resource_count_is("AWS::SES::ConfigurationSetEventDestination", 9)
    # one shared archive and one shared topic for both configuration sets
    template.resource_count_is("AWS::KinesisFirehose::DeliveryStream", 1)
    # the shared event topic, and the alarm topic of the monitoring
    template.resource_count_is("AWS::SNS::Topic", 2)
    template.resource_count_is("AWS::KMS::Key", 2)  # event topic key, alarm topic key
    template.has_resource_properties(
        "AWS::SES::ConfigurationSet",
        {
            "Name": "marketing",
            "DeliveryOptions": {"TlsPolicy": "REQUIRE", "MaxDeliverySeconds": 14400},
            # the spec's stack tags and the set's own tags
            "Tags": Match.array_with(
                [{"Key": "owner", "Value": "mail-platform"}, {"Key": "team", "Value": "growth"}]
            ),
        },
    )
    names = sorted(
        (
            d["Properties"]["ConfigurationSetName"]["Ref"],
            d["Properties"]["EventDestination"]["Name"],
        )
        for d in template.find_resources("AWS::SES::ConfigurationSetEventDestination").values()
    )
    assert [n for _, n in names].count("metrics") == 2
    assert {n for _, n in names} == {
        "metrics",
        "archive",
        "deliverability",
        "bus",
        "tenant-metrics",
    }
    assert [n for _, n in names].count("tenant-metrics") == 2
    tagged = [
        r for r in template.to_json()["Resources"].values() if "Tags" in r.get("Properties", {})
    ]
    assert len(tagged) >= 6
    for resource in tagged:
        assert {"Key": "project", "Value": "ses-events"} in resource["Properties"]["Tags"]


def test_snapshot_of_every_stack(assembly: dict[str, Any], json_snapshot: Any) -> None:
    for stack in assembly["stacks"]:
        assert without_cli_additions(_template(assembly, stack.stack_name)) == json_snapshot(
            name=stack.stack_name
        )


def test_snapshots_are_stable_across_synths(assembly: dict[str, Any]) -> None:
    again = new_app()
    build_app(again)
    _kitchen_sink(again)
    second = again.synth()
    for stack in assembly["stacks"]:
        assert second.get_stack_by_name(stack.stack_name).template == _template(
            assembly, stack.stack_name
        )


def test_cfn_lint_finds_nothing_in_any_template(assembly: dict[str, Any]) -> None:
    templates = sorted(str(p) for p in assembly["directory"].glob("*.template.json"))
    assert len(templates) == len(assembly["stacks"])
    result = subprocess.run(
        [str(Path(sys.executable).parent / "cfn-lint"), "--format", "parseable", *templates],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == ""


def test_cdk_nag_found_nothing_unacknowledged(assembly: dict[str, Any]) -> None:
    report = json.loads((assembly["directory"] / "validation-report.json").read_text())
    failures = [r for plugin in report["pluginReports"] for r in plugin.get("violations", [])]
    assert failures == []


def test_cdk_nag_does_check_these_stacks() -> None:
    """A stack with a plain bucket beside the example fails the same checks."""
    app = new_app()
    build_app(app)
    s3.Bucket(Stack(app, "Careless"), "Bucket")
    Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    with pytest.raises(RuntimeError, match=r"ValidationFailed(.|\n)*Careless/Bucket"):
        app.synth()


def test_every_acknowledgement_carries_a_reason(assembly: dict[str, Any]) -> None:
    key = Validations.ACKNOWLEDGED_RULES_METADATA_KEY
    acknowledged: dict[str, str] = {}
    for construct in assembly["app"].node.find_all():
        for entry in construct.node.metadata:
            if entry.type == key:
                acknowledged.update(entry.data)
    rules = {rule.split("::", 1)[1].split("[")[0] for rule in acknowledged}
    # F3002: aws-cdk-lib's template validation of the example's tenants (ses_events/constructs/
    # tenant.py: its schema of AWS::SES::Tenant lacks properties CloudFormation has)
    assert rules == {"AwsSolutions-S1", "AwsSolutions-IAM5", "AwsSolutions-SQS3", "F3002"}
    for rule, reason in acknowledged.items():
        assert len(reason) > 40, (rule, reason)


@pytest.mark.parametrize(
    ("context", "stack_name", "env"),
    [
        ({}, "SesEvents", (None, None)),
        ({"ses-events:stack-name": "MailEvents"}, "MailEvents", (None, None)),
        (
            {"ses-events:account": "123456789012", "ses-events:region": "eu-west-1"},
            "SesEvents",
            ("123456789012", "eu-west-1"),
        ),
    ],
)
def test_stack_name_and_environment_come_from_context(
    context: dict[str, str], stack_name: str, env: tuple[str | None, str | None]
) -> None:
    (stack,) = build_app(new_app(**context))
    assert stack.stack_name == stack_name
    resolved = tuple(None if v.startswith("${Token") else v for v in (stack.account, stack.region))
    assert resolved == env
