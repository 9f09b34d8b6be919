"""An SES tenant (``AWS::SES::Tenant``): one customer's sending, isolated from the others'.

A tenant groups email identities, configuration sets and templates, has its own reputation and
sending status, and SES can pause it on its own under a reputation policy, before one customer's
bounces put the whole account under review (SES Developer Guide, "Tenants",
https://docs.aws.amazon.com/ses/latest/dg/tenants.html). The rules checked here are in
:mod:`ses_events.rules.tenants`, with their sources.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence

import aws_cdk
from aws_cdk import ArnFormat, Fn, Stack, Token
from aws_cdk import aws_ses as ses
from constructs import Construct, IConstruct

from ses_events import render, rules
from ses_events.compat import acknowledge
from ses_events.constructs.configuration_set import (
    ConfigurationSetLike,
    EventPublishingConfigurationSet,
)
from ses_events.constructs.identity_ref import IdentityLike, identity_arn, identity_name
from ses_events.errors import Problems

__all__ = [
    "TENANT_TYPE",
    "ReputationPolicy",
    "Tenant",
    "TenantSuppressionScope",
    "acknowledge_newer_properties",
    "policy_arn_template",
]

TENANT_TYPE = "AWS::SES::Tenant"
_CFN_TENANT: type | None = getattr(ses, "CfnTenant", None)
"""aws-cdk-lib's L1 class, where the installed release has it (newer than 2.160)."""


class ReputationPolicy(enum.StrEnum):
    """The SES-managed reputation policies a tenant can be under."""

    NONE = "none"
    STANDARD = "standard"
    STRICT = "strict"


class TenantSuppressionScope(enum.StrEnum):
    """Whose suppression list a tenant's bounces and complaints go to."""

    ACCOUNT = "ACCOUNT"
    """The account's list (SES's default)."""
    TENANT = "TENANT"
    """The tenant's own list."""


class Tenant(Construct):
    """An SES tenant and the resources it sends with.

    Rendered with aws-cdk-lib's ``CfnTenant`` where the installed release has it (its newer
    properties written raw where it lacks them), else as the raw ``AWS::SES::Tenant`` resource:
    the same template either way.

    Example::

        from ses_events.constructs import EventPublishingConfigurationSet, ReputationPolicy, Tenant

        acme_mail = EventPublishingConfigurationSet(
            stack, "AcmeMail", configuration_set_name="acme-mail"
        )
        Tenant(
            stack,
            "Acme",
            tenant_name="acme",
            configuration_sets=[acme_mail],
            identities=["acme.example.com"],
            reputation_policy=ReputationPolicy.STANDARD,
        )

    :param tenant_name: 1 to 64 ASCII letters, digits, '_' or '-' (a token is left to
        CloudFormation).
    :param configuration_sets: sets the tenant sends with: ours, an ``IConfigurationSet`` or a
        name. A set may belong to several tenants.
    :param identities: identities it sends from: an ``IEmailIdentity``, a domain or an address.
    :param templates: email templates it sends with, by name or ARN.
    :param resource_arns: further SES resources to associate, by ARN (passed as given).
    :param reputation_policy: the policy under which SES may pause the tenant on its own.
        Default: SES's.
    :param suppression_reasons: reasons that add an address to the tenant's suppression list
        (``BOUNCE``, ``COMPLAINT``). Default: SES's (no tenant suppression attributes).
    :param suppression_scope: whose list those addresses go to. Default: ``ACCOUNT`` when
        reasons are given.
    :param tags: resource tags (at most 50, with the stack's).
    :raises SesEventsValidationError: for anything SES would refuse, naming the construct, the
        field, the value and the rule.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,  # noqa: A002 - the construct id, named as in aws-cdk-lib
        *,
        tenant_name: str,
        configuration_sets: Sequence[ConfigurationSetLike] = (),
        identities: Sequence[IdentityLike] = (),
        templates: Sequence[str] = (),
        resource_arns: Sequence[str] = (),
        reputation_policy: ReputationPolicy | str | None = None,
        suppression_reasons: Sequence[str] | None = None,
        suppression_scope: TenantSuppressionScope | str | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> None:
        problems = Problems(lambda: f"{scope.node.path}/{id} (tenant {tenant_name!r})".lstrip("/"))
        problems.check("tenant_name", tenant_name, rules.TENANT_NAME)
        names = [identity_name(identity, problems, "identities") for identity in identities]
        problems.extend(
            rules.resource_problems(
                "templates", list(templates), rules.TEMPLATE_NAME, undecided=problems.undecided
            )
        )
        problems.extend(
            rules.resource_problems(
                "resource_arns", list(resource_arns), rules.SES_ARN, undecided=problems.undecided
            )
        )
        policy = None if reputation_policy is None else str(reputation_policy)
        if (
            policy is not None
            and not problems.undecided(policy)
            and policy not in rules.REPUTATION_POLICIES
        ):
            problems.add(
                "reputation_policy",
                policy,
                f"must be one of {', '.join(rules.REPUTATION_POLICIES)} (SES's managed policies)",
            )
        scope_value = None if suppression_scope is None else str(suppression_scope)
        if suppression_reasons is not None or scope_value is not None:
            problems.extend(
                (f, v, r)
                for f, v, r in rules.suppression_problems(
                    list(suppression_reasons or ()),
                    scope_value or TenantSuppressionScope.ACCOUNT.value,
                )
                if not problems.undecided(v)
            )
        problems.extend(rules.tag_problems(dict(tags or {}), undecided=problems.undecided))
        problems.raise_if_any()
        super().__init__(scope, id)
        stack = Stack.of(self)
        sets = [self._set_arn(cs) for cs in configuration_sets]
        arns = [
            *sets,
            *(identity_arn(self, identity) for identity in identities),
            *(self._template_arn(stack, t) for t in templates),
            *resource_arns,
        ]
        properties = render.tenant(
            tenant_name,
            arns=arns,
            policy_arn=None if policy is None else _policy_arn(policy),
            suppression_reasons=suppression_reasons,
            suppression_scope=scope_value,
            tags=tags,
        )
        self.resource: aws_cdk.CfnResource = (
            render.l1_resource(_CFN_TENANT, self, render.RESOURCE_ID, properties)
            if _CFN_TENANT is not None
            else aws_cdk.CfnResource(
                self, render.RESOURCE_ID, type=TENANT_TYPE, properties=properties
            )
        )
        """The ``AWS::SES::Tenant`` resource (``CfnTenant``, or a ``CfnResource`` before it)."""
        acknowledge_newer_properties(self.resource, [properties])
        self.tenant_name: str = tenant_name
        """The tenant's name (what senders pass as ``TenantName``)."""
        self.tenant_arn: str = Token.as_string(self.resource.get_att("Arn"))
        """The tenant's ARN (``Fn::GetAtt [..., Arn]``): what the breaker pauses."""
        self.identity_names: tuple[str, ...] = tuple(names)
        """The identities it sends from, by name."""

    def _set_arn(self, configuration_set: ConfigurationSetLike) -> str:
        if isinstance(configuration_set, EventPublishingConfigurationSet):
            # a set made here is associated once it exists (its name is text, not a Ref)
            self.node.add_dependency(configuration_set)
            return configuration_set.configuration_set_arn
        name = (
            configuration_set
            if isinstance(configuration_set, str)
            else configuration_set.configuration_set_name
        )
        return Stack.of(self).format_arn(
            service="ses",
            resource="configuration-set",
            resource_name=name,
            arn_format=ArnFormat.SLASH_RESOURCE_NAME,
        )

    @staticmethod
    def _template_arn(stack: Stack, template: str) -> str:
        if not Token.is_unresolved(template) and template.startswith("arn:"):
            return template
        return stack.format_arn(
            service="ses",
            resource="template",
            resource_name=template,
            arn_format=ArnFormat.SLASH_RESOURCE_NAME,
        )


_NEWER_PROPERTIES = ("ReputationEntity", "SuppressionAttributes")


def acknowledge_newer_properties(scope: IConstruct, tenants: Sequence[render.Properties]) -> None:
    """Acknowledge, on ``scope``, aws-cdk-lib's template validation finding about the newer
    properties of the ``tenants`` (their properties), if any has them."""
    newer = [name for name in _NEWER_PROPERTIES if any(name in p for p in tenants)]
    if newer:
        acknowledge(
            scope,
            _SCHEMA_FINDING,
            f"{' and '.join(newer)} belong to AWS::SES::Tenant in CloudFormation's registry"
            " schema (cfn-lint checks them) and aws-cdk-lib's CfnTenant renders them, but"
            " the schema its template validation uses lacks them (aws-cdk-lib 2.275.0)",
        )


_SCHEMA_FINDING = "CloudFormation-Validate::F3002"
"""aws-cdk-lib's template validation ("@aws-cdk/core:validateAgainstDefaultRules"): "Additional
properties are not allowed"."""


def policy_arn_template(policy: str) -> str:
    """The ``Fn::Sub`` string of the reputation policy ``policy``'s ARN."""
    return rules.REPUTATION_POLICY_ARN.replace("{policy}", policy)


def _policy_arn(policy: str) -> str:
    """``arn:<partition>:ses:<region>:aws:reputation-policy/<policy>``: SES owns the policies; a
    token (a parameter) is substituted by CloudFormation."""
    if Token.is_unresolved(policy):
        return Fn.sub(
            rules.REPUTATION_POLICY_ARN.replace("{policy}", "${Policy}"), {"Policy": policy}
        )
    return Fn.sub(policy_arn_template(policy))
