"""Event archives in the spec: where Firehose keeps the events, and for how long."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    Field,
    model_validator,
)

from ses_events import rules
from ses_events.spec.base import Bool, Int, _Spec


class RetentionSpec(_Spec):
    """How long the archive keeps event data (recipient addresses are personal data)."""

    expire_after_days: Annotated[Int, Field(ge=1)] | None = None
    """Delete event objects this many days after they were written. Default: keep them."""
    noncurrent_versions_days: Annotated[Int, Field(ge=1)] = rules.DEFAULT_NONCURRENT_VERSION_DAYS
    """Delete an old version (after an overwrite or delete) after this many days. Default: 30."""
    infrequent_access_after_days: (
        Annotated[int, Field(ge=rules.MIN_DAYS_BEFORE_INFREQUENT_ACCESS)] | None
    ) = None
    """Move objects to S3 Standard-IA after this many days (30 or more). Default: never."""
    glacier_after_days: Annotated[Int, Field(ge=1)] | None = None
    """Move objects to S3 Glacier Instant Retrieval after this many days. Default: never."""

    @model_validator(mode="after")
    def _order(self) -> RetentionSpec:
        names = {"expiration": "expire_after_days", "glacier_after": "glacier_after_days"}
        names["infrequent_access_after"] = "infrequent_access_after_days"
        for field, value, rule in rules.retention_problems(
            self.expire_after_days, self.infrequent_access_after_days, self.glacier_after_days
        ):
            raise ValueError(f"{names[field]} = {value}: {rule}")
        return self


class ArchiveSpec(_Spec):
    """A shared Firehose → S3 archive that Firehose destinations refer to by ``name``."""

    name: Annotated[str, Field(pattern=r"^[a-zA-Z0-9-]{1,32}$")]
    buffering_interval_seconds: Annotated[
        Int, Field(ge=rules.FIREHOSE_BUFFER_SECONDS[0], le=rules.FIREHOSE_BUFFER_SECONDS[1])
    ] = 300
    buffering_size_mib: Annotated[
        Int, Field(ge=rules.FIREHOSE_BUFFER_MIB[0], le=rules.FIREHOSE_BUFFER_MIB[1])
    ] = 64
    compression: Literal["GZIP", "Snappy", "HADOOP_SNAPPY", "ZIP", "UNCOMPRESSED"] = "GZIP"
    prefix: str = "ses-events/"
    error_output_prefix: str = "ses-events-errors/"
    max_data_age_seconds: (
        Annotated[
            Int, Field(ge=rules.FIREHOSE_BUFFER_SECONDS[0], le=rules.MAX_FIREHOSE_DATA_AGE_SECONDS)
        ]
        | None
    ) = None
    """Alarm when records wait longer to reach S3. Default: 3 buffering intervals, >= 900."""
    retention: RetentionSpec = Field(default_factory=RetentionSpec)
    """How long event data is kept. Default: objects kept, old versions 30 days."""
    access_logs_bucket: (
        Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")] | None
    ) = None
    """Name of an existing bucket for the archive bucket's S3 server access logs. Default: none."""
    format: Literal["json", "parquet"] = "json"
    """How records are stored: GZIP JSON lines, or Parquet through Firehose record format
    conversion (needs ``analytics.enabled``: the Glue table is the schema). Default: ``json``."""
    encrypt_logs: Bool = False
    """Encrypt the delivery error log group with a customer managed KMS key created for it
    (rotated; about 1 USD a month). Default: CloudWatch Logs' own encryption."""
