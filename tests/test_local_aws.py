"""The local AWS: SES as its API reference models it, CloudFormation that fails loudly, and the
real CDK CLI deploying, updating and destroying the app there, checked with boto3."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
import yaml
from botocore.exceptions import ClientError

from ses_events.local_aws import LocalAws, ses
from ses_events.local_aws.deploy import CdkError, check_deployment, deploy, run_cdk
from ses_events.spec import EXAMPLE_SPEC
from tests.conftest import ROOT

pytestmark = pytest.mark.local_aws


@pytest.fixture(scope="module")
def aws() -> Iterator[LocalAws]:
    """This module's local AWS, in a Region no other test module uses (moto keeps its state per
    process and Region, not per server)."""
    with LocalAws(region="us-west-2") as local:
        yield local


def _client(aws: LocalAws, service: str) -> Any:
    return boto3.client(service, **aws.client_arguments())


def _error(caught: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    error = caught.value.response["Error"]
    return error["Code"], error["Message"]


def _cloudwatch(name: str, types: list[str] | None = None) -> dict[str, Any]:
    return {
        "Enabled": True,
        "MatchingEventTypes": types or ["SEND"],
        "CloudWatchDestination": {
            "DimensionConfigurations": [
                {
                    "DimensionName": "ses:configuration-set",
                    "DimensionValueSource": "MESSAGE_TAG",
                    "DefaultDimensionValue": "unknown",
                }
            ]
        },
    }


# -- SES as the API reference models it ----------------------------------------------------------


def test_sesv2_event_destinations_follow_the_ses_rules(aws: LocalAws) -> None:
    sesv2 = _client(aws, "sesv2")
    sesv2.create_configuration_set(ConfigurationSetName="rules")
    for number in range(10):
        sesv2.create_configuration_set_event_destination(
            ConfigurationSetName="rules",
            EventDestinationName=f"d{number}",
            EventDestination=_cloudwatch(f"d{number}"),
        )
    listed = sesv2.get_configuration_set_event_destinations(ConfigurationSetName="rules")
    assert [d["Name"] for d in listed["EventDestinations"]] == [f"d{n}" for n in range(10)]
    with pytest.raises(ClientError) as caught:
        sesv2.create_configuration_set_event_destination(
            ConfigurationSetName="rules",
            EventDestinationName="d10",
            EventDestination=_cloudwatch(""),
        )
    assert _error(caught)[0] == "LimitExceededException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    with pytest.raises(ClientError) as caught:
        sesv2.create_configuration_set_event_destination(
            ConfigurationSetName="rules",
            EventDestinationName="d1",
            EventDestination=_cloudwatch(""),
        )
    assert _error(caught)[0] == "AlreadyExistsException"
    sesv2.delete_configuration_set_event_destination(
        ConfigurationSetName="rules", EventDestinationName="d9"
    )
    for name, definition, code in [
        ("bad name", _cloudwatch(""), "BadRequestException"),
        ("x", {**_cloudwatch(""), "MatchingEventTypes": ["SPAM"]}, "BadRequestException"),
        ("x", {**_cloudwatch(""), "MatchingEventTypes": []}, "BadRequestException"),
        ("x", {"Enabled": True, "MatchingEventTypes": ["SEND"]}, "BadRequestException"),
        (
            "x",
            {
                "MatchingEventTypes": ["SEND"],
                "EventBridgeDestination": {
                    "EventBusArn": "arn:aws:events:us-east-1:123456789012:event-bus/mine"
                },
            },
            "BadRequestException",
        ),
    ]:
        with pytest.raises(ClientError) as caught:
            sesv2.create_configuration_set_event_destination(
                ConfigurationSetName="rules", EventDestinationName=name, EventDestination=definition
            )
        assert _error(caught)[0] == code, (name, definition)
    with pytest.raises(ClientError) as caught:
        sesv2.get_configuration_set_event_destinations(ConfigurationSetName="nope")
    assert _error(caught)[0] == "NotFoundException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    sesv2.update_configuration_set_event_destination(
        ConfigurationSetName="rules",
        EventDestinationName="d0",
        EventDestination=_cloudwatch("d0", ["BOUNCE", "COMPLAINT"]),
    )
    listed = sesv2.get_configuration_set_event_destinations(ConfigurationSetName="rules")
    assert listed["EventDestinations"][0]["MatchingEventTypes"] == ["BOUNCE", "COMPLAINT"]
    sesv2.delete_configuration_set(ConfigurationSetName="rules")
    with pytest.raises(ClientError):
        sesv2.get_configuration_set_event_destinations(ConfigurationSetName="rules")


def test_send_email_needs_a_known_set_and_valid_tags_and_records_them(aws: LocalAws) -> None:
    sesv2 = _client(aws, "sesv2")
    sesv2.create_email_identity(EmailIdentity="news@example.com")
    sesv2.create_configuration_set(ConfigurationSetName="sending")
    message = {
        "FromEmailAddress": "news@example.com",
        "Destination": {"ToAddresses": ["success@simulator.amazonses.com"]},
        "Content": {"Simple": {"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}}},
    }
    with pytest.raises(ClientError) as caught:
        sesv2.send_email(**message, ConfigurationSetName="unknown")
    assert _error(caught)[0] == "NotFoundException"
    with pytest.raises(ClientError) as caught:
        sesv2.send_email(
            **message,
            ConfigurationSetName="sending",
            EmailTags=[{"Name": "campaign", "Value": "spring sale"}],
        )
    assert _error(caught)[0] == "BadRequestException"
    sent = sesv2.send_email(
        **message,
        ConfigurationSetName="sending",
        EmailTags=[{"Name": "campaign", "Value": "spring-sale"}],
    )
    (recorded,) = [
        m for m in ses.sent_messages(aws.account, aws.region) if m["MessageId"] == sent["MessageId"]
    ]
    assert recorded["ConfigurationSetName"] == "sending"
    assert recorded["EmailTags"] == [{"Name": "campaign", "Value": "spring-sale"}]
    sesv2.delete_configuration_set(ConfigurationSetName="sending")


# -- CloudFormation that fails loudly --------------------------------------------------------------


def test_a_resource_type_the_local_aws_lacks_fails_the_stack_and_rolls_back(aws: LocalAws) -> None:
    cloudformation = _client(aws, "cloudformation")
    template = {
        "Resources": {
            "Set": {"Type": "AWS::SES::ConfigurationSet", "Properties": {"Name": "doomed"}},
            "Pipe": {
                "Type": "AWS::Pipes::Pipe",
                "DependsOn": "Set",
                "Properties": {"RoleArn": "arn:aws:iam::123456789012:role/x", "Source": "s"},
            },
        }
    }
    cloudformation.create_stack(StackName="Unsupported", TemplateBody=json.dumps(template))
    stack = cloudformation.describe_stacks(StackName="Unsupported")["Stacks"][0]
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE"
    events = cloudformation.describe_stack_events(StackName="Unsupported")["StackEvents"]
    (failed,) = [e for e in events if e["ResourceStatus"] == "CREATE_FAILED"]
    assert failed["LogicalResourceId"] == "Pipe"
    assert "AWS::Pipes::Pipe is not supported by the local AWS" in failed["ResourceStatusReason"]
    # the configuration set created before the failure was rolled back
    assert "doomed" not in _client(aws, "sesv2").list_configuration_sets()["ConfigurationSets"]


def test_describing_an_unknown_change_set_is_change_set_not_found(aws: LocalAws) -> None:
    cloudformation = _client(aws, "cloudformation")
    with pytest.raises(cloudformation.exceptions.ChangeSetNotFoundException):
        cloudformation.describe_change_set(ChangeSetName="nope", StackName="nope")
    # deleting one that is not there succeeds, as the CDK CLI's clean-up expects
    cloudformation.delete_change_set(ChangeSetName="nope", StackName="nope")


# -- the real CDK CLI -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def deployed(aws: LocalAws, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The example app deployed with `cdk deploy`, once for the tests that only read it (in any
    order, beside tests that add resources of their own to the same local AWS)."""
    outdir = tmp_path_factory.mktemp("cdk.out")
    result = deploy(aws, cwd=ROOT, output=outdir)
    return {"outdir": outdir, "output": result.stdout + result.stderr}


# moto keeps its state per process, account and Region, not per server: a deployment a test
# changes lives in a Region of its own, so that nothing else sees what it does.
_OWN_REGIONS = iter(["eu-west-1", "eu-west-2", "eu-central-1", "ap-southeast-2", "ca-central-1"])


@pytest.fixture
def own_deployment(tmp_path: Path) -> Iterator[tuple[LocalAws, dict[str, Any]]]:
    """The example app deployed to a local AWS of its own (its own Region), for a test that
    changes it."""
    with LocalAws(region=next(_OWN_REGIONS)) as local:
        outdir = tmp_path / "cdk.out"
        deploy(local, cwd=ROOT, output=outdir)
        yield local, {"outdir": outdir}


def _stack_sets(aws: LocalAws, stack: str = "SesEvents") -> set[str]:
    """The configuration sets the stack created (their physical ids)."""
    resources = _client(aws, "cloudformation").list_stack_resources(StackName=stack)
    return {
        r["PhysicalResourceId"]
        for r in resources["StackResourceSummaries"]
        if r["ResourceType"] == "AWS::SES::ConfigurationSet"
    }


def test_deploy_creates_what_the_templates_say(aws: LocalAws, deployed: dict[str, Any]) -> None:
    assert check_deployment(aws, deployed["outdir"]) == []
    sesv2 = _client(aws, "sesv2")
    # only what this deployment made: other tests add sets of their own to this local AWS
    assert _stack_sets(aws) == {"marketing", "transactional"}
    assert {"marketing", "transactional"} <= set(
        sesv2.list_configuration_sets()["ConfigurationSets"]
    )
    marketing = sesv2.get_configuration_set(ConfigurationSetName="marketing")
    assert marketing["DeliveryOptions"] == {"TlsPolicy": "REQUIRE", "MaxDeliverySeconds": 14400}
    assert marketing["SuppressionOptions"]["SuppressedReasons"] == ["BOUNCE", "COMPLAINT"]
    assert marketing["ReputationOptions"]["ReputationMetricsEnabled"] is True
    assert marketing["SendingOptions"]["SendingEnabled"] is True
    destinations = {
        d["Name"]: d
        for d in sesv2.get_configuration_set_event_destinations(ConfigurationSetName="marketing")[
            "EventDestinations"
        ]
    }
    assert sorted(destinations) == ["archive", "bus", "deliverability", "metrics", "tenant-metrics"]
    tenant = destinations["tenant-metrics"]["CloudWatchDestination"]["DimensionConfigurations"]
    assert [(d["DimensionName"], d["DimensionValueSource"]) for d in tenant] == [
        ("tenant", "MESSAGE_TAG")
    ]
    metrics = destinations["metrics"]["CloudWatchDestination"]["DimensionConfigurations"]
    assert [(d["DimensionName"], d["DimensionValueSource"]) for d in metrics] == [
        ("ses:configuration-set", "MESSAGE_TAG"),
        ("campaign", "MESSAGE_TAG"),
        ("ses:from-domain", "MESSAGE_TAG"),
        ("link-section", "LINK_TAG"),
    ]
    assert destinations["deliverability"]["MatchingEventTypes"] == ["BOUNCE", "COMPLAINT"]
    assert destinations["bus"]["EventBridgeDestination"]["EventBusArn"].endswith("/default")
    assert len(destinations["archive"]["MatchingEventTypes"]) == 10

    # the archive: stream -> encrypted, private, TLS-only bucket; SES role with its conditions
    firehose, s3, iam = (_client(aws, s) for s in ("firehose", "s3", "iam"))
    (stream_name,) = firehose.list_delivery_streams()["DeliveryStreamNames"]
    stream = firehose.describe_delivery_stream(DeliveryStreamName=stream_name)
    s3_destination = stream["DeliveryStreamDescription"]["Destinations"][0][
        "ExtendedS3DestinationDescription"
    ]
    bucket = s3_destination["BucketARN"].rsplit(":", 1)[-1]
    assert s3_destination["Prefix"].startswith("ses-events/configuration_set=")
    assert s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0][
        "ApplyServerSideEncryptionByDefault"
    ] == {"SSEAlgorithm": "AES256"}
    assert all(s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"].values())
    policy = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
    denies = [s["Condition"] for s in policy["Statement"] if s["Effect"] == "Deny"]
    assert {"Bool": {"aws:SecureTransport": "false"}} in denies
    assert {"NumericLessThan": {"s3:TlsVersion": 1.2}} in denies
    role_arn = destinations["archive"]["KinesisFirehoseDestination"]["IamRoleArn"]
    trust = iam.get_role(RoleName=role_arn.rsplit("/", 1)[-1])["Role"]["AssumeRolePolicyDocument"]
    (statement,) = trust["Statement"]
    assert statement["Principal"] == {"Service": "ses.amazonaws.com"}
    assert statement["Condition"]["StringEquals"]["aws:SourceAccount"] == aws.account
    assert sorted(statement["Condition"]["ArnLike"]["aws:SourceArn"]) == [
        f"arn:aws:ses:{aws.region}:{aws.account}:configuration-set/marketing",
        f"arn:aws:ses:{aws.region}:{aws.account}:configuration-set/transactional",
    ]

    # topics: SES may publish to the event topic, this account's alarms to the alarm topic, and
    # EventBridge (SES's sending-status events, one named rule) to the alarm topic
    sns = _client(aws, "sns")
    principals = set()
    for topic in sns.list_topics()["Topics"]:
        attributes = sns.get_topic_attributes(TopicArn=topic["TopicArn"])["Attributes"]
        assert "KmsMasterKeyId" in attributes
        for statement in json.loads(attributes["Policy"])["Statement"]:
            if statement["Effect"] == "Allow":
                principals.add(statement["Principal"]["Service"])
    assert principals == {"ses.amazonaws.com", "cloudwatch.amazonaws.com", "events.amazonaws.com"}

    # dashboards and alarms
    cloudwatch = _client(aws, "cloudwatch")
    dashboards = [d["DashboardName"] for d in cloudwatch.list_dashboards()["DashboardEntries"]]
    assert sorted(dashboards) == ["ses-events", "ses-events-tenant-health", "ses-events-tenants"]
    alarms = cloudwatch.describe_alarms(MaxRecords=100)
    names = {a["AlarmName"] for a in alarms["MetricAlarms"]}
    # 20 of the sets, account and archive; 4 per tenant (2 tenants) and the 2 tenant fleet alarms
    assert len(names) == 20 + 2 * 4 + 2 and "ses-events-marketing-bounce-rate-critical" in names
    assert "ses-events-tenant-acme-bounce-rate-critical" in names
    assert {a["AlarmName"] for a in alarms["CompositeAlarms"]} == {
        "ses-events-marketing-health",
        "ses-events-transactional-health",
    }


def test_the_query_layer_is_deployed_and_checked(aws: LocalAws, deployed: dict[str, Any]) -> None:
    from ses_events.analytics.queries import QUERIES
    from ses_events.analytics.schema import glue_columns
    from ses_events.local_aws.deploy import _check_analytics, _templates

    glue, athena = _client(aws, "glue"), _client(aws, "athena")
    table = glue.get_table(DatabaseName="sesevents", Name="events")["Table"]
    assert [(c["Name"], c["Type"]) for c in table["StorageDescriptor"]["Columns"]] == glue_columns()
    assert table["Parameters"]["projection.configuration_set.values"] == "marketing,transactional"
    group = athena.get_work_group(WorkGroup="ses-events")["WorkGroup"]
    assert group["Configuration"]["EnforceWorkGroupConfiguration"] is True
    ids = athena.list_named_queries(WorkGroup="ses-events")["NamedQueryIds"]
    names = {athena.get_named_query(NamedQueryId=i)["NamedQuery"]["Name"] for i in ids}
    # the named queries, and the funnel by the tenant tag (a dimension of the tenant metrics)
    assert names == {f"events-{name}" for name in QUERIES} | {"events-funnel-by-tenant"}
    # the check compares them with the template, and would see a difference
    (template,) = [t for t in _templates(deployed["outdir"]).values() if "Resources" in t][:1]
    wrong = json.loads(json.dumps(template))
    for resource in wrong["Resources"].values():
        if resource["Type"] == "AWS::Glue::Table":
            resource["Properties"]["TableInput"]["Parameters"]["projection.year.range"] = "1,2"
        if resource["Type"] == "AWS::Athena::NamedQuery":
            resource["Properties"]["Name"] += "-renamed"
    found = _check_analytics(glue, athena, wrong)
    assert "glue table sesevents.events: parameter projection.year.range is not '1,2'" in found
    assert "athena named query events-funnel-renamed: missing" in found


def test_redeploying_without_a_change_does_nothing(aws: LocalAws, deployed: dict[str, Any]) -> None:
    cloudformation = _client(aws, "cloudformation")
    before = cloudformation.describe_stack_events(StackName="SesEvents")["StackEvents"]
    result = deploy(aws, cwd=ROOT, output=deployed["outdir"])
    after = cloudformation.describe_stack_events(StackName="SesEvents")["StackEvents"]
    assert len(after) == len(before)
    assert "(no changes)" in result.stdout + result.stderr


def test_update_changes_event_types_and_adds_a_configuration_set(
    own_deployment: tuple[LocalAws, dict[str, Any]], tmp_path: Path
) -> None:
    aws, deployed = own_deployment
    spec = yaml.safe_load(EXAMPLE_SPEC.read_text())
    spec["configuration_sets"][0]["destinations"][2]["event_types"] = [
        "bounce",
        "complaint",
        "reject",
    ]
    spec["configuration_sets"].append(
        {"name": "receipts", "destinations": [{"name": "metrics", "type": "cloudwatch"}]}
    )
    path = tmp_path / "updated.yaml"
    path.write_text(yaml.safe_dump(spec))
    deploy(aws, cwd=ROOT, output=deployed["outdir"], context={"ses-events:spec": str(path)})
    assert check_deployment(aws, deployed["outdir"]) == []
    sesv2 = _client(aws, "sesv2")
    assert "receipts" in sesv2.list_configuration_sets()["ConfigurationSets"]
    (deliverability,) = [
        d
        for d in sesv2.get_configuration_set_event_destinations(ConfigurationSetName="marketing")[
            "EventDestinations"
        ]
        if d["Name"] == "deliverability"
    ]
    assert sorted(deliverability["MatchingEventTypes"]) == ["BOUNCE", "COMPLAINT", "REJECT"]
    stack = _client(aws, "cloudformation").describe_stacks(StackName="SesEvents")["Stacks"][0]
    assert stack["StackStatus"] == "UPDATE_COMPLETE"


def test_send_through_a_deployed_configuration_set(aws: LocalAws, deployed: dict[str, Any]) -> None:
    sesv2 = _client(aws, "sesv2")
    if "news@example.com" not in [
        i["IdentityName"] for i in sesv2.list_email_identities()["EmailIdentities"]
    ]:
        sesv2.create_email_identity(EmailIdentity="news@example.com")
    sent = sesv2.send_email(
        FromEmailAddress="news@example.com",
        Destination={"ToAddresses": ["bounce@simulator.amazonses.com"]},
        Content={"Simple": {"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}}},
        ConfigurationSetName="marketing",
        EmailTags=[{"Name": "campaign", "Value": "spring-sale"}],
    )
    recorded = {m["MessageId"]: m for m in ses.sent_messages(aws.account, aws.region)}
    assert recorded[sent["MessageId"]]["ConfigurationSetName"] == "marketing"
    # and the command senders use after a deploy
    result = subprocess.run(
        [sys.executable, "-m", "ses_events", "send-test", "--configuration-set", "marketing",
         "--from", "news@example.com", "--tag", "campaign=spring-sale",
         "--endpoint-url", aws.endpoint_url, "--region", aws.region],
        env=aws.environment(),
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].startswith("5 of 5 sent.")


def test_destroy_removes_the_sets_and_keeps_the_event_bucket(
    own_deployment: tuple[LocalAws, dict[str, Any]],
) -> None:
    aws, deployed = own_deployment
    s3 = _client(aws, "s3")
    buckets_before = {b["Name"] for b in s3.list_buckets()["Buckets"]}
    run_cdk(aws, ["destroy", "--all", "--force", "--output", str(deployed["outdir"])], cwd=ROOT)
    assert _client(aws, "sesv2").list_configuration_sets()["ConfigurationSets"] == []
    archive_buckets = {b for b in buckets_before if b.startswith("sesevents-archive")}
    assert archive_buckets, buckets_before
    assert archive_buckets <= {b["Name"] for b in s3.list_buckets()["Buckets"]}
    assert _client(aws, "firehose").list_delivery_streams()["DeliveryStreamNames"] == []


def test_eleven_destinations_fail_the_deploy_with_the_ses_error(
    aws: LocalAws, tmp_path: Path
) -> None:
    app = f"{sys.executable} {ROOT / 'tests' / 'apps' / 'eleven_destinations.py'}"
    with pytest.raises(CdkError) as caught:
        deploy(aws, cwd=ROOT, app=app, output=tmp_path / "cdk.out")
    assert "LimitExceededException" in caught.value.output
    assert "Destination11" in caught.value.output
    stack = _client(aws, "cloudformation").describe_stacks(StackName="ElevenDestinations")[
        "Stacks"
    ][0]
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE"
    assert "crowded" not in _client(aws, "sesv2").list_configuration_sets()["ConfigurationSets"]


def test_the_main_job_deploys_checks_and_summarizes(tmp_path: Path) -> None:
    """`ses-events local-deploy`, as the README's first command runs it, on its own local AWS."""
    result = subprocess.run(
        [sys.executable, "-m", "ses_events", "local-deploy"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "configuration set marketing: TLS REQUIRE, reputation metrics on" in out
    assert "- deliverability (sns): bounce, complaint" in out
    assert "dashboard ses-events" in out
    assert "Checked with boto3: every resource matches its template." in out
    # events flow: each destination received what its configuration says, defaults shown
    assert "Sent test mail through each configuration set" in out
    assert "- deliverability (sns): bounce 2, complaint 1 — as configured" in out
    assert "- bus (eventbridge): bounce 2, complaint 1 — as configured" in out
    assert "campaign=local-test" in out and "X-Message-Kind=other" in out  # a tag; a default
    assert "NOT as configured" not in out
    assert "Funnel over the archive" in out and "local-test  " in out
    # 2 bounces in 5 test messages: the bounce-rate alarms go to ALARM; expressions not evaluated
    assert "bounce rate of the test mail: account 40%" in out
    assert "- ses-events-marketing-bounce-rate-critical: ALARM" in out
    assert "not evaluated" in out
    # the breaker: globex's bouncing mail pauses globex, not acme; reinstated, it sends again
    assert "tenant acme sends good mail, tenant globex (guarded) bouncing mail" in out
    assert "1. sent: acme 100 delivered; globex 50 of 100 bounced" in out
    assert "2. ses-events-tenant-globex-bounce-rate-critical: ALARM" in out
    assert "2. ses-events-tenant-acme-bounce-rate-critical: OK" in out
    assert "3. the breaker ran 1 time(s) for globex (SUCCEEDED); globex's customer-managed" in out
    assert "the alarm topic was told: ses-events breaker paused tenant globex: its alarm" in out
    assert "4. next message: globex refused, SendingPausedException; acme sent" in out
    assert "5. ses-events tenant reinstate globex --yes: REINSTATED; its next message sent" in out
    assert "did not go as it should" not in out
    assert out.rstrip().endswith("Stopped the local AWS.")


def test_outputs_are_there_after_a_change_set(aws: LocalAws) -> None:
    cloudformation = _client(aws, "cloudformation")
    template = {
        "Resources": {"Set": {"Type": "AWS::SES::ConfigurationSet", "Properties": {"Name": "out"}}},
        "Outputs": {"SetName": {"Value": {"Ref": "Set"}}},
    }
    cloudformation.create_change_set(
        StackName="WithOutputs",
        ChangeSetName="first",
        ChangeSetType="CREATE",
        TemplateBody=json.dumps(template),
    )
    cloudformation.execute_change_set(ChangeSetName="first", StackName="WithOutputs")
    stack = cloudformation.describe_stacks(StackName="WithOutputs")["Stacks"][0]
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    assert stack["Outputs"] == [{"OutputKey": "SetName", "OutputValue": "out"}]
    cloudformation.delete_stack(StackName="WithOutputs")
    assert "out" not in _client(aws, "sesv2").list_configuration_sets()["ConfigurationSets"]


def test_product_code_never_imports_the_local_aws() -> None:
    import ast

    for path in (ROOT / "ses_events").rglob("*.py"):
        if "local_aws" in path.parts or path.relative_to(ROOT).as_posix() == (
            "ses_events/cli/local_deploy.py"
        ):
            continue  # the local AWS itself, and the command that starts it on request
        tree = ast.parse(path.read_text())
        imported = [
            node.module if isinstance(node, ast.ImportFrom) else alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in (node.names if isinstance(node, ast.Import) else [node])  # type: ignore[list-item]
        ]
        assert not any("local_aws" in str(name) or "moto" in str(name) for name in imported), path


def test_the_local_aws_leaves_nothing_listening() -> None:
    import socket

    aws = LocalAws().start()
    with socket.create_connection(("127.0.0.1", aws.port), timeout=2):
        pass
    aws.stop()
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", aws.port), timeout=2):
        pass


def test_direct_updates_apply_and_a_failing_one_rolls_back(aws: LocalAws) -> None:
    """UpdateStack (`cdk deploy --method=direct`) goes through the same handling as change sets."""
    cloudformation, sesv2 = _client(aws, "cloudformation"), _client(aws, "sesv2")

    def template(destinations: int) -> str:
        resources: dict[str, Any] = {
            "Set": {"Type": "AWS::SES::ConfigurationSet", "Properties": {"Name": "direct"}}
        }
        for number in range(destinations):
            resources[f"D{number}"] = {
                "Type": "AWS::SES::ConfigurationSetEventDestination",
                "Properties": {
                    "ConfigurationSetName": {"Ref": "Set"},
                    "EventDestination": {
                        "Name": f"d{number}",
                        "Enabled": True,
                        "MatchingEventTypes": ["send"],
                        "SnsDestination": {"TopicARN": "arn:aws:sns:us-east-1:123456789012:t"},
                    },
                },
            }
        return json.dumps({"Resources": resources})

    def names() -> list[str]:
        found = sesv2.get_configuration_set_event_destinations(ConfigurationSetName="direct")
        return sorted(d["Name"] for d in found["EventDestinations"])

    cloudformation.create_stack(StackName="Direct", TemplateBody=template(1))
    cloudformation.update_stack(StackName="Direct", TemplateBody=template(10))
    stack = cloudformation.describe_stacks(StackName="Direct")["Stacks"][0]
    assert stack["StackStatus"] == "UPDATE_COMPLETE"
    assert len(names()) == 10
    cloudformation.update_stack(StackName="Direct", TemplateBody=template(11))
    stack = cloudformation.describe_stacks(StackName="Direct")["Stacks"][0]
    assert stack["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
    events = cloudformation.describe_stack_events(StackName="Direct")["StackEvents"]
    (failed,) = [e for e in events if e["ResourceStatus"] == "UPDATE_FAILED"]
    assert "LimitExceededException" in failed["ResourceStatusReason"]
    assert names() == sorted(f"d{n}" for n in range(10))  # as before the failed update
    cloudformation.delete_stack(StackName="Direct")
    assert "direct" not in sesv2.list_configuration_sets()["ConfigurationSets"]


_FIREHOSE_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "firehose.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}
_S3_READ = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}],
}
"""A role's trust policy and a policy document, for the IAM resources of the clean-up tests."""


def _sets_template(*names: str) -> str:
    return json.dumps(
        {
            "Resources": {
                f"Set{name.replace('-', '')}": {
                    "Type": "AWS::SES::ConfigurationSet",
                    "Properties": {"Name": name},
                }
                for name in names
            }
        }
    )


def test_an_update_creates_first_and_deletes_only_after_success(aws: LocalAws) -> None:
    """Deploy sets x, y; create z outside the stack; update to x, z: the update fails (z exists)
    and rolls back, and y is still there, since CloudFormation deletes removed resources only in
    the clean-up phase after success."""
    cloudformation, sesv2 = _client(aws, "cloudformation"), _client(aws, "sesv2")
    cloudformation.create_stack(StackName="Order", TemplateBody=_sets_template("ox", "oy"))
    sesv2.create_configuration_set(ConfigurationSetName="oz")  # outside the stack
    cloudformation.update_stack(StackName="Order", TemplateBody=_sets_template("ox", "oz"))
    stack = cloudformation.describe_stacks(StackName="Order")["Stacks"][0]
    assert stack["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
    names = set(sesv2.list_configuration_sets()["ConfigurationSets"])
    assert {"ox", "oy", "oz"} <= names  # y survived the failed update
    # a successful update removes y, after creating w
    cloudformation.update_stack(StackName="Order", TemplateBody=_sets_template("ox", "ow"))
    names = set(sesv2.list_configuration_sets()["ConfigurationSets"])
    assert "ow" in names and "oy" not in names
    # and y comes back for real when it is added again (no stale cache)
    cloudformation.update_stack(StackName="Order", TemplateBody=_sets_template("ox", "ow", "oy"))
    assert "oy" in sesv2.list_configuration_sets()["ConfigurationSets"]
    assert cloudformation.describe_stacks(StackName="Order")["Stacks"][0]["StackStatus"] == (
        "UPDATE_COMPLETE"
    )
    cloudformation.delete_stack(StackName="Order")
    sesv2.delete_configuration_set(ConfigurationSetName="oz")


def test_a_taken_port_fails_fast_with_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket
    import time

    from ses_events.local_aws import deploy as local_deploy

    monkeypatch.chdir(tmp_path)
    (tmp_path / "cdk.json").write_text("{}")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = time.monotonic()
        assert local_deploy.main(port=port) == 1
        assert time.monotonic() - started < 10
    assert f"port {port} on 127.0.0.1 is in use" in capsys.readouterr().err


def test_ctrl_c_stops_cleanly_and_leaves_no_stale_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import os
    import socket

    from ses_events.local_aws import deploy as local_deploy

    monkeypatch.chdir(tmp_path)
    (tmp_path / "cdk.json").write_text("{}")
    (tmp_path / "cdk.out").mkdir()
    stale = tmp_path / "cdk.out" / "read.99999999.1.lock"  # a CLI that no longer runs
    live = tmp_path / "cdk.out" / f"read.{os.getpid()}.1.lock"
    stale.write_text("")
    live.write_text("")

    def interrupted(*_: Any, **__: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(local_deploy, "deploy", interrupted)
    started: list[int] = []
    real_start = LocalAws.start

    def start(self: LocalAws) -> LocalAws:
        started.append(self.port)
        return real_start(self)

    monkeypatch.setattr(LocalAws, "start", start)
    assert local_deploy.main() == 130
    err = capsys.readouterr().err
    assert "interrupted; stopped the local AWS" in err and "Traceback" not in err
    assert not stale.exists() and live.exists()
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", started[0]), timeout=2):
        pass  # nothing left listening


def test_listings_follow_every_page() -> None:
    from ses_events.local_aws.deploy import _configuration_sets, _delivery_streams

    class Pages:
        def list_configuration_sets(self, NextToken: str | None = None) -> dict[str, Any]:
            start = int(NextToken or 0)
            page = {"ConfigurationSets": [f"s{n}" for n in range(start, min(start + 100, 250))]}
            if start + 100 < 250:
                page["NextToken"] = str(start + 100)
            return page

        def list_delivery_streams(
            self,
            ExclusiveStartDeliveryStreamName: str | None = None,
        ) -> dict[str, Any]:
            start = (
                0
                if ExclusiveStartDeliveryStreamName is None
                else int(ExclusiveStartDeliveryStreamName[1:]) + 1
            )
            names = [f"d{n}" for n in range(start, min(start + 10, 25))]
            return {"DeliveryStreamNames": names, "HasMoreDeliveryStreams": start + 10 < 25}

    assert _configuration_sets(Pages()) == [f"s{n}" for n in range(250)]
    assert _delivery_streams(Pages()) == [f"d{n}" for n in range(25)]


# -- found by mutation testing (scripts/mutation.sh local-rollback) ------------------------------


def test_references_are_refs_and_getatts_anywhere_in_a_resource() -> None:
    from ses_events.local_aws.cloudformation import _references

    body = {
        "Type": "AWS::SNS::Subscription",
        "Properties": {
            "TopicArn": {"Ref": "Topic"},
            "Endpoint": {"Fn::GetAtt": ["Queue", "Arn"]},
            "Region": "Topic",  # a plain string that happens to be a logical id: no reference
            "Filter": [{"Fn::GetAtt": "Stream.Arn"}, {"Fn::Join": ["", [{"Ref": "Bus"}]]}],
            "Other": {"Ref": {"not": "a name"}},
        },
    }
    assert _references(body) == {"Topic", "Queue", "Stream", "Bus"}
    assert _references([{"Ref": "A"}, {"Ref": "B"}]) == {"A", "B"}
    assert _references({"Name": "A"}) == set()


def test_a_physical_id_of_a_resource_that_is_not_there_or_has_none() -> None:
    from types import SimpleNamespace

    from ses_events.local_aws.cloudformation import _physical_id

    resource_map = SimpleNamespace(
        _parsed_resources={
            "Made": SimpleNamespace(physical_resource_id="made-1"),
            "Bare": object(),  # a model without a physical id
        }
    )
    assert _physical_id(resource_map, "Made") == "made-1"
    assert _physical_id(resource_map, "Bare") is None
    assert _physical_id(resource_map, "Missing") is None


def test_an_update_that_changes_only_a_parameter_adds_what_its_condition_now_allows(
    aws: LocalAws,
) -> None:
    """The update's diff is taken with the new parameters: a resource whose condition the new
    value turns on is created, and turned off again it is deleted; one whose name is a parameter
    is replaced when only the parameter changes."""
    cloudformation, sesv2 = _client(aws, "cloudformation"), _client(aws, "sesv2")
    template = json.dumps(
        {
            "Parameters": {
                "Extra": {"Type": "String", "Default": "no"},
                "SetName": {"Type": "String", "Default": "cond-named-1"},
            },
            "Conditions": {"WithExtra": {"Fn::Equals": [{"Ref": "Extra"}, "yes"]}},
            "Resources": {
                "Base": {"Type": "AWS::SES::ConfigurationSet", "Properties": {"Name": "cond-base"}},
                "Named": {
                    "Type": "AWS::SES::ConfigurationSet",
                    "Properties": {"Name": {"Ref": "SetName"}},
                },
                "More": {
                    "Type": "AWS::SES::ConfigurationSet",
                    "Condition": "WithExtra",
                    "Properties": {"Name": "cond-more"},
                },
            },
        }
    )

    def names() -> set[str]:
        return set(sesv2.list_configuration_sets()["ConfigurationSets"])

    cloudformation.create_stack(StackName="Conditional", TemplateBody=template)
    assert {"cond-base", "cond-named-1"} <= names() and "cond-more" not in names()
    cloudformation.update_stack(
        StackName="Conditional",
        TemplateBody=template,
        Parameters=[{"ParameterKey": "Extra", "ParameterValue": "yes"}],
    )
    stack = cloudformation.describe_stacks(StackName="Conditional")["Stacks"][0]
    assert stack["StackStatus"] == "UPDATE_COMPLETE"
    assert {"cond-base", "cond-more", "cond-named-1"} <= names()
    cloudformation.update_stack(
        StackName="Conditional",
        TemplateBody=template,
        Parameters=[
            {"ParameterKey": "Extra", "ParameterValue": "no"},
            {"ParameterKey": "SetName", "ParameterValue": "cond-named-2"},
        ],
    )
    assert "cond-more" not in names()
    assert "cond-named-2" in names() and "cond-named-1" not in names()
    cloudformation.delete_stack(StackName="Conditional")
    assert not {"cond-base", "cond-named-2"} & names()


def test_a_stack_that_failed_has_the_outputs_of_what_it_rolled_back_to(aws: LocalAws) -> None:
    """A create rolled back leaves no outputs (DescribeStacks answered 500: reading them tried
    to create the resources again); an update rolled back shows the previous ones."""
    cloudformation = _client(aws, "cloudformation")

    def template(name: str) -> str:
        return json.dumps(
            {
                "Resources": {
                    "Set": {"Type": "AWS::SES::ConfigurationSet", "Properties": {"Name": name}}
                },
                "Outputs": {"SetName": {"Value": {"Ref": "Set"}}},
            }
        )

    cloudformation.create_stack(StackName="FailedOutputs", TemplateBody=template("bad name"))
    stack = cloudformation.describe_stacks(StackName="FailedOutputs")["Stacks"][0]
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE"
    assert "Outputs" not in stack
    cloudformation.delete_stack(StackName="FailedOutputs")
    cloudformation.create_stack(StackName="KeptOutputs", TemplateBody=template("kept-outputs"))
    cloudformation.update_stack(StackName="KeptOutputs", TemplateBody=template("bad name"))
    stack = cloudformation.describe_stacks(StackName="KeptOutputs")["Stacks"][0]
    assert stack["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
    assert stack["Outputs"] == [{"OutputKey": "SetName", "OutputValue": "kept-outputs"}]
    cloudformation.delete_stack(StackName="KeptOutputs")


def _sns_destination(enabled: bool) -> dict[str, Any]:
    return {
        "Type": "AWS::SES::ConfigurationSetEventDestination",
        "Properties": {
            "ConfigurationSetName": {"Ref": "Set"},
            "EventDestination": {
                "Name": "alerts",
                "Enabled": enabled,
                "MatchingEventTypes": ["send"],
                "SnsDestination": {"TopicARN": "arn:aws:sns:us-west-2:123456789012:t"},
            },
        },
    }


def test_an_update_changes_a_resource_after_what_it_refers_to(aws: LocalAws) -> None:
    """The destination comes first in the template, its set (renamed: replaced) second: the
    update goes in dependency order, so the destination lands on the new set, not on the old one
    that the replacement deletes."""
    cloudformation, sesv2 = _client(aws, "cloudformation"), _client(aws, "sesv2")

    def template(set_name: str, enabled: bool) -> str:
        return json.dumps(
            {
                "Resources": {
                    "Destination": _sns_destination(enabled),
                    "Set": {"Type": "AWS::SES::ConfigurationSet", "Properties": {"Name": set_name}},
                }
            }
        )

    cloudformation.create_stack(StackName="Ordered", TemplateBody=template("ordered-a", True))
    cloudformation.update_stack(StackName="Ordered", TemplateBody=template("ordered-b", False))
    stack = cloudformation.describe_stacks(StackName="Ordered")["Stacks"][0]
    assert stack["StackStatus"] == "UPDATE_COMPLETE"
    names = sesv2.list_configuration_sets()["ConfigurationSets"]
    assert "ordered-b" in names and "ordered-a" not in names
    (destination,) = sesv2.get_configuration_set_event_destinations(
        ConfigurationSetName="ordered-b"
    )["EventDestinations"]
    assert (destination["Name"], destination["Enabled"]) == ("alerts", False)
    cloudformation.delete_stack(StackName="Ordered")


def test_removed_resources_go_and_one_that_cannot_is_left_without_failing_the_update(
    aws: LocalAws,
) -> None:
    """A role with an inline policy, both removed: both go. A role with a managed policy that
    stays attached (moto does not detach it): the role cannot be deleted (IAM's DeleteConflict),
    is left and reported DELETE_FAILED, and the update still completes, as CloudFormation's
    clean-up phase does (it answered UpdateStack with the IAM error instead)."""
    cloudformation, iam = _client(aws, "cloudformation"), _client(aws, "iam")
    trust, document = _FIREHOSE_TRUST, _S3_READ
    keep = {"Keep": {"Type": "AWS::SES::ConfigurationSet", "Properties": {"Name": "cleanup-keep"}}}

    def role(name: str) -> dict[str, Any]:
        return {
            "Type": "AWS::IAM::Role",
            "Properties": {"RoleName": name, "AssumeRolePolicyDocument": trust},
        }

    def roles() -> list[str]:
        return [r["RoleName"] for r in iam.list_roles()["Roles"]]

    inline = {
        "Role": role("cleanup-inline"),
        "Policy": {
            "Type": "AWS::IAM::Policy",
            "Properties": {
                "PolicyName": "cleanup-policy",
                "Roles": [{"Ref": "Role"}],
                "PolicyDocument": document,
            },
        },
    }
    cloudformation.create_stack(
        StackName="Cleanup", TemplateBody=json.dumps({"Resources": {**inline, **keep}})
    )
    assert iam.list_role_policies(RoleName="cleanup-inline")["PolicyNames"] == ["cleanup-policy"]
    cloudformation.update_stack(StackName="Cleanup", TemplateBody=json.dumps({"Resources": keep}))
    stack = cloudformation.describe_stacks(StackName="Cleanup")["Stacks"][0]
    assert stack["StackStatus"] == "UPDATE_COMPLETE"
    assert "cleanup-inline" not in roles()
    managed = {
        "Role": role("cleanup-managed"),
        "Managed": {
            "Type": "AWS::IAM::ManagedPolicy",
            "Properties": {"Roles": [{"Ref": "Role"}], "PolicyDocument": document},
        },
    }
    cloudformation.update_stack(
        StackName="Cleanup", TemplateBody=json.dumps({"Resources": {**managed, **keep}})
    )
    cloudformation.update_stack(StackName="Cleanup", TemplateBody=json.dumps({"Resources": keep}))
    stack = cloudformation.describe_stacks(StackName="Cleanup")["Stacks"][0]
    assert stack["StackStatus"] == "UPDATE_COMPLETE"
    assert "cleanup-managed" in roles()  # left, not lost silently
    events = cloudformation.describe_stack_events(StackName="Cleanup")["StackEvents"]
    (failed,) = [e for e in events if e["ResourceStatus"] == "DELETE_FAILED"]
    assert (failed["LogicalResourceId"], failed["ResourceType"]) == ("Role", "AWS::IAM::Role")
    assert "DeleteConflict" in failed["ResourceStatusReason"]
    assert "Managed" in [
        e["LogicalResourceId"] for e in events if e["ResourceStatus"] == "DELETE_COMPLETE"
    ]
    cloudformation.delete_stack(StackName="Cleanup")


def _history(cloudformation: Any, stack: str, since: int = 0) -> list[tuple[Any, ...]]:
    """The stack's events oldest first (DescribeStackEvents answers newest first), from the
    ``since``-th on: who, its type, its status and the reason."""
    events = cloudformation.describe_stack_events(StackName=stack)["StackEvents"][::-1]
    return [
        (
            e["LogicalResourceId"],
            e["ResourceType"],
            e["ResourceStatus"],
            e.get("ResourceStatusReason"),
        )
        for e in events[since:]
    ]


def test_the_stack_events_say_what_happened_to_each_resource(aws: LocalAws) -> None:
    """What `cdk deploy` prints while it waits, and what it shows of a failure, comes from the
    stack events: each resource created, updated or deleted, with its type, and the stack's own
    begin and end, "User Initiated" first, as CloudFormation writes them."""
    cloudformation = _client(aws, "cloudformation")
    set_type = "AWS::SES::ConfigurationSet"
    stack_type = "AWS::CloudFormation::Stack"

    def sets(description: str, **names: dict[str, Any]) -> str:
        resources = {
            logical: {
                "Type": set_type,
                "Properties": {"Name": f"history-{logical.lower()}", **props},
            }
            for logical, props in names.items()
        }
        return json.dumps({"Description": description, "Resources": resources})

    cloudformation.create_stack(StackName="History", TemplateBody=sets("first", A={}, B={}))
    assert _history(cloudformation, "History") == [
        ("History", stack_type, "CREATE_IN_PROGRESS", "User Initiated"),
        ("A", set_type, "CREATE_COMPLETE", None),
        ("B", set_type, "CREATE_COMPLETE", None),
        ("History", stack_type, "CREATE_COMPLETE", None),
    ]
    stack = cloudformation.describe_stacks(StackName="History")["Stacks"][0]
    assert stack["Description"] == "first"
    seen = len(_history(cloudformation, "History"))
    paused = {"SendingOptions": {"SendingEnabled": False}}
    cloudformation.update_stack(StackName="History", TemplateBody=sets("second", A=paused, C={}))
    assert _history(cloudformation, "History", seen) == [
        ("History", stack_type, "UPDATE_IN_PROGRESS", "User Initiated"),
        ("C", set_type, "CREATE_COMPLETE", None),
        ("A", set_type, "UPDATE_COMPLETE", None),
        ("B", set_type, "DELETE_COMPLETE", None),  # its type from the template it left
        ("History", stack_type, "UPDATE_COMPLETE", None),
    ]
    stack = cloudformation.describe_stacks(StackName="History")["Stacks"][0]
    assert (stack["Description"], stack["StackStatus"]) == ("second", "UPDATE_COMPLETE")
    seen = len(_history(cloudformation, "History"))
    doomed = json.loads(sets("third", A=paused, C={}))
    doomed["Resources"]["Pipe"] = {"Type": "AWS::Pipes::Pipe", "Properties": {}}
    cloudformation.update_stack(StackName="History", TemplateBody=json.dumps(doomed))
    history = _history(cloudformation, "History", seen)
    reason = history[1][3]
    assert "AWS::Pipes::Pipe is not supported by the local AWS" in reason
    assert history == [
        ("History", stack_type, "UPDATE_IN_PROGRESS", "User Initiated"),
        ("Pipe", "AWS::Pipes::Pipe", "UPDATE_FAILED", reason),
        (
            "History",
            stack_type,
            "UPDATE_ROLLBACK_IN_PROGRESS",
            f"The following resource(s) failed to update: [Pipe]. {reason}",
        ),
        ("History", stack_type, "UPDATE_ROLLBACK_COMPLETE", None),
    ]
    stack = cloudformation.describe_stacks(StackName="History")["Stacks"][0]
    assert (stack["Description"], stack["StackStatus"]) == ("second", "UPDATE_ROLLBACK_COMPLETE")
    cloudformation.delete_stack(StackName="History")
    doomed["Resources"] = {"Pipe": doomed["Resources"]["Pipe"]}
    cloudformation.create_stack(StackName="HistoryFails", TemplateBody=json.dumps(doomed))
    history = _history(cloudformation, "HistoryFails")
    reason = history[1][3]
    assert history == [
        ("HistoryFails", stack_type, "CREATE_IN_PROGRESS", "User Initiated"),
        ("Pipe", "AWS::Pipes::Pipe", "CREATE_FAILED", reason),
        (
            "HistoryFails",
            stack_type,
            "ROLLBACK_IN_PROGRESS",
            f"The following resource(s) failed to create: [Pipe]. {reason}",
        ),
        ("HistoryFails", stack_type, "ROLLBACK_COMPLETE", None),
    ]
    cloudformation.delete_stack(StackName="HistoryFails")


def test_a_change_set_says_whether_it_ran_and_a_failed_update_keeps_the_tags(
    aws: LocalAws,
) -> None:
    """ExecutionStatus is what the CDK CLI waits on; a failed UpdateStack changes nothing of the
    stack, its tags included, and a created stack keeps the parameters it was given."""
    cloudformation = _client(aws, "cloudformation")
    template = {
        "Parameters": {"Name": {"Type": "String"}},
        "Resources": {
            "Set": {"Type": "AWS::SES::ConfigurationSet", "Properties": {"Name": {"Ref": "Name"}}}
        },
    }
    created = cloudformation.create_change_set(
        StackName="Runs",
        ChangeSetName="first",
        ChangeSetType="CREATE",
        TemplateBody=json.dumps(template),
        Parameters=[{"ParameterKey": "Name", "ParameterValue": "runs-a"}],
    )
    cloudformation.execute_change_set(ChangeSetName=created["Id"])
    change_set = cloudformation.describe_change_set(ChangeSetName=created["Id"])
    assert change_set["ExecutionStatus"] == "EXECUTE_COMPLETE"
    stack = cloudformation.describe_stacks(StackName="Runs")["Stacks"][0]
    assert stack["Parameters"] == [{"ParameterKey": "Name", "ParameterValue": "runs-a"}]
    failing = json.loads(json.dumps(template))
    failing["Resources"]["Pipe"] = {"Type": "AWS::Pipes::Pipe", "Properties": {}}
    updated = cloudformation.create_change_set(
        StackName="Runs",
        ChangeSetName="second",
        ChangeSetType="UPDATE",
        TemplateBody=json.dumps(failing),
        Parameters=[{"ParameterKey": "Name", "UsePreviousValue": True}],
    )
    cloudformation.execute_change_set(ChangeSetName=updated["Id"])
    change_set = cloudformation.describe_change_set(ChangeSetName=updated["Id"])
    assert change_set["ExecutionStatus"] == "EXECUTE_FAILED"
    tags = [{"Key": "team", "Value": "mail"}]
    described = {**template, "Description": "tagged"}  # moto refuses a tags-only update
    cloudformation.update_stack(
        StackName="Runs",
        TemplateBody=json.dumps(described),
        Parameters=[{"ParameterKey": "Name", "UsePreviousValue": True}],
        Tags=tags,
    )
    assert cloudformation.describe_stacks(StackName="Runs")["Stacks"][0]["Tags"] == tags
    cloudformation.update_stack(
        StackName="Runs",
        TemplateBody=json.dumps(failing),
        Parameters=[{"ParameterKey": "Name", "UsePreviousValue": True}],
        Tags=[{"Key": "team", "Value": "other"}],
    )
    stack = cloudformation.describe_stacks(StackName="Runs")["Stacks"][0]
    assert (stack["StackStatus"], stack["Tags"]) == ("UPDATE_ROLLBACK_COMPLETE", tags)
    cloudformation.delete_stack(StackName="Runs")


def test_removed_resources_go_dependents_first(aws: LocalAws) -> None:
    """CloudFormation deletes in the reverse of the creation order: a destination before its
    set, a subscription before its topic (the stack events show the order)."""
    cloudformation = _client(aws, "cloudformation")
    keep = {"Keep": {"Type": "AWS::SES::ConfigurationSet", "Properties": {"Name": "rm-keep"}}}
    removed = {
        "Set": {"Type": "AWS::SES::ConfigurationSet", "Properties": {"Name": "rm-set"}},
        "Dest": {
            "Type": "AWS::SES::ConfigurationSetEventDestination",
            "Properties": {
                "ConfigurationSetName": {"Ref": "Set"},
                "EventDestination": {
                    "Name": "d",
                    "Enabled": True,
                    "MatchingEventTypes": ["send"],
                    "SnsDestination": {"TopicARN": {"Ref": "Topic"}},
                },
            },
        },
        "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "rm-topic"}},
        "Sub": {
            "Type": "AWS::SNS::Subscription",
            "Properties": {
                "TopicArn": {"Ref": "Topic"},
                "Protocol": "sqs",
                "Endpoint": "arn:aws:sqs:us-west-2:123456789012:q",
            },
        },
    }
    cloudformation.create_stack(
        StackName="Removal", TemplateBody=json.dumps({"Resources": {**removed, **keep}})
    )
    seen = len(_history(cloudformation, "Removal"))
    cloudformation.update_stack(StackName="Removal", TemplateBody=json.dumps({"Resources": keep}))
    deleted = [
        logical
        for logical, _, status, _ in _history(cloudformation, "Removal", seen)
        if status == "DELETE_COMPLETE"
    ]
    assert sorted(deleted) == sorted(removed)
    order = {name: deleted.index(name) for name in deleted}
    assert order["Dest"] < order["Set"] and order["Dest"] < order["Topic"]
    assert order["Sub"] < order["Topic"]
    sesv2 = _client(aws, "sesv2")
    assert "rm-set" not in sesv2.list_configuration_sets()["ConfigurationSets"]
    cloudformation.delete_stack(StackName="Removal")


def test_a_failed_update_rolls_back_with_the_previous_parameters(aws: LocalAws) -> None:
    """An update that turns a resource's condition on with new parameters, and fails: the
    rollback reads the old template with the old parameters, so the resource is not there."""
    cloudformation, sesv2 = _client(aws, "cloudformation"), _client(aws, "sesv2")
    template: dict[str, Any] = {
        "Parameters": {"Extra": {"Type": "String", "Default": "off"}},
        "Conditions": {"WithExtra": {"Fn::Equals": [{"Ref": "Extra"}, "on"]}},
        "Resources": {
            "Base": {"Type": "AWS::SES::ConfigurationSet", "Properties": {"Name": "rb-base"}},
            "More": {
                "Type": "AWS::SES::ConfigurationSet",
                "Condition": "WithExtra",
                "Properties": {"Name": "rb-extra"},
            },
        },
    }
    cloudformation.create_stack(StackName="Rollback", TemplateBody=json.dumps(template))
    failing = json.loads(json.dumps(template))
    failing["Resources"]["Pipe"] = {"Type": "AWS::Pipes::Pipe", "Properties": {}}
    cloudformation.update_stack(
        StackName="Rollback",
        TemplateBody=json.dumps(failing),
        Parameters=[{"ParameterKey": "Extra", "ParameterValue": "on"}],
    )
    stack = cloudformation.describe_stacks(StackName="Rollback")["Stacks"][0]
    assert stack["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
    assert stack["Parameters"] == [{"ParameterKey": "Extra", "ParameterValue": "off"}]
    names = sesv2.list_configuration_sets()["ConfigurationSets"]
    assert "rb-base" in names and "rb-extra" not in names
    cloudformation.delete_stack(StackName="Rollback")


def test_depends_on_orders_the_removal_too(aws: LocalAws) -> None:
    """``DependsOn`` (a name or a list) counts as a Ref does: a dependent goes first, though the
    template lists it before what it depends on."""
    cloudformation = _client(aws, "cloudformation")
    keep = {"Keep": {"Type": "AWS::SES::ConfigurationSet", "Properties": {"Name": "dep-keep"}}}

    def a_set(name: str, depends: Any = None) -> dict[str, Any]:
        body: dict[str, Any] = {"Type": "AWS::SES::ConfigurationSet", "Properties": {"Name": name}}
        if depends is not None:
            body["DependsOn"] = depends
        return body

    sets = {
        "Many": a_set("dep-many", ["Base", "One"]),  # a list
        "One": a_set("dep-one", "Base"),  # a name
        "Base": a_set("dep-base"),
    }
    cloudformation.create_stack(
        StackName="Depends", TemplateBody=json.dumps({"Resources": {**sets, **keep}})
    )
    seen = len(_history(cloudformation, "Depends"))
    cloudformation.update_stack(StackName="Depends", TemplateBody=json.dumps({"Resources": keep}))
    history = _history(cloudformation, "Depends", seen)
    deleted = [logical for logical, _, status, _ in history if status == "DELETE_COMPLETE"]
    assert deleted == ["Many", "One", "Base"]
    cloudformation.delete_stack(StackName="Depends")


def test_a_conditional_resource_is_updated_and_one_switched_off_with_new_text_goes(
    aws: LocalAws,
) -> None:
    cloudformation, sesv2 = _client(aws, "cloudformation"), _client(aws, "sesv2")

    def template(paused: bool) -> str:
        return json.dumps(
            {
                "Parameters": {"Extra": {"Type": "String", "Default": "on"}},
                "Conditions": {"WithExtra": {"Fn::Equals": [{"Ref": "Extra"}, "on"]}},
                "Resources": {
                    "Base": {
                        "Type": "AWS::SES::ConfigurationSet",
                        "Properties": {"Name": "cu-base"},
                    },
                    "More": {
                        "Type": "AWS::SES::ConfigurationSet",
                        "Condition": "WithExtra",
                        "Properties": {
                            "Name": "cu-more",
                            "SendingOptions": {"SendingEnabled": not paused},
                        },
                    },
                },
            }
        )

    def sending(name: str) -> bool:
        found = sesv2.get_configuration_set(ConfigurationSetName=name)
        return bool(found["SendingOptions"]["SendingEnabled"])

    cloudformation.create_stack(StackName="CondUpdate", TemplateBody=template(paused=False))
    assert sending("cu-more") is True
    # its condition still holds and its text changed: updated in place
    cloudformation.update_stack(StackName="CondUpdate", TemplateBody=template(paused=True))
    stack = cloudformation.describe_stacks(StackName="CondUpdate")["Stacks"][0]
    assert stack["StackStatus"] == "UPDATE_COMPLETE"
    assert sending("cu-more") is False
    # its condition turned off, and its text changed too: removed, not updated
    cloudformation.update_stack(
        StackName="CondUpdate",
        TemplateBody=template(paused=False),
        Parameters=[{"ParameterKey": "Extra", "ParameterValue": "off"}],
    )
    stack = cloudformation.describe_stacks(StackName="CondUpdate")["Stacks"][0]
    assert stack["StackStatus"] == "UPDATE_COMPLETE"
    assert "cu-more" not in sesv2.list_configuration_sets()["ConfigurationSets"]
    cloudformation.delete_stack(StackName="CondUpdate")


def test_a_rollback_that_fails_leaves_the_stack_update_rollback_failed(
    aws: LocalAws, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A service that refuses the update of a resource, and refuses it again when the rollback
    puts the old properties back: the stack is UPDATE_ROLLBACK_FAILED, and its last event says
    why, as CloudFormation leaves it for an operator (the refusal is made to happen here: the
    local services do not refuse a change they accepted before)."""
    from moto.cloudformation import parsing

    from ses_events.local_aws.cloudformation import ResourceFailed

    cloudformation = _client(aws, "cloudformation")

    def template(paused: bool) -> str:
        return json.dumps(
            {
                "Resources": {
                    "Stuck": {
                        "Type": "AWS::SES::ConfigurationSet",
                        "Properties": {
                            "Name": "rbf-stuck",
                            "SendingOptions": {"SendingEnabled": not paused},
                        },
                    }
                }
            }
        )

    cloudformation.create_stack(StackName="RollbackFails", TemplateBody=template(paused=False))

    def refuse(logical_id: str, *args: Any, **kwargs: Any) -> Any:
        raise ResourceFailed(logical_id, "AWS::SES::ConfigurationSet", "Throttling: slow down")

    monkeypatch.setattr(parsing, "parse_and_update_resource", refuse)
    seen = len(_history(cloudformation, "RollbackFails"))
    cloudformation.update_stack(StackName="RollbackFails", TemplateBody=template(paused=True))
    history = _history(cloudformation, "RollbackFails", seen)
    stack_type = "AWS::CloudFormation::Stack"
    assert history[-1] == (
        "RollbackFails",
        stack_type,
        "UPDATE_ROLLBACK_FAILED",
        "ResourceFailed: Stuck (AWS::SES::ConfigurationSet): Throttling: slow down",
    )
    stack = cloudformation.describe_stacks(StackName="RollbackFails")["Stacks"][0]
    assert stack["StackStatus"] == "UPDATE_ROLLBACK_FAILED"
    monkeypatch.undo()
    cloudformation.delete_stack(StackName="RollbackFails")
