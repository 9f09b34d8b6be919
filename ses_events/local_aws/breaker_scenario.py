"""The main job's breaker scenario: one tenant's bad mail pauses that tenant, not the others.

With the spec's tenants deployed (and the breaker guarding one of them), the local AWS shows
the whole chain, each step checked:

1. good mail for one tenant and bouncing mail for another (the guarded one), through their own
   sets and identities, ``TenantName`` and the ``tenant`` tag set (:class:`~ses_events.sending.
   TaggedSending`), as many as the tenant alarms' minimum of sends;
2. the alarms are evaluated on the local metric data: the bouncing tenant's critical bounce rate
   alarm goes to ALARM (its ``IF(send >= N, FILL(bounce, 0) / send, 0)`` computed per period), the good
   tenant's does not;
3. CloudWatch's state change reaches EventBridge, the tenant's breaker rule starts the state
   machine, which pauses the tenant through the local SES and tells the alarm topic;
4. the paused tenant's next message is refused (``SendingPausedException``) while the good
   tenant still sends;
5. ``ses-events tenant reinstate NAME --yes`` reinstates it, and it sends again.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from dataclasses import dataclass, field
from typing import Any

from ses_events import rules
from ses_events.local_aws import LocalAws

__all__ = ["ScenarioResult", "breaker_scenario"]

_SUCCESS = "success@simulator.amazonses.com"
_BOUNCE = "bounce@simulator.amazonses.com"
BOUNCING_SHARE = 2
"""One message in this many of the bouncing tenant's bounces (50%: ten times SES's review level)."""


@dataclass
class ScenarioResult:
    """What the scenario printed, and the steps that did not go as they should."""

    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    skipped: str | None = None

    def report(self) -> str:
        if self.skipped:
            return f"Breaker scenario: skipped ({self.skipped})."
        return "\n".join(self.lines)


def _guarded(templates: dict[str, dict[str, Any]]) -> list[str]:
    """The tenants a breaker rule of the templates pauses, in template order."""
    found = []
    for template in templates.values():
        for resource in template.get("Resources", {}).values():
            if resource["Type"] != "AWS::Events::Rule":
                continue
            props = resource.get("Properties", {})
            if props.get("EventPattern", {}).get("source") != ["aws.cloudwatch"]:
                continue
            for target in props.get("Targets", []):
                text = json.dumps(target.get("InputTransformer", {}).get("InputTemplate"))
                name = re.search(r'\\"kind\\":\\"tenant\\",\\"name\\":\\"([^\\"]+)', text)
                if name:
                    found.append(name.group(1))
    return found


def _minimum_sends(cloudwatch: Any, prefix: str, tenant: str) -> int:
    """``N`` of the tenant's critical bounce rate alarm (``IF(send >= N, ...)``)."""
    name = f"{prefix}-tenant-{tenant}-bounce-rate-critical"
    (alarm,) = cloudwatch.describe_alarms(AlarmNames=[name])["MetricAlarms"]
    for metric in alarm.get("Metrics", []):
        found = re.search(r"send >= (\d+)", metric.get("Expression") or "")
        if found:
            return int(found.group(1))
    return rules.TENANT_MINIMUM_SENDS


def _prefix(templates: dict[str, dict[str, Any]]) -> str | None:
    """The alarm prefix, from the alarm topic's display name (``SES alarms <prefix>``)."""
    for template in templates.values():
        for resource in template.get("Resources", {}).values():
            shown = resource.get("Properties", {}).get("DisplayName")
            if resource["Type"] == "AWS::SNS::Topic" and str(shown).startswith("SES alarms "):
                return str(shown).removeprefix("SES alarms ")
    return None


def breaker_scenario(aws: LocalAws, templates: dict[str, dict[str, Any]]) -> ScenarioResult:
    """Run the scenario (see the module) and report it."""
    import boto3
    from botocore.exceptions import ClientError

    from ses_events.cli import main as cli
    from ses_events.local_aws.alarm_evaluation import evaluate_alarms
    from ses_events.local_aws.eventbridge import wait_for_executions
    from ses_events.sending import TaggedSending

    result = ScenarioResult()
    prefix = _prefix(templates)
    if prefix is None:
        result.skipped = "no alarm topic of ses-events is deployed"
        return result
    client: dict[str, Any] = {
        s: boto3.client(s, **aws.client_arguments())
        for s in ("sesv2", "cloudwatch", "sns", "sqs", "cloudformation")
    }
    sesv2 = client["sesv2"]
    homes: dict[str, tuple[str, str]] = {}  # tenant -> (set, sender domain)
    for tenant in sesv2.list_tenants().get("Tenants", []):
        name = tenant["TenantName"]
        resources = sesv2.list_tenant_resources(TenantName=name).get("TenantResources", [])
        sets = [r["ResourceArn"] for r in resources if r["ResourceType"] == "CONFIGURATION_SET"]
        domains = [
            r["ResourceArn"].rsplit("/", 1)[1]
            for r in resources
            if r["ResourceType"] == "EMAIL_IDENTITY" and "@" not in r["ResourceArn"]
        ]
        if sets and domains:
            homes[name] = (sets[0].rsplit("/", 1)[1], domains[0])
    guarded = [t for t in _guarded(templates) if t in homes]
    if not guarded:
        result.skipped = "no tenant with a set and a domain identity is guarded by a breaker"
        return result
    bad = guarded[-1]
    others = [t for t in homes if t != bad]
    if not others:
        result.skipped = f"tenant {bad} is the only tenant with a set and a domain identity"
        return result
    good = others[0]
    for domain in {homes[good][1], homes[bad][1]}:  # verified, as the platform would have
        with contextlib.suppress(ClientError):
            sesv2.create_email_identity(EmailIdentity=domain)
    # the alarm topic's messages, read through a queue subscribed to it
    topic = _alarm_topic(client["sns"], prefix)
    queue = client["sqs"].create_queue(QueueName=f"{prefix}-breaker-scenario")["QueueUrl"]
    queue_arn = client["sqs"].get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    if topic:
        client["sns"].subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)

    def send(tenant: str, recipient: str) -> str | None:
        """Send one message for ``tenant``; the error code if SES refused it."""
        configuration_set, domain = homes[tenant]
        sending = TaggedSending(configuration_set, tenant=tenant)
        try:
            sesv2.send_email(
                FromEmailAddress=f"news@{domain}",
                Destination={"ToAddresses": [recipient]},
                Content={
                    "Simple": {
                        "Subject": {"Data": f"ses-events breaker scenario ({tenant})"},
                        "Body": {"Text": {"Data": "local test mail"}},
                    }
                },
                **sending.sesv2_arguments(),
            )
        except ClientError as error:
            return str(error.response.get("Error", {}).get("Code"))
        return None

    out = result.lines
    check = result.problems
    minimum = _minimum_sends(client["cloudwatch"], prefix, bad)
    out.append(
        f"Breaker scenario: tenant {good} sends good mail, tenant {bad} (guarded) bouncing mail"
        f" ({minimum} messages each: the tenant alarms' minimum of sends in an hour)"
    )
    refused = [
        code
        for i in range(minimum)
        for code in (
            send(good, _SUCCESS),
            send(bad, _BOUNCE if i % BOUNCING_SHARE == 0 else _SUCCESS),
        )
        if code
    ]
    if refused:
        check.append(f"mail before the pause was refused: {sorted(set(refused))}")
    bounced = -(-minimum // BOUNCING_SHARE)
    out.append(f"  1. sent: {good} {minimum} delivered; {bad} {bounced} of {minimum} bounced")
    states = {s.name: s for s in evaluate_alarms(aws.account, aws.region)}
    for tenant, expected in ((bad, "ALARM"), (good, None)):
        alarm = states.get(f"{prefix}-tenant-{tenant}-bounce-rate-critical")
        state = alarm.state if alarm else "missing"
        out.append(f"  2. {prefix}-tenant-{tenant}-bounce-rate-critical: {state}"
                   + (f" ({alarm.reason})" if alarm else ""))  # fmt: skip
        if expected == "ALARM" and state != "ALARM":
            check.append(f"tenant {tenant}'s critical bounce rate alarm is {state}, not ALARM")
        if expected is None and state == "ALARM":
            check.append(f"tenant {good}'s critical bounce rate alarm fired on good mail")
    executions = wait_for_executions(aws.account, aws.region)
    paused = [e for e in executions if (e["input"] or {}).get("name") == bad]
    status = _status(sesv2, bad)
    out.append(
        f"  3. the breaker ran {len(paused)} time(s) for {bad}"
        f" ({', '.join(str(e['status']).split('.')[-1] for e in paused) or 'never'});"
        f" {bad}'s customer-managed status: {status}"
    )
    if not paused or any(str(e["status"]).split(".")[-1] != "SUCCEEDED" for e in paused):
        check.append(f"the breaker's state machine did not pause {bad}: {paused}")
    if status != "DISABLED":
        check.append(f"tenant {bad} is {status} after the breaker, not DISABLED")
    told = _messages(client["sqs"], queue)
    about = [m for m in told if f"paused tenant {bad}" in m]
    out.append(f"     the alarm topic was told: {about[0] if about else 'nothing'}")
    if not about:
        check.append(f"the alarm topic got no message about pausing {bad}")
    bad_code, good_code = send(bad, _SUCCESS), send(good, _SUCCESS)
    out.append(
        f"  4. next message: {bad} {'refused, ' + bad_code if bad_code else 'SENT'};"
        f" {good} {'refused, ' + good_code if good_code else 'sent'}"
    )
    if bad_code != "SendingPausedException":
        check.append(f"the paused tenant {bad}'s mail was not refused as paused: {bad_code}")
    if good_code:
        check.append(f"tenant {good}'s mail was refused while {bad} was paused: {good_code}")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = cli(
            ["tenant", "reinstate", bad, "--yes", "--region", aws.region,
             "--endpoint-url", aws.endpoint_url]
        )  # fmt: skip
    again = send(bad, _SUCCESS)
    out.append(
        f"  5. ses-events tenant reinstate {bad} --yes: {_status(sesv2, bad)}; its next message"
        f" {'refused, ' + again if again else 'sent'}"
    )
    if code != 0 or again:
        check.append(f"after reinstate {bad} did not send again (exit {code}, {again})")
    return result


def _alarm_topic(sns: Any, prefix: str) -> str | None:
    for topic in sns.list_topics().get("Topics", []):
        arn = topic["TopicArn"]
        attributes = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
        if attributes.get("DisplayName") == f"SES alarms {prefix}":
            return str(arn)
    return None


def _messages(sqs: Any, queue: str) -> list[str]:
    found: list[str] = []
    while True:
        batch = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages", [])
        if not batch:
            return found
        for message in batch:
            body = json.loads(message["Body"])
            found.append(str(body.get("Message", body)))
            sqs.delete_message(QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"])


def _status(sesv2: Any, tenant: str) -> str:
    arn = sesv2.get_tenant(TenantName=tenant)["Tenant"]["TenantArn"]
    entity = sesv2.get_reputation_entity(
        ReputationEntityType="RESOURCE", ReputationEntityReference=arn
    )["ReputationEntity"]
    return str(entity["CustomerManagedStatus"]["Status"])
