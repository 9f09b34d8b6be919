"""The query layer in the stacks: the Glue table with the SES event schema and partition
projection that matches the archive's prefix, the Athena workgroup and its results bucket, the
named queries; from constructs and from the spec."""

from __future__ import annotations

import json
from typing import Any

import pytest
import sqlglot
from aws_cdk import Duration, Stack
from aws_cdk.assertions import Match, Template

from ses_events import SesEventsValidationError
from ses_events.analytics.queries import QUERIES
from ses_events.analytics.schema import PARTITION_KEYS, glue_columns
from ses_events.constructs import (
    EventPublishingConfigurationSet,
    FirehoseEventArchive,
    FirehoseEventDestination,
)
from ses_events.constructs.analytics import EventArchiveTable, EventQueryWorkgroup
from ses_events.spec import parse_spec
from ses_events.stacks import SesEventPublishingStack
from ses_events.stacks.layout import resources_of_set
from tests.conftest import new_app


def _archive(stack: Stack, *names: str) -> FirehoseEventArchive:
    archive = FirehoseEventArchive(stack, "Archive")
    for name in names:
        cs = EventPublishingConfigurationSet(stack, name)
        FirehoseEventDestination(stack, f"{name}-archive", configuration_set=cs, archive=archive)
    return archive


def _one(template: Template, kind: str) -> dict[str, Any]:
    (found,) = template.find_resources(kind).values()
    return dict(found["Properties"])


def test_the_table_has_every_column_and_projects_the_archives_partitions(stack: Stack) -> None:
    archive = _archive(stack, "marketing", "transactional")
    EventArchiveTable(stack, "Table", archive=archive, years=(2026, 2030))
    template = Template.from_stack(stack)
    table = _one(template, "AWS::Glue::Table")["TableInput"]
    assert [(c["Name"], c["Type"]) for c in table["StorageDescriptor"]["Columns"]] == glue_columns()
    assert [k["Name"] for k in table["PartitionKeys"]] == list(PARTITION_KEYS)
    assert table["StorageDescriptor"]["SerdeInfo"]["SerializationLibrary"] == (
        "org.openx.data.jsonserde.JsonSerDe"
    )
    parameters = stack.resolve(table["Parameters"])
    assert parameters["projection.enabled"] == "true"
    # every set of the archive, so that one set or all of them can be queried
    assert parameters["projection.configuration_set.type"] == "enum"
    assert parameters["projection.configuration_set.values"] == "marketing,transactional"
    assert parameters["projection.year.range"] == "2026,2030"
    for key, top in (("month", "12"), ("day", "31"), ("hour", "23")):
        assert parameters[f"projection.{key}.digits"] == "2"
        assert parameters[f"projection.{key}.range"].endswith(f",{top}")
    template_path = json.dumps(parameters["storage.location.template"])
    # the archive's own prefix, then exactly the Firehose dynamic partitioning keys
    assert template_path.endswith(
        "ses-events/configuration_set=${configuration_set}/year=${year}/month=${month}"
        '/day=${day}/hour=${hour}/"]]}'
    )
    firehose = _one(template, "AWS::KinesisFirehose::DeliveryStream")
    prefix = firehose["ExtendedS3DestinationConfiguration"]["Prefix"]
    assert prefix == (
        "ses-events/configuration_set=!{partitionKeyFromQuery:configuration_set}"
        "/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/"
    )


def test_the_workgroup_enforces_its_settings_and_keeps_results_private(stack: Stack) -> None:
    table = EventArchiveTable(stack, "Table", archive=_archive(stack, "marketing"))
    EventQueryWorkgroup(
        stack,
        "Queries",
        workgroup_name="mail-events",
        tables=[table],
        bytes_scanned_cutoff=50_000_000,
        results_expiration=Duration.days(7),
    )
    template = Template.from_stack(stack)
    workgroup = _one(template, "AWS::Athena::WorkGroup")
    configuration = workgroup["WorkGroupConfiguration"]
    assert workgroup["Name"] == "mail-events"
    assert configuration["EnforceWorkGroupConfiguration"] is True
    assert configuration["PublishCloudWatchMetricsEnabled"] is True
    assert configuration["BytesScannedCutoffPerQuery"] == 50_000_000
    assert configuration["EngineVersion"] == {"SelectedEngineVersion": "Athena engine version 3"}
    assert configuration["ResultConfiguration"]["EncryptionConfiguration"] == {
        "EncryptionOption": "SSE_S3"
    }
    template.has_resource_properties(
        "AWS::S3::Bucket",
        {
            "LifecycleConfiguration": {
                "Rules": Match.array_with(
                    [Match.object_like({"Id": "expire-query-results", "ExpirationInDays": 7})]
                )
            },
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True,
                "BlockPublicPolicy": True,
                "IgnorePublicAcls": True,
                "RestrictPublicBuckets": True,
            },
            "BucketEncryption": Match.any_value(),
        },
    )
    assert len(template.find_resources("AWS::S3::BucketPolicy")) == 2  # TLS-only, both buckets


def test_named_queries_are_the_queries_over_the_table(stack: Stack) -> None:
    table = EventArchiveTable(
        stack, "Table", archive=_archive(stack, "marketing"), database_name="mail", table_name="ev"
    )
    EventQueryWorkgroup(
        stack, "Queries", workgroup_name="wg", tables=[table], funnel_tags=["team", "campaign"]
    )
    named = {
        q["Properties"]["Name"]: q["Properties"]
        for q in Template.from_stack(stack).find_resources("AWS::Athena::NamedQuery").values()
    }
    assert set(named) == {f"ev-{name}" for name in QUERIES} | {"ev-funnel-by-campaign"}
    assert "'campaign'" in named["ev-funnel-by-campaign"]["QueryString"]
    for name, query in QUERIES.items():
        properties = named[f"ev-{name}"]
        assert properties["Database"] == "mail"
        assert (
            properties["WorkGroup"] == {"Ref": Match.any_value()}
            or "Ref" in properties["WorkGroup"]
        )
        assert properties["Description"].startswith(query.description)
        text = properties["QueryString"]
        sqlglot.parse_one(text, read="trino")
        assert 'FROM "mail"."ev"' in text
    assert "'team'" in named["ev-funnel"]["QueryString"]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"table_name": "Events"}, "table_name"),
        ({"database_name": "ses-events"}, "database_name"),
        ({"years": (2030, 2026)}, "years"),
        ({"years": (2009, 2026)}, "years"),
    ],
)
def test_bad_table_arguments_are_refused(stack: Stack, kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(SesEventsValidationError, match=field):
        EventArchiveTable(stack, "Table", archive=_archive(stack, "marketing"), **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "rule"),
    [
        ({"workgroup_name": "bad name"}, "workgroup_name"),
        ({"workgroup_name": "wg", "bytes_scanned_cutoff": 9_999_999}, "at least 10000000"),
        ({"workgroup_name": "wg", "results_expiration": Duration.hours(36)}, "results_expiration"),
    ],
)
def test_bad_workgroup_arguments_are_refused(
    stack: Stack, kwargs: dict[str, Any], rule: str
) -> None:
    with pytest.raises(SesEventsValidationError, match=rule):
        EventQueryWorkgroup(stack, "Queries", **kwargs)
    EventQueryWorkgroup(stack, "Exactly", workgroup_name="wg", bytes_scanned_cutoff=10_000_000)


def _spec(**analytics: Any) -> Any:
    return parse_spec(
        {
            "stack_name": "Mail-Events",
            "monitoring": {"enabled": False},
            "analytics": {"enabled": True, **analytics},
            "configuration_sets": [
                {"name": "marketing", "destinations": [{"name": "archive", "type": "firehose"}]},
                {"name": "receipts", "destinations": [{"name": "archive", "type": "firehose"}]},
            ],
        }
    )


def test_the_spec_turns_the_query_layer_on() -> None:
    spec = _spec(bytes_scanned_cutoff_mb=100, funnel_tag="team", years=[2026, 2027])
    stack = SesEventPublishingStack(new_app(), "MailEvents", spec=spec, stack_name="Mail-Events")
    template = Template.from_stack(stack)
    assert _one(template, "AWS::Glue::Database")["DatabaseInput"]["Name"] == "mail_events"
    table = _one(template, "AWS::Glue::Table")
    assert table["DatabaseName"] == "mail_events" and table["TableInput"]["Name"] == "events"
    values = stack.resolve(table["TableInput"]["Parameters"])
    assert values["projection.configuration_set.values"] == "marketing,receipts"
    assert values["projection.year.range"] == "2026,2027"
    workgroup = _one(template, "AWS::Athena::WorkGroup")
    assert workgroup["Name"] == "Mail-Events-events"
    assert workgroup["WorkGroupConfiguration"]["BytesScannedCutoffPerQuery"] == 100_000_000
    assert len(template.find_resources("AWS::Athena::NamedQuery")) == len(QUERIES)
    # the layout counts what analytics adds to a stack
    off = SesEventPublishingStack(
        new_app(),
        "Off",
        spec=spec.model_copy(
            update={"analytics": spec.analytics.model_copy(update={"enabled": False})}
        ),
    )
    extra = len(template.to_json()["Resources"]) - len(
        Template.from_stack(off).to_json()["Resources"]
    )
    assert extra == 4 + 1 + len(QUERIES)
    assert resources_of_set(spec, spec.configuration_sets[0]) == 2


def test_the_spec_refuses_bad_analytics_settings() -> None:
    for analytics, field in (
        ({"bytes_scanned_cutoff_mb": 9}, "bytes_scanned_cutoff_mb"),
        ({"years": [2030, 2020]}, "years"),
        ({"database": "Bad-Name"}, "database"),
        ({"funnel_tag": "a b"}, "funnel_tag"),
    ):
        with pytest.raises(SesEventsValidationError, match=f"analytics.{field}"):
            _spec(**analytics)


# -- Parquet: Firehose record format conversion with the table as schema --------------------------


def test_a_parquet_archive_converts_with_its_tables_columns(stack: Stack, tmp_path: Any) -> None:
    import subprocess
    import sys
    from pathlib import Path

    from ses_events.constructs import ArchiveCompression, ArchiveStorageFormat

    archive = FirehoseEventArchive(
        stack,
        "Archive",
        storage_format=ArchiveStorageFormat.PARQUET,
        compression=ArchiveCompression.SNAPPY,
    )
    cs = EventPublishingConfigurationSet(stack, "marketing")
    FirehoseEventDestination(stack, "ToArchive", configuration_set=cs, archive=archive)
    EventArchiveTable(stack, "Table", archive=archive, database_name="mail", table_name="events")
    template = Template.from_stack(stack)
    stream = template.find_resources("AWS::KinesisFirehose::DeliveryStream")
    ((_, resource),) = stream.items()
    destination = resource["Properties"]["ExtendedS3DestinationConfiguration"]
    conversion = destination["DataFormatConversionConfiguration"]
    assert conversion["Enabled"] is True
    assert conversion["OutputFormatConfiguration"] == {
        "Serializer": {"ParquetSerDe": {"Compression": "SNAPPY"}}
    }
    assert conversion["InputFormatConfiguration"]["Deserializer"] == {
        "OpenXJsonSerDe": {"CaseInsensitive": True}
    }
    assert conversion["SchemaConfiguration"]["DatabaseName"] == "mail"
    assert conversion["SchemaConfiguration"]["TableName"] == "events"
    assert destination["CompressionFormat"] == "UNCOMPRESSED"  # Parquet compresses its blocks
    kinds = [p["Type"] for p in destination["ProcessingConfiguration"]["Processors"]]
    assert kinds == ["MetadataExtraction"]  # no newline delimiter in Parquet
    table_id = next(iter(template.find_resources("AWS::Glue::Table")))
    assert table_id in resource["DependsOn"]
    table = _one(template, "AWS::Glue::Table")["TableInput"]
    assert table["StorageDescriptor"]["SerdeInfo"]["SerializationLibrary"].endswith(
        "ParquetHiveSerDe"
    )
    assert table["Parameters"]["classification"] == "parquet"
    policies = json.dumps(template.find_resources("AWS::IAM::Policy"))
    assert '"glue:GetTable"' in policies and ":table/mail/events" in policies
    path = Path(tmp_path) / "parquet.template.json"
    path.write_text(json.dumps(template.to_json()))
    linted = subprocess.run(
        [str(Path(sys.executable).parent / "cfn-lint"), "--format", "parseable", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert linted.returncode == 0, linted.stdout


def test_a_parquet_archive_without_its_table_or_with_zip_is_refused(stack: Stack) -> None:
    from ses_events.constructs import ArchiveCompression, ArchiveStorageFormat

    with pytest.raises(SesEventsValidationError, match="Parquet blocks"):
        FirehoseEventArchive(
            stack,
            "Zipped",
            storage_format=ArchiveStorageFormat.PARQUET,
            compression=ArchiveCompression.ZIP,
        )
    archive = FirehoseEventArchive(stack, "Archive", storage_format=ArchiveStorageFormat.PARQUET)
    cs = EventPublishingConfigurationSet(stack, "marketing")
    FirehoseEventDestination(stack, "ToArchive", configuration_set=cs, archive=archive)
    with pytest.raises(RuntimeError, match="needs an EventArchiveTable"):
        Template.from_stack(stack)


def test_the_spec_chooses_parquet_only_with_analytics() -> None:
    base: dict[str, Any] = {
        "archives": [{"name": "default", "format": "parquet"}],
        "configuration_sets": [{"name": "a", "destinations": [{"name": "x", "type": "firehose"}]}],
        "monitoring": {"enabled": False},
    }
    with pytest.raises(SesEventsValidationError, match=r"archives\[0\]\.format"):
        parse_spec(base)
    spec = parse_spec({**base, "analytics": {"enabled": True}})
    template = Template.from_stack(SesEventPublishingStack(new_app(), "S", spec=spec))
    stream = _one(template, "AWS::KinesisFirehose::DeliveryStream")
    conversion = stream["ExtendedS3DestinationConfiguration"]["DataFormatConversionConfiguration"]
    assert conversion["OutputFormatConfiguration"]["Serializer"]["ParquetSerDe"] == {
        "Compression": "GZIP"
    }


def test_one_workgroup_per_environment_when_a_spec_spans_stacks(tmp_path: Any) -> None:
    import yaml

    from ses_events.stacks import build_app

    names = [f"tenant-{n:03d}" for n in range(60)]
    spec_path = tmp_path / "tenants.yaml"
    spec_path.write_text(
        yaml.safe_dump(
            {
                "stack_name": "Tenants",
                "layout": {"max_resources_per_stack": 120},
                "monitoring": {"enabled": False},
                "analytics": {"enabled": True},
                "configuration_sets": [
                    {"name": n, "destinations": [{"name": "archive", "type": "firehose"}]}
                    for n in names
                ],
            }
        )
    )
    app = new_app(**{"ses-events:spec": str(spec_path), "ses-events:new-layout": "true"})
    stacks = build_app(app)
    assert len(stacks) >= 2
    first, *others = (Template.from_stack(s) for s in stacks)
    assert _one(first, "AWS::Athena::WorkGroup")["Name"] == "Tenants-events"
    for stack, template in zip(stacks[1:], others, strict=True):
        assert template.find_resources("AWS::Athena::WorkGroup") == {}
        queries = template.find_resources("AWS::Athena::NamedQuery").values()
        assert {q["Properties"]["WorkGroup"] for q in queries} == {"Tenants-events"}
        assert stacks[0] in stack.dependencies
        # each stack's table lists the sets of its own archive
        values = stack.resolve(_one(template, "AWS::Glue::Table")["TableInput"]["Parameters"])[
            "projection.configuration_set.values"
        ]
        assert set(values.split(",")) == {cs.name for cs in stack.hosted}
        assert len(template.to_json()["Resources"]) <= 120
