"""CloudFormation properties of event publishing resources, rendered once (no jsii).

The constructs and the per-stack bulk emitter (:mod:`ses_events.stacks.bulk`) both write a
configuration set's event destinations from these functions, and both name resources with
:func:`logical_id`; a new option is written here once and is the same on either path.
Properties are rendered in CloudFormation's spelling (``PascalCase``); :func:`to_jsii` gives the
spelling aws-cdk-lib's L1 classes take (``camelCase``), from a fixed table, so the constructs keep
typed L1 resources for escape hatches.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from ses_events.model import SetModel
from ses_events.rules import EventType

if TYPE_CHECKING:  # render stays free of jsii: the L1 helpers take the classes they build
    from aws_cdk import CfnResource
    from constructs import Construct

__all__ = [
    "RESOURCE_ID",
    "cloudwatch_target",
    "configuration_set",
    "configuration_set_path",
    "destination_construct_id",
    "destination_path",
    "event_destination",
    "eventbridge_target",
    "firehose_target",
    "logical_id",
    "sns_target",
    "to_jsii",
]

Properties = dict[str, Any]


def configuration_set(model: SetModel, *, tags: bool = True) -> Properties:
    """``AWS::SES::ConfigurationSet``'s properties: the name, reputation metrics and sending
    (always written: the CloudFormation default and its documentation disagree), and each option
    of ``model.options`` that is set, as aws-cdk-lib's ``aws_ses.ConfigurationSet`` writes them.
    ``tags=False`` leaves the tags out (for a caller that applies them with ``Tags.of``)."""
    o = model.options
    properties: Properties = {}
    if o.archive_arn is not None:
        properties["ArchivingOptions"] = {"ArchiveArn": o.archive_arn}
    delivery = _present(
        SendingPoolName=o.sending_pool_name,
        TlsPolicy=o.tls_policy,
        MaxDeliverySeconds=o.max_delivery_seconds,
    )
    if delivery:
        properties["DeliveryOptions"] = delivery
    properties["Name"] = model.name
    properties["ReputationOptions"] = {"ReputationMetricsEnabled": model.reputation_metrics}
    properties["SendingOptions"] = {"SendingEnabled": model.sending_enabled}
    validation = None
    if o.validation_enabled is not None or o.validation_threshold is not None:
        validation = {
            "ConditionThreshold": _present(
                ConditionThresholdEnabled="DISABLED"
                if o.validation_enabled is False
                else "ENABLED",
                OverallConfidenceThreshold=None
                if o.validation_threshold is None
                else {"ConfidenceVerdictThreshold": o.validation_threshold},
            )
        }
    suppression = _present(
        SuppressedReasons=[] if o.disable_suppression_list else _list(o.suppression_reasons),
        ValidationOptions=validation,
    )
    if suppression:
        properties["SuppressionOptions"] = suppression
    if tags and o.tags:
        properties["Tags"] = [{"Key": k, "Value": v} for k, v in o.tags]
    tracking = _present(CustomRedirectDomain=o.custom_redirect_domain, HttpsPolicy=o.https_policy)
    if tracking:
        properties["TrackingOptions"] = tracking
    vdm = _present(
        DashboardOptions=None
        if o.engagement_metrics is None
        else {"EngagementMetrics": _enabled(o.engagement_metrics)},
        GuardianOptions=None
        if o.optimized_shared_delivery is None
        else {"OptimizedSharedDelivery": _enabled(o.optimized_shared_delivery)},
    )
    if vdm:
        properties["VdmOptions"] = vdm
    return properties


def _present(**values: Any) -> Properties:
    return {key: value for key, value in values.items() if value is not None}


def _list(values: Sequence[str] | None) -> list[str] | None:
    return None if values is None else list(values)


def _enabled(value: bool) -> str:
    return "ENABLED" if value else "DISABLED"


def event_destination(
    name: str, *, enabled: bool, event_types: Iterable[EventType], target: Properties
) -> Properties:
    """``AWS::SES::ConfigurationSetEventDestination``'s ``EventDestination``: name, enabled
    (always written: CloudFormation's default is false), the event types in SES's order, and
    one target from the ``*_target`` functions."""
    chosen = set(event_types)
    return {
        "Name": name,
        "Enabled": enabled,
        "MatchingEventTypes": [e.value for e in EventType if e in chosen],
        **target,
    }


def cloudwatch_target(dimensions: Iterable[tuple[str, str, str]]) -> Properties:
    """A CloudWatch target from ``(name, value source, default value)`` triples, in order."""
    return {
        "CloudWatchDestination": {
            "DimensionConfigurations": [
                {"DimensionName": n, "DimensionValueSource": s, "DefaultDimensionValue": d}
                for n, s, d in dimensions
            ]
        }
    }


def firehose_target(delivery_stream_arn: Any, ses_role_arn: Any) -> Properties:
    """A Firehose target: the stream and the role SES assumes to put records."""
    return {
        "KinesisFirehoseDestination": {
            "DeliveryStreamARN": delivery_stream_arn,
            "IAMRoleARN": ses_role_arn,
        }
    }


def sns_target(topic_arn: Any) -> Properties:
    """An SNS target."""
    return {"SnsDestination": {"TopicARN": topic_arn}}


def eventbridge_target(event_bus_arn: Any) -> Properties:
    """An EventBridge target (SES publishes to the default bus only)."""
    return {"EventBridgeDestination": {"EventBusArn": event_bus_arn}}


# CloudFormation's property names and the jsii names aws-cdk-lib's L1 classes take for them.
_JSII_NAMES = {
    "ArchivingOptions": "archivingOptions",
    "ArchiveArn": "archiveArn",
    "DeliveryOptions": "deliveryOptions",
    "SendingPoolName": "sendingPoolName",
    "TlsPolicy": "tlsPolicy",
    "MaxDeliverySeconds": "maxDeliverySeconds",
    "ReputationOptions": "reputationOptions",
    "ReputationMetricsEnabled": "reputationMetricsEnabled",
    "SendingOptions": "sendingOptions",
    "SendingEnabled": "sendingEnabled",
    "SuppressionOptions": "suppressionOptions",
    "SuppressedReasons": "suppressedReasons",
    "ValidationOptions": "validationOptions",
    "ConditionThreshold": "conditionThreshold",
    "ConditionThresholdEnabled": "conditionThresholdEnabled",
    "OverallConfidenceThreshold": "overallConfidenceThreshold",
    "ConfidenceVerdictThreshold": "confidenceVerdictThreshold",
    "Tags": "tags",
    "Key": "key",
    "Value": "value",
    "TrackingOptions": "trackingOptions",
    "CustomRedirectDomain": "customRedirectDomain",
    "HttpsPolicy": "httpsPolicy",
    "VdmOptions": "vdmOptions",
    "DashboardOptions": "dashboardOptions",
    "EngagementMetrics": "engagementMetrics",
    "GuardianOptions": "guardianOptions",
    "OptimizedSharedDelivery": "optimizedSharedDelivery",
    "Name": "name",
    "Enabled": "enabled",
    "TenantName": "tenantName",
    "ResourceAssociations": "resourceAssociations",
    "ResourceArn": "resourceArn",
    "ReputationEntity": "reputationEntity",
    "Policy": "policy",
    "ReputationEntityPolicy": "reputationEntityPolicy",
    "SuppressionAttributes": "suppressionAttributes",
    "SuppressionScope": "suppressionScope",
    "MatchingEventTypes": "matchingEventTypes",
    "CloudWatchDestination": "cloudWatchDestination",
    "DimensionConfigurations": "dimensionConfigurations",
    "DimensionName": "dimensionName",
    "DimensionValueSource": "dimensionValueSource",
    "DefaultDimensionValue": "defaultDimensionValue",
    "KinesisFirehoseDestination": "kinesisFirehoseDestination",
    "DeliveryStreamARN": "deliveryStreamArn",
    "IAMRoleARN": "iamRoleArn",
    "SnsDestination": "snsDestination",
    "TopicARN": "topicArn",
    "EventBridgeDestination": "eventBridgeDestination",
    "EventDestination": "eventDestination",
    "EventBusArn": "eventBusArn",
}


def to_jsii(properties: Properties) -> Properties:
    """``properties`` with the jsii spelling of each CloudFormation name (values unchanged);
    a name this table does not know is an error, never a guess."""

    def convert(value: Any) -> Any:
        if isinstance(value, dict):
            return {_JSII_NAMES[key]: convert(item) for key, item in value.items()}
        if isinstance(value, list):
            return [convert(item) for item in value]
        return value

    return {_JSII_NAMES[key]: convert(item) for key, item in properties.items()}


_L1 = TypeVar("_L1", bound="CfnResource")


def _keyword(cloudformation_name: str) -> str:
    """The Python keyword (``snake_case``) of a CloudFormation property in an L1 class."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", _JSII_NAMES[cloudformation_name]).lower()


@functools.cache
def _parameters(cls: type) -> frozenset[str]:
    # the constructor's own signature: a jsii class's metaclass __call__ takes (*args, **kwargs)
    return frozenset(inspect.signature(cls.__init__).parameters)  # type: ignore[misc]


def _known(owner: type, name: str, value: Any) -> bool:
    """Whether the installed L1 class ``owner`` renders the property ``name`` = ``value`` in full
    (every key of a nested struct is a field of its ``<Name>Property`` class)."""
    if isinstance(value, list):
        if name == "Tags":
            return True  # CfnTag: key and value, on every release
        item = (
            name[:-1] if name.endswith("s") else name
        )  # DimensionConfigurations -> ...Configuration
        return all(not isinstance(v, dict) or _known(owner, item, v) for v in value)
    if not isinstance(value, dict):
        return True
    struct = getattr(owner, f"{name}Property", None)
    if struct is None:
        return False
    fields = _parameters(struct)
    return all(_keyword(k) in fields and _known(owner, k, v) for k, v in value.items())


def l1_keywords(l1_class: type, properties: Properties) -> tuple[dict[str, Any], Properties]:
    """``properties`` split for the installed ``l1_class``: the keywords it renders in full, and
    the rest in CloudFormation's spelling, to be written raw (``add_property_override``).

    An older aws-cdk-lib's L1 classes lack newer properties (the configuration set's
    ``ValidationOptions`` came after 2.160), and a nested struct silently drops a key it does not
    know: such a property goes raw, whole, so nothing is lost on any release. On a release that
    knows every property, all are keywords (the same template as ever).
    """
    parameters = _parameters(l1_class)
    keywords: dict[str, Any] = {}
    raw: Properties = {}
    for name, value in properties.items():
        keyword = _keyword(name)
        if keyword in parameters and _known(l1_class, name, value):
            keywords[keyword] = to_jsii({name: value})[_JSII_NAMES[name]]
        else:
            raw[name] = value
    return keywords, raw


def l1_resource(
    l1_class: type[_L1], scope: Construct, construct_id: str, properties: Properties, **given: Any
) -> _L1:
    """The ``l1_class`` resource ``construct_id`` in ``scope`` with ``properties`` (CloudFormation's
    spelling) and ``given`` keywords, on any aws-cdk-lib release (see :func:`l1_keywords`)."""
    keywords, raw = l1_keywords(l1_class, properties)
    resource = l1_class(scope, construct_id, **given, **keywords)
    for name, value in raw.items():
        resource.add_property_override(name, value)
    return resource


# Construct paths below the stack, shared by the stack that builds constructs and the bulk path
# that writes the same resources itself: one place, so the two cannot drift apart.
RESOURCE_ID = "Resource"
"""The id of the resource a construct wraps (aws-cdk-lib's convention, left out of logical ids'
readable part)."""


def configuration_set_path(set_name: str) -> list[str]:
    """Path of a set's ``AWS::SES::ConfigurationSet``: the set construct (id: its name), the
    aws_ses L2 inside it, the L1 inside that."""
    return [set_name, RESOURCE_ID, RESOURCE_ID]


def destination_construct_id(set_name: str, destination_name: str) -> str:
    """The id of a destination construct the stack builds (beside the set, in the stack)."""
    return f"{set_name}-{destination_name}"


def destination_path(set_name: str, destination_name: str) -> list[str]:
    """Path of a destination's ``AWS::SES::ConfigurationSetEventDestination``."""
    return [destination_construct_id(set_name, destination_name), RESOURCE_ID]


def tenant_construct_id(tenant_name: str) -> str:
    """The id of a tenant construct the stack builds (in the stack)."""
    return f"Tenant-{tenant_name}"


def tenant_path(tenant_name: str) -> list[str]:
    """Path of a tenant's ``AWS::SES::Tenant``."""
    return [tenant_construct_id(tenant_name), RESOURCE_ID]


def tenant(
    tenant_name: str,
    *,
    arns: Sequence[Any],
    policy_arn: Any | None,
    suppression_reasons: Sequence[str] | None,
    suppression_scope: str | None,
    tags: Mapping[str, str] | None,
) -> Properties:
    """The properties of an ``AWS::SES::Tenant`` (CloudFormation's spelling), for the
    :class:`~ses_events.constructs.Tenant` construct and the bulk path alike: ``arns`` are the
    associated resources' ARNs, ``policy_arn`` the reputation policy's, already rendered."""
    properties: Properties = {"TenantName": tenant_name}
    if arns:
        properties["ResourceAssociations"] = [{"ResourceArn": arn} for arn in arns]
    if policy_arn is not None:
        properties["ReputationEntity"] = {"Policy": {"ReputationEntityPolicy": policy_arn}}
    if suppression_reasons is not None or suppression_scope is not None:
        properties["SuppressionAttributes"] = {
            "SuppressedReasons": list(suppression_reasons or ()),
            "SuppressionScope": suppression_scope or "ACCOUNT",
        }
    if tags:
        properties["Tags"] = [{"Key": k, "Value": v} for k, v in sorted(tags.items())]
    return properties


MAX_LOGICAL_ID_LENGTH = 255
"""CloudFormation's limit on a logical id."""
_HUMAN_LENGTH = 240  # aws-cdk-lib's makeUniqueId keeps 240 characters before the hash
_UNRESOLVED = re.compile(r"\$\{Token\[")


def logical_id(components: Sequence[str]) -> str:
    """The logical id aws-cdk-lib gives the resource at ``components`` (path below the stack).

    aws-cdk-lib's ``makeUniqueId``: components named ``Default`` are dropped; a single component
    is its alphanumerics; otherwise the alphanumerics of the components (repeats and ``Resource``
    left out, at most 240 characters) and the first 8 hex digits, upper case, of the MD5 of the
    path, which is also what a single component longer than 255 characters gets. As there, a
    path component holding an unresolved token is refused.
    """
    for component in components:
        if _UNRESOLVED.search(component):
            raise ValueError(
                f"logical_id: path component {component!r} holds an unresolved token; ids are"
                " computed from literal construct ids only"
            )
    parts = [c for c in components if c != "Default"]
    if not parts:
        raise ValueError("logical_id: no path components")
    if len(parts) == 1:
        single = re.sub(r"[^A-Za-z0-9]", "", parts[0])
        if len(single) <= MAX_LOGICAL_ID_LENGTH:
            return single  # a top-level resource keeps its name (too long: hashed, as below)
    digest = hashlib.md5("/".join(parts).encode(), usedforsecurity=False).hexdigest()[:8].upper()
    kept: list[str] = []
    for part in parts:
        if not kept or not kept[-1].endswith(part):
            kept.append(part)
    human = "".join(re.sub(r"[^A-Za-z0-9]", "", p) for p in kept if p != "Resource")
    return human[:_HUMAN_LENGTH] + digest
