"""CloudWatch alarms for SES event publishing: reputation, sending failures and event archives.

Alarm names are part of the API (teams wire them into paging), so they follow one pattern,
``<prefix>-<scope>-<what>-<level>``, for example ``mail-marketing-bounce-rate-critical``,
``mail-account-complaint-rate-warning`` or ``mail-archive-default-data-freshness-critical``, and
names are checked for clashes across the app at synth time.

Choices made for sparse email metrics, each explained where it is made:

- *reputation rates* (``Reputation.BounceRate`` / ``Reputation.ComplaintRate``): the maximum over
  one hour, one datapoint to alarm, missing data ``ignore`` — SES recomputes the rates over a
  representative volume and publishes them irregularly; a missing point says nothing new, so the
  alarm keeps its state instead of flapping to OK or INSUFFICIENT_DATA;
- *rendering failures and rejects*: any event in 5 minutes, missing data ``notBreaching`` — SES
  emits no datapoint at all when nothing failed, which is the healthy case;
- *delivery delays*: a sustained rise, the threshold met in 3 consecutive 5-minute periods,
  missing data ``notBreaching`` — single delays are normal (full mailboxes, greylisting);
- *Firehose archive*: data freshness above its threshold in 3 consecutive periods, and any period
  whose ``DeliveryToS3.Success`` average falls below 1 — a failing stream loses event data.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from aws_cdk import ArnFormat, Duration, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

from ses_events import rules
from ses_events.constructs.configuration_set import (
    ConfigurationSetLike,
    EventPublishingConfigurationSet,
    _StackFacts,
)
from ses_events.constructs.firehose import ArchiveStorageFormat, FirehoseEventArchive
from ses_events.constructs.metrics import (
    account_reputation_bounce_rate,
    account_reputation_complaint_rate,
    firehose_metric,
)
from ses_events.constructs.tree_state import tree_state, tree_state_if_any
from ses_events.errors import Problems
from ses_events.rules import EventType

__all__ = [
    "AccountReputationAlarms",
    "AlarmActions",
    "AlarmLevel",
    "AlarmThresholds",
    "AlarmTopic",
    "ConfigurationSetAlarms",
    "FirehoseArchiveAlarms",
    "RateThreshold",
    "SesAlarm",
]


class AlarmLevel(enum.StrEnum):
    """How urgent an alarm is; the last part of its name."""

    WARNING = "warning"
    CRITICAL = "critical"


class SesAlarm(enum.StrEnum):
    """The alarms a configuration set can have; the spec lists them by these values."""

    BOUNCE_RATE = "bounce_rate"
    COMPLAINT_RATE = "complaint_rate"
    RENDERING_FAILURES = "rendering_failures"
    REJECTS = "rejects"
    DELIVERY_DELAYS = "delivery_delays"


@dataclass(frozen=True)
class RateThreshold:
    """Warning and critical levels of a rate alarm, as fractions (0.05 is 5%)."""

    warning: float
    critical: float


# Defaults at or below the AWS review thresholds (rules.BOUNCE_RATE_REVIEW = 5%,
# rules.COMPLAINT_RATE_REVIEW = 0.1%, cited there): the warning at half the review level leaves time
# to act, the critical level is the review level itself.
DEFAULT_BOUNCE_RATE = RateThreshold(
    warning=rules.BOUNCE_RATE_REVIEW / 2, critical=rules.BOUNCE_RATE_REVIEW
)
DEFAULT_COMPLAINT_RATE = RateThreshold(
    warning=rules.COMPLAINT_RATE_REVIEW / 2, critical=rules.COMPLAINT_RATE_REVIEW
)


@dataclass(frozen=True)
class AlarmThresholds:
    """Thresholds of the configuration-set and account alarms; every one has a default.

    :param bounce_rate: ``Reputation.BounceRate`` levels. Default: 2.5% warning, 5% critical.
    :param complaint_rate: ``Reputation.ComplaintRate`` levels. Default: 0.05% and 0.1%.
    :param rendering_failures: rendering failures per 5 minutes. Default: 1 (any).
    :param rejects: rejects (virus found) per 5 minutes. Default: 1 (any).
    :param delivery_delays: delivery delays per 5 minutes, 3 periods in a row. Default: 50.
    """

    bounce_rate: RateThreshold = field(default_factory=lambda: DEFAULT_BOUNCE_RATE)
    complaint_rate: RateThreshold = field(default_factory=lambda: DEFAULT_COMPLAINT_RATE)
    rendering_failures: int = 1
    rejects: int = 1
    delivery_delays: int = 50

    def problems(self) -> list[tuple[str, object, str]]:
        """Every broken rule as ``(field, value, rule)``, fields like ``thresholds.bounce_rate.warning``."""
        found = [
            (f"thresholds.{name}.{f}", value, rule)
            for name, rate in (
                ("bounce_rate", self.bounce_rate),
                ("complaint_rate", self.complaint_rate),
            )
            for f, value, rule in rules.rate_threshold_problems(rate.warning, rate.critical)
        ]
        for name in ("rendering_failures", "rejects", "delivery_delays"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                found.append((f"thresholds.{name}", value, "must be a whole number >= 1"))
        return found


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


# Alarm names in use, per app (on its root) and environment: CloudWatch alarm names are unique per
# account and Region, and a second alarm of the same name would silently replace the first.


def _claim_alarm_name(scope: Construct, name: str, where: str) -> None:
    facts = _StackFacts.of(scope)  # the environment, as configuration set names use it
    names: dict[str, str] = tree_state(facts.root, "alarm_names", dict)
    key = f"{facts.environment}/{name}"
    problems = Problems(where)
    if len(name) > rules.MAX_ALARM_NAME_LENGTH:
        problems.add(
            "alarm_name", name, f"must be at most {rules.MAX_ALARM_NAME_LENGTH} characters"
        )
    elif key in names:
        problems.add(
            "alarm_name",
            name,
            f"is already used by {names[key]}: alarm names are unique per account and Region",
        )
    problems.raise_if_any()
    names[key] = scope.node.path


# The prefix each AlarmTopic's policies admit is kept on its topic (alarms given it check it).
_TOPIC_PREFIX = "alarm_topic_prefix"


class _AlarmFactory:
    """Applies the naming pattern, registers names and attaches the notification actions."""

    def __init__(
        self,
        scope: Construct,
        prefix: str,
        alarm_topic: sns.ITopic | None,
        where: str,
        alarm_actions: AlarmActions | None = None,
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
                action = _alarm_action(target, prefix, field_name, problems)
                if action is not None:
                    converted.append(action)
            self.actions[level] = converted
        problems.raise_if_any()
        self.scope = scope
        self.prefix = prefix
        self.where = where
        self.notify_ok = actions.ok
        self.created: dict[str, cloudwatch.Alarm] = {}

    def notify(self, alarm: cloudwatch.AlarmBase, level: AlarmLevel) -> None:
        """Attach ``level``'s actions to ``alarm`` (and to its OK state unless turned off)."""
        for action in self.actions[level]:
            alarm.add_alarm_action(action)
            if self.notify_ok:
                alarm.add_ok_action(action)

    def name(self, subject: str, what: str, level: AlarmLevel | None) -> str:
        return "-".join(p for p in (self.prefix, subject, what, level and level.value) if p)

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
        _claim_alarm_name(self.scope, name, self.where)
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


def _alarm_action(
    target: AlarmTarget, prefix: str, field_name: str, problems: Problems
) -> cloudwatch.IAlarmAction | None:
    """``target`` as an alarm action; an :class:`AlarmTopic` must admit alarms named ``prefix``."""
    if hasattr(target, "topic_arn"):  # an sns.ITopic (jsii interfaces cannot be isinstance-checked)
        topic: sns.ITopic = target  # type: ignore[assignment]
        topic_prefix = tree_state_if_any(topic, _TOPIC_PREFIX)
        if topic_prefix is not None and not f"{prefix}-".startswith(f"{topic_prefix}-"):
            # The AlarmTopic's key and topic policies admit only alarms named <its prefix>-*:
            # CloudWatch would be refused every notification of these alarms.
            problems.add(
                field_name,
                topic.node.path,
                f"is the AlarmTopic of prefix {topic_prefix!r}, whose policies let only alarms"
                f" named '{topic_prefix}-*' publish; these alarms are named '{prefix}-*': give"
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


class AlarmTopic(Construct):
    """The SNS topic alarms notify: encrypted, TLS-only, publishable only by this account's alarms.

    CloudWatch needs the customer managed key (it cannot use the AWS managed SNS key); the key
    and topic policies let ``cloudwatch.amazonaws.com`` in only for alarms of this account and
    Region whose names start with ``prefix``.

    Example::

        from ses_events.constructs import AlarmTopic

        topic = AlarmTopic(stack, "Alarms", prefix="mail", emails=["mail-ops@example.com"])

    :param prefix: the alarm name prefix whose alarms may publish.
    :param emails: email addresses to subscribe (each must confirm). Default: none.
    :param topic_name: Default: generated by CloudFormation.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,  # noqa: A002 - the construct id, named as in aws-cdk-lib
        *,
        prefix: str,
        emails: Sequence[str] = (),
        topic_name: str | None = None,
    ) -> None:
        problems = Problems(f"{scope.node.path}/{id} (alarm topic)".lstrip("/"))
        problems.check("prefix", prefix, rules.ALARM_NAME_PREFIX)
        for i, email in enumerate(emails):
            problems.check(f"emails[{i}]", email, rules.EMAIL_ADDRESS)
        problems.raise_if_any()
        super().__init__(scope, id)
        stack = Stack.of(self)
        principal = iam.ServicePrincipal("cloudwatch.amazonaws.com")
        source_account = {"aws:SourceAccount": stack.account}
        alarm_arns = {
            "aws:SourceArn": stack.format_arn(
                service="cloudwatch",
                resource="alarm",
                resource_name=f"{prefix}-*",
                arn_format=ArnFormat.COLON_RESOURCE_NAME,
            )
        }
        self.key = kms.Key(
            self,
            "Key",
            description=f"Encrypts the SES alarm topic of {prefix} alarms",
            enable_key_rotation=True,
        )
        """The customer managed key of the topic."""
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="CloudWatchAlarmsPublish",
                principals=[principal],
                actions=["kms:Decrypt", "kms:GenerateDataKey*"],
                resources=["*"],  # in a key policy, "*" is this key
                # the same confused-deputy conditions as the topic policy: this account's
                # alarms of this prefix only
                conditions={"StringEquals": source_account, "ArnLike": alarm_arns},
            )
        )
        self.topic = sns.Topic(
            self,
            "Topic",
            topic_name=topic_name,
            display_name=f"SES alarms {prefix}",
            master_key=self.key,
            enforce_ssl=True,
        )
        """The SNS topic."""
        tree_state(self.topic, _TOPIC_PREFIX, lambda: prefix)
        self.topic.add_to_resource_policy(
            iam.PolicyStatement(
                sid="CloudWatchAlarmsPublish",
                principals=[principal],
                actions=["sns:Publish"],
                resources=[self.topic.topic_arn],
                conditions={"StringEquals": source_account, "ArnLike": alarm_arns},
            )
        )
        for email in emails:
            self.topic.add_subscription(subscriptions.EmailSubscription(email))


class ConfigurationSetAlarms(Construct):
    """Alarms of one configuration set, and a composite alarm over them.

    - ``bounce_rate`` / ``complaint_rate``: the set's ``Reputation.*`` metrics (needs reputation
      metrics), each with a warning and a critical alarm;
    - ``rendering_failures`` and ``rejects``: any in 5 minutes (critical);
    - ``delivery_delays``: a sustained rise (warning).

    The composite alarm ``<prefix>-<set>-health`` is in ALARM when any critical alarm of the set
    (or of ``related_alarms``, such as its archive's) is.

    Example::

        from ses_events.constructs import AlarmThresholds, ConfigurationSetAlarms, RateThreshold

        ConfigurationSetAlarms(
            stack, "MarketingAlarms",
            configuration_set=marketing,
            prefix="mail",
            alarm_topic=topic.topic,
            thresholds=AlarmThresholds(bounce_rate=RateThreshold(warning=0.02, critical=0.04)),
        )

    :param configuration_set: the set to watch (ours, or an existing one: an
        ``aws_ses.IConfigurationSet`` or its name).
    :param prefix: first part of every alarm name.
    :param alarm_topic: one SNS topic every alarm notifies (ALARM and OK). Default: none.
    :param alarm_actions: actions by level (any ``IAlarmAction``), OK notifications
        optional; instead of ``alarm_topic``. Default: no notifications.
    :param alarms: which alarms to create. Default: every alarm the set supports (reputation
        alarms when reputation metrics are on; count alarms when a CloudWatch destination
        publishes the event type with the ``ses:configuration-set`` dimension). Asking for one
        the set cannot support is an error.
    :param thresholds: Default: :class:`AlarmThresholds` defaults.
    :param related_alarms: more alarms the composite alarm should include. Default: none.
    :param composite: create the composite alarm. Default: ``True``.
    :param notify_via_composite: notify through the composite alarm only (one message per
        incident) instead of through each critical alarm. Warnings always notify directly.
        Default: ``False``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,  # noqa: A002 - the construct id, named as in aws-cdk-lib
        *,
        configuration_set: ConfigurationSetLike,
        prefix: str,
        alarm_topic: sns.ITopic | None = None,
        alarm_actions: AlarmActions | None = None,
        alarms: Iterable[SesAlarm | str] | None = None,
        thresholds: AlarmThresholds | None = None,
        related_alarms: Sequence[cloudwatch.IAlarm] = (),
        composite: bool = True,
        notify_via_composite: bool = False,
    ) -> None:
        configuration_set = EventPublishingConfigurationSet.of(scope, configuration_set)
        name = configuration_set.configuration_set_name
        where = f"{scope.node.path}/{id} (alarms of configuration set {name!r})".lstrip("/")
        thresholds = thresholds or AlarmThresholds()
        problems = Problems(where)
        problems.extend(thresholds.problems())
        supported = supported_alarms(configuration_set)
        chosen: list[SesAlarm] = []
        default = [kind for kind, reason in supported.items() if not reason]
        for requested in default if alarms is None else alarms:
            try:
                kind = SesAlarm(requested)
            except ValueError:
                problems.add(
                    "alarms", requested, "must be one of " + ", ".join(a.value for a in SesAlarm)
                )
                continue
            reason = supported.get(kind)
            if reason:
                problems.add("alarms", kind.value, reason)
            elif kind not in chosen:
                chosen.append(kind)
        if notify_via_composite and not composite:
            problems.add(
                "notify_via_composite", True, "needs composite=True (it notifies through it)"
            )
        problems.raise_if_any()
        insights = [
            kind
            for kind, event_type in _COUNT_ALARMS
            if kind in chosen and configuration_set.metrics.needs_metrics_insights(event_type)
        ]
        super().__init__(scope, id)
        factory = _AlarmFactory(self, prefix, alarm_topic, where, alarm_actions)
        self.alarms: dict[str, cloudwatch.Alarm] = factory.created
        """The alarms, by alarm name."""
        critical: list[cloudwatch.IAlarm] = list(related_alarms)
        metrics = configuration_set.metrics

        def add(alarm: cloudwatch.Alarm, level: AlarmLevel) -> None:
            if level is AlarmLevel.CRITICAL:
                critical.append(alarm)

        for kind, metric, rate in (
            (SesAlarm.BOUNCE_RATE, "reputation_bounce_rate", thresholds.bounce_rate),
            (SesAlarm.COMPLAINT_RATE, "reputation_complaint_rate", thresholds.complaint_rate),
        ):
            if kind not in chosen:
                continue
            label = kind.value.replace("_", " ").capitalize()
            created = factory.rate_alarms(
                subject=name,
                what=kind.value.replace("_", "-"),
                metric=getattr(metrics, metric)(),
                rate=rate,
                description=(
                    f"{label} of configuration set {name} is at least {{value:g}}"
                    " ({value:.2%}); AWS reviews accounts from 5% bounces / 0.1% complaints."
                ),
                notify_critical=not notify_via_composite,
            )
            for level, alarm in created.items():
                add(alarm, level)
        for kind, event_type, threshold, level, periods in (
            (
                SesAlarm.RENDERING_FAILURES,
                EventType.RENDERING_FAILURE,
                thresholds.rendering_failures,
                AlarmLevel.CRITICAL,
                1,
            ),
            (SesAlarm.REJECTS, EventType.REJECT, thresholds.rejects, AlarmLevel.CRITICAL, 1),
            (
                SesAlarm.DELIVERY_DELAYS,
                EventType.DELIVERY_DELAY,
                thresholds.delivery_delays,
                AlarmLevel.WARNING,
                3,
            ),
        ):
            if kind not in chosen:
                continue
            what = kind.value.replace("_", "-")
            add(
                factory.alarm(
                    f"{what}-{level.value}",
                    subject=name,
                    what=what,
                    level=level,
                    metric=metrics.metric(event_type),
                    threshold=threshold,
                    description=(
                        f"{threshold} or more {event_type.metric_name} events per 5 minutes"
                        f" for configuration set {name}"
                        + (f", {periods} periods in a row." if periods > 1 else ".")
                    ),
                    evaluation_periods=periods,
                    datapoints_to_alarm=periods,
                    notify=not (notify_via_composite and level is AlarmLevel.CRITICAL),
                ),
                level,
            )
        self.metrics_insights_alarms: int = len(insights)
        """How many of these alarms run a Metrics Insights query (quota: 200 per Region)."""
        self.composite_alarm: cloudwatch.CompositeAlarm | None = None
        """``<prefix>-<set>-health``: ALARM when any critical alarm of the set is."""
        # A composite alarm for a set with no critical alarm of its own would only repeat the
        # archive's alarms: none then.
        if composite and len(critical) > len(related_alarms):
            composite_name = factory.name(name, "health", None)
            _claim_alarm_name(self, composite_name, where)
            self.composite_alarm = cloudwatch.CompositeAlarm(
                self,
                "Health",
                composite_alarm_name=composite_name,
                alarm_description=f"Any critical alarm of configuration set {name}.",
                alarm_rule=cloudwatch.AlarmRule.any_of(
                    *(
                        cloudwatch.AlarmRule.from_alarm(a, cloudwatch.AlarmState.ALARM)
                        for a in critical
                    )
                ),
            )
            if notify_via_composite:
                factory.notify(self.composite_alarm, AlarmLevel.CRITICAL)


_COUNT_ALARMS = (
    (SesAlarm.RENDERING_FAILURES, EventType.RENDERING_FAILURE),
    (SesAlarm.REJECTS, EventType.REJECT),
    (SesAlarm.DELIVERY_DELAYS, EventType.DELIVERY_DELAY),
)


def supported_alarms(configuration_set: EventPublishingConfigurationSet) -> dict[SesAlarm, str]:
    """Each alarm kind, with ``""`` when the set supports it or the reason it does not."""
    metrics = configuration_set.metrics
    reasons: dict[SesAlarm, str] = {}
    for kind in (SesAlarm.BOUNCE_RATE, SesAlarm.COMPLAINT_RATE):
        reasons[kind] = (
            ""
            if configuration_set.reputation_metrics
            else "needs reputation metrics enabled on the configuration set"
        )
    for kind, event_type in _COUNT_ALARMS:
        reasons[kind] = (
            ""
            if metrics.publishes(event_type)
            else f"needs a CloudWatch event destination publishing {event_type.value} events"
            f" with the {rules.CONFIGURATION_SET_DIMENSION} dimension"
        )
    return reasons


class AccountReputationAlarms(Construct):
    """Warning and critical alarms on the account's ``Reputation.BounceRate`` and ``ComplaintRate``.

    These are the figures AWS reviews; they cover every configuration set and mail sent without
    one. Names: ``<prefix>-account-bounce-rate-warning`` and so on.

    Example::

        AccountReputationAlarms(stack, "Account", prefix="mail", alarm_topic=topic.topic)

    :param prefix: first part of every alarm name.
    :param alarm_topic: one SNS topic every alarm notifies (ALARM and OK). Default: none.
    :param alarm_actions: actions by level (any ``IAlarmAction``), OK notifications
        optional; instead of ``alarm_topic``. Default: no notifications.
    :param thresholds: Default: :class:`AlarmThresholds` defaults (only the rates are used).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,  # noqa: A002 - the construct id, named as in aws-cdk-lib
        *,
        prefix: str,
        alarm_topic: sns.ITopic | None = None,
        alarm_actions: AlarmActions | None = None,
        thresholds: AlarmThresholds | None = None,
    ) -> None:
        where = f"{scope.node.path}/{id} (account reputation alarms)".lstrip("/")
        thresholds = thresholds or AlarmThresholds()
        problems = Problems(where)
        problems.extend(thresholds.problems())
        problems.raise_if_any()
        super().__init__(scope, id)
        factory = _AlarmFactory(self, prefix, alarm_topic, where, alarm_actions)
        self.alarms: dict[str, cloudwatch.Alarm] = factory.created
        """The alarms, by alarm name."""
        for what, metric, rate in (
            ("bounce-rate", account_reputation_bounce_rate(), thresholds.bounce_rate),
            ("complaint-rate", account_reputation_complaint_rate(), thresholds.complaint_rate),
        ):
            factory.rate_alarms(
                subject="account",
                what=what,
                metric=metric,
                rate=rate,
                description=(
                    f"Account {what.replace('-', ' ')} is at least {{value:g}} ({{value:.2%}})."
                ),
            )


class FirehoseArchiveAlarms(Construct):
    """Alarms of a Firehose event archive, each critical (a failing archive loses event data):

    - ``<prefix>-archive-<name>-data-freshness-critical``: records wait too long to reach S3;
    - ``<prefix>-archive-<name>-s3-delivery-critical``: a delivery to S3 failed;
    - ``<prefix>-archive-<name>-throttled-records-critical``: Firehose refused records (over
      the stream's throughput quota);
    - ``<prefix>-archive-<name>-partition-limit-critical``: over the active partition limit,
      records go to the error prefix instead of their set's partition;
    - ``<prefix>-archive-<name>-format-conversion-critical`` (Parquet archives): records that
      failed conversion went to the error prefix.

    Example::

        FirehoseArchiveAlarms(stack, "ArchiveAlarms", archive=archive, archive_name="default",
                              prefix="mail", alarm_topic=topic.topic)

    :param archive: the archive to watch.
    :param archive_name: its name in alarm names.
    :param prefix: first part of every alarm name.
    :param alarm_topic: one SNS topic every alarm notifies (ALARM and OK). Default: none.
    :param alarm_actions: actions by level (any ``IAlarmAction``), OK notifications
        optional; instead of ``alarm_topic``. Default: no notifications.
    :param max_data_age: the oldest a record may be before it reaches S3. Default: three times
        the archive's buffering interval, at least 15 minutes.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,  # noqa: A002 - the construct id, named as in aws-cdk-lib
        *,
        archive: FirehoseEventArchive,
        archive_name: str,
        prefix: str,
        alarm_topic: sns.ITopic | None = None,
        alarm_actions: AlarmActions | None = None,
        max_data_age: Duration | None = None,
    ) -> None:
        where = f"{scope.node.path}/{id} (alarms of archive {archive_name!r})".lstrip("/")
        interval = archive.buffering_interval.to_seconds()
        problems = Problems(where)
        seconds: float = max(900, 3 * interval)
        if max_data_age is not None:
            seconds = (
                problems.whole_seconds(
                    "max_data_age",
                    max_data_age,
                    interval,
                    rules.MAX_FIREHOSE_DATA_AGE_SECONDS,
                    f"must be at least the archive's buffering interval ({interval:g} seconds):"
                    " records wait that long; and at most a day",
                )
                or seconds
            )
        problems.check("archive_name", archive_name, rules.ALARM_NAME_PREFIX)
        problems.raise_if_any()
        super().__init__(scope, id)
        factory = _AlarmFactory(self, prefix, alarm_topic, where, alarm_actions)
        stream = archive.delivery_stream_name
        subject = f"archive-{archive_name}"
        self.data_freshness = factory.alarm(
            "DataFreshness",
            subject=subject,
            what="data-freshness",
            level=AlarmLevel.CRITICAL,
            metric=firehose_metric(stream, "DeliveryToS3.DataFreshness", statistic="Maximum"),
            threshold=seconds,
            description=(
                f"SES events wait more than {seconds:g} seconds to reach S3 in archive"
                f" {archive_name}, 3 periods in a row."
            ),
            evaluation_periods=3,
            datapoints_to_alarm=3,
        )
        """Records older than ``max_data_age`` still undelivered, 3 periods in a row."""
        self.delivery_failures = factory.alarm(
            "S3Delivery",
            subject=subject,
            what="s3-delivery",
            level=AlarmLevel.CRITICAL,
            metric=firehose_metric(stream, "DeliveryToS3.Success", statistic="Average"),
            threshold=1,
            comparison=cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
            description=f"Some deliveries of archive {archive_name} to S3 failed.",
        )
        """Any failed delivery to S3 in a period (success average below 1)."""
        # Firehose recommends an alarm on ThrottledRecords ("Implement best practices with
        # CloudWatch Alarms", https://docs.aws.amazon.com/firehose/latest/dev/firehose-cloudwatch-metrics-best-practices.html):
        # records refused because the stream is over its throughput quota never reach S3.
        self.throttled_records = factory.alarm(
            "ThrottledRecords",
            subject=subject,
            what="throttled-records",
            level=AlarmLevel.CRITICAL,
            metric=firehose_metric(stream, "ThrottledRecords", statistic="Sum"),
            threshold=1,
            description=(
                f"Firehose throttled records of archive {archive_name}: the stream is over its"
                " throughput quota and SES events are refused."
            ),
        )
        """Any throttled record in a period."""
        # The archive partitions by configuration set (dynamic partitioning). Past the stream's
        # active partition limit (500 by default), records go to the error prefix, which the
        # S3 delivery alarm does not see ("Buffer data for dynamic partitioning",
        # https://docs.aws.amazon.com/firehose/latest/dev/buffering.html); PartitionCountExceeded
        # is 1 while that happens.
        self.partition_limit = factory.alarm(
            "PartitionLimit",
            subject=subject,
            what="partition-limit",
            level=AlarmLevel.CRITICAL,
            metric=firehose_metric(stream, "PartitionCountExceeded", statistic="Maximum"),
            threshold=1,
            description=(
                f"Archive {archive_name} is over its active partition limit: records go to the"
                f" error prefix {archive.error_output_prefix!r}, not to their set's partition."
            ),
        )
        """Active partitions over the stream's limit in a period."""
        self.format_conversion: cloudwatch.Alarm | None = None
        """Records Firehose could not convert to Parquet (Parquet archives only)."""
        if archive.storage_format is ArchiveStorageFormat.PARQUET:
            self.format_conversion = factory.alarm(
                "FormatConversion",
                subject=subject,
                what="format-conversion",
                level=AlarmLevel.CRITICAL,
                metric=firehose_metric(stream, "FailedConversion.Records", statistic="Sum"),
                threshold=1,
                description=(
                    f"Records of archive {archive_name} failed conversion to Parquet and went"
                    f" to the error prefix {archive.error_output_prefix!r}."
                ),
            )
        self.alarms: dict[str, cloudwatch.Alarm] = factory.created
        """The alarms, by alarm name."""
