"""Plain configuration sets in bulk: one ``CfnInclude`` per stack instead of a construct each.

Every construct created from Python is a jsii round trip (about a millisecond); a set with three
destinations takes eight or nine. For the *plain* sets of a spec (any options and destinations,
but no alarms, dashboard section or tags of their own: :func:`is_plain`) the stack writes their
resources as a CloudFormation template in Python and adds them all with one
``cloudformation_include.CfnInclude``: the same resources, rendered by the same functions as the
constructs' (:mod:`ses_events.render`), with the logical ids the constructs would get
(``render.logical_id`` is aws-cdk-lib's ``makeUniqueId``, length limit included), so a deployed
stack does not change when a set moves between the two paths. Shared resources (archives, topics,
the default event bus) come in as the included template's parameters. A test synthesizes the same
spec both ways and compares the templates.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping, Sequence, Set
from pathlib import Path
from typing import Any

import aws_cdk
from aws_cdk import ArnFormat, Stack, Token
from aws_cdk import cloudformation_include as cfn_include

from ses_events import render, rules
from ses_events.constructs import FirehoseEventArchive, SnsEventTopic
from ses_events.constructs.stack_facts import StackFacts
from ses_events.constructs.tenant import (
    TENANT_TYPE,
    acknowledge_newer_properties,
    policy_arn_template,
)
from ses_events.model import DestinationKind
from ses_events.render import logical_id
from ses_events.spec import ConfigurationSetSpec, EventPublishingSpec, TenantSpec

__all__ = [
    "BULK_CONSTRUCT_ID",
    "IncludedTenant",
    "add_plain_sets",
    "is_plain",
    "is_plain_tenant",
]

BULK_CONSTRUCT_ID = "ses-events.plain-sets"
"""Id of the ``CfnInclude`` (a dot: no configuration set name can take it)."""


def is_plain(spec: EventPublishingSpec, cs: ConfigurationSetSpec) -> bool:
    """Whether the set can be written in bulk: no alarms, no dashboard section, no tags of its
    own. (Its options are rendered like the constructs' by :func:`ses_events.render.
    configuration_set`; its own tags are not, because a tag given to an included resource ranks
    below the stack's tags of the same key, whereas the construct's ``Tags.of`` ranks above.)"""
    monitoring, model = spec.monitoring, cs.to_model()
    shown = monitoring.enabled and monitoring.dashboards != "none" and model.dashboard
    alarms = monitoring.enabled and model.alarms != ()
    return not model.options.tags and not shown and not alarms


def is_plain_tenant(tenant: TenantSpec, plain_sets: Set[str]) -> bool:
    """Whether the tenant can be written in bulk: every set it sends with is (``plain_sets``:
    their names), and it has no tags of its own (as for sets: :func:`is_plain`)."""
    return not tenant.tags and all(name in plain_sets for name in tenant.configuration_sets)


class IncludedTenant:
    """A spec tenant written in bulk: what the stack's monitoring and breaker ask of a
    :class:`~ses_events.constructs.Tenant`, its resource looked up only when asked."""

    def __init__(self, included: cfn_include.CfnInclude, tenant: TenantSpec) -> None:
        self._included = included
        self.tenant_name: str = tenant.name
        """The tenant's name (what senders pass as ``TenantName``)."""
        self.identity_names: tuple[str, ...] = tuple(
            i for i in tenant.identities if not i.startswith("arn:")
        )
        """The identities it sends from, by name (those given by ARN left out, as there)."""
        self.logical_id: str = logical_id(render.tenant_path(tenant.name))
        """The logical id of its ``AWS::SES::Tenant`` (the construct's)."""

    @property
    def resource(self) -> aws_cdk.CfnResource:
        """The included ``AWS::SES::Tenant``."""
        return self._included.get_resource(self.logical_id)

    @property
    def tenant_arn(self) -> str:
        """The tenant's ARN (``Fn::GetAtt [..., Arn]``): what the breaker pauses."""
        return Token.as_string(self.resource.get_att("Arn"))


_PLACEHOLDER = "SESEVENTSBULKPLACEHOLDER"


class _Arns:
    """ARNs of SES resources in the stack as CloudFormation writes them (``Fn::Join`` of the
    pseudo parameters, or text for a stack with an environment): each kind resolved once, with
    a placeholder name, then filled in (aws-cdk-lib's ``format_arn``, one jsii call a kind)."""

    def __init__(self, stack: Stack) -> None:
        self._stack = stack
        self._resolved: dict[str, Any] = {}

    def __call__(self, resource: str, name: str) -> Any:
        if resource not in self._resolved:
            self._resolved[resource] = self._stack.resolve(
                self._stack.format_arn(
                    service="ses",
                    resource=resource,
                    resource_name=_PLACEHOLDER,
                    arn_format=ArnFormat.SLASH_RESOURCE_NAME,
                )
            )
        return _fill(self._resolved[resource], name)


def _fill(value: Any, name: str) -> Any:
    if isinstance(value, str):
        return value.replace(_PLACEHOLDER, name)
    if isinstance(value, list):
        return [_fill(v, name) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, name) for k, v in value.items()}
    return value


def _tenant_resource(tenant: TenantSpec, arn: _Arns) -> dict[str, Any]:
    """The ``AWS::SES::Tenant`` the :class:`~ses_events.constructs.Tenant` construct renders for
    ``tenant`` (its associations in the same order: sets, identities, templates, ARNs)."""
    identities = [i for i in tenant.identities if not i.startswith("arn:")]
    arns = [
        *(arn("configuration-set", name) for name in tenant.configuration_sets),
        *(arn("identity", name) for name in identities),
        *(t if t.startswith("arn:") else arn("template", t) for t in tenant.templates),
        *(i for i in tenant.identities if i.startswith("arn:")),
        *tenant.resource_arns,
    ]
    suppression = tenant.suppression
    properties = render.tenant(
        tenant.name,
        arns=arns,
        policy_arn=None
        if tenant.reputation_policy is None
        else {"Fn::Sub": policy_arn_template(tenant.reputation_policy)},
        suppression_reasons=suppression.reasons if suppression else None,
        suppression_scope=suppression.scope if suppression else None,
        tags=None,
    )
    resource: dict[str, Any] = {"Type": TENANT_TYPE, "Properties": properties}
    if tenant.configuration_sets:
        # associated once its sets exist (their names are text, not a Ref)
        resource["DependsOn"] = [
            logical_id(render.configuration_set_path(name)) for name in tenant.configuration_sets
        ]
    return resource


def add_plain_sets(
    stack: Stack,
    sets: Sequence[ConfigurationSetSpec],
    *,
    archives: Mapping[str, FirehoseEventArchive],
    topics: Mapping[str, SnsEventTopic],
    tenants: Sequence[TenantSpec] = (),
) -> cfn_include.CfnInclude:
    """Add ``sets`` (all plain) and ``tenants`` (all plain: :func:`is_plain_tenant`) to
    ``stack`` in one ``CfnInclude``; returns it."""
    facts = StackFacts.of(stack)
    parameters: dict[str, str] = {}
    declared: dict[str, Any] = {}

    def parameter(name: str, value: str) -> dict[str, str]:
        if name not in parameters:
            parameters[name] = value
            declared[name] = {"Type": "String"}
        return {"Ref": name}

    archive_numbers = {name: n for n, name in enumerate(sorted(archives))}
    topic_numbers = {name: n for n, name in enumerate(sorted(topics))}
    resources: dict[str, Any] = {}
    for cs in (spec_set.to_model() for spec_set in sets):
        set_id = logical_id(render.configuration_set_path(cs.name))
        resources[set_id] = {
            "Type": "AWS::SES::ConfigurationSet",
            "Properties": render.configuration_set(cs, tags=False),
        }
        arn = facts.configuration_set_arn(cs.name)
        for d in cs.destinations:
            target: dict[str, Any]
            if d.kind is DestinationKind.CLOUDWATCH:
                target = render.cloudwatch_target(
                    (x.name, x.source.value, x.default_value) for x in d.dimensions
                )
            elif d.kind is DestinationKind.FIREHOSE:
                assert d.archive is not None
                archive = archives[d.archive]
                archive.sources.add_arn(cs.name, arn)
                number = archive_numbers[d.archive]
                target = render.firehose_target(
                    parameter(f"Archive{number}Stream", archive.delivery_stream_arn),
                    parameter(f"Archive{number}SesRole", archive.ses_role_reference),
                )
            elif d.kind is DestinationKind.SNS:
                assert d.topic is not None
                topic = topics[d.topic]
                topic.sources.add_arn(cs.name, arn)
                target = render.sns_target(
                    parameter(f"Topic{topic_numbers[d.topic]}", topic.topic_reference)
                )
            else:
                target = render.eventbridge_target(
                    parameter(
                        "DefaultEventBus",
                        stack.format_arn(
                            service="events",
                            resource="event-bus",
                            resource_name=rules.DEFAULT_EVENT_BUS_NAME,
                            arn_format=ArnFormat.SLASH_RESOURCE_NAME,
                        ),
                    )
                )
            destination = render.event_destination(
                d.name, enabled=d.enabled, event_types=d.event_types, target=target
            )
            resources[logical_id(render.destination_path(cs.name, d.name))] = {
                "Type": "AWS::SES::ConfigurationSetEventDestination",
                "Properties": {
                    "ConfigurationSetName": {"Ref": set_id},
                    "EventDestination": destination,
                },
            }
    arns = _Arns(stack)
    for tenant in tenants:
        resources[logical_id(render.tenant_path(tenant.name))] = _tenant_resource(tenant, arns)
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "plain-sets.json"
        path.write_text(json.dumps({"Parameters": declared, "Resources": resources}))
        included = cfn_include.CfnInclude(
            stack, BULK_CONSTRUCT_ID, template_file=str(path), parameters=parameters
        )
    acknowledge_newer_properties(
        included, [r["Properties"] for r in resources.values() if r["Type"] == TENANT_TYPE]
    )
    return included
