"""The alarm factory: every alarm of this package is made here, named by the naming strategy,
checked for clashes, given its level's actions (any ``IAlarmAction`` or SNS topic) and the
defaults for sparse email metrics."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_sns as sns
from constructs import Construct

from ses_events import rules
from ses_events.constructs.alarm_naming import (
    AlarmLevel,
    AlarmNamingStrategy,
    PrefixedAlarmNaming,
    claim_alarm_name,
    topic_prefix,
)
from ses_events.errors import Problems

__all__ = ["AlarmActions", "AlarmFactory", "AlarmTarget", "RateThreshold", "alarm_action"]


@dataclass(frozen=True)
class RateThreshold:
    """Warning and critical levels of a rate alarm, as fractions (0.05 is 5%)."""

    warning: float
    critical: float


AlarmTarget = cloudwatch.IAlarmAction | sns.ITopic
"""Where an alarm notifies: any ``aws_cloudwatch.IAlarmAction`` (``aws_cloudwatch_actions.SnsAction``,
``LambdaAction``, ``Ec2Action``, ``SsmIncidentAction`` ...) or an SNS topic, which becomes an
``SnsAction`` (and, when it is an :class:`AlarmTopic`'s, has its prefix checked)."""


@dataclass(frozen=True)
class AlarmActions:
    """Where warning and critical alarms notify, and whether they also say when they recover.

    Teams usually page on critical alarms and only post warnings to a channel; this keeps the
    two apart. Every alarm construct of this package takes it as ``alarm_actions`` (or, for one
    destination for everything, ``alarm_topic``; never both). A composite health alarm notifies
    the critical actions.

    Example::

        from aws_cdk import aws_cloudwatch_actions as actions
        from ses_events.constructs import AlarmActions

        AlarmActions(
            warning=[chat_topic],
            critical=[pager_topic, actions.LambdaAction(open_incident)],
            ok=False,
        )

    :param warning: actions of warning alarms. Default: none.
    :param critical: actions of critical alarms and of the composite health alarm. Default: none.
    :param ok: also notify the same actions when an alarm returns to OK. Default: ``True``.
    """

    warning: Sequence[AlarmTarget] = ()
    critical: Sequence[AlarmTarget] = ()
    ok: bool = True

    @classmethod
    def to(cls, *targets: AlarmTarget, ok: bool = True) -> AlarmActions:
        """The same actions for warning and critical alarms."""
        return cls(warning=targets, critical=targets, ok=ok)


class AlarmFactory:
    """Names alarms with the strategy, registers the names and attaches the notification actions
    (cdk-monitoring-constructs' alarm factory: one place for the defaults every alarm gets)."""

    def __init__(
        self,
        scope: Construct,
        prefix: str,
        alarm_topic: sns.ITopic | None,
        where: str,
        alarm_actions: AlarmActions | None = None,
        naming: AlarmNamingStrategy | None = None,
    ) -> None:
        problems = Problems(where)
        problems.check("prefix", prefix, rules.ALARM_NAME_PREFIX)
        if alarm_topic is not None and alarm_actions is not None:
            problems.add(
                "alarm_actions",
                "given",
                "cannot be combined with alarm_topic: pass the topic in alarm_actions"
                " (AlarmActions.to(topic) for both levels)",
            )
        actions = alarm_actions or (
            AlarmActions.to(alarm_topic) if alarm_topic is not None else AlarmActions()
        )
        self.topic_prefixes: list[str] = []
        """Prefixes of the AlarmTopics notified: every name must start with each of them."""
        self.actions: dict[AlarmLevel, list[cloudwatch.IAlarmAction]] = {}
        for level, targets in (
            (AlarmLevel.WARNING, actions.warning),
            (AlarmLevel.CRITICAL, actions.critical),
        ):
            converted: list[cloudwatch.IAlarmAction] = []
            for i, target in enumerate(targets):
                field_name = (
                    "alarm_topic" if alarm_actions is None else f"alarm_actions.{level}[{i}]"
                )
                action = alarm_action(target, prefix, field_name, problems, self.topic_prefixes)
                if action is not None:
                    converted.append(action)
            self.actions[level] = converted
        problems.raise_if_any()
        self.scope = scope
        self.prefix = prefix
        self.where = where
        self.notify_ok = actions.ok
        self.naming: AlarmNamingStrategy = naming or PrefixedAlarmNaming()
        self.created: dict[str, cloudwatch.Alarm] = {}

    def notify(self, alarm: cloudwatch.AlarmBase, level: AlarmLevel) -> None:
        """Attach ``level``'s actions to ``alarm`` (and to its OK state unless turned off)."""
        for action in self.actions[level]:
            alarm.add_alarm_action(action)
            if self.notify_ok:
                alarm.add_ok_action(action)

    def name(self, subject: str, what: str, level: AlarmLevel | None) -> str:
        """The alarm's name from the strategy, claimed for this app (see :func:`claim_alarm_name`)."""
        name = self.naming.alarm_name(prefix=self.prefix, subject=subject, what=what, level=level)
        claim_alarm_name(self.scope, name, self.where, tuple(self.topic_prefixes))
        return name

    def alarm(
        self,
        id: str,  # noqa: A002 - construct id
        *,
        subject: str,
        what: str,
        level: AlarmLevel,
        metric: cloudwatch.IMetric,
        threshold: float,
        description: str,
        evaluation_periods: int = 1,
        datapoints_to_alarm: int = 1,
        comparison: cloudwatch.ComparisonOperator = (
            cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD
        ),
        missing: cloudwatch.TreatMissingData = cloudwatch.TreatMissingData.NOT_BREACHING,
        notify: bool = True,
    ) -> cloudwatch.Alarm:
        name = self.name(subject, what, level)
        alarm = cloudwatch.Alarm(
            self.scope,
            id,
            alarm_name=name,
            alarm_description=description,
            metric=metric,
            threshold=threshold,
            comparison_operator=comparison,
            evaluation_periods=evaluation_periods,
            datapoints_to_alarm=datapoints_to_alarm,
            treat_missing_data=missing,
        )
        if notify:
            self.notify(alarm, level)
        self.created[name] = alarm
        return alarm

    def rate_alarms(
        self,
        *,
        subject: str,
        what: str,
        metric: cloudwatch.IMetric,
        rate: RateThreshold,
        description: str,
        notify_critical: bool = True,
    ) -> dict[AlarmLevel, cloudwatch.Alarm]:
        """A warning and a critical alarm on a rate (a fraction) such as ``Reputation.BounceRate``.

        Missing data is ``ignore``: SES recomputes reputation rates over a representative volume
        and publishes them irregularly, so a missing point says nothing new and the alarm keeps
        its state instead of flapping. ``description`` is a format string of ``value``.
        """
        return {
            level: self.alarm(
                f"{what}-{level.value}",
                subject=subject,
                what=what,
                level=level,
                metric=metric,
                threshold=value,
                description=description.format(value=value),
                missing=cloudwatch.TreatMissingData.IGNORE,
                notify=notify_critical or level is not AlarmLevel.CRITICAL,
            )
            for level, value in (
                (AlarmLevel.WARNING, rate.warning),
                (AlarmLevel.CRITICAL, rate.critical),
            )
        }


def alarm_action(
    target: AlarmTarget,
    prefix: str,
    field_name: str,
    problems: Problems,
    topic_prefixes: list[str] | None = None,
) -> cloudwatch.IAlarmAction | None:
    """``target`` as an alarm action; an :class:`AlarmTopic` must admit alarms named ``prefix``."""
    if hasattr(target, "topic_arn"):  # an sns.ITopic (jsii interfaces cannot be isinstance-checked)
        topic: sns.ITopic = target  # type: ignore[assignment]
        admitted = topic_prefix(topic)
        if admitted is not None and topic_prefixes is not None:
            topic_prefixes.append(admitted)
        if admitted is not None and not f"{prefix}-".startswith(f"{admitted}-"):
            # The AlarmTopic's key and topic policies admit only alarms named <its prefix>-*:
            # CloudWatch would be refused every notification of these alarms.
            problems.add(
                field_name,
                topic.node.path,
                f"is the AlarmTopic of prefix {admitted!r}, whose policies let only alarms"
                f" named '{admitted}-*' publish; these alarms are named '{prefix}-*': give"
                " both the same prefix (or these alarms one that starts with the topic's and '-')",
            )
            return None
        return cloudwatch_actions.SnsAction(topic)
    if not hasattr(target, "bind"):
        problems.add(
            field_name,
            type(target).__name__,
            "must be an aws_cloudwatch.IAlarmAction or an aws_sns.ITopic",
        )
        return None
    return target
