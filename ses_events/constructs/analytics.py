"""The query layer of an archive in AWS: a Glue table over the archive's prefix with partition
projection, and an Athena workgroup with the named queries.

- :class:`EventArchiveTable`: a Glue database (or yours) and a table over a
  :class:`FirehoseEventArchive`'s prefix, with every column of the SES event record
  (:mod:`ses_events.analytics.schema`; no crawler, no hand-written DDL) and partition projection
  that matches the archive's ``configuration_set=/year=/month=/day=/hour=/`` layout, so new
  partitions are queryable the moment Firehose writes them (no ``MSCK REPAIR``).
- :class:`EventQueryWorkgroup`: an Athena workgroup (engine version 3, settings enforced,
  CloudWatch metrics on, a bytes-scanned cutoff per query) whose results go to a private,
  encrypted, TLS-only bucket that expires them; and the named queries of
  :mod:`ses_events.analytics.queries` for each table, as ``AWS::Athena::NamedQuery``.

The configuration set key is projected as an ``enum`` of the sets that publish to the archive
(known at synth, updated on each deploy). ``injected`` would need no list, but Athena then
refuses every query that does not name the set with an equality (no query across sets), and an
archive holds the sets of one stack (about a hundred at most), far below the ~1 MB of gzipped
table metadata Glue allows ("Supported types for partition projection", Athena User Guide,
https://docs.aws.amazon.com/athena/latest/ug/partition-projection-supported-types.html).

Example::

    table = EventArchiveTable(stack, "EventsTable", archive=archive)
    EventQueryWorkgroup(stack, "Queries", workgroup_name="mail-analytics", tables=[table])
"""

from __future__ import annotations

from collections.abc import Sequence

import jsii
from aws_cdk import (
    Duration,
    IStableStringProducer,
    Lazy,
    Stack,
)
from aws_cdk import aws_athena as athena
from aws_cdk import aws_glue as glue
from aws_cdk import aws_s3 as s3
from constructs import Construct

from ses_events import rules
from ses_events.analytics.queries import QUERIES, over_table
from ses_events.analytics.schema import PARTITION_KEYS, glue_columns
from ses_events.compat import acknowledge
from ses_events.constructs.buckets import private_bucket
from ses_events.constructs.firehose import ArchiveStorageFormat, FirehoseEventArchive
from ses_events.errors import Problems
from ses_events.tokens import is_unresolved, must_be_known

__all__ = ["EventArchiveTable", "EventNamedQueries", "EventQueryWorkgroup"]


@jsii.implements(IStableStringProducer)
class _SetNames:
    def __init__(self, archive: FirehoseEventArchive) -> None:
        self._archive = archive

    def produce(self) -> str:
        # an enum needs one value at least; an archive no set uses is refused by its own check
        return ",".join(self._archive.configuration_set_names) or "none"


class EventArchiveTable(Construct):
    """A Glue table over a Firehose event archive, with partition projection.

    :param archive: the archive whose objects the table reads.
    :param database: a Glue database to put the table in (pass its name as ``database_name``
        too). Default: one is created.
    :param database_name: name of the database. Default: ``ses_events``.
    :param table_name: Default: ``events``. Lowercase letters, digits and ``_``.
    :param years: the ``year`` partitions Athena projects, first and last. Default: 2025 to
        2035. A query without a time filter lists every projected hour, so keep it narrow.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,  # noqa: A002 - the construct id, named as in aws-cdk-lib
        *,
        archive: FirehoseEventArchive,
        database: glue.CfnDatabase | None = None,
        database_name: str = "ses_events",
        table_name: str = "events",
        years: tuple[int, int] = (2025, 2035),
    ) -> None:
        problems = Problems(f"{scope.node.path}/{id} (event archive table)".lstrip("/"))
        problems.check("table_name", table_name, rules.GLUE_NAME)
        problems.check("database_name", database_name, rules.GLUE_NAME)
        if not (rules.MIN_PROJECTED_YEAR <= years[0] <= years[1] <= rules.MAX_PROJECTED_YEAR):
            problems.add(
                "years",
                years,
                f"must be two years, first not after last, within {rules.MIN_PROJECTED_YEAR}"
                f" to {rules.MAX_PROJECTED_YEAR}",
            )
        problems.raise_if_any()
        super().__init__(scope, id)
        stack = Stack.of(self)
        self.archive = archive
        self.database: glue.CfnDatabase = database or glue.CfnDatabase(
            self,
            "Database",
            catalog_id=stack.account,
            database_input={
                "name": database_name,
                "description": "SES email sending events (ses-events)",
            },
        )
        """The Glue database."""
        self.database_name: str = database_name
        """The database's name (give the name of ``database`` when you pass one)."""
        self.table_name = table_name
        location = f"s3://{archive.bucket.bucket_name}/{archive.prefix}"
        parquet = archive.storage_format is ArchiveStorageFormat.PARQUET
        projection = {
            "projection.enabled": "true",
            "projection.configuration_set.type": "enum",
            "projection.configuration_set.values": Lazy.string(_SetNames(archive)),
            "projection.year.type": "integer",
            "projection.year.range": f"{years[0]},{years[1]}",
            "projection.month.type": "integer",
            "projection.month.range": "1,12",
            "projection.month.digits": "2",
            "projection.day.type": "integer",
            "projection.day.range": "1,31",
            "projection.day.digits": "2",
            "projection.hour.type": "integer",
            "projection.hour.range": "0,23",
            "projection.hour.digits": "2",
            "storage.location.template": location
            + "configuration_set=${configuration_set}/year=${year}/month=${month}"
            "/day=${day}/hour=${hour}/",
            **(
                {"classification": "parquet"}
                if parquet
                else {"classification": "json", "compressionType": "gzip"}
            ),
        }
        if parquet:
            storage = {
                "inputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
                "outputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
                "serdeInfo": {
                    "serializationLibrary": (
                        "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
                    )
                },
            }
        else:
            storage = {
                "inputFormat": "org.apache.hadoop.mapred.TextInputFormat",
                "outputFormat": "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
                "serdeInfo": {
                    # JSON keys are camelCase, Athena columns lowercase: case-insensitive
                    "serializationLibrary": "org.openx.data.jsonserde.JsonSerDe",
                    "parameters": {"case.insensitive": "true", "ignore.malformed.json": "false"},
                },
            }
        self.table = glue.CfnTable(
            self,
            "Table",
            catalog_id=stack.account,
            database_name=self.database_name,
            table_input={
                "name": table_name,
                "description": "SES event records of a ses-events archive, one per line",
                "tableType": "EXTERNAL_TABLE",
                "parameters": projection,
                "partitionKeys": [
                    {"name": key, "type": "string" if key == "configuration_set" else "int"}
                    for key in PARTITION_KEYS
                ],
                "storageDescriptor": {
                    "location": location,
                    **storage,
                    "columns": [{"name": n, "type": t} for n, t in glue_columns()],
                },
            },
        )
        """The Glue table."""
        if database is None:
            self.table.node.add_dependency(self.database)
        archive.use_schema(self.database_name, table_name, self.table)

    @property
    def qualified_name(self) -> str:
        """``"database"."table"``, as queries name it."""
        return f'"{self.database_name}"."{self.table_name}"'


class EventQueryWorkgroup(Construct):
    """An Athena workgroup for the event tables, its results bucket, and the named queries.

    :param workgroup_name: unique in the account and Region.
    :param tables: the tables to create named queries for (``<table>-<query>``).
    :param bytes_scanned_cutoff: the most one query may scan; Athena cancels it beyond.
        Default: 10 GiB (at most 10 MB less: Athena's minimum is 10 MB).
    :param results_expiration: how long query results are kept. Default: 30 days.
    :param results_bucket: an existing bucket for results. Default: a bucket is created
        (private, SSE-S3, TLS-only, versioned, retained, results expiring).
    :param funnel_tags: the message tags the funnel groups by: ``<table>-funnel`` by the first,
        ``<table>-funnel-by-<tag>`` by each other one (the tags your CloudWatch dimensions read,
        say). Default: ``["campaign"]``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,  # noqa: A002 - the construct id, named as in aws-cdk-lib
        *,
        workgroup_name: str,
        tables: Sequence[EventArchiveTable] = (),
        bytes_scanned_cutoff: int = 10 * 1024**3,
        results_expiration: Duration | None = None,
        results_bucket: s3.IBucket | None = None,
        funnel_tags: Sequence[str] = ("campaign",),
    ) -> None:
        problems = Problems(f"{scope.node.path}/{id} (Athena workgroup)".lstrip("/"))
        problems.check("workgroup_name", workgroup_name, rules.ATHENA_WORKGROUP_NAME)
        if (
            not is_unresolved(bytes_scanned_cutoff)
            and bytes_scanned_cutoff < rules.MIN_ATHENA_BYTES_SCANNED_CUTOFF
        ):
            problems.add(
                "bytes_scanned_cutoff",
                bytes_scanned_cutoff,
                f"must be at least {rules.MIN_ATHENA_BYTES_SCANNED_CUTOFF} bytes (10 MB,"
                " Athena's minimum)",
            )
        if not funnel_tags:
            problems.add("funnel_tags", [], "must name one message tag at least")
        _known_query_inputs(problems, tables, funnel_tags)
        for index, tag in enumerate(funnel_tags):
            if problems.check(f"funnel_tags[{index}]", tag, rules.DIMENSION_NAME) and (
                len(f"funnel-by-{tag}") > rules.MAX_NAMED_QUERY_NAME - 64
            ):
                problems.add(f"funnel_tags[{index}]", tag, "is too long for a named query's name")
        expiration_days = (
            None
            if results_expiration is None
            else problems.whole_days(
                "results_expiration",
                results_expiration,
                1,
                why="the results bucket's lifecycle rule is written in whole days",
            )
        )
        if results_bucket is not None and results_expiration is not None:
            problems.add(
                "results_expiration",
                "given",
                "configures the bucket this construct creates: pass either results_bucket or"
                " results_expiration, not both",
            )
        problems.raise_if_any()
        super().__init__(scope, id)
        self.created_results_bucket: s3.Bucket | None = None
        """The results bucket this construct created, as an ``s3.Bucket``; ``None`` when
        ``results_bucket`` was given."""
        self.results_bucket: s3.IBucket
        """Where Athena writes query results."""
        if results_bucket is None:
            self.created_results_bucket = self.results_bucket = private_bucket(
                self,
                "Results",
                versioned=True,  # an overwritten or deleted result stays a day
                lifecycle_rules=[
                    s3.LifecycleRule(
                        id="expire-query-results",
                        expiration=Duration.days(expiration_days or 30),
                        noncurrent_version_expiration=Duration.days(1),
                        abort_incomplete_multipart_upload_after=Duration.days(1),
                    )
                ],
            )
        else:
            self.results_bucket = results_bucket
        if results_bucket is None:
            acknowledge(
                self.results_bucket,
                "AwsSolutions-S1",
                "Athena query results are derived from the event archive and expire;"
                " access to them is governed by the workgroup, whose use CloudTrail records.",
            )
        self.workgroup = athena.CfnWorkGroup(
            self,
            "WorkGroup",
            name=workgroup_name,
            description="Queries over SES email sending events (ses-events)",
            state="ENABLED",
            work_group_configuration={
                "enforceWorkGroupConfiguration": True,
                "publishCloudWatchMetricsEnabled": True,
                "bytesScannedCutoffPerQuery": bytes_scanned_cutoff,
                "engineVersion": {"selectedEngineVersion": "Athena engine version 3"},
                "resultConfiguration": {
                    "outputLocation": f"s3://{self.results_bucket.bucket_name}/results/",
                    "encryptionConfiguration": {"encryptionOption": "SSE_S3"},
                },
            },
        )
        """The Athena workgroup."""
        self.named_queries: dict[str, athena.CfnNamedQuery] = _named_queries(
            self, self.workgroup.ref, tables, funnel_tags
        )
        """The named queries, by ``<table>-<query>``."""


class EventNamedQueries(Construct):
    """The named queries of event tables in an existing workgroup: for the second and later
    stacks of a spec, whose tables share the first stack's workgroup (one per environment).

    :param workgroup_name: the workgroup's name (it must exist when these deploy).
    :param tables: the tables to create named queries for (``<table>-<query>``).
    :param funnel_tags: as for :class:`EventQueryWorkgroup`.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,  # noqa: A002 - the construct id, named as in aws-cdk-lib
        *,
        workgroup_name: str,
        tables: Sequence[EventArchiveTable],
        funnel_tags: Sequence[str] = ("campaign",),
    ) -> None:
        problems = Problems(f"{scope.node.path}/{id} (named queries)".lstrip("/"))
        problems.check("workgroup_name", workgroup_name, rules.ATHENA_WORKGROUP_NAME)
        _known_query_inputs(problems, tables, funnel_tags)
        for index, tag in enumerate(funnel_tags):
            problems.check(f"funnel_tags[{index}]", tag, rules.DIMENSION_NAME)
        problems.raise_if_any()
        super().__init__(scope, id)
        self.named_queries: dict[str, athena.CfnNamedQuery] = _named_queries(
            self, workgroup_name, tables, funnel_tags
        )
        """The named queries, by ``<table>-<query>``."""


_QUERY_INPUT_MUST_BE_KNOWN = must_be_known(
    "the named queries' SQL is written with it, checked by sqlglot, and their construct ids"
    " are made from the table's name",
    "write it in the code, or add the named queries in the app that knows it",
)


def _known_query_inputs(
    problems: Problems, tables: Sequence[EventArchiveTable], funnel_tags: Sequence[str]
) -> None:
    """Refuse tokens where the named queries need literal text (see the rule)."""
    for index, table in enumerate(tables):
        for name in ("database_name", "table_name"):
            if is_unresolved(getattr(table, name)):
                problems.add(
                    f"tables[{index}].{name}", getattr(table, name), _QUERY_INPUT_MUST_BE_KNOWN
                )
    for index, tag in enumerate(funnel_tags):
        if is_unresolved(tag):
            problems.add(f"funnel_tags[{index}]", tag, _QUERY_INPUT_MUST_BE_KNOWN)


def _named_queries(
    scope: Construct,
    workgroup: str,
    tables: Sequence[EventArchiveTable],
    funnel_tags: Sequence[str],
) -> dict[str, athena.CfnNamedQuery]:
    """Every named query over each table (the funnel once per tag), in ``workgroup``."""
    made: dict[str, athena.CfnNamedQuery] = {}
    for table in tables:
        for name, query in QUERIES.items():
            variants: list[tuple[str, str | None]] = [(name, None)]
            if "tag" in query.parameters:
                variants = [(name, funnel_tags[0])]
                variants += [(f"{name}-by-{tag}", tag) for tag in funnel_tags[1:]]
            for variant, grouped_by in variants:
                key = f"{table.table_name}-{variant}"
                description = query.description + (
                    f" Grouped by the tag {grouped_by}." if grouped_by else ""
                )
                named = athena.CfnNamedQuery(
                    scope,
                    f"Query-{key}",
                    name=key,
                    description=description[: rules.MAX_NAMED_QUERY_DESCRIPTION],
                    database=table.database_name,
                    work_group=workgroup,
                    query_string=over_table(
                        name,
                        table.database_name,
                        table.table_name,
                        parameters={"tag": grouped_by} if grouped_by else None,
                    ),
                )
                named.node.add_dependency(table.table)
                made[key] = named
    return made
