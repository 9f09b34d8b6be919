"""CloudFormation for the local AWS: the resource types our stacks use, failures that fail.

Stock moto 5.2.5 ignores resource types it does not know (the stack still ends
``CREATE_COMPLETE``), and its change-set flow has no failure handling. Here:

- resource types added: ``AWS::Glue::Database``, ``AWS::Glue::Table``, ``AWS::Athena::WorkGroup``,
  ``AWS::Athena::NamedQuery``, ``AWS::KinesisFirehose::DeliveryStream``, ``AWS::CloudWatch::Alarm``,
  ``AWS::CloudWatch::CompositeAlarm``, ``AWS::S3::BucketPolicy``, ``AWS::Logs::LogStream``,
  ``AWS::SNS::TopicPolicy``, ``AWS::SNS::Subscription`` (and the SES ones in :mod:`.ses`);
  ``AWS::CDK::Metadata`` is accepted and ignored, as CloudFormation itself does with it;
- any other unknown type fails the resource, and so the deploy;
- executing a change set that fails marks the resource ``CREATE_FAILED`` / ``UPDATE_FAILED`` with
  the service's error, rolls back (``ROLLBACK_COMPLETE`` / ``UPDATE_ROLLBACK_COMPLETE``), and
  never reports success;
- after a change set, the stack's template, description and outputs are those of the change set;
- describing an unknown change set is ``ChangeSetNotFound`` and deleting one succeeds, as the CDK
  CLI expects.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any, ClassVar

from moto.athena.models import athena_backends
from moto.cloudformation import models as cfn_models
from moto.cloudformation import parsing
from moto.cloudformation.exceptions import CloudFormationError
from moto.cloudwatch.models import (
    Dimension,
    Metric,
    MetricDataQuery,
    MetricStat,
    cloudwatch_backends,
)
from moto.core.common_models import CloudFormationModel
from moto.firehose.models import firehose_backends
from moto.glue.models import glue_backends
from moto.logs.models import logs_backends
from moto.s3.models import s3_backends
from moto.sns.models import sns_backends
from moto.utilities.utils import get_partition

__all__ = ["ResourceFailed", "UnsupportedResourceType", "install"]


class UnsupportedResourceType(CloudFormationError):
    code = "ValidationError"

    def __init__(self, resource_type: str) -> None:
        super().__init__(
            f"Resource type {resource_type} is not supported by the local AWS"
            " (ses_events.local_aws); the stack cannot be created as written"
        )


class ChangeSetNotFound(CloudFormationError):
    # The model's shape name; moto answers its query error code, ChangeSetNotFound (HTTP 404).
    code = "ChangeSetNotFoundException"

    def __init__(self, name: str) -> None:
        super().__init__(f"ChangeSet [{name}] does not exist")


class ResourceFailed(Exception):
    """A resource the local AWS could not create, update or delete, and why."""

    def __init__(self, logical_id: str, resource_type: str, reason: str) -> None:
        super().__init__(f"{logical_id} ({resource_type}): {reason}")
        self.logical_id = logical_id
        self.resource_type = resource_type
        self.reason = reason


def _reason(error: Exception) -> str:
    code = getattr(error, "error_type", None) or type(error).__name__
    message = getattr(error, "message", None) or str(error)
    return f"{code}: {message}"


# -- resource types -----------------------------------------------------------------------------


class _Simple(CloudFormationModel):
    """A resource whose physical id is given, created and deleted through callbacks."""

    ATTRIBUTES: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, physical_id: str, attributes: dict[str, str] | None = None) -> None:
        self._physical_id = physical_id
        self._attributes = attributes or {}

    @property
    def physical_resource_id(self) -> str:
        return self._physical_id

    def get_cfn_attribute(self, attribute_name: str) -> str:
        return self._attributes[attribute_name]

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr in cls.ATTRIBUTES

    @staticmethod
    def cloudformation_name_type() -> str:
        return ""

    @classmethod
    def create(cls, name: str, props: dict[str, Any], account_id: str, region_name: str) -> _Simple:
        raise NotImplementedError

    def remove(self, account_id: str, region_name: str) -> None:
        raise NotImplementedError

    @classmethod
    def create_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> _Simple:
        return cls.create(
            resource_name, cloudformation_json.get("Properties", {}), account_id, region_name
        )

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: _Simple,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> _Simple:
        original_resource.remove(account_id, region_name)
        return cls.create(
            new_resource_name, cloudformation_json.get("Properties", {}), account_id, region_name
        )

    def delete(self, account_id: str, region_name: str) -> None:
        self.remove(account_id, region_name)


class BucketPolicy(_Simple):
    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::S3::BucketPolicy"

    @classmethod
    def create(cls, name: str, props: dict[str, Any], account_id: str, region_name: str) -> _Simple:
        bucket = props["Bucket"]
        backend = s3_backends[account_id][get_partition(region_name)]
        backend.put_bucket_policy(bucket, json.dumps(props["PolicyDocument"]).encode())
        made = cls(bucket)
        made.bucket = bucket
        return made

    def remove(self, account_id: str, region_name: str) -> None:
        backend = s3_backends[account_id][get_partition(region_name)]
        if self._physical_id in backend.buckets:
            backend.delete_bucket_policy(self._physical_id)


class LogStream(_Simple):
    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::Logs::LogStream"

    @classmethod
    def create(cls, name: str, props: dict[str, Any], account_id: str, region_name: str) -> _Simple:
        group, stream = props["LogGroupName"], props.get("LogStreamName", name)
        logs_backends[account_id][region_name].create_log_stream(group, stream)
        made = cls(stream)
        made.group = group
        return made

    def remove(self, account_id: str, region_name: str) -> None:
        backend = logs_backends[account_id][region_name]
        group = getattr(self, "group", None)
        if group in backend.groups and self._physical_id in backend.groups[group].streams:
            backend.delete_log_stream(group, self._physical_id)


class TopicPolicy(_Simple):
    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::SNS::TopicPolicy"

    @classmethod
    def create(cls, name: str, props: dict[str, Any], account_id: str, region_name: str) -> _Simple:
        backend = sns_backends[account_id][region_name]
        for topic in props["Topics"]:
            # moto's Topic takes the policy through its "policy" property
            backend.set_topic_attribute(topic, "policy", json.dumps(props["PolicyDocument"]))
        made = cls(name)
        made.topics = list(props["Topics"])
        return made

    def remove(self, account_id: str, region_name: str) -> None:
        backend = sns_backends[account_id][region_name]
        for topic in getattr(self, "topics", []):
            if topic in backend.topics:
                backend.topics[topic]._policy_json = backend.topics[
                    topic
                ]._create_default_topic_policy(region_name, account_id, backend.topics[topic].name)


class Subscription(_Simple):
    ATTRIBUTES = frozenset({"Arn"})

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::SNS::Subscription"

    @classmethod
    def create(cls, name: str, props: dict[str, Any], account_id: str, region_name: str) -> _Simple:
        backend = sns_backends[account_id][region_name]
        subscription = backend.subscribe(props["TopicArn"], props["Endpoint"], props["Protocol"])
        return cls(subscription.arn, {"Arn": subscription.arn})

    def remove(self, account_id: str, region_name: str) -> None:
        backend = sns_backends[account_id][region_name]
        if self._physical_id in backend.subscriptions:
            backend.unsubscribe(self._physical_id)


def _metric_queries(metrics: list[dict[str, Any]] | None) -> list[MetricDataQuery]:
    queries = []
    for metric in metrics or []:
        stat = metric.get("MetricStat")
        metric_stat = None
        if stat:
            inner = stat["Metric"]
            metric_stat = MetricStat(
                metric=Metric(
                    metric_name=inner.get("MetricName"),
                    namespace=inner.get("Namespace"),
                    dimensions=[
                        Dimension(name=d["Name"], value=d["Value"])
                        for d in inner.get("Dimensions", [])
                    ],
                ),
                period=stat.get("Period"),
                stat=stat.get("Stat"),
                unit=stat.get("Unit"),
            )
        queries.append(
            MetricDataQuery(
                query_id=metric.get("Id"),
                label=metric.get("Label"),
                period=metric.get("Period"),
                return_data=metric.get("ReturnData"),
                expression=metric.get("Expression"),
                metric_stat=metric_stat,
            )
        )
    return queries


class Alarm(_Simple):
    ATTRIBUTES = frozenset({"Arn"})

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::CloudWatch::Alarm"

    @staticmethod
    def cloudformation_name_type() -> str:
        return "AlarmName"

    @classmethod
    def create(cls, name: str, props: dict[str, Any], account_id: str, region_name: str) -> _Simple:
        backend = cloudwatch_backends[account_id][region_name]
        alarm_name = props.get("AlarmName", name)
        alarm = backend.put_metric_alarm(
            name=alarm_name,
            namespace=props.get("Namespace"),
            metric_name=props.get("MetricName"),
            metric_data_queries=_metric_queries(props.get("Metrics")),
            comparison_operator=props.get("ComparisonOperator"),
            evaluation_periods=props.get("EvaluationPeriods"),
            datapoints_to_alarm=props.get("DatapointsToAlarm"),
            period=props.get("Period"),
            threshold=props.get("Threshold"),
            statistic=props.get("Statistic"),
            extended_statistic=props.get("ExtendedStatistic"),
            description=props.get("AlarmDescription"),
            dimensions=props.get("Dimensions", []),
            alarm_actions=props.get("AlarmActions", []),
            ok_actions=props.get("OKActions", []),
            insufficient_data_actions=props.get("InsufficientDataActions", []),
            unit=props.get("Unit"),
            actions_enabled=props.get("ActionsEnabled", True),
            treat_missing_data=props.get("TreatMissingData"),
            evaluate_low_sample_count_percentile=props.get("EvaluateLowSampleCountPercentile"),
            threshold_metric_id=props.get("ThresholdMetricId"),
            rule=props.get("AlarmRule"),
            tags=props.get("Tags", []),
        )
        return cls(alarm_name, {"Arn": alarm.alarm_arn})

    def remove(self, account_id: str, region_name: str) -> None:
        cloudwatch_backends[account_id][region_name].delete_alarms([self._physical_id])


class CompositeAlarm(Alarm):
    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::CloudWatch::CompositeAlarm"

    @classmethod
    def create(cls, name: str, props: dict[str, Any], account_id: str, region_name: str) -> _Simple:
        if not props.get("AlarmRule"):
            raise CloudFormationError("AlarmRule is required for a composite alarm")
        return super().create(name, props, account_id, region_name)


class DeliveryStream(_Simple):
    ATTRIBUTES = frozenset({"Arn"})

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::KinesisFirehose::DeliveryStream"

    @staticmethod
    def cloudformation_name_type() -> str:
        return "DeliveryStreamName"

    @classmethod
    def create(cls, name: str, props: dict[str, Any], account_id: str, region_name: str) -> _Simple:
        backend = firehose_backends[account_id][region_name]
        stream_name = props.get("DeliveryStreamName", name)
        arn = backend.create_delivery_stream(
            region=region_name,
            delivery_stream_name=stream_name,
            delivery_stream_type=props.get("DeliveryStreamType", "DirectPut"),
            kinesis_stream_source_configuration=props.get("KinesisStreamSourceConfiguration"),
            delivery_stream_encryption_configuration_input=props.get(
                "DeliveryStreamEncryptionConfigurationInput"
            ),
            s3_destination_configuration=props.get("S3DestinationConfiguration"),
            extended_s3_destination_configuration=props.get("ExtendedS3DestinationConfiguration"),
            redshift_destination_configuration=props.get("RedshiftDestinationConfiguration"),
            elasticsearch_destination_configuration=props.get(
                "ElasticsearchDestinationConfiguration"
            ),
            splunk_destination_configuration=props.get("SplunkDestinationConfiguration"),
            http_endpoint_destination_configuration=props.get(
                "HttpEndpointDestinationConfiguration"
            ),
            snowflake_destination_configuration=props.get("SnowflakeDestinationConfiguration"),
            iceberg_destination_configuration=props.get("IcebergDestinationConfiguration"),
            tags=props.get("Tags", []),
        )
        return cls(stream_name, {"Arn": arn})

    def remove(self, account_id: str, region_name: str) -> None:
        backend = firehose_backends[account_id][region_name]
        if self._physical_id in backend.delivery_streams:
            backend.delete_delivery_stream(self._physical_id)


class GlueDatabase(_Simple):
    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::Glue::Database"

    @classmethod
    def create(cls, name: str, props: dict[str, Any], account_id: str, region_name: str) -> _Simple:
        database_input = props["DatabaseInput"]
        glue_backends[account_id][region_name].create_database(
            database_input["Name"], database_input
        )
        return cls(database_input["Name"])

    def remove(self, account_id: str, region_name: str) -> None:
        backend = glue_backends[account_id][region_name]
        if self._physical_id in backend.databases:
            backend.delete_database(self._physical_id)


class GlueTable(_Simple):
    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::Glue::Table"

    @classmethod
    def create(cls, name: str, props: dict[str, Any], account_id: str, region_name: str) -> _Simple:
        database, table_input = props["DatabaseName"], props["TableInput"]
        glue_backends[account_id][region_name].create_table(
            database, table_input["Name"], table_input
        )
        made = cls(table_input["Name"])
        made.database = database
        return made

    def remove(self, account_id: str, region_name: str) -> None:
        backend = glue_backends[account_id][region_name]
        database = backend.databases.get(self.database)
        if database is not None and self._physical_id in database.tables:
            backend.delete_table(self.database, self._physical_id)


class AthenaWorkGroup(_Simple):
    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::Athena::WorkGroup"

    @classmethod
    def create(cls, name: str, props: dict[str, Any], account_id: str, region_name: str) -> _Simple:
        made = athena_backends[account_id][region_name].create_work_group(
            props["Name"],
            props.get("WorkGroupConfiguration", {}),
            props.get("Description", ""),
            props.get("Tags", []),
        )
        if made is None:
            raise CloudFormationError(f"WorkGroup {props['Name']} already exists")
        return cls(props["Name"])

    def remove(self, account_id: str, region_name: str) -> None:
        athena_backends[account_id][region_name].delete_work_group(self._physical_id)


class AthenaNamedQuery(_Simple):
    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::Athena::NamedQuery"

    @classmethod
    def create(cls, name: str, props: dict[str, Any], account_id: str, region_name: str) -> _Simple:
        backend = athena_backends[account_id][region_name]
        workgroup = props.get("WorkGroup", "primary")
        if workgroup != "primary" and backend.get_work_group(workgroup) is None:
            raise CloudFormationError(f"WorkGroup {workgroup} is not found")
        query_id = backend.create_named_query(
            props["Name"],
            props.get("Description", ""),
            props["Database"],
            props["QueryString"],
            workgroup,
        )
        return cls(query_id)

    def remove(self, account_id: str, region_name: str) -> None:
        athena_backends[account_id][region_name].named_queries.pop(self._physical_id, None)


# -- failing loudly, rolling back ----------------------------------------------------------------

_IGNORED_TYPES = ("AWS::CDK::Metadata",)


def _resource_class_from_type(resource_type: str) -> Any:
    if resource_type in parsing.NULL_MODELS:
        return None
    if resource_type.startswith("Custom::"):
        return parsing.CustomModel
    model = parsing.get_model_map().get(resource_type)
    if model is None:
        raise UnsupportedResourceType(resource_type)
    return model


def _updating_or_failing(function: Callable[..., Any]) -> Callable[..., Any]:
    """moto's update, which answers ``None`` for a type it cannot update: that now fails."""

    def wrapped(logical_id: str, resource_json: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        updated = function(logical_id, resource_json, *args, **kwargs)
        if updated is None and resource_json.get("Type") not in parsing.NULL_MODELS:
            raise ResourceFailed(
                logical_id,
                resource_json.get("Type", "?"),
                "the local AWS cannot update this resource type in place",
            )
        return updated

    return wrapped


def _kms_key_tags(props: dict[str, Any]) -> dict[str, Any]:
    """CloudFormation writes KMS key tags as Key/Value; moto's KMS backend wants TagKey/TagValue."""
    props = dict(props)
    props["Tags"] = [
        {"TagKey": t["Key"], "TagValue": t["Value"]} if "Key" in t else t
        for t in props.get("Tags", [])
    ]
    return props


def _patch_kms_key() -> None:
    from moto.kms.models import Key, kms_backends

    stock_create = Key.create_from_cloudformation_json.__func__

    def create(
        cls: type[Key],
        /,
        resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> Key:
        cloudformation_json = dict(cloudformation_json)
        cloudformation_json["Properties"] = _kms_key_tags(cloudformation_json["Properties"])
        key: Key = stock_create(cls, resource_name, cloudformation_json, account_id, region_name)
        return key

    def update(
        cls: type[Key],
        /,
        original_resource: Key,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> Key:
        """Key policy, description and rotation change in place, as in CloudFormation."""
        backend = kms_backends[account_id][region_name]
        props = cloudformation_json["Properties"]
        key_id = original_resource.id
        backend.put_key_policy(key_id, json.dumps(props["KeyPolicy"]))
        backend.update_key_description(key_id, props.get("Description", ""))
        original_resource.key_rotation_status = props.get("EnableKeyRotation", False)
        return original_resource

    Key.create_from_cloudformation_json = classmethod(create)
    Key.update_from_cloudformation_json = classmethod(update)


def _patch_bucket() -> None:
    """moto's ``AWS::S3::Bucket`` applies only encryption and tags: add the public access block
    and versioning, which our archive buckets declare and the checks read back."""
    from moto.s3.models import FakeBucket

    stock_create = FakeBucket.create_from_cloudformation_json.__func__
    stock_update = FakeBucket.update_from_cloudformation_json.__func__

    def apply(bucket: Any, props: dict[str, Any], account_id: str, region_name: str) -> None:
        backend = s3_backends[account_id][get_partition(region_name)]
        block = props.get("PublicAccessBlockConfiguration")
        if block:
            backend.put_public_access_block(
                bucket.name, {k: str(v).lower() for k, v in block.items()}
            )
        versioning = (props.get("VersioningConfiguration") or {}).get("Status")
        if versioning:
            backend.put_bucket_versioning(bucket.name, versioning)

    def create(
        cls: Any,
        /,
        resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> Any:
        bucket = stock_create(cls, resource_name, cloudformation_json, account_id, region_name)
        apply(bucket, cloudformation_json.get("Properties", {}), account_id, region_name)
        return bucket

    def update(
        cls: Any,
        /,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
    ) -> Any:
        bucket = stock_update(
            cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name
        )
        apply(bucket, cloudformation_json.get("Properties", {}), account_id, region_name)
        return bucket

    FakeBucket.create_from_cloudformation_json = classmethod(create)
    FakeBucket.update_from_cloudformation_json = classmethod(update)


def _patch_log_group() -> None:
    from moto.logs.models import LogGroup, logs_backends

    def update(
        cls: type[LogGroup],
        /,
        original_resource: LogGroup,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> LogGroup:
        """Retention changes in place; a new name would replace the group (not needed here)."""
        props = cloudformation_json["Properties"]
        backend = logs_backends[account_id][region_name]
        if "RetentionInDays" in props:
            backend.put_retention_policy(original_resource.name, props["RetentionInDays"])
        return original_resource

    LogGroup.update_from_cloudformation_json = classmethod(update)


def _failing_as_resource(
    function: Callable[..., Any],
) -> Callable[..., Any]:
    def wrapped(logical_id: str, resource_json: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return function(logical_id, resource_json, *args, **kwargs)
        except ResourceFailed:
            raise
        except Exception as error:
            raise ResourceFailed(
                logical_id, resource_json.get("Type", "?"), _reason(error)
            ) from error

    return wrapped


def _resource_event(
    stack: Any, logical_id: str, resource_type: str, status: str, reason: str | None = None
) -> None:
    stack.events.append(
        cfn_models.Event(
            stack_id=stack.stack_id,
            stack_name=stack.name,
            logical_resource_id=logical_id,
            physical_resource_id="",
            resource_type=resource_type,
            resource_status=status,
            resource_status_reason=reason,
            resource_properties=None,
        )
    )


def _find_change_set(backend: Any, name: str, stack_name: str | None = None) -> Any:
    """A change set by ARN, or by name within the stack (names repeat across stacks: the CDK CLI
    calls every one ``cdk-deploy-change-set``); the newest when several match."""
    if name in backend.change_sets:
        return backend.change_sets[name]
    found = [
        change_set
        for change_set in backend.change_sets.values()
        if change_set.change_set_name == name
        and (stack_name is None or stack_name in (change_set.stack_name, change_set.stack_id))
        and change_set.stack_id in backend.stacks
    ]
    if not found:
        raise ChangeSetNotFound(name)
    return found[-1]


def _describe_change_set(self: Any, change_set_name: str, stack_name: str | None = None) -> Any:
    return _find_change_set(self, change_set_name, stack_name)


def _delete_change_set(self: Any, change_set_name: str, stack_name: str | None = None) -> None:
    """Deleting a change set that is not there succeeds: the CDK CLI cleans up "if it exists"."""
    try:
        change_set = _find_change_set(self, change_set_name, stack_name)
    except ChangeSetNotFound:
        return
    del self.change_sets[change_set.change_set_id]


def _patch_change_set_responses() -> None:
    """moto's handlers drop the StackName of DescribeChangeSet and DeleteChangeSet."""
    from moto.cloudformation.responses import CloudFormationResponse
    from moto.core.responses import ActionResult, EmptyResult

    def describe_change_set(self: Any) -> Any:
        return ActionResult(
            self.cloudformation_backend.describe_change_set(
                self._get_param("ChangeSetName"), self._get_param("StackName")
            )
        )

    def delete_change_set(self: Any) -> Any:
        self.cloudformation_backend.delete_change_set(
            self._get_param("ChangeSetName"), self._get_param("StackName")
        )
        return EmptyResult()

    CloudFormationResponse.describe_change_set = describe_change_set
    CloudFormationResponse.delete_change_set = delete_change_set


def _previous_ssm_parameters(stack: Any, change_set: Any) -> dict[str, Any]:
    """Parameters of an update, SSM-typed ones kept as the parameter *name*.

    For ``UsePreviousValue`` moto passes the resolved value (``"21"`` for the CDK's
    ``BootstrapVersion``), which it then looks up again as an SSM parameter name and fails.
    """
    declared = change_set.template_dict.get("Parameters", {})
    resolved = stack.resource_map.resolved_parameters
    parameters = dict(change_set.parameters or {})
    for key, value in list(parameters.items()):
        kind = str(declared.get(key, {}).get("Type", ""))
        if kind.startswith("AWS::SSM::Parameter::") and value == resolved.get(key):
            previous = (stack.parameters or {}).get(key) or declared[key].get("Default")
            if previous is None:
                del parameters[key]
            else:
                parameters[key] = previous
    return parameters


def _physical_id(resource_map: Any, logical_name: str) -> str | None:
    resource = resource_map._parsed_resources.get(logical_name)
    return getattr(resource, "physical_resource_id", None) if resource is not None else None


def _references(node: Any) -> set[str]:
    """The logical IDs ``node`` (a resource's template) refers to with ``Ref`` or
    ``Fn::GetAtt``."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "Ref" and isinstance(value, str):
                found.add(value)
            elif key == "Fn::GetAtt":
                found.add(value[0] if isinstance(value, list) else str(value).split(".")[0])
            else:
                found |= _references(value)
    elif isinstance(node, list):
        for item in node:
            found |= _references(item)
    return found


def _dependency_order(names: list[str], resources: dict[str, Any]) -> list[str]:
    """``names`` with each resource after those of ``names`` it refers to (``Ref``,
    ``Fn::GetAtt``, ``DependsOn``), as CloudFormation orders an update; a cycle keeps its order."""
    remaining = list(names)
    ordered: list[str] = []
    while remaining:
        waiting = set(remaining)
        ready = [
            name for name in remaining if not (_needs(resources.get(name, {})) & (waiting - {name}))
        ]
        for name in ready or remaining:
            ordered.append(name)
            remaining.remove(name)
    return ordered


def _needs(body: Any) -> set[str]:
    """What a resource needs first: the resources it refers to and those it depends on."""
    depends = body.get("DependsOn", []) if isinstance(body, dict) else []
    return _references(body) | set([depends] if isinstance(depends, str) else depends)


def _update_resources(
    resource_map: Any, template: dict[str, Any], parameters: dict[str, Any] | None
) -> dict[str, list[str]]:
    """Update ``resource_map`` to ``template`` as CloudFormation does: create the new resources
    and update the changed ones first, and delete the removed ones only once that succeeded (the
    clean-up phase). A failure leaves every removed resource in place for the rollback. moto's
    own update deletes first, and keeps deleted resources in its cache, so that one added back
    later "exists" without being created: both fixed here. Returns what was added, modified and
    removed (resource names by action)."""
    diff = resource_map.build_resource_diff(template, parameters)
    old_json = dict(resource_map._resource_json_map)
    resource_map._template = template
    if parameters is not None:  # {} too: a rollback to a stack made with the defaults
        resource_map.input_parameters = parameters
    resource_map.load_mapping()
    resource_map.load_parameters()
    resource_map.load_conditions()
    resource_map._resource_json_map = template["Resources"]
    # A resource whose condition the new parameters turn on is created, and one they turn off
    # is removed, though its text is the same (moto's diff looks at the text only).
    for logical_name, body in template["Resources"].items():
        condition = body.get("Condition") if isinstance(body, dict) else None
        if condition is None or logical_name in diff["Add"]:
            continue
        wanted = bool(resource_map.lazy_condition_map[condition])
        exists = logical_name in resource_map._parsed_resources
        if wanted != exists:
            if logical_name in diff["Modify"]:
                diff["Modify"].remove(logical_name)
            diff["Add" if wanted else "Remove"].append(logical_name)
    for logical_name in diff["Add"]:
        _ = resource_map[logical_name]  # creates it (moto creates on first read)
    # In dependency order, each once: no retries (every failure is a ResourceFailed, see
    # install, and fails the update).
    pending = _dependency_order(list(diff["Modify"]), template["Resources"])
    updated_names: set[str] = set()
    while pending:
        before = {name: _physical_id(resource_map, name) for name in pending}
        for logical_name in pending:
            resource_map._parsed_resources[logical_name] = parsing.parse_and_update_resource(
                logical_name,
                resource_map._resource_json_map[logical_name],
                resource_map,
                account_id=resource_map._account_id,
                region_name=resource_map._region_name,
            )
            updated_names.add(logical_name)
        # A replaced resource has a new physical ID: what refers to it (Ref, Fn::GetAtt) is
        # updated too, though its own text did not change, as CloudFormation does.
        replaced = {n for n, old in before.items() if _physical_id(resource_map, n) != old}
        pending = [
            name
            for name, body in resource_map._resource_json_map.items()
            if name not in updated_names
            and name not in diff["Add"]
            and name in resource_map._parsed_resources
            and _references(body) & replaced
        ]
    # clean-up: the removed resources go, dependents first (the reverse of the order they were
    # created in, as CloudFormation deletes), each once, and leave the cache. A resource that
    # cannot be deleted is left, and the update still completes (CloudFormation reports it
    # DELETE_FAILED in the clean-up phase, and does not roll back or try again).
    diff["Remove"] = _dependency_order(list(diff["Remove"]), old_json)[::-1]
    errors: dict[str, Exception] = {}
    for logical_name in diff["Remove"]:
        if logical_name not in resource_map._parsed_resources:
            continue
        try:
            resource_map._delete_resource(
                resource_map._parsed_resources[logical_name], old_json[logical_name]
            )
        except Exception as error:  # left in place, reported
            errors[logical_name] = error
        else:
            del resource_map._parsed_resources[logical_name]
    changes = {action: list(names) for action, names in diff.items()}
    changes["RemoveFailed"] = [f"{name}: {_reason(error)}" for name, error in errors.items()]
    return changes


def _apply(
    stack: Any,
    template: str,
    parameters: dict[str, Any],
    *,
    creating: bool,
    begun: bool = False,
) -> bool:
    """Create or update ``stack`` to ``template``; on a failure, record it and roll back.
    ``begun``: the stack's ``*_IN_PROGRESS`` event is written already (moto's CreateStack
    writes it before it creates the resources).

    Returns whether the stack reached ``CREATE_COMPLETE`` / ``UPDATE_COMPLETE``.
    """
    verb = "CREATE" if creating else "UPDATE"
    if not begun:
        stack._add_stack_event(f"{verb}_IN_PROGRESS", resource_status_reason="User Initiated")
    stack.status = f"{verb}_IN_PROGRESS"
    old_template, old_parameters = stack.template, stack.parameters
    new_dict = cfn_models.Stack.parse_template(template)
    changes: dict[str, list[str]] = {}
    try:
        if creating:
            stack.template = template
            stack._parse_template()
            stack.parameters = parameters
            stack.resource_map = stack._create_resource_map()
            stack.resource_map.create(stack.template_dict)
            changes = {"Add": list(stack.template_dict.get("Resources", {}))}
        else:
            changes = _update_resources(stack.resource_map, new_dict, parameters)
            stack.parameters = parameters
            stack.template = template
            stack._parse_template()
    except ResourceFailed as failure:
        _resource_event(
            stack, failure.logical_id, failure.resource_type, f"{verb}_FAILED", failure.reason
        )
        rollback = "ROLLBACK" if creating else "UPDATE_ROLLBACK"
        stack._add_stack_event(
            f"{rollback}_IN_PROGRESS",
            resource_status_reason=f"The following resource(s) failed to {verb.lower()}:"
            f" [{failure.logical_id}]. {failure.reason}",
        )
        try:
            if creating:
                stack.resource_map.delete()
                # moto's resource map creates resources lazily when read: leave nothing to create
                stack.resource_map._resource_json_map = {}
                # nor outputs to read of it (a rolled-back stack has none; reading them would try
                # to create the resources again: DescribeStacks failed)
                stack.output_map = parsing.OutputMap(stack.resource_map, {}, stack.stack_id)
            else:
                stack.template, stack.parameters = old_template, old_parameters
                stack._parse_template()
                # back to the previous template: what the update added goes, what it would have
                # removed is still there
                _update_resources(stack.resource_map, stack.template_dict, stack.parameters)
                stack.output_map = stack._create_output_map()
            stack._add_stack_event(f"{rollback}_COMPLETE")
            stack.status = f"{rollback}_COMPLETE"
        except Exception as error:  # the rollback itself failed
            stack._add_stack_event(f"{rollback}_FAILED", resource_status_reason=_reason(error))
            stack.status = f"{rollback}_FAILED"
        return False
    old_resources = (
        cfn_models.Stack.parse_template(old_template).get("Resources", {}) if (old_template) else {}
    )
    resources = stack.template_dict.get("Resources", {})
    left = dict(entry.split(": ", 1) for entry in changes.get("RemoveFailed", []))
    for action, status in (("Add", "CREATE"), ("Modify", "UPDATE"), ("Remove", "DELETE")):
        for logical_id in changes.get(action, []):
            kind = (resources.get(logical_id) or old_resources.get(logical_id) or {}).get(
                "Type", ""
            )
            if logical_id in left:
                _resource_event(stack, logical_id, kind, f"{status}_FAILED", left[logical_id])
            else:
                _resource_event(stack, logical_id, kind, f"{status}_COMPLETE")
    stack.description = stack.template_dict.get("Description")
    stack.output_map = stack._create_output_map()
    stack._add_stack_event(f"{verb}_COMPLETE")
    stack.status = f"{verb}_COMPLETE"
    return True


def _execute_change_set(self: Any, change_set_name: str, stack_name: str | None = None) -> None:
    change_set = _find_change_set(self, change_set_name, stack_name)
    stack = self.stacks[change_set.stack_id]
    creating = change_set.change_set_type == "CREATE"
    parameters = (
        dict(change_set.parameters or {})
        if creating
        else _previous_ssm_parameters(stack, change_set)
    )
    done = _apply(stack, change_set.template, parameters, creating=creating)
    change_set.execution_status = "EXECUTE_COMPLETE" if done else "EXECUTE_FAILED"


def _create_resources(self: Any) -> None:
    """``CreateStack``: as a change set would, failures rolled back."""
    template, self.template = self.template, {}
    # moto's create_stack wrote CREATE_IN_PROGRESS just before: once, as CloudFormation does
    _apply(self, template, self.parameters, creating=True, begun=True)


def _update(
    self: Any,
    template: str,
    role_arn: str | None = None,
    parameters: dict[str, Any] | None = None,
    tags: dict[str, str] | None = None,
) -> None:
    """``UpdateStack`` (``cdk deploy --method=direct``): as a change set would."""
    if _apply(self, template, parameters or self.parameters, creating=False):
        self.role_arn = role_arn
        if tags is not None:
            self.tags = tags


_installed: list[bool] = []


def install() -> None:
    """Register the resource types and the failure handling with moto (once)."""
    if _installed:
        return
    for resource_type in _IGNORED_TYPES:
        if resource_type not in parsing.NULL_MODELS:
            parsing.NULL_MODELS.append(resource_type)
    # moto lists the direct subclasses of CloudFormationModel, once: add ours and clear its caches.
    from ses_events.local_aws.ses import (
        ConfigurationSetEventDestinationResource,
        ConfigurationSetResource,
    )
    from ses_events.local_aws.ses.resource import SesResource
    from ses_events.local_aws.ses.tenants import TenantResource

    stock_models = parsing.get_model_list.__wrapped__
    ours = [
        BucketPolicy,
        LogStream,
        TopicPolicy,
        Subscription,
        Alarm,
        CompositeAlarm,
        DeliveryStream,
        GlueDatabase,
        GlueTable,
        AthenaWorkGroup,
        AthenaNamedQuery,
        ConfigurationSetResource,
        ConfigurationSetEventDestinationResource,
        TenantResource,
    ]

    @functools.lru_cache
    def get_model_list() -> list[type[CloudFormationModel]]:
        # the bases are not resources: moto would ask them for a type
        models = [m for m in stock_models() if m not in ours and m not in (_Simple, SesResource)]
        return models + ours

    parsing.get_model_list = get_model_list
    parsing.get_model_map.cache_clear()
    parsing.get_name_type_map.cache_clear()
    parsing.resource_class_from_type = _resource_class_from_type
    parsing.parse_and_create_resource = _failing_as_resource(parsing.parse_and_create_resource)
    parsing.parse_and_update_resource = _failing_as_resource(
        _updating_or_failing(parsing.parse_and_update_resource)
    )
    _patch_kms_key()
    _patch_log_group()
    _patch_bucket()
    backend = cfn_models.CloudFormationBackend
    backend.execute_change_set = _execute_change_set
    cfn_models.Stack.create_resources = _create_resources
    cfn_models.Stack.update = _update
    backend.describe_change_set = _describe_change_set
    backend.delete_change_set = _delete_change_set
    _patch_change_set_responses()
    _installed.append(True)
