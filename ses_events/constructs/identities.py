"""An email identity's default configuration set.

A configuration set only sees mail sent with its name. SES applies an identity's *default
configuration set* to mail from that identity sent without one ("Default configuration sets",
SES Developer Guide, https://docs.aws.amazon.com/ses/latest/dg/managing-configuration-sets.html),
so events exist even for senders that never pass a set name. To let a sender use the set, see
:meth:`EventPublishingConfigurationSet.grant_send`.
"""

from __future__ import annotations

from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_ses as ses
from aws_cdk import custom_resources as cr
from constructs import Construct, IConstruct

from ses_events.compat import acknowledge
from ses_events.constructs.configuration_set import (
    ConfigurationSetLike,
    EventPublishingConfigurationSet,
)
from ses_events.constructs.identity_ref import IdentityLike, identity_arn, identity_name
from ses_events.errors import Problems

__all__ = ["IdentityDefaultConfigurationSet"]


class IdentityDefaultConfigurationSet(Construct):
    """Makes a configuration set the default of an email identity (a domain or an address).

    Mail sent from the identity without a configuration set name then goes through this set and
    publishes its events.

    - For an identity this app creates (an ``aws_ses.EmailIdentity``), the identity's own
      ``ConfigurationSetAttributes`` are set: no extra resource. (Passing ``configuration_set``
      to ``EmailIdentity`` does the same.)
    - For an existing identity (a name, or ``EmailIdentity.from_email_identity_name``), a custom
      resource calls SES v2 ``PutEmailIdentityConfigurationSetAttributes`` on create and update,
      and on delete leaves the identity with **no** default set (SES keeps no history of the
      previous one). Its Lambda function may only call that action on this identity.

    Example::

        from ses_events.constructs import IdentityDefaultConfigurationSet

        IdentityDefaultConfigurationSet(
            stack, "NewsDefault", identity="news.example.com", configuration_set=marketing
        )

    :param identity: the identity (domain or address, or an ``aws_ses.IEmailIdentity``).
    :param configuration_set: the set to make its default (ours, an ``IConfigurationSet`` or a
        name).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,  # noqa: A002 - the construct id, named as in aws-cdk-lib
        *,
        identity: IdentityLike,
        configuration_set: ConfigurationSetLike,
    ) -> None:
        cs = EventPublishingConfigurationSet.of(scope, configuration_set)
        where = (
            f"{scope.node.path}/{id} (default configuration set"
            f" {cs.configuration_set_name!r} of an identity)"
        ).lstrip("/")
        problems = Problems(where)
        name = identity_name(identity, problems)
        cfn = identity.node.default_child if isinstance(identity, ses.EmailIdentity) else None
        if isinstance(cfn, ses.CfnEmailIdentity):
            current = cfn.configuration_set_attributes
            if current is not None:
                problems.add(
                    "identity",
                    name,
                    "already has a default configuration set (given to EmailIdentity): an"
                    " identity has one default",
                )
        problems.raise_if_any()
        super().__init__(scope, id)
        self.identity_name: str = name
        """The identity (domain or address)."""
        self.custom_resource: cr.AwsCustomResource | None = None
        """The custom resource that sets the default of an existing identity (else ``None``)."""
        if isinstance(cfn, ses.CfnEmailIdentity):
            cfn.configuration_set_attributes = (
                ses.CfnEmailIdentity.ConfigurationSetAttributesProperty(
                    configuration_set_name=cs.configuration_set.configuration_set_name
                )
            )
            return

        def put(parameters: dict[str, str]) -> cr.AwsSdkCall:
            return cr.AwsSdkCall(
                service="@aws-sdk/client-sesv2",
                action="PutEmailIdentityConfigurationSetAttributes",
                parameters=parameters,
                # one physical resource per identity: another identity is a replacement, and
                # CloudFormation's delete of the old one clears that identity's default
                physical_resource_id=cr.PhysicalResourceId.of(f"default-configuration-set/{name}"),
            )

        assign = put(
            {
                "EmailIdentity": name,
                "ConfigurationSetName": cs.configuration_set.configuration_set_name,
            }
        )
        self.custom_resource = cr.AwsCustomResource(
            self,
            "Resource",
            resource_type="Custom::SesIdentityDefaultConfigurationSet",
            on_create=assign,
            on_update=assign,
            on_delete=put({"EmailIdentity": name}),
            policy=cr.AwsCustomResourcePolicy.from_statements(
                [
                    iam.PolicyStatement(
                        actions=["ses:PutEmailIdentityConfigurationSetAttributes"],
                        resources=[identity_arn(self, identity)],
                    )
                ]
            ),
            install_latest_aws_sdk=False,
        )
        # AwsCustomResource runs one Lambda function per stack (a singleton); its role has the
        # AWS managed basic execution policy (AWSLambdaBasicExecutionRole: writing its own
        # logs), which cdk-nag flags.
        provider = Stack.of(self).node.try_find_child(_PROVIDER_ID)
        if provider is not None:
            _acknowledge_managed_logging_policy(provider)


def _acknowledge_managed_logging_policy(provider: IConstruct) -> None:
    acknowledge(
        provider,
        f"AwsSolutions-IAM4[Policy::{_BASIC_EXECUTION_POLICY}]",
        "aws-cdk-lib's AwsCustomResource provider: the managed policy lets the function write"
        " its own CloudWatch logs and nothing else; its SES permission is a separate statement"
        " on one identity.",
    )


_BASIC_EXECUTION_POLICY = (
    "arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
)


# The construct id aws-cdk-lib gives AwsCustomResource's singleton provider function.
_PROVIDER_ID = "AWS679f53fac002430cb0da5b7982bd2287"
