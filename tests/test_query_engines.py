"""The query filters and the engines' own code, exactly (no CDK, no local AWS): the filter's
rules and the SQL condition it adds, the result's table, CSV and JSON text, the Athena engine's
polling and paging (botocore's Stubber), and the archive copy from S3 (moto). Written from a
mutmut run over ses_events/analytics/engines.py (scripts/mutation.sh query-filters)."""

from __future__ import annotations

import gzip
import re
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import boto3
import duckdb
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from ses_events import rules
from ses_events.analytics.engines import (
    AthenaEngine,
    DuckDBEngine,
    QueryFilter,
    QueryResult,
    convert_to_parquet,
    download_archive,
    parse_instant,
)
from ses_events.analytics.generator import CorpusSpec, generate_events, write_archive
from ses_events.analytics.queries import QUERIES
from ses_events.errors import SesEventsValidationError

# -- the filter ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-01", datetime(2026, 11, 1, tzinfo=UTC)),
        ("2026-11-01T12:30:00Z", datetime(2026, 11, 1, 12, 30, tzinfo=UTC)),
        ("2026-11-01T12:30:00+02:00", datetime(2026, 11, 1, 10, 30, tzinfo=UTC)),
        ("2026-11-01T12:30:00", datetime(2026, 11, 1, 12, 30, tzinfo=UTC)),  # no offset: UTC
    ],
)
def test_instants(text: str, expected: datetime) -> None:
    moment = parse_instant(text)
    assert moment == expected and moment is not None and moment.tzinfo is not None


@pytest.mark.parametrize("text", ["", "yesterday", "2026-13-01", "2026-11-01 nonsense", "Z"])
def test_not_instants(text: str) -> None:
    assert parse_instant(text) is None


def test_the_filter_refuses_each_bad_value_by_name() -> None:
    with pytest.raises(SesEventsValidationError) as caught:
        QueryFilter(("ok", "bad name", ""), "yesterday", "2026-13-01").check()
    assert caught.value.where == "query filter"
    assert [(p.field, p.value) for p in caught.value.problems] == [
        ("configuration set", "bad name"),
        ("configuration set", ""),
        ("since", "yesterday"),
        ("until", "2026-13-01"),
    ]
    assert caught.value.problems[2].rule == "must be an ISO 8601 date or time, such as 2026-11-01"
    QueryFilter(("x" * 64,), "2026-11-01", None).check()
    QueryFilter((), None, "2026-11-01").check()


def test_the_window_must_not_be_empty() -> None:
    with pytest.raises(SesEventsValidationError) as caught:
        QueryFilter(since="2026-11-02", until="2026-11-01").check()
    ((field, value, rule),) = [(p.field, p.value, p.rule) for p in caught.value.problems]
    assert (field, value) == ("until", "2026-11-01")
    assert rule == (
        "must be later than since (2026-11-02): the window is from since up to (not including)"
        " until"
    )


def test_the_condition_is_the_filter_in_trino() -> None:
    assert QueryFilter().condition() is None
    condition = QueryFilter(("a", "b-2"), "2026-11-01", "2026-11-02T00:00:00Z").condition()
    assert condition is not None
    assert condition.sql(dialect="trino") == (
        "configuration_set IN ('a', 'b-2')"
        # the partitions: the hour before since (Firehose buffering) to 7 days after until
        " AND ((year = 2026 AND month = 10 AND day = 31 AND hour >= 23)"
        " OR (year = 2026 AND month = 11 AND day BETWEEN 1 AND 8))"
        " AND FROM_ISO8601_TIMESTAMP(mail.timestamp) >= FROM_ISO8601_TIMESTAMP('2026-11-01')"
        " AND FROM_ISO8601_TIMESTAMP(mail.timestamp) < FROM_ISO8601_TIMESTAMP('2026-11-02T00:00:00Z')"
    )
    unpruned = QueryFilter(("a",), "2026-11-01", "2026-11-02", prune=False).condition()
    assert unpruned is not None and "year" not in unpruned.sql(dialect="trino")
    only_until = QueryFilter(until="2026-11-02", slack_days=0).condition()
    assert only_until is not None
    assert only_until.sql(dialect="trino") == (
        "(year < 2026 OR (year = 2026 AND (month < 11 OR (month = 11 AND (day < 1 OR"
        " (day = 1 AND hour <= 23))))))"
        " AND FROM_ISO8601_TIMESTAMP(mail.timestamp) < FROM_ISO8601_TIMESTAMP('2026-11-02')"
    )
    with pytest.raises(SesEventsValidationError):
        QueryFilter(("bad name",)).condition()  # checked before any SQL is made


# -- results as text -------------------------------------------------------------------------------


RESULT = QueryResult(
    ["set", "day", "rate", "note"],
    [("marketing", date(2026, 11, 1), 0.25, None), ("tx", datetime(2026, 11, 2, 3, 4), 1.0, "ok")],
)


def test_a_result_as_a_table() -> None:
    assert RESULT.table() == (
        "set        day                  rate  note\n"
        "---------  -------------------  ----  ----\n"
        "marketing  2026-11-01           0.25      \n"
        "tx         2026-11-02T03:04:00  1     ok  \n"
        "(2 rows)"
    )
    assert RESULT.table(limit=1) == (
        "set        day         rate  note\n"
        "---------  ----------  ----  ----\n"
        "marketing  2026-11-01  0.25      \n"
        "... 1 more rows\n"
        "(2 rows)"
    )
    assert RESULT.table(limit=2).endswith("  ok  \n(2 rows)")  # exactly all: no "more" line
    assert QueryResult(["a"], []).table() == "a\n-\n(0 rows)"


def test_a_result_as_csv_json_and_records() -> None:
    assert RESULT.csv() == (
        "set,day,rate,note\nmarketing,2026-11-01,0.25,\ntx,2026-11-02T03:04:00,1,ok\n"
    )
    assert RESULT.records() == [
        {"set": "marketing", "day": date(2026, 11, 1), "rate": 0.25, "note": None},
        {"set": "tx", "day": datetime(2026, 11, 2, 3, 4), "rate": 1.0, "note": "ok"},
    ]
    assert RESULT.json() == (
        '[\n  {\n    "set": "marketing",\n    "day": "2026-11-01",\n    "rate": 0.25,\n'
        '    "note": null\n  },\n  {\n    "set": "tx",\n    "day": "2026-11-02T03:04:00",\n'
        '    "rate": 1.0,\n    "note": "ok"\n  }\n]'
    )


# -- the DuckDB engine's own checks and text --------------------------------------------------------


def test_duckdb_storage_formats(tmp_path: Path) -> None:
    with pytest.raises(SesEventsValidationError) as caught:
        DuckDBEngine(tmp_path, storage_format="csv")
    assert [(p.field, p.value, p.rule) for p in caught.value.problems] == [
        ("storage_format", "csv", "must be json or parquet")
    ]
    assert caught.value.where == "DuckDB engine"
    parquet = DuckDBEngine(f"{tmp_path}/", storage_format="parquet")
    assert parquet.archive == str(tmp_path)
    # the partition columns typed as the Glue table types them
    hive_types = (
        "hive_types = {'configuration_set': 'VARCHAR', 'year': 'INTEGER', 'month': 'INTEGER',"
        " 'day': 'INTEGER', 'hour': 'INTEGER'}"
    )
    assert parquet.source() == (
        f"read_parquet('{tmp_path}/**/*.parquet', hive_partitioning = true, {hive_types},"
        " union_by_name = true)"
    )
    json_source = DuckDBEngine(tmp_path).source()
    assert json_source.startswith(
        f"read_json('{tmp_path}/**/*.gz', format = 'newline_delimited', compression = 'gzip',"
        f" hive_partitioning = true, {hive_types}, columns = {{"
    )
    timezone = DuckDBEngine(tmp_path).connection.execute("SELECT current_setting('TimeZone')")
    assert timezone.fetchone() == ("UTC",)


def test_duckdb_sql_carries_the_filter(tmp_path: Path) -> None:
    engine = DuckDBEngine(tmp_path)
    text = engine.sql("bounces", QueryFilter(("marketing",), "2026-11-01"))
    assert "configuration_set IN ('marketing')" in text
    assert "'2026-11-01'" in text
    assert "configuration_set IN" not in engine.sql("bounces")
    with pytest.raises(SesEventsValidationError) as caught:
        engine.sql("nosuch")
    assert caught.value.where == "query"


# -- the Athena engine, against botocore's Stubber -------------------------------------------------


def _athena() -> tuple[Any, Stubber]:
    client = boto3.client(
        "athena", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    return client, Stubber(client)


def _execution(state: str, scanned: int, reason: str | None = None) -> dict[str, Any]:
    status: dict[str, Any] = {"State": state}
    if reason is not None:
        status["StateChangeReason"] = reason
    return {
        "QueryExecution": {
            "QueryExecutionId": "q-1",
            "Status": status,
            "Statistics": {"DataScannedInBytes": scanned},
        }
    }


def _rows(*rows: tuple[str, ...]) -> list[dict[str, Any]]:
    return [{"Data": [{"VarCharValue": v} for v in row]} for row in rows]


def test_athena_polls_until_done_and_reads_every_page() -> None:
    client, stubber = _athena()
    seen: list[tuple[str, int]] = []
    engine = AthenaEngine(
        database="db",
        table="events",
        workgroup="wg",
        client=client,
        poll_seconds=0,
        progress=lambda state, scanned: seen.append((state, scanned)),
    )
    stubber.add_response(
        "start_query_execution",
        {"QueryExecutionId": "q-1"},
        {
            "QueryString": engine.sql("bounces"),
            "QueryExecutionContext": {"Database": "db"},
            "WorkGroup": "wg",
        },
    )
    stubber.add_response(
        "get_query_execution", _execution("QUEUED", 0), {"QueryExecutionId": "q-1"}
    )
    stubber.add_response(
        "get_query_execution", _execution("RUNNING", 10), {"QueryExecutionId": "q-1"}
    )
    stubber.add_response(
        "get_query_execution", _execution("SUCCEEDED", 2048), {"QueryExecutionId": "q-1"}
    )
    metadata = {"ColumnInfo": [{"Name": "a", "Type": "varchar"}, {"Name": "b", "Type": "varchar"}]}
    stubber.add_response(
        "get_query_results",
        {
            "ResultSet": {"Rows": _rows(("a", "b"), ("1", "2")), "ResultSetMetadata": metadata},
            "NextToken": "page-2",
        },
        {"QueryExecutionId": "q-1"},
    )
    stubber.add_response(
        "get_query_results",
        {"ResultSet": {"Rows": _rows(("3", "4")), "ResultSetMetadata": metadata}},
        {"QueryExecutionId": "q-1", "NextToken": "page-2"},
    )
    with stubber:
        result = engine.run("bounces")
    stubber.assert_no_pending_responses()
    assert result.columns == ["a", "b"]
    assert result.rows == [("1", "2"), ("3", "4")]  # the header row skipped on the first page only
    assert result.statistics == {"bytes_scanned": 2048}
    assert seen == [("QUEUED", 0), ("RUNNING", 10), ("SUCCEEDED", 2048)]


@pytest.mark.parametrize("state", ["FAILED", "CANCELLED"])
def test_athena_failures_say_why(state: str) -> None:
    client, stubber = _athena()
    engine = AthenaEngine(database="db", table="events", workgroup="wg", client=client)
    stubber.add_response("start_query_execution", {"QueryExecutionId": "q-1"})
    stubber.add_response("get_query_execution", _execution(state, 5, "bytes scanned limit"))
    with stubber, pytest.raises(SesEventsValidationError) as caught:
        engine.run("funnel")
    assert caught.value.where == "Athena query funnel (q-1)"
    assert [(p.field, p.value, p.rule) for p in caught.value.problems] == [
        ("state", state, "bytes scanned limit")
    ]


def test_athena_sql_is_over_the_glue_table() -> None:
    engine = AthenaEngine(database="db", table="events", workgroup="wg")
    assert engine._client is None  # made when first needed: showing SQL needs none
    text = engine.sql("bounces", QueryFilter(("m",)))
    assert 'FROM "db"."events"' in text and "configuration_set IN ('m')" in text
    assert engine._client is None
    with pytest.raises(SesEventsValidationError):
        engine.sql("nosuch")


# -- copying an archive from S3 (moto) --------------------------------------------------------------


def test_download_archive_copies_record_files_of_the_chosen_sets(tmp_path: Path) -> None:
    with mock_aws():
        s3 = boto3.client(
            "s3", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
        )
        s3.create_bucket(Bucket="ses-archive")
        keys = {
            "ses-events/configuration_set=a/year=2026/r1.gz": gzip.compress(b"{}\n"),
            "ses-events/configuration_set=a/year=2026/r2.parquet": b"PAR1",
            "ses-events/configuration_set=a/year=2026/notes.txt": b"not a record",
            "ses-events/configuration_set=b/year=2026/r3.gz": gzip.compress(b"{}\n{}\n"),
            "elsewhere/configuration_set=a/r4.gz": b"x",
        }
        for key, body in keys.items():
            s3.put_object(Bucket="ses-archive", Key=key, Body=body)
        with pytest.raises(SesEventsValidationError) as caught:
            download_archive("ses-archive/ses-events/", tmp_path, client=s3)
        assert [(p.field, p.rule) for p in caught.value.problems] == [
            ("url", "must start with s3://")
        ]
        files, size = download_archive("s3://ses-archive/ses-events/", tmp_path / "all", client=s3)
        copied = sorted(
            str(p.relative_to(tmp_path / "all")) for p in (tmp_path / "all").rglob("*.*")
        )
        assert copied == [
            "ses-events/configuration_set=a/year=2026/r1.gz",
            "ses-events/configuration_set=a/year=2026/r2.parquet",
            "ses-events/configuration_set=b/year=2026/r3.gz",
        ]
        wanted = [k for k in keys if k.startswith("ses-events/") and not k.endswith(".txt")]
        assert (files, size) == (3, sum(len(keys[k]) for k in wanted))
        files, size = download_archive(
            "s3://ses-archive/ses-events", tmp_path / "b", client=s3, where=QueryFilter(("b",))
        )
        assert files == 1 and size == len(keys["ses-events/configuration_set=b/year=2026/r3.gz"])
        assert [p.name for p in (tmp_path / "b").rglob("*.gz")] == ["r3.gz"]


# -- what the mutation run of the engines showed untested --------------------------------------------


def test_an_unknown_query_is_named_with_the_known_ones(tmp_path: Path) -> None:
    known = f"must be one of {sorted(QUERIES)}"
    for engine in (DuckDBEngine(tmp_path), AthenaEngine(database="d", table="t", workgroup="w")):
        with pytest.raises(SesEventsValidationError) as caught:
            engine.sql("nosuch")
        assert caught.value.where == "query"
        assert [(p.field, p.value, p.rule) for p in caught.value.problems] == [
            ("name", "nosuch", known)
        ]


def test_a_bad_set_name_in_the_filter_says_the_rule() -> None:
    with pytest.raises(SesEventsValidationError) as caught:
        QueryFilter(("bad name",)).check()
    ((problem,),) = [caught.value.problems]
    assert problem.rule == rules.CONFIGURATION_SET_NAME.violation("bad name")
    assert problem.rule  # a sentence, not empty


def test_rows_of_another_width_than_the_columns_are_refused() -> None:
    odd = QueryResult(["a", "b"], [("1", "2", "3")])
    with pytest.raises(ValueError):
        odd.records()
    with pytest.raises(ValueError):
        odd.table()


def _small_archive(root: Path) -> Path:
    records = generate_events(CorpusSpec(messages=40, seed=3))
    write_archive(records, root)
    return root


@pytest.mark.parametrize(
    ("compression", "codec"),
    [("snappy", "SNAPPY"), ("gzip", "GZIP"), ("uncompressed", "UNCOMPRESSED")],
)
def test_parquet_is_written_with_the_chosen_compression(
    tmp_path: Path, compression: str, codec: str
) -> None:
    archive = _small_archive(tmp_path / "json")
    written = convert_to_parquet(archive, tmp_path / "parquet", compression=compression)
    files = sorted((tmp_path / "parquet").rglob("*.parquet"))
    assert written == len(files) and written > 1  # a file per partition, counted once each
    codecs = duckdb.sql(  # as the files say, read by DuckDB's own Parquet reader
        f"SELECT DISTINCT compression FROM parquet_metadata('{tmp_path}/parquet/**/*.parquet')"
    ).fetchall()
    assert codecs == [(codec,)]
    parquet = DuckDBEngine(tmp_path / "parquet", storage_format="parquet")
    assert parquet.run("funnel").rows == DuckDBEngine(archive).run("funnel").rows
    # the keys as Firehose writes them (two digits), read back as numbers by the window
    folders = {str(f.parent.relative_to(tmp_path / "parquet")) for f in files}
    assert all(re.search(r"/year=\d{4}/month=\d\d/day=\d\d/hour=\d\d$", f) for f in folders)
    window = QueryFilter(since="2026-11-02", until="2026-11-03")
    assert parquet.run("funnel", window).rows == DuckDBEngine(archive).run("funnel", window).rows


def test_parquet_refuses_another_compression(tmp_path: Path) -> None:
    with pytest.raises(SesEventsValidationError) as caught:
        convert_to_parquet(tmp_path, tmp_path / "out", compression="zstd")
    assert caught.value.where == "Parquet"
    assert [(p.field, p.value, p.rule) for p in caught.value.problems] == [
        ("compression", "zstd", "must be snappy, gzip or uncompressed")
    ]
    assert not (tmp_path / "out").exists()


def test_duckdb_runs_report_their_time_and_read_sql_as_a_person_would(tmp_path: Path) -> None:
    engine = DuckDBEngine(_small_archive(tmp_path))
    progress = engine.connection.execute("SELECT current_setting('enable_progress_bar')")
    assert progress.fetchone() == (False,)  # no progress bar in a library's output unless asked
    started = time.monotonic()
    result = engine.run("funnel")
    elapsed = time.monotonic() - started
    assert set(result.statistics) == {"seconds"}
    seconds = result.statistics["seconds"]
    assert isinstance(seconds, float) and round(seconds, 3) == seconds  # to the millisecond
    assert 0 <= seconds <= elapsed + 0.001  # the run's own time, measured around it
    text = engine.sql("funnel", QueryFilter(("marketing",)))
    assert text.count("\n") > 5  # pretty: a clause a line, as `ses-events query --sql` shows it


def test_download_archive_under_a_prefix_with_a_slash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in (
        ("AWS_DEFAULT_REGION", "us-east-1"),
        ("AWS_ACCESS_KEY_ID", "x"),
        ("AWS_SECRET_ACCESS_KEY", "x"),
    ):
        monkeypatch.setenv(name, value)
    with mock_aws():
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket="ses-archive")
        key = "ses-events/configuration_set=b/year=2026/r.gz"
        s3.put_object(Bucket="ses-archive", Key=key, Body=b"abc")
        # no client: boto3's default one, from the environment
        got = download_archive(
            "s3://ses-archive/ses-events/", tmp_path / "b", where=QueryFilter(("b",))
        )
        assert got == (1, 3)
        assert (tmp_path / "b" / key).read_bytes() == b"abc"
        # a set with no records: nothing copied, no error
        assert download_archive(
            "s3://ses-archive/ses-events/", tmp_path / "none", where=QueryFilter(("c",))
        ) == (0, 0)
    with pytest.raises(SesEventsValidationError) as caught:
        download_archive("ses-archive/x", tmp_path)
    assert caught.value.where == "archive"
    assert [(p.field, p.value) for p in caught.value.problems] == [("url", "ses-archive/x")]


def test_athena_sends_the_filter_and_parameters_and_reads_missing_fields_as_athena_means() -> None:
    client, stubber = _athena()
    engine = AthenaEngine(database="db", table="events", workgroup="wg", client=client)
    where = QueryFilter(("marketing",), "2026-11-01")
    text = engine.sql("funnel", where, tag="team")
    assert "configuration_set IN ('marketing')" in text and "'team'" in text
    assert text != engine.sql("funnel", where) and text != engine.sql("funnel", tag="team")
    stubber.add_response(
        "start_query_execution",
        {"QueryExecutionId": "q-1"},
        {"QueryString": text, "QueryExecutionContext": {"Database": "db"}, "WorkGroup": "wg"},
    )
    # Statistics is optional in GetQueryExecution's answer: no bytes known is 0 scanned
    stubber.add_response(
        "get_query_execution",
        {"QueryExecution": {"QueryExecutionId": "q-1", "Status": {"State": "SUCCEEDED"}}},
    )
    metadata = {"ColumnInfo": [{"Name": "a", "Type": "varchar"}]}
    stubber.add_response(
        "get_query_results",
        {"ResultSet": {"Rows": _rows(("a",), ("1",)), "ResultSetMetadata": metadata}},
    )
    with stubber:
        result = engine.run("funnel", where, tag="team")
    stubber.assert_no_pending_responses()
    assert result.rows == [("1",)] and result.statistics == {"bytes_scanned": 0}


def test_an_athena_failure_without_a_reason_says_the_state() -> None:
    client, stubber = _athena()
    engine = AthenaEngine(database="db", table="events", workgroup="wg", client=client)
    stubber.add_response("start_query_execution", {"QueryExecutionId": "q-1"})
    stubber.add_response("get_query_execution", _execution("CANCELLED", 0))
    with stubber, pytest.raises(SesEventsValidationError) as caught:
        engine.run("funnel")
    assert [(p.field, p.value, p.rule) for p in caught.value.problems] == [
        ("state", "CANCELLED", "CANCELLED")
    ]


def test_download_archive_copies_only_the_hours_a_window_reads(tmp_path: Path) -> None:
    hour = "ses-events/configuration_set=a/year=2026/month={:02d}/day={:02d}/hour={:02d}/r.gz"
    keys = [
        hour.format(10, 31, 22),  # before the hour before since: left
        hour.format(10, 31, 23),  # the hour before since (Firehose buffering): copied
        hour.format(11, 1, 0),
        hour.format(11, 8, 23),  # the last hour of the 7 days' slack after until: copied
        hour.format(11, 9, 0),  # past it: left
        "ses-events/configuration_set=a/unpartitioned.gz",  # not in an hour: left
    ]
    with mock_aws():
        s3 = boto3.client(
            "s3", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
        )
        s3.create_bucket(Bucket="ses-archive")
        for key in keys:
            s3.put_object(Bucket="ses-archive", Key=key, Body=gzip.compress(b"{}\n"))
        window = QueryFilter(since="2026-11-01", until="2026-11-02")
        files, _ = download_archive(
            "s3://ses-archive/ses-events/", tmp_path / "w", client=s3, where=window
        )
        copied = sorted(str(p.relative_to(tmp_path / "w")) for p in (tmp_path / "w").rglob("*.gz"))
        assert copied == sorted(keys[1:4]) and files == 3
        everything, _ = download_archive(
            "s3://ses-archive/ses-events/", tmp_path / "all", client=s3, where=QueryFilter()
        )
        assert everything == len(keys)
