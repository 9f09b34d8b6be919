"""The breaker: pause a tenant (or a configuration set) when its critical alarm fires.

SES pauses a whole *account* whose bounce or complaint rate stays too high. On a platform that
sends for many customers, one customer's bad list can do that to everyone. The breaker pauses
that customer first:

    critical alarm ──► EventBridge rule (that tenant's alarms, state ALARM)
                   ──► Step Functions state machine (SDK integration, no Lambda code)
                         ├─ SES ``UpdateReputationEntityCustomerManagedStatus``
                         │    (RESOURCE, the tenant's ARN, DISABLED)
                         │  or, for a set, ``PutConfigurationSetSendingOptions`` (sending off)
                         └─ SNS: the alarm topic, which tenant, which alarm, why, how to undo

The facts it rests on are in :mod:`ses_events.rules.breaker`, with their sources.

- Least privilege: the state machine's role may change exactly the guarded tenants (their ARNs)
  and sets (their ARNs), and publish to the topic; each rule matches only its own tenant's
  alarms, so a tenant is paused only by its own alarms. Both roles trust their service only for
  this account (``aws:SourceAccount``).
- The record: each pause is an execution of the state machine (its history, 90 days), a line in
  its log group (retained) and a message on the alarm topic. The tenant stays paused until an
  operator reinstates it (``ses-events tenant reinstate NAME``); the breaker never undoes itself.
- :class:`SesSendingStatusNotifications` forwards SES's own "Sending Status Enabled/Disabled"
  events to the topic, so an operator also learns when SES paused a tenant (or the account).

Example::

    from ses_events.constructs import BreakerGuard, ReputationBreaker, TenantAlarms

    alarms = TenantAlarms(stack, "AcmeAlarms", tenant_name="acme", alarm_topic=topic)
    ReputationBreaker(
        stack, "Breaker",
        guards=[BreakerGuard.tenant("acme", acme.tenant_arn, alarms.critical)],
        alarm_topic=topic,
    )
"""

from __future__ import annotations

import enum
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import jsii
from aws_cdk import ArnFormat, Duration, RemovalPolicy, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from ses_events import rules
from ses_events.compat import acknowledge
from ses_events.errors import Problems
from ses_events.rules import breaker as breaker_rules
from ses_events.tokens import is_unresolved

__all__ = ["BreakerGuard", "GuardedKind", "ReputationBreaker", "SesSendingStatusNotifications"]

# "arn:<partition>:cloudwatch:<region>:<account>:alarm:" at its longest, with the quotes and the
# comma around one ARN in a pattern's list: what one alarm adds to a rule's pattern beyond its name.
_ALARM_ARN_OVERHEAD = len('"arn:aws-iso-b:cloudwatch:ap-southeast-5:123456789012:alarm:",')


class GuardedKind(enum.StrEnum):
    """What the breaker pauses."""

    TENANT = "tenant"
    CONFIGURATION_SET = "configuration set"


@dataclass(frozen=True)
class BreakerGuard:
    """One thing the breaker pauses, and the alarms that pause it.

    Use :meth:`tenant` or :meth:`configuration_set`.
    """

    kind: GuardedKind
    name: str
    """The tenant's or the set's name (known at synth: it names the rule and the message)."""
    arn: str
    """The tenant's or the set's ARN (a token is fine): the only resource its pause may change."""
    alarms: Sequence[cloudwatch.IAlarm]
    """Any of them in ALARM pauses it."""

    @classmethod
    def tenant(
        cls, name: str, tenant_arn: str, alarms: Sequence[cloudwatch.IAlarm]
    ) -> BreakerGuard:
        """Pause tenant ``name`` (its ``customer-managed`` status to DISABLED) when any of
        ``alarms`` fires. ``tenant_arn``: ``Tenant.tenant_arn``, or an imported tenant's ARN."""
        return cls(GuardedKind.TENANT, name, tenant_arn, tuple(alarms))

    @classmethod
    def configuration_set(
        cls, scope: Construct, name: str, alarms: Sequence[cloudwatch.IAlarm]
    ) -> BreakerGuard:
        """Pause configuration set ``name`` (sending off) when any of ``alarms`` fires: the
        breaker of an account without tenants. ``scope`` gives the set's account and Region."""
        arn = Stack.of(scope).format_arn(
            service="ses",
            resource="configuration-set",
            resource_name=name,
            arn_format=ArnFormat.SLASH_RESOURCE_NAME,
        )
        return cls(GuardedKind.CONFIGURATION_SET, name, arn, tuple(alarms))


class ReputationBreaker(Construct):
    """Pauses each guarded tenant or set when one of its alarms goes to ALARM (see the module).

    Example::

        from ses_events.constructs import BreakerGuard, ReputationBreaker

        ReputationBreaker(
            stack, "Breaker",
            guards=[BreakerGuard.tenant("acme", acme.tenant_arn, acme_alarms.critical)],
            alarm_topic=topic,
        )

    :param guards: what to pause on which alarms (at least one; each name once per kind).
    :param alarm_topic: where each pause (and each failed pause) is told. Default: none (the
        state machine's history and log group still record it).
    :param topic_key: the topic's customer managed key, if it has one (the state machine must
        encrypt what it publishes). Default: none.
    :param log_retention: how long the log of pauses is kept. Default: one year.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,  # noqa: A002 - the construct id, named as in aws-cdk-lib
        *,
        guards: Sequence[BreakerGuard],
        alarm_topic: sns.ITopic | None = None,
        topic_key: kms.IKey | None = None,
        log_retention: logs.RetentionDays = logs.RetentionDays.ONE_YEAR,
    ) -> None:
        where = f"{scope.node.path}/{id} (breaker)".lstrip("/")
        problems = Problems(where)
        if not guards:
            problems.add("guards", [], "must name at least one tenant or configuration set")
        seen: set[tuple[GuardedKind, str]] = set()
        for i, guard in enumerate(guards):
            field = f"guards[{i}]"
            name_rule = (
                rules.TENANT_NAME
                if guard.kind is GuardedKind.TENANT
                else rules.CONFIGURATION_SET_NAME
            )
            if is_unresolved(guard.name):
                problems.add(
                    f"{field}.name",
                    guard.name,
                    "must be known at synth: it names the rule and what the operator is told",
                )
            else:
                problems.check(f"{field}.name", guard.name, name_rule)
            if (guard.kind, guard.name) in seen:
                problems.add(f"{field}.name", guard.name, f"is guarded twice (one {guard.kind})")
            seen.add((guard.kind, guard.name))
            if not guard.alarms:
                problems.add(f"{field}.alarms", [], "must name at least one alarm")
            names = [a.alarm_name for a in guard.alarms]
            if not any(is_unresolved(n) for n in names):
                size = len(_pattern_shape()) + sum(len(n) + _ALARM_ARN_OVERHEAD for n in names)
                if size > breaker_rules.MAX_EVENT_PATTERN_CHARACTERS:
                    problems.add(
                        f"{field}.alarms",
                        f"{len(names)} alarms",
                        f"make an event pattern of about {size} characters, over EventBridge's"
                        f" {breaker_rules.MAX_EVENT_PATTERN_CHARACTERS}: guard with fewer alarms",
                    )
        problems.raise_if_any()
        super().__init__(scope, id)
        stack = Stack.of(self)
        self.guards: tuple[BreakerGuard, ...] = tuple(guards)

        self.log_group = logs.LogGroup(
            self, "Log", retention=log_retention, removal_policy=RemovalPolicy.RETAIN
        )
        """Every execution, with its input (which tenant, which alarm, why): the log of pauses."""
        self.role = self._role(
            "Role",
            "states.amazonaws.com",
            "Pauses the SES tenants and configuration sets its breaker guards",
        )
        """The state machine's role: the guarded tenants and sets, the topic, its logs."""

        tenants = [g.arn for g in guards if g.kind is GuardedKind.TENANT]
        sets = [g.arn for g in guards if g.kind is GuardedKind.CONFIGURATION_SET]
        done = sfn.Succeed(self, "Paused")
        failed = sfn.Fail(self, "NotPaused", error="PauseFailed", cause="the SES call failed")
        notified: sfn.IChainable = done
        told_failure: sfn.IChainable = failed
        if alarm_topic is not None:
            notified = self._publish(
                "Tell",
                alarm_topic,
                "ses-events breaker paused {}",
                "ses-events breaker paused {} {}: its alarm {} is in ALARM: {} To undo: {}",
                ["$.kind", "$.kind", "$.name", "$.alarm", "$.reason", "$.undo"],
            ).next(done)
            told_failure = self._publish(
                "TellFailure",
                alarm_topic,
                "ses-events breaker could NOT pause {}",
                "ses-events breaker could NOT pause {} {} (alarm {}: {}): {}",
                ["$.kind", "$.kind", "$.name", "$.alarm", "$.reason", "$.error.Cause"],
            ).next(failed)
            if topic_key is not None:
                topic_key.grant(self.role, "kms:Decrypt", "kms:GenerateDataKey*")
        choice = sfn.Choice(self, "WhatToPause")
        if tenants:
            pause_tenant = tasks.CallAwsService(
                self,
                "PauseTenant",
                service="sesv2",
                action="updateReputationEntityCustomerManagedStatus",
                iam_action=breaker_rules.PAUSE_TENANT_ACTION,
                iam_resources=tenants,
                parameters={
                    "ReputationEntityType": breaker_rules.REPUTATION_ENTITY_TYPE,
                    "ReputationEntityReference": sfn.JsonPath.string_at("$.arn"),
                    "SendingStatus": breaker_rules.PAUSED,
                },
                result_path=sfn.JsonPath.DISCARD,
            )
            pause_tenant.add_catch(told_failure, result_path="$.error")
            choice.when(
                sfn.Condition.string_equals("$.kind", GuardedKind.TENANT.value),
                pause_tenant.next(notified),
            )
        if sets:
            pause_set = tasks.CallAwsService(
                self,
                "PauseConfigurationSet",
                service="sesv2",
                action="putConfigurationSetSendingOptions",
                iam_action=breaker_rules.PAUSE_SET_ACTION,
                iam_resources=sets,
                parameters={
                    "ConfigurationSetName": sfn.JsonPath.string_at("$.name"),
                    "SendingEnabled": False,
                },
                result_path=sfn.JsonPath.DISCARD,
            )
            pause_set.add_catch(told_failure, result_path="$.error")
            choice.when(
                sfn.Condition.string_equals("$.kind", GuardedKind.CONFIGURATION_SET.value),
                pause_set.next(notified),
            )
        choice.otherwise(sfn.Fail(self, "NotGuarded", error="NotGuarded"))
        self.state_machine = sfn.StateMachine(
            self,
            "StateMachine",
            definition_body=sfn.DefinitionBody.from_chainable(choice),
            role=self.role,
            state_machine_type=sfn.StateMachineType.STANDARD,
            timeout=Duration.minutes(5),
            tracing_enabled=True,
            logs=sfn.LogOptions(
                destination=self.log_group, level=sfn.LogLevel.ALL, include_execution_data=True
            ),
        )
        """The state machine that pauses (standard: its executions are the record)."""
        policy = self.role.node.find_child("DefaultPolicy")
        # aws-cdk-lib makes the state machine depend on its role and the role's policy; the role
        # is already a reference (RoleArn), which cfn-lint flags (W3005): keep only the policy
        cfn_machine = self.state_machine.node.default_child
        assert isinstance(cfn_machine, sfn.CfnStateMachine)
        cfn_policy = policy.node.default_child
        assert isinstance(cfn_policy, iam.CfnPolicy)
        cfn_machine.add_override("DependsOn", [stack.get_logical_id(cfn_policy)])
        acknowledge(
            policy,
            "AwsSolutions-IAM5[Resource::*]",
            "aws-cdk-lib's own grants for the state machine's log delivery and X-Ray traces:"
            " CloudWatch Logs delivery and X-Ray take no narrower resource. The SES statements"
            " name each guarded tenant and set, the SNS statement the topic",
        )
        acknowledge(
            policy,
            "AwsSolutions-IAM5[Action::kms:GenerateDataKey*]",
            "SNS needs GenerateDataKey* on the topic's key (named, not a wildcard) to encrypt"
            " what the state machine publishes",
        )

        self.events_role = self._role(
            "EventsRole", "events.amazonaws.com", "Lets the breaker's rules start its state machine"
        )
        """The role EventBridge starts the state machine with (only that state machine)."""
        self.rules: dict[tuple[GuardedKind, str], events.Rule] = {}
        """One rule per guard, matching only its alarms' changes to ALARM."""
        for i, guard in enumerate(guards):
            undo = (
                f"ses-events tenant reinstate {guard.name}"
                if guard.kind is GuardedKind.TENANT
                else f"aws sesv2 put-configuration-set-sending-options --configuration-set-name"
                f" {guard.name} --sending-enabled"
            )
            rule = events.Rule(
                self,
                f"Rule{i + 1}",
                description=f"Pauses {guard.kind} {guard.name} when its alarm goes to ALARM",
                event_pattern=events.EventPattern(
                    source=[breaker_rules.ALARM_EVENT_SOURCE],
                    detail_type=[breaker_rules.ALARM_STATE_CHANGE],
                    resources=[a.alarm_arn for a in guard.alarms],
                    detail={"state": {"value": ["ALARM"]}},
                ),
            )
            rule.add_target(
                targets.SfnStateMachine(
                    self.state_machine,
                    role=self.events_role,
                    input=events.RuleTargetInput.from_object(
                        {
                            "kind": guard.kind.value,
                            "name": guard.name,
                            "arn": guard.arn,
                            "alarm": events.EventField.from_path("$.detail.alarmName"),
                            "reason": events.EventField.from_path("$.detail.state.reason"),
                            "time": events.EventField.time,
                            "undo": undo,
                        }
                    ),
                )
            )
            self.rules[(guard.kind, guard.name)] = rule

    def _role(self, construct_id: str, service: str, description: str) -> iam.Role:
        """A role ``service`` may assume for this account only (``aws:SourceAccount``)."""
        return iam.Role(
            self,
            construct_id,
            assumed_by=iam.ServicePrincipal(
                service,
                conditions={"StringEquals": {"aws:SourceAccount": Stack.of(self).account}},
            ),
            description=description,
        )

    def _publish(
        self,
        construct_id: str,
        topic: sns.ITopic,
        subject: str,
        message: str,
        paths: list[str],
    ) -> tasks.SnsPublish:
        subject_path, *message_paths = paths
        return tasks.SnsPublish(
            self,
            construct_id,
            topic=topic,
            subject=sfn.JsonPath.format(subject, sfn.JsonPath.string_at(subject_path)),
            # from_text of a JsonPath token renders "Message.$" on every release (2.160's
            # from_json_path_at refuses a States.Format token)
            message=sfn.TaskInput.from_text(
                sfn.JsonPath.format(message, *(sfn.JsonPath.string_at(p) for p in message_paths))
            ),
            result_path=sfn.JsonPath.DISCARD,
        )


def _pattern_shape() -> str:
    """The pattern's text but for the alarm ARNs."""
    return json.dumps(
        {
            "source": [breaker_rules.ALARM_EVENT_SOURCE],
            "detail-type": [breaker_rules.ALARM_STATE_CHANGE],
            "resources": [],
            "detail": {"state": {"value": ["ALARM"]}},
        }
    )


class SesSendingStatusNotifications(Construct):
    """Forwards SES's own "Sending Status Enabled" and "Sending Status Disabled" events (for a
    tenant, or the account) to the alarm topic, so an operator learns when SES paused one.

    The rule is named ``<prefix>-ses-sending-status`` (a prefix too long for EventBridge's 64
    characters is cut and hashed: :func:`ses_events.rules.breaker.ses_status_rule_name`) so that the topic policy (and the key
    policy) can name it without a reference: EventBridge may publish only for this rule of this
    account. The whole event is forwarded (its detail fields are not documented field by field).

    Example::

        from ses_events.constructs import SesSendingStatusNotifications

        SesSendingStatusNotifications(stack, "SesStatus", prefix="mail", topic=topic.topic,
                                      topic_key=topic.key)

    :param prefix: the first part of the rule's name.
    :param topic: a topic created in this app (its policy gets the statement).
    :param topic_key: the topic's customer managed key, if any (its policy gets the statement).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,  # noqa: A002 - the construct id, named as in aws-cdk-lib
        *,
        prefix: str,
        topic: sns.ITopic,
        topic_key: kms.IKey | None = None,
    ) -> None:
        problems = Problems(f"{scope.node.path}/{id} (SES sending status)".lstrip("/"))
        problems.check("prefix", prefix, rules.ALARM_NAME_PREFIX)
        problems.raise_if_any()
        super().__init__(scope, id)
        stack = Stack.of(self)
        rule_name = breaker_rules.ses_status_rule_name(prefix)
        rule_arn = stack.format_arn(
            service="events",
            resource="rule",
            resource_name=rule_name,
            arn_format=ArnFormat.SLASH_RESOURCE_NAME,
        )
        self.rule_name = rule_name
        """The rule's name (the topic and key policies name its ARN)."""
        self.rule = events.Rule(
            self,
            "Rule",
            rule_name=rule_name,
            description="SES paused or resumed sending (a tenant, or the account)",
            event_pattern=events.EventPattern(
                source=[breaker_rules.SES_EVENT_SOURCE],
                detail_type=list(breaker_rules.SES_SENDING_STATUS_EVENTS),
            ),
        )
        """The rule (its target: the topic)."""
        self.rule.add_target(_TopicTarget(topic))
        principal = iam.ServicePrincipal("events.amazonaws.com")
        conditions = {
            "StringEquals": {"aws:SourceAccount": stack.account},
            "ArnEquals": {"aws:SourceArn": rule_arn},
        }
        topic.add_to_resource_policy(
            iam.PolicyStatement(
                sid="SesSendingStatusPublish",
                principals=[principal],
                actions=["sns:Publish"],
                resources=[topic.topic_arn],
                conditions=conditions,
            )
        )
        if topic_key is not None:
            topic_key.add_to_resource_policy(
                iam.PolicyStatement(
                    sid="SesSendingStatusPublish",
                    principals=[principal],
                    actions=["kms:Decrypt", "kms:GenerateDataKey*"],
                    resources=["*"],  # in a key policy, "*" is this key
                    conditions=conditions,
                )
            )


@jsii.implements(events.IRuleTarget)
class _TopicTarget:
    """A rule target that is only the topic: aws-cdk-lib's ``SnsTopic`` would also add a topic
    policy statement without the confused-deputy conditions (ours has them)."""

    def __init__(self, topic: sns.ITopic) -> None:
        self._topic = topic

    def bind(self, rule: Any, id: str | None = None) -> events.RuleTargetConfig:  # noqa: A002 - the interface's names
        return events.RuleTargetConfig(arn=self._topic.topic_arn)
