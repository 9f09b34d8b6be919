"""The breaker in the local AWS (issue 21, point 4): a synthesized breaker deployed with the
local CloudFormation; tenant metrics put; the local alarm evaluation computes each tenant's rate
and sends the state changes to EventBridge; the guarded tenant whose critical alarm fired is
paused by the state machine, through the local SES, and the topic is told; the others are not."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from aws_cdk import App, BootstraplessSynthesizer, Stack

from ses_events.constructs import (
    AlarmTopic,
    BreakerGuard,
    EventPublishingConfigurationSet,
    ReputationBreaker,
    Tenant,
    TenantAlarms,
)
from ses_events.local_aws import LocalAws
from ses_events.local_aws.alarm_evaluation import evaluate_alarms
from ses_events.local_aws.eventbridge import wait_for_executions
from ses_events.local_aws.ses.tenants import tenants_of

pytestmark = pytest.mark.local_aws

REGION = "sa-east-1"  # a Region no other test module uses
# tenant -> (sends, bounces) in the hour: the critical level is 5%, the minimum 100 sends
MAIL = {
    "edge": (100, 5),  # exactly the minimum of sends, exactly the critical level: paused
    "short": (99, 99),  # one send short of the minimum: a rate of 0, however bad
    "warned": (100, 3),  # over the warning level (2.5%), under the critical: not paused
    "unguarded": (100, 50),  # fires, but no breaker guards it
}


def _template() -> dict[str, Any]:
    app = App()
    stack = Stack(
        app,
        "Breaker",
        env={"account": "123456789012", "region": REGION},
        synthesizer=BootstraplessSynthesizer(),  # no bootstrap version parameter to look up
    )
    topic = AlarmTopic(stack, "Topic", prefix="mail")
    guards = []
    for name in MAIL:
        configuration_set = EventPublishingConfigurationSet(
            stack, f"Set-{name}", configuration_set_name=f"{name}-set"
        )
        tenant = Tenant(
            stack,
            f"Tenant-{name}",
            tenant_name=name,
            configuration_sets=[configuration_set],
            identities=[f"{name}.example.com"],
        )
        alarms = TenantAlarms(
            stack, f"Alarms-{name}", tenant_name=name, prefix="mail", alarm_topic=topic.topic
        )
        if name != "unguarded":
            guards.append(BreakerGuard.tenant(name, tenant.tenant_arn, alarms.critical))
    ReputationBreaker(stack, "Breaker", guards=guards, alarm_topic=topic.topic, topic_key=topic.key)
    template: dict[str, Any] = app.synth().get_stack_by_name("Breaker").template
    return template


@pytest.fixture(scope="module")
def run() -> Iterator[dict[str, Any]]:
    """Deploy, put the hour's tenant metrics, evaluate the alarms; what happened."""
    with LocalAws(region=REGION) as aws:
        client = {
            s: boto3.client(s, **aws.client_arguments())
            for s in ("cloudformation", "cloudwatch", "sns", "sqs", "events", "sesv2")
        }
        client["cloudformation"].create_stack(
            StackName="Breaker",
            TemplateBody=json.dumps(_template()),
            Capabilities=["CAPABILITY_IAM"],
        )
        status = client["cloudformation"].describe_stacks(StackName="Breaker")["Stacks"][0]
        assert status["StackStatus"] == "CREATE_COMPLETE", status
        # the topic's messages, and every alarm state change, read through queues
        queues = {}
        for purpose in ("topic", "changes"):
            url = client["sqs"].create_queue(QueueName=purpose)["QueueUrl"]
            arn = client["sqs"].get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])[
                "Attributes"
            ]["QueueArn"]
            queues[purpose] = (url, arn)
        (topic,) = [
            t["TopicArn"]
            for t in client["sns"].list_topics()["Topics"]
            if client["sns"]
            .get_topic_attributes(TopicArn=t["TopicArn"])["Attributes"]
            .get("DisplayName")
            == "SES alarms mail"
        ]
        client["sns"].subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queues["topic"][1])
        client["events"].put_rule(
            Name="changes",
            EventPattern=json.dumps({"detail-type": ["CloudWatch Alarm State Change"]}),
        )
        client["events"].put_targets(
            Rule="changes", Targets=[{"Id": "q", "Arn": queues["changes"][1]}]
        )
        now = datetime.now(UTC)
        for name, (sends, bounces) in MAIL.items():
            client["cloudwatch"].put_metric_data(
                Namespace="AWS/SES",
                MetricData=[
                    {
                        "MetricName": metric,
                        "Dimensions": [{"Name": "tenant", "Value": name}],
                        "Value": value,
                        "Timestamp": now,
                    }
                    for metric, value in (("Send", sends), ("Bounce", bounces))
                ],
            )
        states = {s.name: s for s in evaluate_alarms(aws.account, REGION)}
        executions = wait_for_executions(aws.account, REGION)
        yield {
            "aws": aws,
            "client": client,
            "states": states,
            "executions": executions,
            "told": _drain(client["sqs"], queues["topic"][0]),
            "changes": _drain(client["sqs"], queues["changes"][0]),
            "again": evaluate_alarms(aws.account, REGION),
            "executions_after_again": wait_for_executions(aws.account, REGION),
        }


def _drain(sqs: Any, url: str) -> list[dict[str, Any]]:
    found = []
    while batch := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages"):
        for message in batch:
            found.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return found


def _state(run: dict[str, Any], tenant: str, level: str) -> str | None:
    return run["states"][f"mail-tenant-{tenant}-bounce-rate-{level}"].state


def test_each_tenants_rate_is_computed_per_hour(run: dict[str, Any]) -> None:
    assert _state(run, "edge", "critical") == "ALARM"  # 5 / 100 >= 0.05
    assert "FILL(bounce, 0) / send" in run["states"]["mail-tenant-edge-bounce-rate-critical"].reason
    assert "[0.05]" in run["states"]["mail-tenant-edge-bounce-rate-critical"].reason
    assert _state(run, "short", "critical") == "OK"  # 99 sends: a rate of 0
    assert "[0]" in run["states"]["mail-tenant-short-bounce-rate-critical"].reason
    assert _state(run, "warned", "warning") == "ALARM"
    assert _state(run, "warned", "critical") == "OK"
    assert _state(run, "unguarded", "critical") == "ALARM"
    # complaints: none put, FILL makes the rate 0
    assert run["states"]["mail-tenant-edge-complaint-rate-critical"].state == "OK"


def test_only_the_guarded_tenant_whose_critical_alarm_fired_is_paused(run: dict[str, Any]) -> None:
    tenants = tenants_of(run["aws"].account, REGION)
    assert tenants["edge"].customer_managed_status == "DISABLED"
    for name in ("short", "warned", "unguarded"):
        assert tenants[name].customer_managed_status == "ENABLED", name
    (execution,) = run["executions"]
    assert str(execution["status"]).endswith("SUCCEEDED")
    assert execution["input"]["name"] == "edge"
    assert execution["input"]["arn"] == tenants["edge"].arn
    assert execution["input"]["alarm"] == "mail-tenant-edge-bounce-rate-critical"
    assert "[0.05]" in execution["input"]["reason"]


def test_the_topic_is_told_which_tenant_which_alarm_and_how_to_undo(run: dict[str, Any]) -> None:
    told = [m for m in run["told"] if "ses-events breaker" in m.get("Message", "")]
    (message,) = told
    assert message["Subject"] == "ses-events breaker paused tenant"
    text = message["Message"]
    assert text.startswith("ses-events breaker paused tenant edge: its alarm")
    assert "mail-tenant-edge-bounce-rate-critical is in ALARM" in text
    assert text.endswith("To undo: ses-events tenant reinstate edge")


def test_the_paused_tenant_cannot_send(run: dict[str, Any]) -> None:
    sesv2 = run["client"]["sesv2"]
    for name in ("edge", "short"):
        sesv2.create_email_identity(EmailIdentity=f"{name}.example.com")
    mail = {
        "Destination": {"ToAddresses": ["success@simulator.amazonses.com"]},
        "Content": {"Simple": {"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}}},
    }
    with pytest.raises(sesv2.exceptions.ClientError) as refused:
        sesv2.send_email(
            FromEmailAddress="news@edge.example.com",
            ConfigurationSetName="edge-set",
            TenantName="edge",
            **mail,
        )
    assert refused.value.response["Error"]["Code"] == "SendingPausedException"
    sesv2.send_email(
        FromEmailAddress="news@short.example.com",
        ConfigurationSetName="short-set",
        TenantName="short",
        **mail,
    )


def test_cloudwatch_state_changes_reach_eventbridge_as_cloudwatch_sends_them(
    run: dict[str, Any],
) -> None:
    changes = {c["detail"]["alarmName"]: c for c in run["changes"]}
    change = changes["mail-tenant-edge-bounce-rate-critical"]
    assert change["source"] == "aws.cloudwatch"
    assert change["detail-type"] == "CloudWatch Alarm State Change"
    assert change["resources"] == [
        f"arn:aws:cloudwatch:{REGION}:123456789012:alarm:mail-tenant-edge-bounce-rate-critical"
    ]
    assert change["detail"]["state"]["value"] == "ALARM"
    assert change["detail"]["previousState"]["value"] != "ALARM"
    assert "FILL(bounce, 0) / send" in change["detail"]["state"]["reason"]


def test_an_alarm_that_stays_in_alarm_does_not_pause_again(run: dict[str, Any]) -> None:
    """Only a change is an event: the second evaluation starts nothing new."""
    again = {s.name: s.state for s in run["again"]}
    assert again["mail-tenant-edge-bounce-rate-critical"] == "ALARM"
    assert len(run["executions_after_again"]) == len(run["executions"]) == 1


# -- an account without tenants: the breaker pauses the set -----------------------------------


def test_without_tenants_the_breaker_pauses_the_set_and_its_mail_is_refused() -> None:
    from ses_events.constructs import ConfigurationSetAlarms, SesAlarm

    app = App()
    stack = Stack(
        app,
        "SetBreaker",
        env={"account": "123456789012", "region": REGION},
        synthesizer=BootstraplessSynthesizer(),
    )
    topic = AlarmTopic(stack, "Topic", prefix="sets")
    guards = []
    for name in ("noisy", "quiet"):
        configuration_set = EventPublishingConfigurationSet(
            stack, f"Set-{name}", configuration_set_name=name
        )
        alarms = ConfigurationSetAlarms(
            stack,
            f"Alarms-{name}",
            configuration_set=configuration_set,
            prefix="sets",
            alarms=[SesAlarm.BOUNCE_RATE],
            composite=False,
        )
        guards.append(BreakerGuard.configuration_set(stack, name, alarms.reputation_critical))
    ReputationBreaker(stack, "Breaker", guards=guards, alarm_topic=topic.topic, topic_key=topic.key)
    template = app.synth().get_stack_by_name("SetBreaker").template
    with LocalAws(region="eu-south-2") as aws:
        client = {
            s: boto3.client(s, **aws.client_arguments())
            for s in ("cloudformation", "cloudwatch", "sesv2")
        }
        client["cloudformation"].create_stack(
            StackName="SetBreaker",
            TemplateBody=json.dumps(template),
            Capabilities=["CAPABILITY_IAM"],
        )
        for name, rate in (("noisy", 0.05), ("quiet", 0.0499)):  # at the critical level; under
            client["cloudwatch"].put_metric_data(
                Namespace="AWS/SES",
                MetricData=[
                    {
                        "MetricName": "Reputation.BounceRate",
                        "Dimensions": [{"Name": "ses:configuration-set", "Value": name}],
                        "Value": rate,
                    }
                ],
            )
        states = {s.name: s.state for s in evaluate_alarms(aws.account, "eu-south-2")}
        assert states["sets-noisy-bounce-rate-critical"] == "ALARM"
        assert states["sets-quiet-bounce-rate-critical"] == "OK"
        (execution,) = wait_for_executions(aws.account, "eu-south-2")
        assert str(execution["status"]).endswith("SUCCEEDED"), execution
        assert execution["input"]["kind"] == "configuration set"
        sending = {
            n: client["sesv2"].get_configuration_set(ConfigurationSetName=n)["SendingOptions"]
            for n in ("noisy", "quiet")
        }
        assert sending == {"noisy": {"SendingEnabled": False}, "quiet": {"SendingEnabled": True}}
        client["sesv2"].create_email_identity(EmailIdentity="sets.example.com")
        with pytest.raises(client["sesv2"].exceptions.ClientError) as refused:
            client["sesv2"].send_email(
                FromEmailAddress="news@sets.example.com",
                Destination={"ToAddresses": ["success@simulator.amazonses.com"]},
                Content={"Simple": {"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}}},
                ConfigurationSetName="noisy",
            )
        assert refused.value.response["Error"]["Code"] == "SendingPausedException"
