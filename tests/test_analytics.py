"""The analytics room: the SES event schema against SES's documented examples, the generator,
every named query parsed in both dialects and run with DuckDB over a generated archive, its
figures checked against numbers computed independently in Python from the same records."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlglot

from ses_events import SesEventsValidationError, rules
from ses_events.analytics import schema
from ses_events.analytics.engines import DuckDBEngine, QueryFilter, QueryResult
from ses_events.analytics.generator import (
    CorpusSpec,
    event_time,
    generate_events,
    partition_of,
    write_archive,
)
from ses_events.analytics.queries import QUERIES, SOURCE_DIALECT
from ses_events.cli import main as cli

EXAMPLES = Path(__file__).parent / "data" / "ses_examples"
SPEC = CorpusSpec(messages=4_000, seed=11)


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    return list(generate_events(SPEC))


@pytest.fixture(scope="module")
def engine(records: list[dict[str, Any]], tmp_path_factory: pytest.TempPathFactory) -> DuckDBEngine:
    root = tmp_path_factory.mktemp("archive")
    write_archive(records, root)
    return DuckDBEngine(root)


def _examples() -> dict[str, dict[str, Any]]:
    return {p.stem: json.loads(p.read_text()) for p in sorted(EXAMPLES.glob("*.json"))}


def _paths(value: Any, prefix: str = "") -> set[str]:
    """The field paths of a JSON value, in :func:`schema.field_paths`' notation."""
    found: set[str] = {prefix} if prefix else set()
    if isinstance(value, dict):
        is_map = prefix.endswith(("tags", "linkTags"))
        for key, item in value.items():
            found |= _paths(item, f"{prefix}.*" if is_map else f"{prefix}.{key}" if prefix else key)
    elif isinstance(value, list):
        for item in value:
            found |= _paths(item, prefix + "[]")
    return found


# -- the schema ----------------------------------------------------------------------------------


def test_every_field_of_every_documented_example_has_a_column() -> None:
    examples = _examples()
    assert sorted(r["eventType"] for r in examples.values()) == sorted(
        schema.EVENT_TYPE_NAMES.values()
    )
    known = schema.field_paths() | {"send"}
    for name, record in examples.items():
        missing = _paths(record) - known
        assert missing == set(), f"{name}: no column for {sorted(missing)}"


def test_the_documented_examples_read_through_the_schema_without_losing_a_field(
    tmp_path: Path,
) -> None:
    examples = list(_examples().values())
    write_archive(examples, tmp_path)
    duck = DuckDBEngine(tmp_path)
    rows = duck.connection.execute(
        f"SELECT to_json(COLUMNS(*)) FROM {duck.source()} ORDER BY mail.timestamp"
    ).fetchall()
    columns = list(schema.duckdb_columns())
    read_back = [
        _without_nulls(
            {c: json.loads(v) if v else None for c, v in zip(columns, row, strict=False)}
        )
        for row in rows
    ]
    expected = sorted(
        (_without_nulls({k: v for k, v in r.items() if k != "send"}) for r in examples),
        key=lambda r: r["mail"]["timestamp"],
    )
    assert read_back == expected


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        cleaned = {k: _without_nulls(v) for k, v in value.items() if v is not None}
        return {k: v for k, v in cleaned.items() if v != {}}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def test_glue_columns_are_hive_types_of_the_same_fields() -> None:
    columns = dict(schema.glue_columns())
    assert list(columns)[:2] == ["eventtype", "mail"]
    assert "send" not in columns  # an empty object: no column
    assert columns["eventtype"] == "string"
    assert "tags:map<string,array<string>>" in columns["mail"]
    assert "bouncedrecipients:array<struct<emailaddress:string," in columns["bounce"]
    assert "processingtimemillis:bigint" in columns["delivery"]
    assert "newtopicpreferences:struct<unsubscribeall:boolean," in columns["subscription"]


# -- the generator -------------------------------------------------------------------------------


def test_the_generator_is_deterministic_and_covers_every_event_type(
    records: list[dict[str, Any]],
) -> None:
    assert list(generate_events(CorpusSpec(messages=50, seed=3))) == list(
        generate_events(CorpusSpec(messages=50, seed=3))
    )
    assert list(generate_events(CorpusSpec(messages=50, seed=3))) != list(
        generate_events(CorpusSpec(messages=50, seed=4))
    )
    kinds = Counter(r["eventType"] for r in records)
    assert set(kinds) == set(schema.EVENT_TYPE_NAMES.values())
    assert kinds["Send"] + kinds["Rendering Failure"] == SPEC.messages
    sub_types = {
        (r["bounce"]["bounceType"], r["bounce"]["bounceSubType"]) for r in records if "bounce" in r
    }
    assert {("Permanent", "General"), ("Transient", "MailboxFull")} <= sub_types
    for record in records[:200]:
        assert set(rules.SES_AUTOMATIC_TAGS) <= set(record["mail"]["tags"])
        assert _paths(record) <= schema.field_paths() | {"send"}


def test_the_archive_layout_is_the_streams(tmp_path: Path) -> None:
    few = list(generate_events(CorpusSpec(messages=20, seed=1)))
    files = write_archive(few, tmp_path)
    for path in files:
        relative = path.relative_to(tmp_path).as_posix()
        assert relative.startswith("ses-events/configuration_set=")
        parts = relative.split("/")[1:-1]
        assert [p.split("=")[0] for p in parts] == list(schema.PARTITION_KEYS)
        assert path.suffix == ".gz"
    assert partition_of(few[0]).endswith(f"hour={event_time(few[0])[11:13]}/")
    assert sum(len(_lines(p)) for p in files) == len(few)


def _lines(path: Path) -> list[str]:
    import gzip

    return gzip.decompress(path.read_bytes()).decode().splitlines()


# -- the queries ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_query_parses_in_trino_and_in_duckdb(name: str) -> None:
    query = QUERIES[name]
    assert query.description
    sqlglot.parse_one(query.render(SOURCE_DIALECT), read="trino")
    sqlglot.parse_one(query.render("duckdb"), read="duckdb")


def test_the_queries_are_the_ones_mail_teams_ask_first() -> None:
    assert set(QUERIES) == {
        "funnel",
        "bounces",
        "complaints",
        "suppression",
        "delivery_delays",
        "rendering_failures",
        "message_status",
        "tenant_health",
    }
    assert QUERIES["funnel"].parameters == {"tag": "campaign"}
    assert QUERIES["tenant_health"].parameters == {"tenant": rules.TENANT_TAG}


def test_parameters_are_literals_and_checked() -> None:
    text = QUERIES["funnel"].render("duckdb", tag="team")
    assert "'team'" in text and ":tag" not in text and "$tag" not in text
    with pytest.raises(SesEventsValidationError, match="must be 1 to 256"):
        QUERIES["funnel"].render(tag="x'; DROP TABLE events; --")
    with pytest.raises(SesEventsValidationError, match="is not a parameter"):
        QUERIES["bounces"].render(tag="campaign")


def _set(record: dict[str, Any]) -> str:
    return str(record["mail"]["tags"]["ses:configuration-set"][0])


def _day(timestamp: str) -> date:
    return datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC).date()


def _rows(result: QueryResult) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in result.rows]


def test_funnel_figures_match_python(engine: DuckDBEngine, records: list[dict[str, Any]]) -> None:
    messages: dict[str, dict[str, Any]] = {}
    for r in records:
        m = messages.setdefault(
            r["mail"]["messageId"],
            {
                "key": (
                    _set(r),
                    (r["mail"]["tags"].get("campaign") or ["(none)"])[0],
                    _day(r["mail"]["timestamp"]),
                ),
                "types": set(),
            },
        )
        m["types"].add(r["eventType"])
    groups: dict[tuple[Any, ...], Counter[str]] = defaultdict(Counter)
    for m in messages.values():
        groups[m["key"]].update(m["types"])
    expected = []
    for key in sorted(groups):
        c = groups[key]
        sends = c["Send"]
        counts = [c[t] for t in ("Send", "Delivery", "Open", "Click", "Bounce", "Complaint")]
        rates = [
            round(c[t] / sends, 4) if sends else None
            for t in ("Delivery", "Open", "Click", "Bounce", "Complaint")
        ]
        expected.append((*key, *counts, *rates))
    assert _rows(engine.run("funnel")) == expected


def test_bounces_by_type_sub_type_and_domain_match_python(
    engine: DuckDBEngine, records: list[dict[str, Any]]
) -> None:
    counts = Counter(
        (
            _set(r),
            r["bounce"]["bounceType"],
            r["bounce"]["bounceSubType"],
            b["emailAddress"].split("@")[1].lower(),
        )
        for r in records
        if r["eventType"] == "Bounce"
        for b in r["bounce"]["bouncedRecipients"]
    )
    expected = sorted(((*k, n) for k, n in counts.items()), key=lambda x: (-x[4], *x[:4]))
    assert _rows(engine.run("bounces")) == expected


def test_complaints_delays_and_rendering_failures_match_python(
    engine: DuckDBEngine, records: list[dict[str, Any]]
) -> None:
    def ranked(counts: Counter[tuple[str, str]]) -> list[tuple[Any, ...]]:
        return sorted(((*k, n) for k, n in counts.items()), key=lambda x: (-x[2], x[0], x[1]))

    complaints = Counter(
        (_set(r), r["complaint"].get("complaintFeedbackType") or "(none)")
        for r in records
        if r["eventType"] == "Complaint"
    )
    assert complaints and _rows(engine.run("complaints")) == ranked(complaints)
    delays = Counter(
        (_set(r), r["deliveryDelay"]["delayType"])
        for r in records
        if r["eventType"] == "DeliveryDelay"
    )
    assert delays and _rows(engine.run("delivery_delays")) == ranked(delays)
    failures: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in records:
        if r["eventType"] == "Rendering Failure":
            failures[(_set(r), r["failure"]["templateName"])].append(r["failure"]["errorMessage"])
    expected = sorted(
        ((*k, len(v), min(v)) for k, v in failures.items()), key=lambda x: (-x[2], x[0], x[1])
    )
    assert failures and _rows(engine.run("rendering_failures")) == expected


def test_suppression_list_matches_python(
    engine: DuckDBEngine, records: list[dict[str, Any]]
) -> None:
    found: dict[str, dict[str, Any]] = {}
    for r in records:
        pairs = []
        if r["eventType"] == "Bounce" and r["bounce"]["bounceType"] == "Permanent":
            pairs = [
                (b["emailAddress"], "bounce", r["bounce"]["timestamp"])
                for b in r["bounce"]["bouncedRecipients"]
            ]
        if r["eventType"] == "Complaint":
            pairs = [
                (c["emailAddress"], "complaint", r["complaint"]["timestamp"])
                for c in r["complaint"]["complainedRecipients"]
            ]
        for address, reason, at in pairs:
            entry = found.setdefault(
                address.lower(), {"bounce": False, "complaint": False, "at": at}
            )
            entry[reason] = True
            entry["at"] = min(entry["at"], at)
    expected = [(a, e["bounce"], e["complaint"], e["at"]) for a, e in sorted(found.items())]
    result = _rows(engine.run("suppression"))
    assert result == expected
    assert len({row[0] for row in result}) == len(result)  # deduplicated


def test_latest_status_of_each_message_matches_python(
    engine: DuckDBEngine, records: list[dict[str, Any]]
) -> None:
    latest: dict[str, tuple[str, str, str, int]] = {}
    for r in records:
        message_id, at = r["mail"]["messageId"], event_time(r)
        previous = latest.get(message_id)
        count = (previous[3] if previous else 0) + 1
        if previous is None or at > previous[2]:
            latest[message_id] = (_set(r), r["eventType"], at, count)
        else:
            latest[message_id] = (*previous[:3], count)
    expected = [(m, *v) for m, v in sorted(latest.items())]
    result = _rows(engine.run("message_status"))
    assert len(result) == SPEC.messages
    assert result == expected


def test_filters_narrow_to_sets_and_send_times(
    engine: DuckDBEngine, records: list[dict[str, Any]]
) -> None:
    since, until = "2026-11-02T00:00:00Z", "2026-11-03T00:00:00Z"
    chosen = [
        r for r in records if _set(r) == "marketing" and since <= r["mail"]["timestamp"] < until
    ]
    ids = {r["mail"]["messageId"] for r in chosen}
    result = engine.run("message_status", QueryFilter(("marketing",), since, until))
    assert {row[0] for row in result.rows} == ids and ids
    with pytest.raises(SesEventsValidationError, match="ISO 8601"):
        engine.run("funnel", QueryFilter(since="yesterday"))
    with pytest.raises(SesEventsValidationError, match="configuration set"):
        engine.run("funnel", QueryFilter(("bad name",)))


def test_the_funnel_groups_by_another_tag(engine: DuckDBEngine) -> None:
    rows = engine.run("funnel", tag="ses:caller-identity").rows
    assert {row[1] for row in rows} == {"mailer"}
    assert {row[1] for row in engine.run("funnel", tag="absent").rows} == {"(none)"}


# -- the commands ----------------------------------------------------------------------------------


def test_generate_events_and_query_commands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "archive"
    assert cli(["generate-events", "--out", str(archive), "--messages", "300", "--seed", "5"]) == 0
    assert "event records of 300 messages" in capsys.readouterr().out
    assert cli(["query", "complaints", "--archive", str(archive)]) == 0
    assert capsys.readouterr().out.splitlines()[0].split() == [
        "configuration_set",
        "feedback_type",
        "complaints",
    ]
    assert cli(["query", "message_status", "--archive", str(archive), "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 300
    assert (
        cli(["query", "funnel", "--archive", str(archive), "--format", "csv", "--set", "marketing"])
        == 0
    )
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("configuration_set,tag_value,day,sends") and all(
        line.startswith("marketing,") for line in lines[1:]
    )
    assert cli(["query", "funnel", "--archive", str(archive), "--show-sql"]) == 0
    shown = capsys.readouterr()
    assert "read_json" in shown.out.lower() and "reading" not in shown.err
    window = ["--since", "2026-11-02", "--until", "2026-11-03", "--show-sql"]
    assert cli(["query", "funnel", "--archive", str(archive), *window, "--slack-days", "0"]) == 0
    shown = capsys.readouterr()
    assert shown.err == (
        "ses-events query: reading hour partitions 2026-11-01T23:00Z to 2026-11-02T23:00Z (UTC,"
        " as Firehose received the records)\n"
    )
    assert "day = 2" in shown.out and "hour >= 23" in shown.out
    assert cli(["query", "nope", "--archive", str(archive)]) == 2
    assert cli(["query", "funnel", "--archive", str(tmp_path / "missing")]) == 2
    assert cli(["query", "funnel", "--engine", "athena", "--assembly", str(tmp_path)]) == 2


@pytest.mark.local_aws
def test_query_an_archive_in_the_local_aws_bucket(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import boto3

    from ses_events.local_aws import LocalAws

    few = list(generate_events(CorpusSpec(messages=200, seed=2)))
    files = write_archive(few, tmp_path / "local")
    with LocalAws() as aws:
        for key, value in aws.environment().items():
            if key.startswith("AWS_"):
                monkeypatch.setenv(key, value)
        s3 = boto3.client("s3", **aws.client_arguments())
        s3.create_bucket(Bucket="events")
        for path in files:
            s3.upload_file(str(path), "events", path.relative_to(tmp_path / "local").as_posix())
        url = "s3://events/ses-events/"
        assert (
            cli(
                [
                    "query",
                    "message_status",
                    "--archive",
                    url,
                    "--endpoint-url",
                    aws.endpoint_url,
                    "--format",
                    "json",
                ]
            )
            == 0
        )
        captured = capsys.readouterr()
        assert len(json.loads(captured.out)) == 200
        assert f"copied {len(files)} objects" in captured.err
        assert (
            cli(
                [
                    "query",
                    "message_status",
                    "--archive",
                    url,
                    "--endpoint-url",
                    aws.endpoint_url,
                    "--set",
                    "marketing",
                    "--format",
                    "json",
                ]
            )
            == 0
        )
        rows = json.loads(capsys.readouterr().out)
        assert rows and {r["configuration_set"] for r in rows} == {"marketing"}


def test_parquet_gives_the_same_answers_as_json(engine: DuckDBEngine, tmp_path: Path) -> None:
    from ses_events.analytics.engines import convert_to_parquet

    assert convert_to_parquet(engine.archive, tmp_path) > 0
    parquet = DuckDBEngine(tmp_path, storage_format="parquet")
    for name in QUERIES:
        assert parquet.run(name).rows == engine.run(name).rows, name
    with pytest.raises(SesEventsValidationError, match="json or parquet"):
        DuckDBEngine(tmp_path, storage_format="orc")


@pytest.mark.local_aws
def test_the_athena_engine_runs_the_trino_text_in_a_workgroup() -> None:
    import urllib.request

    import boto3

    from ses_events.analytics.engines import AthenaEngine
    from ses_events.local_aws import LocalAws

    with LocalAws() as aws:
        client = boto3.client("athena", **aws.client_arguments())
        client.create_work_group(Name="mail", Configuration={})
        # the local AWS answers with the rows it is given (moto's Athena runs no SQL)
        seeded = {
            "account_id": "123456789012",  # the local AWS's account
            "region": client.meta.region_name,
            "results": [
                {
                    "rows": [
                        {
                            "Data": [
                                {"VarCharValue": "configuration_set"},
                                {"VarCharValue": "complaints"},
                            ]
                        },
                        {"Data": [{"VarCharValue": "marketing"}, {"VarCharValue": "3"}]},
                    ],
                    "column_info": [
                        {"Name": "configuration_set", "Type": "varchar"},
                        {"Name": "complaints", "Type": "bigint"},
                    ],
                }
            ],
        }
        request = urllib.request.Request(
            f"{aws.endpoint_url}/moto-api/static/athena/query-results",
            data=json.dumps(seeded).encode(),
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        urllib.request.urlopen(request).close()
        states: list[str] = []
        engine = AthenaEngine(
            database="mail_db",
            table="events",
            workgroup="mail",
            client=client,
            poll_seconds=0.01,
            progress=lambda state, scanned: states.append(state),
        )
        text = engine.sql("complaints", QueryFilter(("marketing",), "2026-11-01"))
        assert 'FROM "mail_db"."events"' in text
        assert "configuration_set IN ('marketing')" in text
        assert "FROM_ISO8601_TIMESTAMP('2026-11-01')" in text
        sqlglot.parse_one(text, read="trino")
        result = engine.run("complaints")
        assert result.columns == ["configuration_set", "complaints"]
        assert result.rows == [("marketing", "3")]
        assert states[-1] == "SUCCEEDED"
        executions = client.list_query_executions(WorkGroup="mail")["QueryExecutionIds"]
        assert len(executions) == 1
        query = client.get_query_execution(QueryExecutionId=executions[0])["QueryExecution"]
        assert query["WorkGroup"] == "mail"
        assert 'FROM "mail_db"."events"' in query["Query"]


def test_athena_names_come_from_the_synthesized_stacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from aws_cdk import App

    from ses_events.stacks import build_app
    from tests.conftest import CDK_CONTEXT, ROOT

    context = dict(CDK_CONTEXT)
    context["ses-events:spec"] = str(ROOT / context["ses-events:spec"])
    app = App(context=context, outdir=str(tmp_path / "cdk.out"))
    build_app(app)
    app.synth()
    assert (
        cli(
            [
                "query",
                "funnel",
                "--engine",
                "athena",
                "--assembly",
                str(tmp_path / "cdk.out"),
                "--show-sql",
            ]
        )
        == 0
    )
    text = capsys.readouterr().out
    assert 'FROM "sesevents"."events"' in text
    assert (
        cli(["query", "funnel", "--engine", "athena", "--assembly", str(tmp_path), "--show-sql"])
        == 2
    )
    assert f"not given, and {tmp_path} has no single one" in capsys.readouterr().err


def test_an_aws_error_is_one_line_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    code = cli(
        ["query", "funnel", "--engine", "athena", "--assembly", str(tmp_path),
         "--database", "d", "--table", "t", "--workgroup", "w"]
    )  # fmt: skip
    assert code == 1
    assert capsys.readouterr().err.startswith(
        "ses-events: AWS call failed: athena: You must specify a region."
    )


# -- tenants ---------------------------------------------------------------------------------

TENANTS = ("acme", "globex", "initech")


@pytest.fixture(scope="module")
def tenant_records() -> list[dict[str, Any]]:
    # a high bounce rate so the order by bounce rate is tested on real differences
    return list(generate_events(CorpusSpec(messages=3_000, seed=5, tenants=TENANTS)))


@pytest.fixture(scope="module")
def tenant_engine(
    tenant_records: list[dict[str, Any]], tmp_path_factory: pytest.TempPathFactory
) -> DuckDBEngine:
    root = tmp_path_factory.mktemp("tenant-archive")
    write_archive(tenant_records, root)
    return DuckDBEngine(root)


def test_the_generator_tags_each_message_with_its_tenant_in_turn(
    tenant_records: list[dict[str, Any]],
) -> None:
    tags = {r["mail"]["messageId"]: r["mail"]["tags"][rules.TENANT_TAG] for r in tenant_records}
    assert {value[0] for value in tags.values()} == set(TENANTS)
    assert "tenant" not in next(generate_events(CorpusSpec(messages=1)))["mail"]["tags"]
    with pytest.raises(SesEventsValidationError, match="tenants"):
        CorpusSpec(tenants=("bad name",))


def test_tenant_health_matches_python(
    tenant_engine: DuckDBEngine, tenant_records: list[dict[str, Any]]
) -> None:
    """Counted here from the records, message by message, independently of the SQL."""
    messages: dict[str, dict[str, Any]] = {}
    for r in tenant_records:
        m = messages.setdefault(
            r["mail"]["messageId"],
            {
                "tenant": r["mail"]["tags"]["tenant"][0],
                "types": set(),
                "at": r["mail"]["timestamp"],
            },
        )
        m["types"].add(r["eventType"])
    expected = []
    for tenant in TENANTS:
        mine = [m for m in messages.values() if m["tenant"] == tenant]
        counts = {
            t: sum(1 for m in mine if t in m["types"])
            for t in ("Send", "Delivery", "Bounce", "Complaint")
        }
        sends = counts["Send"]
        sent_at = sorted(m["at"] for m in mine)
        expected.append(
            (
                tenant,
                sends,
                counts["Delivery"],
                counts["Bounce"],
                counts["Complaint"],
                round(counts["Bounce"] / sends, 4),
                round(counts["Complaint"] / sends, 4),
                sent_at[0],
                sent_at[-1],
            )
        )
    expected.sort(key=lambda row: (-row[5], -row[6], row[0]))
    result = tenant_engine.run("tenant_health")
    assert result.columns[:7] == [
        "tenant",
        "sends",
        "deliveries",
        "bounces",
        "complaints",
        "bounce_rate",
        "complaint_rate",
    ]
    assert _rows(result) == expected
    assert len({row[5] for row in expected}) > 1  # the order is by real differences


def test_mail_without_a_tenant_tag_is_its_own_row(engine: DuckDBEngine) -> None:
    rows = _rows(engine.run("tenant_health"))
    assert [row[0] for row in rows] == ["(none)"]


def test_the_funnel_by_tenant(tenant_engine: DuckDBEngine) -> None:
    rows = _rows(tenant_engine.run("funnel", tag=rules.TENANT_TAG))
    assert {row[1] for row in rows} == set(TENANTS)
