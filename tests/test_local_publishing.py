"""Events that flow: mail sent through a configuration set in the local AWS produces the records
SES would, and each reaches every enabled destination whose event types match: CloudWatch
metrics with exactly the destination's dimensions, the archive's objects under its partitions,
SNS and EventBridge (issue 12, first part)."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from ses_events.analytics.engines import DuckDBEngine, download_archive
from ses_events.local_aws import LocalAws
from ses_events.local_aws.publishing import published

pytestmark = pytest.mark.local_aws

PREFIX = (
    "ses-events/configuration_set=!{partitionKeyFromQuery:configuration_set}/year=!{timestamp:yyyy}"
    "/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/"
)


@pytest.fixture(scope="module")
def aws() -> Iterator[LocalAws]:
    with LocalAws() as local:
        yield local


def _client(aws: LocalAws, service: str) -> Any:
    return boto3.client(service, **aws.client_arguments())


def _destination(kind: str, types: list[str], enabled: bool = True, **body: Any) -> dict[str, Any]:
    return {"Enabled": enabled, "MatchingEventTypes": types, kind: body}


@pytest.fixture(scope="module")
def sent(aws: LocalAws) -> dict[str, Any]:
    sesv2, s3, firehose, sns = (_client(aws, s) for s in ("sesv2", "s3", "firehose", "sns"))
    sesv2.create_configuration_set(ConfigurationSetName="flow")
    s3.create_bucket(Bucket="flow-archive")
    firehose.create_delivery_stream(
        DeliveryStreamName="flow-stream",
        ExtendedS3DestinationConfiguration={
            "BucketARN": "arn:aws:s3:::flow-archive",
            "RoleARN": "arn:aws:iam::123456789012:role/firehose",
            "Prefix": PREFIX,
            "CompressionFormat": "GZIP",
        },
    )
    topic = sns.create_topic(Name="flow-alerts")["TopicArn"]
    dimensions = {
        "DimensionConfigurations": [
            {
                "DimensionName": "ses:configuration-set",
                "DimensionValueSource": "MESSAGE_TAG",
                "DefaultDimensionValue": "unknown",
            },
            {
                "DimensionName": "campaign",
                "DimensionValueSource": "MESSAGE_TAG",
                "DefaultDimensionValue": "none",
            },
            {
                "DimensionName": "X-Team",
                "DimensionValueSource": "EMAIL_HEADER",
                "DefaultDimensionValue": "nobody",
            },
        ]
    }
    destinations = {
        "metrics": _destination(
            "CloudWatchDestination", ["SEND", "DELIVERY", "BOUNCE", "COMPLAINT"], **dimensions
        ),
        "archive": _destination(
            "KinesisFirehoseDestination",
            ["SEND", "DELIVERY", "BOUNCE", "COMPLAINT"],
            IamRoleArn="arn:aws:iam::123456789012:role/ses",
            DeliveryStreamArn="arn:aws:firehose:us-east-1:123456789012:deliverystream/flow-stream",
        ),
        "alerts": _destination("SnsDestination", ["BOUNCE", "COMPLAINT"], TopicArn=topic),
        "bus": _destination(
            "EventBridgeDestination",
            ["BOUNCE"],
            EventBusArn="arn:aws:events:us-east-1:123456789012:event-bus/default",
        ),
        "off": _destination("SnsDestination", ["SEND"], enabled=False, TopicArn=topic),
    }
    for name, destination in destinations.items():
        sesv2.create_configuration_set_event_destination(
            ConfigurationSetName="flow", EventDestinationName=name, EventDestination=destination
        )
    sesv2.create_email_identity(EmailIdentity="news@example.com")

    def send(to: str, tags: list[dict[str, str]], headers: list[dict[str, str]] = []) -> str:  # noqa: B006
        simple: dict[str, Any] = {"Subject": {"Data": "Hi"}, "Body": {"Text": {"Data": "Hello"}}}
        if headers:
            simple["Headers"] = headers
        response = sesv2.send_email(
            FromEmailAddress="news@example.com",
            Destination={"ToAddresses": [to]},
            Content={"Simple": simple},
            ConfigurationSetName="flow",
            EmailTags=tags,
        )
        return str(response["MessageId"])

    spring = [{"Name": "campaign", "Value": "spring"}]
    ids = {
        "success": send(
            "success@simulator.amazonses.com", spring, [{"Name": "X-Team", "Value": "growth"}]
        ),
        "bounce": send("bounce@simulator.amazonses.com", spring),
        "complaint": send("complaint@simulator.amazonses.com", spring),
        "ooto": send("ooto@simulator.amazonses.com", []),  # no campaign tag: the default
        "suppressed": send("suppressionlist@simulator.amazonses.com", spring),
    }
    return {"ids": ids, "topic": topic}


def _mine(aws: LocalAws) -> list[dict[str, Any]]:
    return [p for p in published(aws.account, aws.region) if p["configuration_set"] == "flow"]


def test_each_simulator_address_produces_what_ses_documents(
    aws: LocalAws, sent: dict[str, Any]
) -> None:
    by_message: dict[str, list[str]] = {}
    for entry in _mine(aws):
        if entry["kind"] == "firehose":  # the archive takes every type these send
            by_message.setdefault(entry["message_id"], []).append(entry["event_type"])
    ids = sent["ids"]
    assert by_message[ids["success"]] == ["send", "delivery"]
    assert by_message[ids["bounce"]] == ["send", "bounce"]
    assert by_message[ids["complaint"]] == ["send", "delivery", "complaint"]
    assert by_message[ids["ooto"]] == ["send", "delivery"]
    assert by_message[ids["suppressed"]] == ["send", "bounce"]


def test_only_enabled_destinations_with_matching_types_receive(
    aws: LocalAws, sent: dict[str, Any]
) -> None:
    ours = set(sent["ids"].values())  # other tests send through the set too, in any order
    received = Counter(
        (e["destination"], e["event_type"]) for e in _mine(aws) if e["message_id"] in ours
    )
    assert received[("alerts", "bounce")] == 2 and received[("alerts", "complaint")] == 1
    assert ("alerts", "send") not in received and ("alerts", "delivery") not in received
    assert set(k for k in received if k[0] == "bus") == {("bus", "bounce")}
    assert not any(k[0] == "off" for k in received)  # disabled: nothing


def test_metrics_carry_exactly_the_destinations_dimensions(
    aws: LocalAws, sent: dict[str, Any]
) -> None:
    cloudwatch = _client(aws, "cloudwatch")
    metrics = [  # moto's backends are per process: only this set's
        m
        for m in cloudwatch.list_metrics(Namespace="AWS/SES")["Metrics"]
        if {"Name": "ses:configuration-set", "Value": "flow"} in m["Dimensions"]
    ]
    seen = {
        (m["MetricName"], tuple(sorted((d["Name"], d["Value"]) for d in m["Dimensions"])))
        for m in metrics
    }
    assert (
        "Delivery",
        (("X-Team", "growth"), ("campaign", "spring"), ("ses:configuration-set", "flow")),
    ) in seen  # a header value
    assert (
        "Send",
        (("X-Team", "nobody"), ("campaign", "none"), ("ses:configuration-set", "flow")),
    ) in seen  # defaults where the message has no tag or header
    assert {name for name, _ in seen} >= {"Send", "Delivery", "Bounce", "Complaint"}
    assert all(len(dims) == 3 for _, dims in seen)


def test_the_archive_objects_are_partitioned_gzip_json_the_queries_read(
    aws: LocalAws, sent: dict[str, Any], tmp_path: Path
) -> None:
    s3 = _client(aws, "s3")
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="flow-archive")["Contents"]]
    assert keys and all(k.startswith("ses-events/configuration_set=flow/year=") for k in keys)
    first = json.loads(
        gzip.decompress(s3.get_object(Bucket="flow-archive", Key=keys[0])["Body"].read())
    )
    assert first["mail"]["tags"]["ses:configuration-set"] == ["flow"]
    assert set(first["mail"]["tags"]) >= {
        "ses:configuration-set",
        "ses:caller-identity",
        "ses:from-domain",
        "ses:source-ip",
        "ses:outgoing-ip",
    }
    download_archive("s3://flow-archive/ses-events/", tmp_path, client=s3)
    funnel = DuckDBEngine(tmp_path).run("funnel").records()
    by_tag = {row["tag_value"]: row for row in funnel}
    assert by_tag["spring"]["sends"] == 4 and by_tag["spring"]["bounces"] == 2
    assert by_tag["spring"]["complaints"] == 1 and by_tag["(none)"]["deliveries"] == 1
    suppression = DuckDBEngine(tmp_path).run("suppression").records()
    assert {r["email_address"] for r in suppression} == {
        "bounce@simulator.amazonses.com",
        "complaint@simulator.amazonses.com",
        "suppressionlist@simulator.amazonses.com",
    }
    bounces = DuckDBEngine(tmp_path).run("bounces").records()
    assert {r["bounce_sub_type"] for r in bounces} == {"General", "Suppressed"}


def test_a_set_with_sending_disabled_refuses_mail(aws: LocalAws) -> None:
    sesv2 = _client(aws, "sesv2")
    sesv2.create_configuration_set(
        ConfigurationSetName="paused", SendingOptions={"SendingEnabled": False}
    )
    sesv2.create_email_identity(EmailIdentity="paused@example.com")
    with pytest.raises(ClientError) as caught:
        sesv2.send_email(
            FromEmailAddress="paused@example.com",
            Destination={"ToAddresses": ["success@simulator.amazonses.com"]},
            Content={"Simple": {"Subject": {"Data": "x"}, "Body": {"Text": {"Data": "x"}}}},
            ConfigurationSetName="paused",
        )
    assert caught.value.response["Error"]["Code"] == "SendingPausedException"
    assert not [p for p in published(aws.account, aws.region) if p["configuration_set"] == "paused"]


def test_the_main_jobs_check_sees_a_destination_that_received_wrongly() -> None:
    from ses_events.local_aws.exercise import _expected, _report

    destination = {
        "Name": "alerts",
        "Enabled": True,
        "MatchingEventTypes": ["bounce", "complaint"],
        "SnsDestination": {"TopicArn": "arn"},
    }
    assert _expected(["bounce", "complaint"]) == Counter({"bounce": 2, "complaint": 1})
    right = [{"destination": "alerts", "event_type": t} for t in ("bounce", "bounce", "complaint")]
    problems: list[str] = []
    assert _report(destination, right, problems, "s", set()).endswith("— as configured")
    assert problems == []
    wrong = [*right, {"destination": "alerts", "event_type": "send"}]  # a type it does not match
    line = _report(destination, wrong, problems, "s", set())
    assert line.endswith("NOT as configured") and "destination alerts: received" in problems[0]
    # a disabled destination must receive nothing
    problems.clear()
    _report({**destination, "Enabled": False}, right, problems, "s", set())
    assert problems


def _raw(configuration_set: str | None, tags: str | None, to: str) -> bytes:
    lines = ["From: news@example.com", f"To: {to}", "Subject: raw", "MIME-Version: 1.0"]
    if configuration_set:
        lines.append(f"X-SES-CONFIGURATION-SET: {configuration_set}")
    if tags:
        lines.append(f"X-SES-MESSAGE-TAGS: {tags}")
    return ("\r\n".join(lines) + "\r\n\r\nHello\r\n").encode()


def test_ses_v1_and_raw_sends_publish_too(aws: LocalAws, sent: dict[str, Any]) -> None:
    ses, sesv2 = _client(aws, "ses"), _client(aws, "sesv2")
    ses.verify_email_identity(EmailAddress="news@example.com")

    def types_of(message_id: str) -> list[str]:
        return [
            e["event_type"]
            for e in _mine(aws)
            if e["message_id"] == message_id and e["kind"] == "firehose"
        ]

    def campaign_of(message_id: str) -> str:
        (entry,) = [
            e
            for e in _mine(aws)
            if e["message_id"] == message_id
            and e["kind"] == "cloudwatch"
            and e["event_type"] == "send"
        ]
        return next(d["Value"] for d in entry["dimensions"] if d["Name"] == "campaign")

    v1 = ses.send_email(
        Source="news@example.com",
        Destination={"ToAddresses": ["bounce@simulator.amazonses.com"]},
        Message={"Subject": {"Data": "v1"}, "Body": {"Text": {"Data": "x"}}},
        ConfigurationSetName="flow",
        Tags=[{"Name": "campaign", "Value": "v1"}],
    )["MessageId"]
    assert types_of(v1) == ["send", "bounce"] and campaign_of(v1) == "v1"
    # the configuration set and tags as SES headers of a raw message
    raw = ses.send_raw_email(
        RawMessage={
            "Data": _raw("flow", "campaign=raw, team=mail", "success@simulator.amazonses.com")
        }
    )["MessageId"]
    assert types_of(raw) == ["send", "delivery"] and campaign_of(raw) == "raw"
    # the parameters win over the headers
    both = ses.send_raw_email(
        RawMessage={"Data": _raw("flow", "campaign=header", "success@simulator.amazonses.com")},
        Tags=[{"Name": "campaign", "Value": "parameter"}],
    )["MessageId"]
    assert campaign_of(both) == "parameter"
    # SES API v2 with raw content and the header
    v2 = sesv2.send_email(
        FromEmailAddress="news@example.com",
        Destination={"ToAddresses": ["complaint@simulator.amazonses.com"]},
        Content={
            "Raw": {"Data": _raw("flow", "campaign=v2raw", "complaint@simulator.amazonses.com")}
        },
    )["MessageId"]
    assert types_of(v2) == ["send", "delivery", "complaint"] and campaign_of(v2) == "v2raw"
    # a raw message without a set publishes nothing
    before = len(_mine(aws))
    ses.send_raw_email(RawMessage={"Data": _raw(None, None, "success@simulator.amazonses.com")})
    assert len(_mine(aws)) == before


def test_templated_sends_fail_to_render_without_data_and_opens_and_clicks_publish(
    aws: LocalAws,
) -> None:
    from ses_events.local_aws.ses import simulate_engagement

    ses, sesv2 = _client(aws, "ses"), _client(aws, "sesv2")
    sesv2.create_configuration_set(ConfigurationSetName="engage")
    dimensions = {
        "DimensionConfigurations": [
            {
                "DimensionName": "ses:configuration-set",
                "DimensionValueSource": "MESSAGE_TAG",
                "DefaultDimensionValue": "unknown",
            },
            {
                "DimensionName": "section",
                "DimensionValueSource": "LINK_TAG",
                "DefaultDimensionValue": "none",
            },
        ]
    }
    sesv2.create_configuration_set_event_destination(
        ConfigurationSetName="engage",
        EventDestinationName="metrics",
        EventDestination=_destination(
            "CloudWatchDestination", ["SEND", "RENDERING_FAILURE", "OPEN", "CLICK"], **dimensions
        ),
    )
    ses.create_template(
        Template={
            "TemplateName": "welcome",
            "SubjectPart": "Hello {{name}}",
            "TextPart": "Dear {{name}}, your code is {{code}}",
        }
    )
    sesv2.create_email_identity(EmailIdentity="hello@example.com")

    def send(data: dict[str, str]) -> str:
        return str(
            sesv2.send_email(
                FromEmailAddress="hello@example.com",
                Destination={"ToAddresses": ["success@simulator.amazonses.com"]},
                Content={"Template": {"TemplateName": "welcome", "TemplateData": json.dumps(data)}},
                ConfigurationSetName="engage",
            )["MessageId"]
        )

    def entries(message_id: str) -> list[dict[str, Any]]:
        return [p for p in published(aws.account, aws.region) if p["message_id"] == message_id]

    failed = send({"name": "Ana"})  # no code: SES cannot render it
    assert [e["event_type"] for e in entries(failed)] == ["renderingFailure"]
    rendered = send({"name": "Ana", "code": "42"})
    assert [e["event_type"] for e in entries(rendered)] == ["send"]
    # opens and clicks, with the link's tags as the link-tag dimension
    simulate_engagement(aws.account, aws.region, rendered, opens=1, clicks=[{"section": "hero"}])
    events = entries(rendered)
    assert [e["event_type"] for e in events] == ["send", "open", "click"]
    values = {e["event_type"]: {d["Name"]: d["Value"] for d in e["dimensions"]} for e in events}
    assert values["click"]["section"] == "hero" and values["open"]["section"] == "none"
    from ses_events.local_aws.ses import SesError

    with pytest.raises(SesError):
        simulate_engagement(aws.account, aws.region, "no-such-message")


def test_twenty_bounces_in_a_hundred_sends_put_the_bounce_rate_alarm_in_alarm(
    aws: LocalAws,
) -> None:
    from ses_events.local_aws.alarm_evaluation import evaluate_alarms, publish_reputation

    sesv2, cloudwatch = _client(aws, "sesv2"), _client(aws, "cloudwatch")
    sesv2.create_email_identity(EmailIdentity="rate@example.com")
    for name, bounces in (("rate-bad", 20), ("rate-edge", 5), ("rate-good", 4)):
        sesv2.create_configuration_set(ConfigurationSetName=name)
        for number in range(100):
            to = (
                "bounce@simulator.amazonses.com"
                if number < bounces
                else "success@simulator.amazonses.com"
            )
            sesv2.send_email(
                FromEmailAddress="rate@example.com",
                Destination={"ToAddresses": [to]},
                Content={"Simple": {"Subject": {"Data": "x"}, "Body": {"Text": {"Data": "x"}}}},
                ConfigurationSetName=name,
            )
        # the stack's bounce-rate alarm: the set's Reputation.BounceRate, max over 1 h, 1 of 1
        cloudwatch.put_metric_alarm(
            AlarmName=f"{name}-bounce-rate-critical",
            Namespace="AWS/SES",
            MetricName="Reputation.BounceRate",
            Dimensions=[{"Name": "ses:configuration-set", "Value": name}],
            Statistic="Maximum",
            Period=3600,
            EvaluationPeriods=1,
            DatapointsToAlarm=1,
            Threshold=0.05,
            ComparisonOperator="GreaterThanOrEqualToThreshold",
            TreatMissingData="ignore",
        )
    cloudwatch.put_metric_alarm(
        AlarmName="silent",
        Namespace="AWS/SES",
        MetricName="Send",
        Dimensions=[{"Name": "ses:configuration-set", "Value": "nobody"}],
        Statistic="Sum",
        Period=300,
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
        TreatMissingData="missing",
    )
    rates = publish_reputation(aws.account, aws.region, {"rate-bad", "rate-edge", "rate-good"})
    assert (rates["rate-bad"], rates["rate-edge"], rates["rate-good"]) == (0.2, 0.05, 0.04)
    states = {s.name: s.state for s in evaluate_alarms(aws.account, aws.region)}
    assert states["rate-bad-bounce-rate-critical"] == "ALARM"
    assert states["rate-edge-bounce-rate-critical"] == "ALARM"  # exactly at the threshold
    assert states["rate-good-bounce-rate-critical"] == "OK"  # one bounce fewer
    assert states["silent"] == "INSUFFICIENT_DATA"  # no data, missing data treated as missing
    shown = cloudwatch.describe_alarms(AlarmNames=["rate-bad-bounce-rate-critical"])
    assert shown["MetricAlarms"][0]["StateValue"] == "ALARM"


def test_bulk_sends_publish_per_entry(aws: LocalAws) -> None:
    ses, sesv2 = _client(aws, "ses"), _client(aws, "sesv2")
    sesv2.create_configuration_set(ConfigurationSetName="bulk")
    sesv2.create_configuration_set_event_destination(
        ConfigurationSetName="bulk",
        EventDestinationName="metrics",
        EventDestination=_destination(
            "CloudWatchDestination",
            ["SEND", "BOUNCE", "RENDERING_FAILURE"],
            DimensionConfigurations=[
                {
                    "DimensionName": "campaign",
                    "DimensionValueSource": "MESSAGE_TAG",
                    "DefaultDimensionValue": "none",
                }
            ],
        ),
    )
    ses.create_template(
        Template={"TemplateName": "bulk", "SubjectPart": "Hi {{name}}", "TextPart": "x"}
    )
    sesv2.create_email_identity(EmailIdentity="bulk@example.com")
    answer = sesv2.send_bulk_email(
        FromEmailAddress="bulk@example.com",
        DefaultContent={"Template": {"TemplateName": "bulk", "TemplateData": "{}"}},
        DefaultEmailTags=[{"Name": "campaign", "Value": "default"}],
        BulkEmailEntries=[
            {
                "Destination": {"ToAddresses": ["success@simulator.amazonses.com"]},
                "ReplacementEmailContent": {
                    "ReplacementTemplate": {"ReplacementTemplateData": '{"name": "Ana"}'}
                },
                "ReplacementTags": [{"Name": "campaign", "Value": "spring"}],
            },
            {
                "Destination": {"ToAddresses": ["bounce@simulator.amazonses.com"]},
                "ReplacementEmailContent": {
                    "ReplacementTemplate": {"ReplacementTemplateData": '{"name": "Ben"}'}
                },
            },
            {"Destination": {"ToAddresses": ["success@simulator.amazonses.com"]}},  # no name
        ],
        ConfigurationSetName="bulk",
    )
    ids = [r["MessageId"] for r in answer["BulkEmailEntryResults"]]
    assert [r["Status"] for r in answer["BulkEmailEntryResults"]] == ["SUCCESS"] * 3

    def seen(message_id: str) -> list[tuple[str, str]]:
        return [
            (e["event_type"], next(d["Value"] for d in e["dimensions"]))
            for e in published(aws.account, aws.region)
            if e["message_id"] == message_id
        ]

    assert seen(ids[0]) == [("send", "spring")]  # the entry's tag over the default
    assert seen(ids[1]) == [("send", "default"), ("bounce", "default")]
    assert seen(ids[2]) == [("renderingFailure", "default")]


def test_a_parquet_stream_writes_parquet_the_engine_reads(aws: LocalAws, tmp_path: Path) -> None:
    sesv2, s3, firehose = (_client(aws, s) for s in ("sesv2", "s3", "firehose"))
    sesv2.create_configuration_set(ConfigurationSetName="pq")
    s3.create_bucket(Bucket="pq-archive")
    firehose.create_delivery_stream(
        DeliveryStreamName="pq-stream",
        ExtendedS3DestinationConfiguration={
            "BucketARN": "arn:aws:s3:::pq-archive",
            "RoleARN": "arn:aws:iam::123456789012:role/firehose",
            "Prefix": PREFIX,
            "CompressionFormat": "UNCOMPRESSED",
            "DataFormatConversionConfiguration": {
                "Enabled": True,
                "OutputFormatConfiguration": {"Serializer": {"ParquetSerDe": {}}},
            },
        },
    )
    sesv2.create_configuration_set_event_destination(
        ConfigurationSetName="pq",
        EventDestinationName="archive",
        EventDestination=_destination(
            "KinesisFirehoseDestination",
            ["SEND", "DELIVERY"],
            IamRoleArn="arn:aws:iam::123456789012:role/ses",
            DeliveryStreamArn="arn:aws:firehose:us-east-1:123456789012:deliverystream/pq-stream",
        ),
    )
    sesv2.create_email_identity(EmailIdentity="pq@example.com")
    sesv2.send_email(
        FromEmailAddress="pq@example.com",
        Destination={"ToAddresses": ["success@simulator.amazonses.com"]},
        Content={"Simple": {"Subject": {"Data": "x"}, "Body": {"Text": {"Data": "x"}}}},
        ConfigurationSetName="pq",
    )
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="pq-archive")["Contents"]]
    assert len(keys) == 2 and all(k.endswith(".parquet") for k in keys)
    download_archive("s3://pq-archive/ses-events/", tmp_path, client=s3)
    rows = DuckDBEngine(tmp_path, storage_format="parquet").run("message_status").records()
    assert [(r["configuration_set"], r["status"], r["events"]) for r in rows] == [
        ("pq", "Delivery", 2)
    ]
