"""The configuration set that SES publishes events through."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import jsii
from aws_cdk import Duration, Resource, Stack, Tags, Token
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_iam as iam
from aws_cdk import aws_ses as ses
from constructs import Construct

from ses_events import compat, render, rules
from ses_events.constructs.identity_ref import IdentityLike, identity_arn, identity_name
from ses_events.constructs.interfaces import ICloudWatchDestination
from ses_events.constructs.metrics import DEFAULT_PERIOD, ConfigurationSetMetrics
from ses_events.constructs.stack_facts import StackFacts
from ses_events.constructs.tree_state import tree_state
from ses_events.errors import Problem, Problems, SesEventsValidationError
from ses_events.model import SetModel, SetOptions
from ses_events.rules import EventType
from ses_events.tokens import is_unresolved, must_be_known

__all__ = ["ConfigurationSetLike", "EventPublishingConfigurationSet"]

# Names already used, per app (on its root) and per environment (account, region): SES names
# configuration sets uniquely per account and region, so two stacks of one app may not both create
# "marketing" for the same environment. Environment-agnostic stacks count as one environment.
_NamesInApp = dict[tuple[str, str], Callable[[], str]]
_T = TypeVar("_T")


class EventPublishingConfigurationSet(Construct):
    """An SES configuration set, with every property of ``AWS::SES::ConfigurationSet``.

    Its properties are rendered once, by :func:`ses_events.render.configuration_set` (the same
    function writes the sets a stack adds in bulk), as aws-cdk-lib's ``aws_ses.ConfigurationSet``
    writes them, with its gaps filled: the MailManager archive, resource tags and a sending pool
    given by name. ``configuration_set`` is the set as an ``aws_ses.IConfigurationSet`` for
    aws-cdk-lib's own constructs; ``cfn_configuration_set`` is the L1 resource.
    Settings are checked against the SES rules before anything is created; a bad one raises
    :class:`~ses_events.errors.SesEventsValidationError` naming the construct, field, value and
    rule.

    Add event destinations with :class:`CloudWatchEventDestination`,
    :class:`FirehoseEventDestination`, :class:`SnsEventDestination` and
    :class:`EventBridgeEventDestination`, passing this construct as ``configuration_set``.

    Example::

        from aws_cdk import Duration
        from aws_cdk import aws_ses as ses
        from ses_events.constructs import EventPublishingConfigurationSet

        marketing = EventPublishingConfigurationSet(
            stack, "Marketing",
            configuration_set_name="marketing",
            tls_policy=ses.ConfigurationSetTlsPolicy.REQUIRE,
            max_delivery_duration=Duration.hours(4),
            suppression_reasons=ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
            tags={"team": "growth"},
        )

    :param configuration_set_name: the name senders pass to SES. Default: the construct id.
        Changing it replaces the configuration set.
    :param tls_policy: require TLS to the receiving server. Default: SES's default (OPTIONAL).
    :param sending_pool_name: dedicated IP pool to send from. Default: the shared pool.
    :param max_delivery_duration: how long SES keeps retrying delivery, 5 minutes to 14 hours.
        Default: SES's default (14 hours).
    :param reputation_metrics: publish per-configuration-set reputation metrics (bounce and
        complaint rate) to CloudWatch. Default: ``True``. Always written to the template: the
        CloudFormation default and its documentation disagree.
    :param sending_enabled: whether SES sends mail with this set. Default: ``True``.
    :param suppression_reasons: reasons that put a recipient on the account's suppression list.
        Default: the account-level setting.
    :param disable_suppression_list: ignore the account-level suppression list entirely.
        Default: ``False``. Cannot be combined with ``suppression_reasons``.
    :param validation_threshold: enable Auto Validation of recipients with this confidence
        verdict threshold (MEDIUM, HIGH or MANAGED), an ``aws_ses.AutoValidationThreshold`` or
        its text (older aws-cdk-lib releases lack the enum). Default: the account-level setting.
    :param disable_validation: turn Auto Validation off for this set. Default: the account-level
        setting. Cannot be combined with ``validation_threshold``.
    :param custom_tracking_redirect_domain: your domain for open and click tracking links.
        Default: SES's own tracking domain.
    :param custom_tracking_https_policy: HTTPS policy of tracking links, an
        ``aws_ses.HttpsPolicy`` or its text (REQUIRE, REQUIRE_OPEN_ONLY, OPTIONAL). Default:
        SES's default.
    :param engagement_metrics: VDM engagement tracking. Default: the account-level setting.
    :param optimized_shared_delivery: VDM optimized shared delivery. Default: the account-level
        setting.
    :param archive_arn: ARN of a MailManager archive that keeps a copy of every message sent.
        Default: no archiving.
    :param tags: resource tags of the configuration set. Default: none (stack tags still apply).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,  # noqa: A002 - the construct id, named as in aws-cdk-lib
        *,
        configuration_set_name: str | None = None,
        tls_policy: ses.ConfigurationSetTlsPolicy | None = None,
        sending_pool_name: str | None = None,
        max_delivery_duration: Duration | None = None,
        reputation_metrics: bool = True,
        sending_enabled: bool = True,
        suppression_reasons: ses.SuppressionReasons | None = None,
        disable_suppression_list: bool = False,
        validation_threshold: ses.AutoValidationThreshold | str | None = None,
        disable_validation: bool | None = None,
        custom_tracking_redirect_domain: str | None = None,
        custom_tracking_https_policy: ses.HttpsPolicy | str | None = None,
        engagement_metrics: bool | None = None,
        optimized_shared_delivery: bool | None = None,
        archive_arn: str | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> None:
        name = configuration_set_name if configuration_set_name is not None else id
        problems = Problems(
            lambda: f"{scope.node.path}/{id} (configuration set {name!r})".lstrip("/")
        )
        problems.check("configuration_set_name", name, rules.CONFIGURATION_SET_NAME)
        if max_delivery_duration is not None and not is_unresolved(max_delivery_duration):
            problems.whole_seconds(
                "max_delivery_duration",
                max_delivery_duration,
                rules.MIN_DELIVERY_SECONDS,
                rules.MAX_DELIVERY_SECONDS,
                f"must be {rules.MIN_DELIVERY_SECONDS} to {rules.MAX_DELIVERY_SECONDS} seconds"
                " (5 minutes to 14 hours)",
            )
        if sending_pool_name is not None:
            problems.check("sending_pool_name", sending_pool_name, rules.DEDICATED_IP_POOL_NAME)
        if custom_tracking_redirect_domain is not None:
            problems.check(
                "custom_tracking_redirect_domain",
                custom_tracking_redirect_domain,
                rules.DOMAIN_NAME,
            )
        if archive_arn is not None:
            problems.check("archive_arn", archive_arn, rules.MAILMANAGER_ARCHIVE_ARN)
        problems.extend(rules.tag_problems(dict(tags or {}), undecided=problems.undecided))
        options = SetOptions(
            tls_policy=None if tls_policy is None else tls_policy.value,
            sending_pool_name=sending_pool_name,
            max_delivery_seconds=None
            if max_delivery_duration is None
            else max_delivery_duration.to_seconds(integral=False),  # refused above unless whole
            suppression_reasons=None
            if suppression_reasons is None
            else _SUPPRESSED_REASONS[suppression_reasons.value],
            disable_suppression_list=disable_suppression_list,
            validation_enabled=None if disable_validation is None else not disable_validation,
            validation_threshold=_enum_value(
                problems,
                "validation_threshold",
                validation_threshold,
                rules.CONFIDENCE_VERDICT_THRESHOLDS,
            ),
            custom_redirect_domain=custom_tracking_redirect_domain,
            https_policy=_enum_value(
                problems,
                "custom_tracking_https_policy",
                custom_tracking_https_policy,
                rules.TRACKING_HTTPS_POLICIES,
            ),
            engagement_metrics=engagement_metrics,
            optimized_shared_delivery=optimized_shared_delivery,
            archive_arn=archive_arn,
            tags=tuple(sorted((tags or {}).items())),
        )
        given = {
            "suppression_reasons": suppression_reasons,
            "validation_threshold": validation_threshold,
            "https_policy": custom_tracking_https_policy,
        }
        for option, rule in rules.set_option_problems(options, _PARAMETERS.__getitem__):
            chosen = given[option]
            problems.add(_PARAMETERS[option], getattr(chosen, "value", chosen), rule)
        problems.raise_if_any()

        super().__init__(scope, id)
        stack = StackFacts.of(scope)
        self._claim_name(stack, name, problems)

        self.configuration_set_name: str = name
        """The name of the configuration set, as senders pass it to SES."""
        self.reputation_metrics: bool = reputation_metrics
        """Whether SES publishes this set's reputation metrics (bounce and complaint rate)."""

        model = SetModel(
            name=name,
            reputation_metrics=reputation_metrics,
            sending_enabled=sending_enabled,
            options=options,
        )
        # The L1 sits where aws-cdk-lib's aws_ses.ConfigurationSet put its own (this construct /
        # "Resource" / "Resource"), so it keeps the logical id that sets made by earlier
        # versions have; the handle in between is the typed aws_ses.IConfigurationSet.
        handle = _ConfigurationSetHandle(self, render.RESOURCE_ID, model)
        self.configuration_set: ses.IConfigurationSet = handle
        """The set as an aws-cdk-lib ``aws_ses.IConfigurationSet`` (its name is a ``Ref`` to the
        set); for an existing set, the ``IConfigurationSet`` it was given."""
        self._cfn = handle.cfn
        # Tags through Tags.of, as the L2 had them: they win over the stack's tags of one key.
        # An aws-cdk-lib whose CfnConfigurationSet takes no tags (2.160) would drop them: there
        # the set's own tags are written raw (tags of the stack do not reach it, as they do not
        # reach aws-cdk-lib's own L2 on that release).
        if compat.taggable(self._cfn):
            for key, value in options.tags:
                Tags.of(self._cfn).add(key, value)
        elif options.tags:
            self._cfn.add_property_override(
                "Tags", [{"Key": key, "Value": value} for key, value in options.tags]
            )
        self.options: SetOptions | None = options
        """The set's own options as plain data (what :func:`ses_events.render.configuration_set`
        writes); ``None`` for an existing set, whose options this app does not know."""

        self.configuration_set_arn: str = stack.configuration_set_arn(name)
        """ARN of the configuration set, the ``aws:SourceArn`` SES presents to destinations."""
        self._ref: str = self._cfn.ref
        # (a Ref, so destinations are created after the set)

        self._destination_names: list[str] = []
        self._cloudwatch_destinations: list[ICloudWatchDestination] = []
        self.metrics = ConfigurationSetMetrics(self)
        """The set's CloudWatch metrics: counts, per-dimension breakdowns, rates, reputation."""

    @classmethod
    def from_configuration_set(
        cls,
        scope: Construct,
        id: str,  # noqa: A002 - the construct id, named as in aws-cdk-lib
        configuration_set: ses.IConfigurationSet | str,
        *,
        reputation_metrics: bool = True,
    ) -> EventPublishingConfigurationSet:
        """A configuration set that exists already (created by hand, or by another stack or
        tool), to add event destinations, metrics, alarms and dashboard sections to.

        Nothing is created for the set itself and none of its settings change. Destination
        names are still checked (unique, at most 10 per set) among the destinations this app
        adds; destinations the set has already are not known here, so SES may still refuse a
        name it holds or an eleventh destination at deploy.

        Example::

            existing = EventPublishingConfigurationSet.from_configuration_set(
                stack, "Existing", "transactional"
            )
            SnsEventDestination(stack, "Bounces", configuration_set=existing,
                                event_types=["bounce", "complaint"])

        :param configuration_set: the set, as an ``aws_ses.IConfigurationSet`` (for example
            ``ses.ConfigurationSet.from_configuration_set_name(...)``) or its name.
        :param reputation_metrics: whether the set publishes reputation metrics (SES cannot be
            asked at synth). Default: ``True``; the reputation metric helpers refuse when
            ``False``.
        """
        return _ExistingConfigurationSet(
            scope, id, configuration_set, reputation_metrics=reputation_metrics
        )

    @classmethod
    def of(
        cls, scope: Construct, configuration_set: ConfigurationSetLike
    ) -> EventPublishingConfigurationSet:
        """``configuration_set`` as an :class:`EventPublishingConfigurationSet`: itself, or the
        one existing-set wrapper of its name in ``scope``'s stack (made on first use, so that
        several destinations of one existing set share its destination-name checks)."""
        if isinstance(configuration_set, EventPublishingConfigurationSet):
            return configuration_set
        name = _existing_name(scope, configuration_set)
        stack = Stack.of(scope)
        found = stack.node.try_find_child(f"ExistingConfigurationSet-{name}")
        if isinstance(found, EventPublishingConfigurationSet):
            return found
        return _ExistingConfigurationSet(
            stack, f"ExistingConfigurationSet-{name}", configuration_set
        )

    @classmethod
    def from_model(
        cls,
        scope: Construct,
        id: str,  # noqa: A002 - the construct id, named as in aws-cdk-lib
        model: SetModel,
    ) -> EventPublishingConfigurationSet:
        """The set that ``model`` describes (its name, reputation metrics, sending and options;
        destinations are constructs of their own). What the stacks build from a spec.

        Example::

            from ses_events.model import SetModel, SetOptions

            EventPublishingConfigurationSet.from_model(
                stack, "marketing",
                SetModel("marketing", options=SetOptions(tls_policy="REQUIRE")),
            )
        """
        o = model.options
        reasons = _maybe(_SUPPRESSION_REASONS.__getitem__, o.suppression_reasons)
        return cls(
            scope,
            id,
            configuration_set_name=model.name,
            tls_policy=_maybe(ses.ConfigurationSetTlsPolicy, o.tls_policy),
            sending_pool_name=o.sending_pool_name,
            max_delivery_duration=_maybe(Duration.seconds, o.max_delivery_seconds),
            reputation_metrics=model.reputation_metrics,
            sending_enabled=model.sending_enabled,
            suppression_reasons=_maybe(ses.SuppressionReasons, reasons),
            disable_suppression_list=o.disable_suppression_list,
            validation_threshold=o.validation_threshold,
            disable_validation=None if o.validation_enabled is None else not o.validation_enabled,
            custom_tracking_redirect_domain=o.custom_redirect_domain,
            custom_tracking_https_policy=o.https_policy,
            engagement_metrics=o.engagement_metrics,
            optimized_shared_delivery=o.optimized_shared_delivery,
            archive_arn=o.archive_arn,
            tags=dict(o.tags),
        )

    @property
    def cfn_configuration_set(self) -> ses.CfnConfigurationSet:
        """The CloudFormation resource, for escape hatches."""
        return self._cfn

    @property
    def cloudwatch_destinations(self) -> tuple[ICloudWatchDestination, ...]:
        """The CloudWatch event destinations added so far, in order."""
        return tuple(self._cloudwatch_destinations)

    def add_cloudwatch_destination(self, destination: ICloudWatchDestination) -> None:
        """Record a CloudWatch destination of this set (called by
        :class:`CloudWatchEventDestination`; metrics and alarms read its dimensions)."""
        self._cloudwatch_destinations.append(destination)

    @property
    def configuration_set_reference(self) -> str:
        """The name as event destinations write it: a ``Ref`` to the set when this stack creates
        it (CloudFormation then creates the set first), the plain name for an existing set."""
        return self._ref

    def metric(
        self, event_type: EventType, *, period: Duration = DEFAULT_PERIOD
    ) -> cloudwatch.IMetric:
        """Events of ``event_type`` sent with this set, summed per period (alarmable).

        Needs a CloudWatch event destination publishing the event type with the
        ``ses:configuration-set`` dimension. See :class:`ConfigurationSetMetrics`.
        """
        return self.metrics.metric(event_type, period=period)

    def metric_per_value(
        self, event_type: EventType, dimension: str, *, period: Duration = DEFAULT_PERIOD
    ) -> cloudwatch.MathExpression:
        """One series per value of ``dimension`` (a SEARCH expression, for graphs)."""
        return self.metrics.metric_per_value(event_type, dimension, period=period)

    def metric_bounce_rate(self, period: Duration = DEFAULT_PERIOD) -> cloudwatch.MathExpression:
        """Bounces per send, a fraction from 0 to 1 (0 when nothing was sent)."""
        return self.metrics.bounce_rate(period)

    def metric_complaint_rate(self, period: Duration = DEFAULT_PERIOD) -> cloudwatch.MathExpression:
        """Complaints per send, a fraction from 0 to 1 (0 when nothing was sent)."""
        return self.metrics.complaint_rate(period)

    def metric_reputation_bounce_rate(self) -> cloudwatch.Metric:
        """SES's ``Reputation.BounceRate`` for this set (needs ``reputation_metrics=True``)."""
        return self.metrics.reputation_bounce_rate()

    def metric_reputation_complaint_rate(self) -> cloudwatch.Metric:
        """SES's ``Reputation.ComplaintRate`` for this set (needs ``reputation_metrics=True``)."""
        return self.metrics.reputation_complaint_rate()

    def grant_send(self, grantee: iam.IGrantable, identity: IdentityLike) -> iam.Grant:
        """Let ``grantee`` send mail from ``identity`` with this configuration set.

        Sending with a configuration set needs ``ses:SendEmail`` / ``ses:SendRawEmail`` on the
        identity *and* on the set: both are resource types of these actions ("Actions,
        resources, and condition keys for Amazon SES",
        https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonses.html).
        The policy allows exactly these two actions on exactly these two ARNs.

        Example::

            marketing.grant_send(sender_function, "example.com")

        :param grantee: the role, user or function that sends.
        :param identity: the identity mail is sent from: a domain, an address or an
            ``aws_ses.IEmailIdentity``.
        """
        problems = Problems(
            lambda: (
                f"{self.node.path} (grant_send of configuration set"
                f" {self.configuration_set_name!r})"
            )
        )
        identity_name(identity, problems)
        problems.raise_if_any()
        return iam.Grant.add_to_principal(
            grantee=grantee,
            actions=list(SEND_ACTIONS),
            resource_arns=[identity_arn(self, identity), self.configuration_set_arn],
        )

    @property
    def event_destination_names(self) -> tuple[str, ...]:
        """Names of the event destinations added so far, in order."""
        return tuple(self._destination_names)

    def reserve_destination_name(self, name: str) -> str | None:
        """Reserve ``name`` for a new event destination; return the broken rule, if any
        (unique within the set, at most 10 destinations per set)."""
        broken = rules.new_destination_problem(self._destination_names, name)
        if broken is not None:
            return broken
        self._destination_names.append(name)
        return None

    def _claim_name(self, stack: StackFacts, name: str, problems: Problems) -> None:
        names: _NamesInApp = tree_state(stack.root, "configuration_set_names", dict)
        key = (name, stack.environment)
        if key in names:
            raise SesEventsValidationError(
                problems.where,
                [
                    Problem(
                        "configuration_set_name",
                        name,
                        f"is already used by {names[key]()} in this app for the same account and"
                        " region: configuration set names are unique per account and region",
                    )
                ],
            )
        names[key] = lambda: self.node.path


_SUPPRESSED_REASONS = {
    "BOUNCES_AND_COMPLAINTS": ("BOUNCE", "COMPLAINT"),
    "BOUNCES_ONLY": ("BOUNCE",),
    "COMPLAINTS_ONLY": ("COMPLAINT",),
}
"""``aws_ses.SuppressionReasons`` as the reasons SES takes (aws-cdk-lib's own mapping)."""
_SUPPRESSION_REASONS = {reasons: name for name, reasons in _SUPPRESSED_REASONS.items()}

_PARAMETERS = {
    "suppression_reasons": "suppression_reasons",
    "disable_suppression_list": "disable_suppression_list",
    "validation_threshold": "validation_threshold",
    "validation_enabled": "disable_validation",
    "https_policy": "custom_tracking_https_policy",
    "custom_redirect_domain": "custom_tracking_redirect_domain",
}
"""The parameter of this construct that sets each option of :class:`ses_events.model.SetOptions`
named in :func:`ses_events.rules.set_option_problems`."""


@jsii.implements(ses.IConfigurationSet)
class _ConfigurationSetHandle(Resource):
    """A set this app creates, as aws-cdk-lib's ``aws_ses.IConfigurationSet``: the resource
    rendered by :func:`ses_events.render.configuration_set` (tags apart), named by its ``Ref``."""

    def __init__(self, scope: Construct, id: str, model: SetModel) -> None:  # noqa: A002
        super().__init__(scope, id, physical_name=model.name)
        self.cfn = render.l1_resource(
            ses.CfnConfigurationSet,
            self,
            render.RESOURCE_ID,
            render.configuration_set(model, tags=False),
        )
        self._name = self.cfn.ref

    @property
    def configuration_set_name(self) -> str:
        return self._name

    @property
    def configuration_set_ref(self) -> Any:
        """``IConfigurationSet``'s reference (aws-cdk-lib 2.225 and newer ask for it)."""
        return compat.configuration_set_reference(self._name)


def _enum_value(problems: Problems, field: str, given: Any, allowed: tuple[str, ...]) -> str | None:
    """The value of an aws_ses enum member, or of its text (aws-cdk-lib 2.160 to 2.2xx have no
    ``AutoValidationThreshold`` or ``HttpsPolicy``: their users pass "HIGH", "REQUIRE"...)."""
    if given is None:
        return None
    value = getattr(given, "value", given)
    if value not in allowed:
        problems.add(field, value, "must be one of " + ", ".join(allowed))
    return str(value)


def _maybe(convert: Callable[[Any], _T], value: Any) -> _T | None:
    """``convert(value)``, or ``None`` for ``None`` (an option left at its default)."""
    return None if value is None else convert(value)


SEND_ACTIONS = ("ses:SendEmail", "ses:SendRawEmail")
"""What sending needs, on the identity and on the configuration set (the actions of aws-cdk-lib's
``EmailIdentity.grant_send_email``)."""

ConfigurationSetLike = EventPublishingConfigurationSet | ses.IConfigurationSet | str
"""What the destinations, metrics, alarms and dashboards accept as a configuration set: one of
ours, an ``aws_ses.IConfigurationSet`` that exists already, or the name of one."""


def _existing_name(scope: Construct, configuration_set: ses.IConfigurationSet | str) -> str:
    name = (
        configuration_set
        if isinstance(configuration_set, str)
        else configuration_set.configuration_set_name
    )
    problems = Problems(lambda: f"{scope.node.path} (existing configuration set {name!r})")
    if Token.is_unresolved(name):
        problems.add(
            "configuration_set",
            name,
            must_be_known(
                "an existing set is looked up by its name, and its metrics, policies and"
                " alarms are keyed by it",
                "import it by its literal name",
            ),
        )
    else:
        problems.check("configuration_set", name, rules.CONFIGURATION_SET_NAME)
    problems.raise_if_any()
    return name


class _ExistingConfigurationSet(EventPublishingConfigurationSet):
    """A configuration set made elsewhere: nothing is created for it; see
    :meth:`EventPublishingConfigurationSet.from_configuration_set`."""

    def __init__(
        self,
        scope: Construct,
        id: str,  # noqa: A002
        configuration_set: ses.IConfigurationSet | str,
        *,
        reputation_metrics: bool = True,
    ) -> None:
        name = _existing_name(scope, configuration_set)
        Construct.__init__(self, scope, id)
        self.configuration_set_name = name
        self.reputation_metrics = reputation_metrics
        self.options = None
        self.configuration_set = (
            ses.ConfigurationSet.from_configuration_set_name(self, "Imported", name)
            if isinstance(configuration_set, str)
            else configuration_set
        )
        self.configuration_set_arn = StackFacts.of(self).configuration_set_arn(name)
        # The name itself: there is no resource in this stack to depend on.
        self._ref = name
        self._destination_names = []
        self._cloudwatch_destinations = []
        self.metrics = ConfigurationSetMetrics(self)

    @property
    def cfn_configuration_set(self) -> ses.CfnConfigurationSet:
        """An existing set has no CloudFormation resource in this app."""
        raise SesEventsValidationError(
            self.node.path,
            [
                Problem(
                    "cfn_configuration_set",
                    self.configuration_set_name,
                    "is an existing configuration set: this app has no resource to override",
                )
            ],
        )
