"""Kinesis Data Firehose event destination: every SES event archived as JSON in S3."""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence

import jsii
from aws_cdk import (
    ArnFormat,
    Duration,
    Fn,
    Names,
    Stack,
    Token,
)
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kinesisfirehose as firehose
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from constructs import Construct, IValidation

from ses_events import render, rules
from ses_events.compat import acknowledge
from ses_events.constructs.buckets import private_bucket
from ses_events.constructs.configuration_set import (
    ConfigurationSetLike,
    EventPublishingConfigurationSet,
)
from ses_events.constructs.event_destination import (
    ConfigurationSetSources,
    EventDestinationBase,
    EventTypeLike,
)
from ses_events.errors import Problems
from ses_events.tokens import is_unresolved

__all__ = [
    "ArchiveCompression",
    "ArchiveStorageFormat",
    "FirehoseEventArchive",
    "FirehoseEventDestination",
]

# Firehose limits (buffering with dynamic partitioning, stream names) are rules: rules/archive.py.
_BUFFER_MIB = rules.FIREHOSE_BUFFER_MIB
_BUFFER_SECONDS = rules.FIREHOSE_BUFFER_SECONDS
_STREAM_NAME = rules.FIREHOSE_STREAM_NAME
_PREFIX = r"([a-zA-Z0-9_=-]+/)+"

# SES writes the configuration set into every event record as mail.tags."ses:configuration-set"
# (a list of one value); Firehose's JQ metadata extraction turns it into a partition key.
# https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-firehose-contents.html
_PARTITION_QUERY = '{configuration_set: .mail.tags."ses:configuration-set"[0]}'
_TIME_PARTITIONS = (
    "year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/"
)


class ArchiveCompression(enum.StrEnum):
    """How Firehose compresses the objects it writes to S3."""

    GZIP = "GZIP"
    SNAPPY = "Snappy"
    HADOOP_SNAPPY = "HADOOP_SNAPPY"
    ZIP = "ZIP"
    UNCOMPRESSED = "UNCOMPRESSED"


class ArchiveStorageFormat(enum.StrEnum):
    """How the archive stores records: GZIP JSON lines as SES publishes them, or Parquet through
    Firehose record format conversion (the schema: the archive's
    :class:`~ses_events.constructs.analytics.EventArchiveTable`)."""

    JSON = "json"
    PARQUET = "parquet"


_PARQUET_COMPRESSION = {
    ArchiveCompression(value): serde for value, serde in rules.PARQUET_BLOCK_COMPRESSION.items()
}
"""Parquet block compression by ``compression`` (Firehose's ParquetSerDe: SNAPPY, GZIP or
UNCOMPRESSED); the S3 objects themselves are then written UNCOMPRESSED, as Firehose requires with
record format conversion."""


class FirehoseEventArchive(Construct):
    """A Firehose delivery stream that archives SES events to S3, shareable by many sets.

    One archive serves any number of configuration sets: records are partitioned in S3 per
    configuration set and per hour (``<prefix>configuration_set=<name>/year=/month=/day=/hour=/``),
    so a stream per set (and its Firehose quota) is not needed. Records that cannot be
    partitioned or delivered land under ``error_output_prefix``; delivery errors are logged to
    CloudWatch Logs.

    It creates, unless given:

    - ``bucket``: private, SSE-S3 encrypted, TLS-only, versioned, and retained when the stack is
      deleted (event data is never deleted with a stack);
    - ``delivery_stream``: Direct PUT, encrypted at rest, buffered, compressed;
    - ``firehose_role``: what Firehose assumes to write to the bucket and the log, trusted only
      by Firehose for this account and this stream;
    - ``ses_role``: what SES assumes to publish, trusted only by ``ses.amazonaws.com`` with
      ``aws:SourceAccount`` and ``aws:SourceArn`` (the configuration sets that use the archive),
      allowed only ``firehose:PutRecordBatch`` on this stream.

    Example::

        archive = FirehoseEventArchive(stack, "EventArchive")
        for configuration_set in (marketing, transactional):
            FirehoseEventDestination(
                stack, f"{configuration_set.node.id}Archive",
                configuration_set=configuration_set,
                archive=archive,
                destination_name="archive",
            )

    :param bucket: an existing bucket to write to. Default: a bucket is created.
    :param server_access_logs_bucket: where the created bucket writes its S3 access logs.
        Default: no access logs. Only with a created bucket.
    :param delivery_stream_name: Default: derived from the construct path (stable).
    :param buffering_interval: 60 seconds to 15 minutes. Default: 5 minutes.
    :param buffering_size_mib: 64 to 128 MiB. Default: 64.
    :param compression: Default: GZIP.
    :param prefix: key prefix of event objects, ending in ``/``. Default: ``ses-events/``.
    :param error_output_prefix: key prefix of failed records. Default: ``ses-events-errors/``.
    :param log_retention: how long delivery error logs are kept. Default: one year.
    :param expiration: delete event objects this long after they were written (the archive
        holds recipient addresses: personal data). Default: kept until you delete them.
    :param noncurrent_version_expiration: delete an object's old version (after someone
        overwrote or deleted it) this long after it became old. Default: 30 days.
    :param infrequent_access_after: move objects to S3 Standard-IA after this long (at least 30
        days). Default: never.
    :param glacier_after: move objects to S3 Glacier Instant Retrieval after this long.
        Default: never.
    :param storage_format: ``JSON`` (GZIP JSON lines, default) or ``PARQUET`` (Firehose record
        format conversion; needs an :class:`EventArchiveTable` over the archive, whose columns
        are the conversion's schema, and ``compression`` is then Parquet's: GZIP, Snappy or
        uncompressed).
    :param log_encryption_key: a customer managed KMS key for the delivery error log group;
        its key policy gets a statement letting CloudWatch Logs use it for this account's log
        groups in this Region. Default: the log group is encrypted by CloudWatch Logs' own keys
        (the error log holds record metadata, not the records).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,  # noqa: A002 - the construct id, named as in aws-cdk-lib
        *,
        bucket: s3.IBucket | None = None,
        server_access_logs_bucket: s3.IBucket | None = None,
        delivery_stream_name: str | None = None,
        buffering_interval: Duration | None = None,
        buffering_size_mib: int = 64,
        compression: ArchiveCompression = ArchiveCompression.GZIP,
        prefix: str = "ses-events/",
        error_output_prefix: str = "ses-events-errors/",
        log_retention: logs.RetentionDays = logs.RetentionDays.ONE_YEAR,
        expiration: Duration | None = None,
        noncurrent_version_expiration: Duration | None = None,
        infrequent_access_after: Duration | None = None,
        glacier_after: Duration | None = None,
        log_encryption_key: kms.IKey | None = None,
        storage_format: ArchiveStorageFormat = ArchiveStorageFormat.JSON,
    ) -> None:
        interval = buffering_interval if buffering_interval is not None else Duration.minutes(5)
        problems = Problems(f"{scope.node.path}/{id} (Firehose event archive)".lstrip("/"))
        if bucket is not None and server_access_logs_bucket is not None:
            problems.add(
                "server_access_logs_bucket",
                "given",
                "configures the bucket this construct creates: pass either bucket or"
                " server_access_logs_bucket, not both",
            )
        if not is_unresolved(buffering_size_mib) and not (
            _BUFFER_MIB[0] <= buffering_size_mib <= _BUFFER_MIB[1]
        ):
            problems.add(
                "buffering_size_mib",
                buffering_size_mib,
                f"must be {_BUFFER_MIB[0]} to {_BUFFER_MIB[1]} MiB (Firehose dynamic partitioning)",
            )
        if not is_unresolved(interval):
            problems.whole_seconds(
                "buffering_interval",
                interval,
                _BUFFER_SECONDS[0],
                _BUFFER_SECONDS[1],
                f"must be {_BUFFER_SECONDS[0]} to {_BUFFER_SECONDS[1]} seconds"
                " (Firehose dynamic partitioning)",
            )
        for field, value in (("prefix", prefix), ("error_output_prefix", error_output_prefix)):
            if re.fullmatch(_PREFIX, value) is None and not is_unresolved(value):
                problems.add(
                    field,
                    value,
                    "must be one or more path segments of letters, digits, '_', '=' or '-',"
                    " each ending in '/'",
                )
        lifecycle = _lifecycle(
            problems,
            given_bucket=bucket is not None,
            expiration=expiration,
            noncurrent_version_expiration=noncurrent_version_expiration,
            infrequent_access_after=infrequent_access_after,
            glacier_after=glacier_after,
        )
        if (
            storage_format is ArchiveStorageFormat.PARQUET
            and compression not in _PARQUET_COMPRESSION
        ):
            problems.add("compression", compression.value, rules.PARQUET_COMPRESSION_RULE)
        if prefix == error_output_prefix and not is_unresolved(prefix):
            problems.add("error_output_prefix", error_output_prefix, "must differ from prefix")
        if (
            delivery_stream_name is not None
            and re.fullmatch(_STREAM_NAME, delivery_stream_name) is None
            and not is_unresolved(delivery_stream_name)
        ):
            problems.add(
                "delivery_stream_name",
                delivery_stream_name,
                f"must be 1 to 64 ASCII letters, digits, '_', '.' or '-' (pattern {_STREAM_NAME})",
            )
        problems.raise_if_any()

        super().__init__(scope, id)
        stack = Stack.of(self)
        self.buffering_interval: Duration = interval
        """How long Firehose buffers records before writing them to S3."""
        self.prefix: str = prefix
        """Key prefix of the event objects (partitions follow: ``configuration_set=<name>/year=...``)."""
        self.error_output_prefix: str = error_output_prefix
        """Key prefix of records Firehose could not partition, convert or deliver."""
        self.storage_format: ArchiveStorageFormat = storage_format
        """How the archive stores records (JSON or Parquet)."""
        self._parquet_compression = _PARQUET_COMPRESSION.get(compression, "SNAPPY")
        self.schema_table: tuple[str, str] | None = None
        """``(database, table)`` of the Parquet conversion's schema, once a table is attached."""
        self.sources = ConfigurationSetSources(
            self, room=rules.TRUST_POLICY_ARN_ROOM, policy="the SES role's trust policy"
        )
        """The configuration sets allowed to publish: their ARNs in the SES role's trust policy."""
        self.node.add_validation(_UsedByAConfigurationSet(self.sources))
        self.node.add_validation(_HasItsSchema(self))

        self.created_bucket: s3.Bucket | None = None
        """The bucket this construct created, as an ``s3.Bucket`` (``add_lifecycle_rule``,
        ``add_event_notification``, ...); ``None`` when ``bucket`` was given."""
        self.bucket: s3.IBucket
        """The bucket that holds the event data (given or created), as an ``s3.IBucket``."""
        if bucket is None:
            self.created_bucket = self.bucket = private_bucket(
                self,
                "Bucket",
                versioned=True,
                server_access_logs_bucket=server_access_logs_bucket,
                server_access_logs_prefix=(
                    "ses-events-bucket/" if server_access_logs_bucket else None
                ),
                lifecycle_rules=lifecycle,
            )
        else:
            self.bucket = bucket
        if bucket is None and server_access_logs_bucket is None:
            acknowledge(
                self.bucket,
                "AwsSolutions-S1",
                "Only the archive's own Firehose role writes here, and every object is an SES"
                " event already; pass server_access_logs_bucket to log S3 access.",
            )

        self.delivery_stream_name: str = delivery_stream_name or Names.unique_resource_name(
            self, max_length=64, separator="-"
        )
        stream_arn = stack.format_arn(
            service="firehose",
            resource="deliverystream",
            resource_name=self.delivery_stream_name,
            arn_format=ArnFormat.SLASH_RESOURCE_NAME,
        )

        if log_encryption_key is not None:
            # CloudWatch Logs encrypts with the key on behalf of the log group: allowed for this
            # account's log groups only ("Encrypt log data in CloudWatch Logs using AWS KMS",
            # https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html).
            # The log group's own ARN would make the key and the group depend on each other.
            log_encryption_key.add_to_resource_policy(
                iam.PolicyStatement(
                    sid="AllowCloudWatchLogsForFirehoseErrorLogs",
                    principals=[iam.ServicePrincipal(f"logs.{stack.region}.amazonaws.com")],
                    actions=[
                        "kms:Encrypt*",
                        "kms:Decrypt*",
                        "kms:ReEncrypt*",
                        "kms:GenerateDataKey*",
                        "kms:Describe*",
                    ],
                    resources=["*"],  # in a key policy, "*" is this key
                    conditions={
                        "ArnLike": {
                            "kms:EncryptionContext:aws:logs:arn": stack.format_arn(
                                service="logs",
                                resource="log-group",
                                resource_name="*",
                                arn_format=ArnFormat.COLON_RESOURCE_NAME,
                            )
                        }
                    },
                )
            )
        self.log_group = logs.LogGroup(
            self, "DeliveryLogs", retention=log_retention, encryption_key=log_encryption_key
        )
        """Where Firehose logs records it failed to deliver."""
        log_stream = logs.LogStream(
            self, "DeliveryLogStream", log_group=self.log_group, log_stream_name="S3Delivery"
        )

        self.firehose_role = iam.Role(
            self,
            "FirehoseRole",
            description="Lets Firehose write SES events to the archive bucket and log errors",
            assumed_by=iam.ServicePrincipal(
                "firehose.amazonaws.com",
                conditions={
                    "StringEquals": {
                        "aws:SourceAccount": stack.account,
                        "aws:SourceArn": stream_arn,
                    }
                },
            ),
        )
        """The role Firehose assumes to write to the bucket."""
        # What the Firehose developer guide lists for an S3 destination, on this bucket and its
        # two prefixes only. https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html
        object_arns = [self.bucket.arn_for_objects(f"{p}*") for p in (prefix, error_output_prefix)]
        self.firehose_role.add_to_policy(
            iam.PolicyStatement(
                actions=["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
                resources=[self.bucket.bucket_arn],
            )
        )
        self.firehose_role.add_to_policy(
            iam.PolicyStatement(
                actions=["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"],
                resources=object_arns,
            )
        )
        self.firehose_role.add_to_policy(
            iam.PolicyStatement(
                actions=["logs:PutLogEvents"],
                resources=[
                    stack.format_arn(
                        service="logs",
                        resource="log-group",
                        resource_name=f"{self.log_group.log_group_name}:log-stream:"
                        f"{log_stream.log_stream_name}",
                        arn_format=ArnFormat.COLON_RESOURCE_NAME,
                    )
                ],
            )
        )
        if self.bucket.encryption_key is not None:
            self.bucket.encryption_key.grant_encrypt_decrypt(self.firehose_role)
        self._acknowledge_prefix_wildcards(bucket is None, (prefix, error_output_prefix))

        self.delivery_stream = firehose.CfnDeliveryStream(
            self,
            "DeliveryStream",
            delivery_stream_name=self.delivery_stream_name,
            delivery_stream_type="DirectPut",
            delivery_stream_encryption_configuration_input=firehose.CfnDeliveryStream.DeliveryStreamEncryptionConfigurationInputProperty(
                key_type="AWS_OWNED_CMK"
            ),
            extended_s3_destination_configuration=firehose.CfnDeliveryStream.ExtendedS3DestinationConfigurationProperty(
                bucket_arn=self.bucket.bucket_arn,
                role_arn=self.firehose_role.role_arn,
                prefix=f"{prefix}configuration_set=!{{partitionKeyFromQuery:configuration_set}}/"
                + _TIME_PARTITIONS,
                error_output_prefix=f"{error_output_prefix}!{{firehose:error-output-type}}/"
                + _TIME_PARTITIONS,
                buffering_hints=firehose.CfnDeliveryStream.BufferingHintsProperty(
                    interval_in_seconds=interval.to_seconds()
                    if is_unresolved(interval)
                    else int(interval.to_seconds()),
                    size_in_m_bs=buffering_size_mib,
                ),
                compression_format=compression.value
                if storage_format is ArchiveStorageFormat.JSON
                else "UNCOMPRESSED",
                cloud_watch_logging_options=firehose.CfnDeliveryStream.CloudWatchLoggingOptionsProperty(
                    enabled=True,
                    log_group_name=self.log_group.log_group_name,
                    log_stream_name=log_stream.log_stream_name,
                ),
                dynamic_partitioning_configuration=firehose.CfnDeliveryStream.DynamicPartitioningConfigurationProperty(
                    enabled=True,
                    retry_options=firehose.CfnDeliveryStream.RetryOptionsProperty(
                        duration_in_seconds=300
                    ),
                ),
                processing_configuration=firehose.CfnDeliveryStream.ProcessingConfigurationProperty(
                    enabled=True,
                    processors=[
                        _processor(
                            "MetadataExtraction",
                            MetadataExtractionQuery=_PARTITION_QUERY,
                            JsonParsingEngine="JQ-1.6",
                        ),
                        *(
                            [_processor("AppendDelimiterToRecord", Delimiter="\\n")]
                            if storage_format is ArchiveStorageFormat.JSON
                            else []  # Parquet frames records itself
                        ),
                    ],
                ),
            ),
        )
        """The ``AWS::KinesisFirehose::DeliveryStream``."""
        # Firehose checks its role when the stream is created: create the policy first (the
        # role itself is already a dependency through RoleARN).
        self.delivery_stream.node.add_dependency(
            self.firehose_role.node.find_child("DefaultPolicy")
        )
        self.delivery_stream_arn: str = self.delivery_stream.attr_arn

        self.ses_role = iam.Role(
            self,
            "SesRole",
            description="Lets SES publish email sending events to the archive's delivery stream",
            assumed_by=iam.ServicePrincipal(
                "ses.amazonaws.com",
                conditions=self.sources.conditions(stack.account),
            ),
        )
        """The role SES assumes to publish events; trusted only for this archive's sets."""
        # Each listed set adds its ARN (60 to 130 characters) to the trust policy, which IAM caps
        # at 2,048 characters by default: past rules.TRUST_POLICY_ARN_ROOM characters of ARNs the
        # condition names the account's configuration sets with a wildcard instead (a warning).
        # The one action SES documents for a Firehose event destination.
        # https://docs.aws.amazon.com/ses/latest/dg/event-publishing-add-event-destination-firehose.html
        self.ses_role.add_to_policy(
            iam.PolicyStatement(
                actions=["firehose:PutRecordBatch"], resources=[self.delivery_stream_arn]
            )
        )
        # SES checks that it may publish when a destination is created, so each destination must
        # come after the role's policy. The role ARN destinations use is written as
        # Fn::Select(0, [role ARN, Ref policy]): the same ARN, and through the Ref an implicit
        # dependency on the policy, with no DependsOn to add (one jsii call less per
        # destination, which counts with thousands of sets).
        policy = self.ses_role.node.find_child("DefaultPolicy").node.default_child
        assert isinstance(policy, iam.CfnPolicy)
        self.ses_role_reference: str = Fn.select(0, [self.ses_role.role_arn, policy.ref])
        """The SES role's ARN as destinations write it: it refers to the role's policy too, so
        a destination is created after SES may put records."""

    def use_schema(self, database: str, table: str, table_resource: Construct) -> None:
        """Convert records to Parquet with the columns of Glue table ``database.table`` (called
        by :class:`EventArchiveTable`); the Firehose role may read that table, nothing else of
        the catalog."""
        if self.storage_format is not ArchiveStorageFormat.PARQUET or self.schema_table:
            return
        stack = Stack.of(self)
        self.schema_table = (database, table)
        self.delivery_stream.add_property_override(
            "ExtendedS3DestinationConfiguration.DataFormatConversionConfiguration",
            {
                "Enabled": True,
                "InputFormatConfiguration": {
                    "Deserializer": {"OpenXJsonSerDe": {"CaseInsensitive": True}}
                },
                "OutputFormatConfiguration": {
                    "Serializer": {"ParquetSerDe": {"Compression": self._parquet_compression}}
                },
                "SchemaConfiguration": {
                    "CatalogId": stack.account,
                    "DatabaseName": database,
                    "TableName": table,
                    "Region": stack.region,
                    "RoleARN": self.firehose_role.role_arn,
                    "VersionId": "LATEST",
                },
            },
        )
        # https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html (Glue access
        # for record format conversion)
        self.firehose_role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["glue:GetTable", "glue:GetTableVersion", "glue:GetTableVersions"],
                resources=[
                    stack.format_arn(service="glue", resource="catalog"),
                    stack.format_arn(service="glue", resource="database", resource_name=database),
                    stack.format_arn(
                        service="glue", resource="table", resource_name=f"{database}/{table}"
                    ),
                ],
            )
        )
        self.delivery_stream.node.add_dependency(table_resource)

    @property
    def configuration_set_names(self) -> tuple[str, ...]:
        """The configuration sets that publish to this archive."""
        return self.sources.names

    def allow_configuration_set(self, configuration_set: EventPublishingConfigurationSet) -> None:
        """Let SES publish events of ``configuration_set`` to this archive."""
        self.sources.add(configuration_set)

    def _acknowledge_prefix_wildcards(self, created_bucket: bool, prefixes: Sequence[str]) -> None:
        """Acknowledge cdk-nag's IAM5 for the object grants, which must end in a wildcard.

        A prefix given as a CDK token is left out: the finding's name then holds the token's
        resolved form, which only the app that owns the token can write; acknowledge it there.
        """
        prefixes = [prefix for prefix in prefixes if not is_unresolved(prefix)]
        if created_bucket:
            cfn_bucket = self.bucket.node.default_child
            assert isinstance(cfn_bucket, s3.CfnBucket)
            bucket_arn = f"<{Stack.of(self).get_logical_id(cfn_bucket)}.Arn>"
        elif not Token.is_unresolved(self.bucket.bucket_arn):
            bucket_arn = self.bucket.bucket_arn
        else:
            return  # a bucket of another stack: its owner knows the finding's name
        policy = self.firehose_role.node.find_child("DefaultPolicy")
        for prefix in prefixes:
            acknowledge(
                policy,
                f"AwsSolutions-IAM5[Resource::{bucket_arn}/{prefix}*]",
                "Firehose writes objects under time- and set-partitioned keys that are not known"
                " in advance; the grant is limited to the archive's prefixes.",
            )


def _lifecycle(
    problems: Problems,
    *,
    given_bucket: bool,
    expiration: Duration | None,
    noncurrent_version_expiration: Duration | None,
    infrequent_access_after: Duration | None,
    glacier_after: Duration | None,
) -> list[s3.LifecycleRule] | None:
    """The created bucket's lifecycle: retention of event data, old versions and storage classes."""
    chosen = {
        "expiration": expiration,
        "noncurrent_version_expiration": noncurrent_version_expiration,
        "infrequent_access_after": infrequent_access_after,
        "glacier_after": glacier_after,
    }
    if given_bucket:
        for field, value in chosen.items():
            if value is not None:
                problems.add(
                    field,
                    "given",
                    "configures the bucket this construct creates: pass either bucket or the"
                    " retention settings, not both",
                )
        return None
    days: dict[str, int | None] = {}
    for field, value in chosen.items():
        days[field] = (
            None
            if value is None
            else problems.whole_days(
                field,
                value,
                rules.MIN_DAYS_BEFORE_INFREQUENT_ACCESS
                if field == "infrequent_access_after"
                else 1,
                why="the bucket's lifecycle is checked against S3's rules here (Standard-IA after"
                " 30 days, expiration after every transition)",
            )
        )
    noncurrent = days["noncurrent_version_expiration"] or (
        rules.DEFAULT_NONCURRENT_VERSION_DAYS if noncurrent_version_expiration is None else None
    )
    last = days["expiration"]
    problems.extend(
        rules.retention_problems(last, days["infrequent_access_after"], days["glacier_after"])
    )
    transitions = [
        s3.Transition(storage_class=storage, transition_after=Duration.days(after))
        for storage, after in (
            (s3.StorageClass.INFREQUENT_ACCESS, days["infrequent_access_after"]),
            (s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, days["glacier_after"]),
        )
        if after is not None
    ]
    return [
        s3.LifecycleRule(
            id="ses-events-retention",
            abort_incomplete_multipart_upload_after=Duration.days(7),
            expiration=Duration.days(last) if last is not None else None,
            noncurrent_version_expiration=Duration.days(noncurrent) if noncurrent else None,
            expired_object_delete_marker=None if last is not None else True,
            transitions=transitions or None,
        )
    ]


@jsii.implements(IValidation)
class _HasItsSchema:
    def __init__(self, archive: FirehoseEventArchive) -> None:
        self._archive = archive

    def validate(self) -> list[str]:
        if (
            self._archive.storage_format is ArchiveStorageFormat.PARQUET
            and self._archive.schema_table is None
        ):
            return [
                "a Parquet archive needs an EventArchiveTable over it: its columns are the"
                " schema Firehose converts records with"
            ]
        return []


def _processor(kind: str, **parameters: str) -> firehose.CfnDeliveryStream.ProcessorProperty:
    return firehose.CfnDeliveryStream.ProcessorProperty(
        type=kind,
        parameters=[
            firehose.CfnDeliveryStream.ProcessorParameterProperty(
                parameter_name=name, parameter_value=value
            )
            for name, value in parameters.items()
        ],
    )


@jsii.implements(IValidation)
class _UsedByAConfigurationSet:
    """Validation: an archive with no configuration set would have an SES role nobody may assume."""

    def __init__(self, sources: ConfigurationSetSources) -> None:
        self._sources = sources

    def validate(self) -> list[str]:
        if self._sources.names:
            return []
        return ["no configuration set publishes to this Firehose event archive"]


class FirehoseEventDestination(EventDestinationBase):
    """Publish SES events of a configuration set to a Firehose → S3 archive.

    Example::

        FirehoseEventDestination(
            stack, "MarketingArchive",
            configuration_set=marketing,
            archive=shared_archive,  # omit to create an archive for this destination alone
        )

    :param configuration_set: the configuration set that publishes the events: one of ours, or an
        existing one (an ``aws_ses.IConfigurationSet`` or its name).
    :param archive: the archive to publish to. Default: one is created inside this construct.
        Share one archive between configuration sets rather than creating one each.
    :param destination_name: the event destination name in SES. Default: the construct id.
    :param event_types: the event types to publish. Default: all ten.
    :param enabled: whether SES publishes to this destination. Default: ``True``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,  # noqa: A002 - the construct id, named as in aws-cdk-lib
        *,
        configuration_set: ConfigurationSetLike,
        archive: FirehoseEventArchive | None = None,
        destination_name: str | None = None,
        event_types: Sequence[EventTypeLike] | None = None,
        enabled: bool = True,
    ) -> None:
        configuration_set = EventPublishingConfigurationSet.of(scope, configuration_set)
        super().__init__(
            scope,
            id,
            configuration_set=configuration_set,
            destination_name=destination_name,
            event_types=event_types,
            enabled=enabled,
        )
        self.archive: FirehoseEventArchive = archive or FirehoseEventArchive(self, "Archive")
        """The archive the events go to."""
        self.archive.allow_configuration_set(configuration_set)
        # (the role ARN given refers to the role's policy too: see FirehoseEventArchive)
        self._create_event_destination(
            render.firehose_target(
                self.archive.delivery_stream_arn, self.archive.ses_role_reference
            )
        )
