"""Event destinations: what each creates, its permissions, and the checks on its input."""

from __future__ import annotations

import re
from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from aws_cdk.assertions import Match, Template

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
from ses_events.errors import SesEventsValidationError
from ses_events.rules import DimensionSource
from tests.conftest import new_app

ALL_TYPES = [
    "send", "reject", "bounce", "complaint", "delivery", "open", "click",
    "renderingFailure", "deliveryDelay", "subscription",
]  # fmt: skip


def _set(stack: Stack, name: str = "marketing") -> EventPublishingConfigurationSet:
    return EventPublishingConfigurationSet(stack, name, configuration_set_name=name)


def _arn_suffixes(value: Any) -> list[str]:
    """The literal tails of Fn::Join ARNs (``:configuration-set/marketing``)."""
    values = value if isinstance(value, list) else [value]
    return [v["Fn::Join"][1][-1] for v in values]


# --- CloudWatch -------------------------------------------------------------------------------


def test_cloudwatch_destination_with_every_dimension_source(stack: Stack) -> None:
    cs = _set(stack)
    dest = CloudWatchEventDestination(
        stack,
        "Metrics",
        configuration_set=cs,
        destination_name="metrics",
        dimensions=[
            CloudWatchDimension.configuration_set(),
            CloudWatchDimension.message_tag("campaign", default_value="none"),
            CloudWatchDimension.email_header("X-Mailer", default_value="unknown"),
            CloudWatchDimension.link_tag("section", default_value="body"),
            CloudWatchDimension.from_domain(),
            CloudWatchDimension.caller_identity(),
            CloudWatchDimension.source_ip(),
            CloudWatchDimension.outgoing_ip(),
        ],
        event_types=["BOUNCE", "send", "complaint"],
    )
    Template.from_stack(stack).has_resource_properties(
        "AWS::SES::ConfigurationSetEventDestination",
        {
            "ConfigurationSetName": {"Ref": Match.string_like_regexp("marketing")},
            "EventDestination": {
                "Name": "metrics",
                "Enabled": True,
                # a fixed order, whatever order the caller wrote
                "MatchingEventTypes": ["send", "bounce", "complaint"],
                "CloudWatchDestination": {
                    "DimensionConfigurations": [
                        {"DimensionName": "ses:configuration-set", "DimensionValueSource": "messageTag", "DefaultDimensionValue": "unknown"},
                        {"DimensionName": "campaign", "DimensionValueSource": "messageTag", "DefaultDimensionValue": "none"},
                        {"DimensionName": "X-Mailer", "DimensionValueSource": "emailHeader", "DefaultDimensionValue": "unknown"},
                        {"DimensionName": "section", "DimensionValueSource": "linkTag", "DefaultDimensionValue": "body"},
                        {"DimensionName": "ses:from-domain", "DimensionValueSource": "messageTag", "DefaultDimensionValue": "unknown"},
                        {"DimensionName": "ses:caller-identity", "DimensionValueSource": "messageTag", "DefaultDimensionValue": "unknown"},
                        {"DimensionName": "ses:source-ip", "DimensionValueSource": "messageTag", "DefaultDimensionValue": "unknown"},
                        {"DimensionName": "ses:outgoing-ip", "DimensionValueSource": "messageTag", "DefaultDimensionValue": "unknown"},
                    ]
                },
            },
        },
    )  # fmt: skip
    assert cs.event_destination_names == ("metrics",)
    assert dest.dimensions[1].source is DimensionSource.MESSAGE_TAG


def test_defaults_all_event_types_the_configuration_set_dimension_and_the_id_as_name(
    stack: Stack,
) -> None:
    CloudWatchEventDestination(stack, "Metrics", configuration_set=_set(stack))
    Template.from_stack(stack).has_resource_properties(
        "AWS::SES::ConfigurationSetEventDestination",
        {
            "EventDestination": {
                "Name": "Metrics",
                "Enabled": True,
                "MatchingEventTypes": ALL_TYPES,
                "CloudWatchDestination": {
                    "DimensionConfigurations": [
                        Match.object_like({"DimensionName": "ses:configuration-set"})
                    ]
                },
            }
        },
    )


def test_a_disabled_destination_says_so(stack: Stack) -> None:
    CloudWatchEventDestination(stack, "Metrics", configuration_set=_set(stack), enabled=False)
    Template.from_stack(stack).has_resource_properties(
        "AWS::SES::ConfigurationSetEventDestination",
        {"EventDestination": Match.object_like({"Enabled": False})},
    )


@pytest.mark.parametrize(
    ("dimension", "field", "rule"),
    [
        (CloudWatchDimension.message_tag("bad name", default_value="x"), "dimensions[0].name", "pattern"),
        (CloudWatchDimension.message_tag("a.b", default_value="x"), "dimensions[0].name", "pattern"),
        (CloudWatchDimension.message_tag("campaign", default_value="has space"), "dimensions[0].default_value", "pattern"),
        (CloudWatchDimension.message_tag("campaign", default_value=""), "dimensions[0].default_value", "pattern"),
        (CloudWatchDimension.email_header("Received", default_value="x"), "dimensions[0].name", "SES does not accept this email header"),
        (CloudWatchDimension.email_header("dkim-signature", default_value="x"), "dimensions[0].name", "SES does not accept this email header"),
    ],
)  # fmt: skip
def test_dimensions_that_ses_rejects(
    stack: Stack, dimension: CloudWatchDimension, field: str, rule: str
) -> None:
    with pytest.raises(SesEventsValidationError) as caught:
        CloudWatchEventDestination(
            stack, "Metrics", configuration_set=_set(stack), dimensions=[dimension]
        )
    message = str(caught.value)
    assert "configuration set 'marketing', event destination 'Metrics'" in message
    assert f"{field} = " in message and rule in message


def test_default_values_with_at_and_dot_are_accepted_as_ses_documents(stack: Stack) -> None:
    CloudWatchEventDestination(
        stack,
        "Metrics",
        configuration_set=_set(stack),
        dimensions=[CloudWatchDimension.message_tag("sender", default_value="noreply@example.com")],
    )


def test_more_than_ten_dimensions(stack: Stack) -> None:
    dims = [CloudWatchDimension.message_tag(f"d{i}", default_value="x") for i in range(11)]
    with pytest.raises(
        SesEventsValidationError, match="at most 10 dimensions per CloudWatch event destination"
    ):
        CloudWatchEventDestination(stack, "Metrics", configuration_set=_set(stack), dimensions=dims)


# --- common destination rules ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("event_types", "field", "rule"),
    [
        ([], "event_types", "must list at least one event type"),
        (["bounce", "bounced"], "event_types[1]", "must be one of send, reject, bounce"),
        (["open", ""], "event_types[1]", "must be one of"),
    ],
)
def test_empty_or_unknown_event_types(
    stack: Stack, event_types: list[str], field: str, rule: str
) -> None:
    with pytest.raises(SesEventsValidationError) as caught:
        CloudWatchEventDestination(
            stack, "M", configuration_set=_set(stack), event_types=event_types
        )
    assert f"{field} = " in str(caught.value) and rule in str(caught.value)


@pytest.mark.parametrize("name", ["has space", "x" * 65, "a/b"])
def test_bad_destination_names(stack: Stack, name: str) -> None:
    with pytest.raises(
        SesEventsValidationError, match=r"destination_name = .*: must be 1 to 64 ASCII letters"
    ):
        CloudWatchEventDestination(stack, "M", configuration_set=_set(stack), destination_name=name)


def test_destination_names_are_unique_within_a_set_but_not_across_sets(stack: Stack) -> None:
    marketing, tx = _set(stack), _set(stack, "tx")
    CloudWatchEventDestination(stack, "A", configuration_set=marketing, destination_name="metrics")
    CloudWatchEventDestination(stack, "B", configuration_set=tx, destination_name="metrics")
    with pytest.raises(
        SesEventsValidationError, match="already the name of another event destination"
    ):
        EventBridgeEventDestination(
            stack, "C", configuration_set=marketing, destination_name="metrics"
        )


def test_at_most_ten_destinations_per_set(stack: Stack) -> None:
    cs = _set(stack)
    for i in range(10):
        CloudWatchEventDestination(stack, f"D{i}", configuration_set=cs)
    with pytest.raises(SesEventsValidationError) as caught:
        CloudWatchEventDestination(stack, "D10", configuration_set=cs)
    assert "event destination number 11: SES allows at most 10 event destinations per" in str(
        caught.value
    )
    assert (
        len(Template.from_stack(stack).find_resources("AWS::SES::ConfigurationSetEventDestination"))
        == 10
    )


# --- Firehose ---------------------------------------------------------------------------------


@pytest.fixture
def firehose_stack(stack: Stack) -> tuple[Stack, FirehoseEventArchive]:
    archive = FirehoseEventArchive(stack, "Archive")
    for name in ("marketing", "tx"):
        FirehoseEventDestination(
            stack,
            f"{name}-archive",
            configuration_set=_set(stack, name),
            archive=archive,
            destination_name="archive",
        )
    return stack, archive


def test_one_archive_serves_many_sets(firehose_stack: tuple[Stack, FirehoseEventArchive]) -> None:
    stack, archive = firehose_stack
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::KinesisFirehose::DeliveryStream", 1)
    template.resource_count_is("AWS::S3::Bucket", 1)
    template.resource_count_is("AWS::SES::ConfigurationSetEventDestination", 2)
    assert archive.configuration_set_names == ("marketing", "tx")


def test_event_bucket_is_retained_encrypted_private_versioned_and_tls_only(
    firehose_stack: tuple[Stack, FirehoseEventArchive],
) -> None:
    template = Template.from_stack(firehose_stack[0])
    template.has_resource(
        "AWS::S3::Bucket",
        {
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": Match.object_like(
                {
                    "BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]},
                    "PublicAccessBlockConfiguration": {"BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True, "RestrictPublicBuckets": True},
                    "VersioningConfiguration": {"Status": "Enabled"},
                    "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
                }
            ),
        },
    )  # fmt: skip
    template.has_resource_properties(
        "AWS::S3::BucketPolicy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Effect": "Deny",
                                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                            }
                        ),
                        Match.object_like(
                            {
                                "Effect": "Deny",
                                "Condition": {"NumericLessThan": {"s3:TlsVersion": 1.2}},
                            }
                        ),
                    ]
                )
            }
        },
    )


def test_delivery_stream_buffers_compresses_and_partitions_by_set_and_hour(
    firehose_stack: tuple[Stack, FirehoseEventArchive],
) -> None:
    template = Template.from_stack(firehose_stack[0])
    template.has_resource_properties(
        "AWS::KinesisFirehose::DeliveryStream",
        {
            "DeliveryStreamType": "DirectPut",
            "DeliveryStreamEncryptionConfigurationInput": {"KeyType": "AWS_OWNED_CMK"},
            "ExtendedS3DestinationConfiguration": Match.object_like(
                {
                    "BufferingHints": {"IntervalInSeconds": 300, "SizeInMBs": 64},
                    "CompressionFormat": "GZIP",
                    "Prefix": "ses-events/configuration_set=!{partitionKeyFromQuery:configuration_set}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/",
                    "ErrorOutputPrefix": "ses-events-errors/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/",
                    "DynamicPartitioningConfiguration": {"Enabled": True, "RetryOptions": {"DurationInSeconds": 300}},
                    "ProcessingConfiguration": {
                        "Enabled": True,
                        "Processors": Match.array_with([
                            {
                                "Type": "MetadataExtraction",
                                "Parameters": [
                                    {"ParameterName": "MetadataExtractionQuery", "ParameterValue": '{configuration_set: .mail.tags."ses:configuration-set"[0]}'},
                                    {"ParameterName": "JsonParsingEngine", "ParameterValue": "JQ-1.6"},
                                ],
                            }
                        ]),
                    },
                    "CloudWatchLoggingOptions": Match.object_like({"Enabled": True}),
                }
            ),
        },
    )  # fmt: skip


def _role(template: Template, service: str) -> tuple[str, dict[str, Any]]:
    roles = template.find_resources(
        "AWS::IAM::Role",
        {
            "Properties": {
                "AssumeRolePolicyDocument": {
                    "Statement": [Match.object_like({"Principal": {"Service": service}})]
                }
            }
        },
    )
    assert len(roles) == 1, roles
    return next(iter(roles.items()))


def _policy_of(template: Template, role_id: str) -> list[dict[str, Any]]:
    policies = template.find_resources(
        "AWS::IAM::Policy", {"Properties": {"Roles": [{"Ref": role_id}]}}
    )
    return [s for p in policies.values() for s in p["Properties"]["PolicyDocument"]["Statement"]]


def test_ses_role_is_trusted_only_for_these_sets_and_may_only_put_record_batch(
    firehose_stack: tuple[Stack, FirehoseEventArchive],
) -> None:
    template = Template.from_stack(firehose_stack[0])
    role_id, role = _role(template, "ses.amazonaws.com")
    (trust,) = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Action"] == "sts:AssumeRole"
    assert trust["Condition"]["StringEquals"] == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
    assert _arn_suffixes(trust["Condition"]["ArnLike"]["aws:SourceArn"]) == [
        ":configuration-set/marketing",
        ":configuration-set/tx",
    ]
    (statement,) = _policy_of(template, role_id)
    assert statement["Action"] == "firehose:PutRecordBatch"
    (stream_id,) = template.find_resources("AWS::KinesisFirehose::DeliveryStream")
    assert statement["Resource"] == {"Fn::GetAtt": [stream_id, "Arn"]}  # this stream only
    destinations = template.find_resources("AWS::SES::ConfigurationSetEventDestination")
    for destination in destinations.values():
        props = destination["Properties"]["EventDestination"]["KinesisFirehoseDestination"]
        # the role's ARN, written so that the destination also waits for the role's policy
        (policy_id,) = template.find_resources(
            "AWS::IAM::Policy", {"Properties": {"Roles": [{"Ref": role_id}]}}
        )
        assert props["IAMRoleARN"] == {
            "Fn::Select": [0, [{"Fn::GetAtt": [role_id, "Arn"]}, {"Ref": policy_id}]]
        }


def test_firehose_role_is_trusted_only_for_this_stream_and_writes_only_the_prefixes(
    firehose_stack: tuple[Stack, FirehoseEventArchive],
) -> None:
    stack, archive = firehose_stack
    template = Template.from_stack(stack)
    role_id, role = _role(template, "firehose.amazonaws.com")
    (trust,) = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    conditions = trust["Condition"]["StringEquals"]
    assert conditions["aws:SourceAccount"] == {"Ref": "AWS::AccountId"}
    assert _arn_suffixes(conditions["aws:SourceArn"]) == [
        f":deliverystream/{archive.delivery_stream_name}"
    ]
    actions = sorted(
        a
        for s in _policy_of(template, role_id)
        for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    )
    assert actions == sorted(
        ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject", "logs:PutLogEvents"]
    )  # fmt: skip
    object_resources = next(
        s["Resource"] for s in _policy_of(template, role_id) if "s3:PutObject" in s["Action"]
    )
    tails = [r["Fn::Join"][1][-1] for r in object_resources]
    assert sorted(tails) == ["/ses-events-errors/*", "/ses-events/*"]
    # the stream is created after its role's policy
    streams = template.find_resources("AWS::KinesisFirehose::DeliveryStream")
    (stream,) = streams.values()
    assert any("FirehoseRoleDefaultPolicy" in d for d in stream["DependsOn"])


def test_stream_name_is_stable_and_derived_from_the_path() -> None:
    def name_in(stack_id: str, archive_id: str) -> str:
        stack = Stack(new_app(), stack_id)
        archive = FirehoseEventArchive(stack, archive_id)
        FirehoseEventDestination(stack, "A", configuration_set=_set(stack), archive=archive)
        return archive.delivery_stream_name

    first = name_in("Test", "Archive")
    assert first == name_in("Test", "Archive")  # same path, same name, in any app
    assert first != name_in("Test", "Other") != name_in("Prod", "Archive")
    assert re.fullmatch(r"Test-Archive-[0-9A-F]{8}", first)


def test_a_destination_without_an_archive_creates_its_own(stack: Stack) -> None:
    dest = FirehoseEventDestination(stack, "Archive", configuration_set=_set(stack))
    Template.from_stack(stack).resource_count_is("AWS::KinesisFirehose::DeliveryStream", 1)
    assert dest.archive.configuration_set_names == ("marketing",)


def test_an_existing_bucket_is_used_and_none_is_created(stack: Stack) -> None:
    bucket = s3.Bucket.from_bucket_name(stack, "Existing", "my-event-bucket")
    archive = FirehoseEventArchive(stack, "Archive", bucket=bucket)
    FirehoseEventDestination(stack, "A", configuration_set=_set(stack), archive=archive)
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::S3::Bucket", 0)
    assert archive.bucket is bucket


def test_bucket_and_access_log_bucket_together_are_refused(stack: Stack) -> None:
    bucket = s3.Bucket.from_bucket_name(stack, "Existing", "my-event-bucket")
    with pytest.raises(
        SesEventsValidationError, match="pass either bucket or server_access_logs_bucket"
    ):
        FirehoseEventArchive(stack, "Archive", bucket=bucket, server_access_logs_bucket=bucket)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"buffering_size_mib": 32}, "buffering_size_mib"),
        ({"prefix": "no-slash"}, "prefix"),
        ({"error_output_prefix": "ses-events/"}, "error_output_prefix"),
        ({"delivery_stream_name": "bad name"}, "delivery_stream_name"),
    ],
)
def test_archive_settings_firehose_would_reject(
    stack: Stack, kwargs: dict[str, Any], field: str
) -> None:
    with pytest.raises(SesEventsValidationError, match=rf"{field} = "):
        FirehoseEventArchive(stack, "Archive", **kwargs)


def test_an_archive_no_set_uses_fails_validation(stack: Stack) -> None:
    FirehoseEventArchive(stack, "Archive")
    with pytest.raises(
        RuntimeError, match="no configuration set publishes to this Firehose event archive"
    ):
        stack.node.root.synth()  # type: ignore[attr-defined]


# --- SNS --------------------------------------------------------------------------------------


def _topic_policy_statement(template: Template) -> dict[str, Any]:
    policies = template.find_resources("AWS::SNS::TopicPolicy")
    statements = [
        s for p in policies.values() for s in p["Properties"]["PolicyDocument"]["Statement"]
    ]
    (allow,) = [s for s in statements if s["Effect"] == "Allow"]
    return allow


def test_topic_lets_only_ses_publish_for_these_sets_and_enforces_tls(stack: Stack) -> None:
    topic = SnsEventTopic(stack, "Alerts")
    for name in ("marketing", "tx"):
        SnsEventDestination(
            stack,
            f"{name}-alerts",
            configuration_set=_set(stack, name),
            event_topic=topic,
            event_types=["bounce", "complaint"],
        )
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::SNS::Topic", 1)
    allow = _topic_policy_statement(template)
    assert allow["Principal"] == {"Service": "ses.amazonaws.com"}
    assert allow["Action"] == "sns:Publish"
    assert allow["Condition"]["StringEquals"]["aws:SourceAccount"] == {"Ref": "AWS::AccountId"}
    assert _arn_suffixes(allow["Condition"]["ArnLike"]["aws:SourceArn"]) == [
        ":configuration-set/marketing",
        ":configuration-set/tx",
    ]
    template.has_resource_properties(
        "AWS::SNS::TopicPolicy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Effect": "Deny",
                                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                            }
                        )
                    ]
                )
            }
        },
    )
    template.has_resource_properties(
        "AWS::SES::ConfigurationSetEventDestination",
        {"EventDestination": Match.object_like({"SnsDestination": {"TopicARN": {"Fn::Select": [0, [{"Ref": Match.string_like_regexp("AlertsTopic")}, {"Ref": Match.string_like_regexp("AlertsTopicPolicy")}]]}}, "MatchingEventTypes": ["bounce", "complaint"]})},
    )  # fmt: skip


def test_sns_destination_is_created_after_the_topic_policy(stack: Stack) -> None:
    SnsEventDestination(stack, "Alerts", configuration_set=_set(stack))
    template = Template.from_stack(stack)
    (policy_id,) = template.find_resources("AWS::SNS::TopicPolicy")
    (topic_id,) = template.find_resources("AWS::SNS::Topic")
    (destination,) = template.find_resources("AWS::SES::ConfigurationSetEventDestination").values()
    # the topic ARN, written so that the destination also waits for the topic policy (a Ref
    # is a dependency), without a DependsOn per destination
    assert destination["Properties"]["EventDestination"]["SnsDestination"]["TopicARN"] == {
        "Fn::Select": [0, [{"Ref": topic_id}, {"Ref": policy_id}]]
    }
    assert "DependsOn" not in destination


def test_topic_with_a_kms_key_lets_ses_use_the_key_under_the_same_conditions(stack: Stack) -> None:
    key = kms.Key(stack, "Key", enable_key_rotation=True)
    SnsEventDestination(
        stack,
        "Alerts",
        configuration_set=_set(stack),
        event_topic=SnsEventTopic(stack, "Topic", encryption_key=key),
    )
    template = Template.from_stack(stack)
    template.has_resource_properties("AWS::SNS::Topic", {"KmsMasterKeyId": Match.any_value()})
    keys = template.find_resources("AWS::KMS::Key")
    (key_resource,) = keys.values()
    (ses_statement,) = [
        s
        for s in key_resource["Properties"]["KeyPolicy"]["Statement"]
        if s.get("Principal") == {"Service": "ses.amazonaws.com"}
    ]
    assert sorted(ses_statement["Action"]) == ["kms:Decrypt", "kms:GenerateDataKey*"]
    assert _arn_suffixes(ses_statement["Condition"]["ArnLike"]["aws:SourceArn"]) == [
        ":configuration-set/marketing"
    ]


def test_an_existing_topic_gets_the_ses_statement(stack: Stack) -> None:
    topic = sns.Topic(stack, "Existing")
    SnsEventDestination(stack, "Alerts", configuration_set=_set(stack), topic=topic)
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::SNS::Topic", 1)
    assert _topic_policy_statement(template)["Principal"] == {"Service": "ses.amazonaws.com"}


def test_topic_and_event_topic_together_are_refused(stack: Stack) -> None:
    with pytest.raises(
        SesEventsValidationError, match="pass either event_topic or topic, not both"
    ):
        SnsEventDestination(
            stack,
            "A",
            configuration_set=_set(stack),
            topic=sns.Topic(stack, "T"),
            event_topic=SnsEventTopic(stack, "E"),
        )


def test_existing_topic_with_creation_props_is_refused(stack: Stack) -> None:
    with pytest.raises(SesEventsValidationError, match="pass either topic or topic_name"):
        SnsEventTopic(stack, "E", topic=sns.Topic(stack, "T"), topic_name="x")


# --- EventBridge ------------------------------------------------------------------------------


def test_eventbridge_destination_targets_the_default_bus_and_routes_chosen_events(
    stack: Stack,
) -> None:
    dest = EventBridgeEventDestination(
        stack, "Bus", configuration_set=_set(stack), event_types=["bounce", "complaint", "delivery"]
    )
    dest.route_events(
        "Bounces",
        event_types=["bounce", "complaint"],
        targets=[targets.SqsQueue(sqs.Queue(stack, "Q", enforce_ssl=True))],
    )
    template = Template.from_stack(stack)
    destination = template.find_resources("AWS::SES::ConfigurationSetEventDestination")
    (props,) = [d["Properties"]["EventDestination"] for d in destination.values()]
    assert _arn_suffixes(props["EventBridgeDestination"]["EventBusArn"]) == [":event-bus/default"]
    template.has_resource_properties(
        "AWS::Events::Rule",
        {
            "EventPattern": {
                "source": ["aws.ses"],
                "detail-type": ["Email Bounced", "Email Complaint Received"],
                "detail": {"mail": {"tags": {"ses:configuration-set": ["marketing"]}}},
            },
            "Targets": [Match.object_like({"Arn": Match.any_value()})],
        },
    )  # fmt: skip


def test_the_default_bus_may_be_passed_explicitly(stack: Stack) -> None:
    bus = events.EventBus.from_event_bus_name(stack, "Default", "default")
    EventBridgeEventDestination(stack, "Bus", configuration_set=_set(stack), event_bus=bus)


@pytest.mark.parametrize("kind", ["imported", "created"])
def test_other_buses_are_refused(stack: Stack, kind: str) -> None:
    bus = (
        events.EventBus.from_event_bus_name(stack, "Other", "orders")
        if kind == "imported"
        else events.EventBus(stack, "Mine")
    )
    with pytest.raises(
        SesEventsValidationError, match="SES publishes only to the default event bus"
    ) as caught:
        EventBridgeEventDestination(stack, "Bus", configuration_set=_set(stack), event_bus=bus)
    assert "event_bus = " in str(caught.value)


def test_routing_event_types_the_destination_does_not_publish_is_refused(stack: Stack) -> None:
    dest = EventBridgeEventDestination(
        stack, "Bus", configuration_set=_set(stack), event_types=["bounce"]
    )
    with pytest.raises(
        SesEventsValidationError, match="'open': is not published to this destination"
    ):
        dest.route_events("Opens", event_types=["open"], targets=[])


def test_the_created_bucket_is_typed_as_a_bucket_and_a_given_one_is_left_alone(
    stack: Stack,
) -> None:
    """``created_bucket`` is an ``s3.Bucket`` (what users extend: lifecycle rules, event
    notifications); with a bucket of the user's, there is none and ``bucket`` is theirs."""
    from aws_cdk import Duration

    from ses_events.constructs import (
        EventPublishingConfigurationSet,
        FirehoseEventArchive,
        FirehoseEventDestination,
    )

    cs = EventPublishingConfigurationSet(stack, "Set", configuration_set_name="tx")
    archive = FirehoseEventArchive(stack, "Archive")
    assert archive.created_bucket is not None and archive.bucket is archive.created_bucket
    archive.created_bucket.add_lifecycle_rule(id="team-rule", expiration=Duration.days(400))
    imported = s3.Bucket.from_bucket_name(stack, "Theirs", "their-bucket")
    theirs = FirehoseEventArchive(stack, "Theirs2", bucket=imported)
    for target in (archive, theirs):
        FirehoseEventDestination(stack, f"To{target.node.id}", configuration_set=cs, archive=target)
    assert theirs.created_bucket is None and theirs.bucket is imported
    template = Template.from_stack(stack)
    (bucket,) = template.find_resources("AWS::S3::Bucket").values()
    rules = bucket["Properties"]["LifecycleConfiguration"]["Rules"]
    assert any(r.get("Id") == "team-rule" and r["ExpirationInDays"] == 400 for r in rules)
