"""The event archive: Firehose delivery, Parquet, and the bucket's lifecycle."""

from __future__ import annotations

PARQUET_BLOCK_COMPRESSION = {"GZIP": "GZIP", "Snappy": "SNAPPY", "UNCOMPRESSED": "UNCOMPRESSED"}
"""The archive compressions a Parquet archive can use, and Firehose's ParquetSerDe name for each
(``ParquetSerDe.Compression``: GZIP, SNAPPY or UNCOMPRESSED,
https://docs.aws.amazon.com/firehose/latest/APIReference/API_ParquetSerDe.html)."""


PARQUET_COMPRESSION_RULE = "Parquet blocks are compressed with GZIP or Snappy, or not at all"


FIREHOSE_BUFFER_MIB = (64, 128)


FIREHOSE_BUFFER_SECONDS = (60, 900)
"""Buffering of a Firehose stream with dynamic partitioning (the archive partitions by set):
64 to 128 MiB and 60 to 900 seconds ("Dynamic partitioning", Firehose Developer Guide,
https://docs.aws.amazon.com/firehose/latest/dev/dynamic-partitioning.html)."""


FIREHOSE_STREAM_NAME = r"[a-zA-Z0-9_.-]{1,64}"
"""A delivery stream name: 1 to 64 of ``[a-zA-Z0-9_.-]`` (Firehose API reference,
https://docs.aws.amazon.com/firehose/latest/APIReference/API_CreateDeliveryStream.html)."""


MAX_FIREHOSE_DATA_AGE_SECONDS = 86_400
"""Firehose keeps records it cannot deliver for at most 24 hours: a freshness alarm above that
could never fire ("Data delivery failure handling", Firehose Developer Guide,
https://docs.aws.amazon.com/firehose/latest/dev/basic-deliver.html#retry)."""


MIN_DAYS_BEFORE_INFREQUENT_ACCESS = 30
"""S3 moves objects to Standard-IA only after 30 days, and keeps them there 30 days at least
before a further transition ("Transitioning objects using Amazon S3 Lifecycle", constraints,
https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html)."""


DEFAULT_NONCURRENT_VERSION_DAYS = 30
"""ses-events' default: an old version of an event object (after an overwrite or a delete) is
kept 30 days, time to undo a mistake without keeping personal data forever."""


def retention_problems(
    expire: int | None, infrequent_access: int | None, glacier: int | None
) -> list[tuple[str, object, str]]:
    """Problems of an archive's retention in days, as ``(field, value, rule)`` triples (fields:
    ``expiration``, ``infrequent_access_after``, ``glacier_after``)."""
    found: list[tuple[str, object, str]] = []
    for field, value in (
        ("infrequent_access_after", infrequent_access),
        ("glacier_after", glacier),
    ):
        if value is not None and expire is not None and value >= expire:
            found.append((field, f"{value} days", f"must come before expiration ({expire} days)"))
    if (
        infrequent_access is not None
        and glacier is not None
        and glacier < infrequent_access + MIN_DAYS_BEFORE_INFREQUENT_ACCESS
    ):
        found.append(
            (
                "glacier_after",
                f"{glacier} days",
                f"must be at least {MIN_DAYS_BEFORE_INFREQUENT_ACCESS} days after"
                " infrequent_access_after (S3 keeps objects in Standard-IA that long at least)",
            )
        )
    return found
