"""SES event publishing in the local AWS: mail sent through a configuration set produces the
records SES would (:func:`ses_events.analytics.generator.records_for_recipient`, the same
source as the analytics generator) and each goes to every enabled destination of the set whose
event types match:

- CloudWatch: ``PutMetricData`` in ``AWS/SES``, the event type's metric name, exactly the
  destination's dimensions, each from the message tag (automatic ``ses:`` tags included), the
  email header or the link tag, or the default value when the message has none;
- Firehose: written as the archive's stream writes it, under the stream's prefix with its
  dynamic partitioning (``configuration_set``) and time keys resolved, GZIP JSON lines, or
  Parquet when the stream converts records (one object per record: the local stream does not
  buffer);
- SNS: the record as the notification's message; EventBridge: an event on the default bus with
  source ``aws.ses`` and SES's detail type.

What was published is recorded (:func:`published`) for checks and the main job.
"""

from __future__ import annotations

import gzip
import json
import threading
import uuid
from datetime import UTC, datetime
from typing import Any

from moto.cloudwatch.models import cloudwatch_backends
from moto.events.models import events_backends
from moto.firehose.models import firehose_backends
from moto.s3.models import s3_backends
from moto.sns.models import sns_backends
from moto.utilities.utils import get_partition

from ses_events import rules
from ses_events.analytics.schema import EVENT_TYPE_NAMES

__all__ = ["publish", "published"]

_LOCK = threading.RLock()
_PUBLISHED: dict[tuple[str, str], list[dict[str, Any]]] = {}
_EVENT_TYPE_OF = {name: rules.EventType(key) for key, name in EVENT_TYPE_NAMES.items()}


def published(account: str, region: str) -> list[dict[str, Any]]:
    """What reached each destination: ``{"kind", "destination", "configuration_set",
    "event_type", ...}`` entries, in order."""
    with _LOCK:
        return list(_PUBLISHED.get((account, region), []))


def _record(account: str, region: str, entry: dict[str, Any]) -> None:
    with _LOCK:
        _PUBLISHED.setdefault((account, region), []).append(entry)


def publish(
    account: str,
    region: str,
    configuration_set: str,
    destinations: list[dict[str, Any]],
    records: list[dict[str, Any]],
) -> None:
    """Deliver ``records`` to the enabled, matching ``destinations`` (SES API v2 shape)."""
    for record in records:
        event_type = _EVENT_TYPE_OF[record["eventType"]]
        for destination in destinations:
            if not destination.get("Enabled", False):
                continue  # SES publishes nothing to a disabled destination
            if event_type.api_v2_name not in destination.get("MatchingEventTypes", []):
                continue
            base = {
                "destination": destination["Name"],
                "configuration_set": configuration_set,
                "event_type": event_type.value,
                "message_id": record["mail"]["messageId"],
            }
            if "CloudWatchDestination" in destination:
                dimensions = _dimensions(destination["CloudWatchDestination"], record)
                cloudwatch_backends[account][region].put_metric_data(
                    rules.SES_METRIC_NAMESPACE,
                    [
                        {
                            "MetricName": event_type.metric_name,
                            "Dimensions": dimensions,
                            "Value": 1.0,
                            "Unit": "Count",
                            # naive UTC, as moto keeps every time stamp
                            "Timestamp": datetime.now(UTC).replace(tzinfo=None),
                        }
                    ],
                )
                _record(account, region, {**base, "kind": "cloudwatch", "dimensions": dimensions})
            elif "KinesisFirehoseDestination" in destination:
                key = _to_archive(
                    account, region, destination["KinesisFirehoseDestination"], record
                )
                _record(account, region, {**base, "kind": "firehose", "key": key})
            elif "SnsDestination" in destination:
                arn = destination["SnsDestination"]["TopicArn"]
                topic = sns_backends[account][region].get_topic(arn)
                topic.publish(json.dumps(record))
                _record(account, region, {**base, "kind": "sns", "topic": arn})
            elif "EventBridgeDestination" in destination:
                events_backends[account][region].put_events(
                    [
                        {
                            "Source": "aws.ses",
                            "DetailType": event_type.eventbridge_detail_type,
                            "Detail": json.dumps(record),
                            "EventBusName": "default",
                            "Resources": [],
                        }
                    ]
                )
                _record(
                    account,
                    region,
                    {
                        **base,
                        "kind": "eventbridge",
                        "detail_type": event_type.eventbridge_detail_type,
                    },
                )


def _dimensions(cloudwatch: dict[str, Any], record: dict[str, Any]) -> list[dict[str, str]]:
    """Each dimension's value as SES reads it: tag, header or link tag; else the default."""
    tags = record["mail"].get("tags", {})
    headers = {h["name"].lower(): h["value"] for h in record["mail"].get("headers", [])}
    link_tags = record.get("click", {}).get("linkTags", {})
    found: list[dict[str, str]] = []
    for dimension in cloudwatch.get("DimensionConfigurations", []):
        name, source = dimension["DimensionName"], dimension["DimensionValueSource"]
        value: str | None = None
        if source == "MESSAGE_TAG":
            value = (tags.get(name) or [None])[0]
        elif source == "EMAIL_HEADER":
            value = headers.get(name.lower())
        elif source == "LINK_TAG":
            value = (link_tags.get(name) or [None])[0]
        found.append({"Name": name, "Value": value or dimension["DefaultDimensionValue"]})
    return found


def _to_archive(account: str, region: str, firehose: dict[str, Any], record: dict[str, Any]) -> str:
    """Write ``record`` where the stream's S3 destination would: its prefix, partitions resolved."""
    name = firehose["DeliveryStreamArn"].rsplit("/", 1)[-1]
    stream = firehose_backends[account][region].delivery_streams[name]
    s3 = next(d for d in stream.destinations if "ExtendedS3" in d or "S3" in d)
    config = s3.get("ExtendedS3") or s3["S3"]
    bucket = config["BucketARN"].rsplit(":", 1)[-1]
    now = datetime.now(UTC)
    prefix = (
        config.get("Prefix", "")
        .replace(
            "!{partitionKeyFromQuery:configuration_set}",
            record["mail"]["tags"]["ses:configuration-set"][0],
        )
        .replace("!{timestamp:yyyy}", f"{now:%Y}")
        .replace("!{timestamp:MM}", f"{now:%m}")
        .replace("!{timestamp:dd}", f"{now:%d}")
        .replace("!{timestamp:HH}", f"{now:%H}")
    )
    body = (json.dumps(record, separators=(",", ":")) + "\n").encode()
    stem = f"{prefix}{name}-1-{now:%Y-%m-%d-%H-%M-%S}-{uuid.uuid4()}"
    conversion = config.get("DataFormatConversionConfiguration", {})
    if conversion.get("Enabled") and _parquet_available():
        key, data = f"{stem}.parquet", _to_parquet(body)
    elif config.get("CompressionFormat", "UNCOMPRESSED") == "GZIP":
        key, data = f"{stem}.gz", gzip.compress(body)
    else:
        key, data = stem, body
    s3_backends[account][get_partition(region)].put_object(bucket, key, data)
    return key


def _parquet_available() -> bool:
    try:
        import duckdb  # noqa: F401
    except ImportError:  # without ses-events[analytics], a Parquet stream gets JSON lines
        return False
    return True


def _to_parquet(body: bytes) -> bytes:
    """A record as Firehose record format conversion writes it: Parquet with the schema's
    columns (DuckDB writes it here; Firehose uses the archive's Glue table)."""
    import tempfile
    from pathlib import Path

    import duckdb

    from ses_events.analytics.schema import duckdb_columns

    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "record.json", Path(folder) / "record.parquet"
        source.write_bytes(body)
        columns = "{" + ", ".join(f"'{k}': '{v}'" for k, v in duckdb_columns().items()) + "}"
        duckdb.connect().execute(
            f"COPY (SELECT * FROM read_json('{source}', format = 'newline_delimited',"
            f" columns = {columns})) TO '{target}' (FORMAT parquet, COMPRESSION snappy)"
        )
        return target.read_bytes()
