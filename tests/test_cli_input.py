"""Every command answers bad input as a user meets it (a subprocess): one line on stderr that
names the argument, the value and what is expected, a non-zero exit, and never a traceback."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ses_events.analytics.generator import CorpusSpec, generate_events, write_archive

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory with the kinds of wrong input a user has at hand."""
    root = tmp_path_factory.mktemp("bad-input")
    (root / "empty-dir").mkdir()
    (root / "a-file").write_text("x\n")
    (root / "empty.yaml").write_text("")
    (root / "text.yaml").write_text("garbage{\n")
    (root / "broken.yaml").write_text("configuration_sets: [\n")
    (root / "latin1.yaml").write_bytes(b"configuration_sets: caf\xe9\n")
    assembly = root / "bad-assembly"
    assembly.mkdir()
    (assembly / "manifest.json").write_text("{}")
    (assembly / "Stack.template.json").write_text('{"Resources": ')
    stray = root / "stray"
    stray.mkdir()
    (stray / "records.gz").write_bytes(b"")
    write_archive(generate_events(CorpusSpec(messages=20)), root / "archive")
    return root


def _run(
    work: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ses_events", *args],
        capture_output=True,
        text=True,
        cwd=work,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


# (arguments, the argument named, the value shown, what is expected); exit status 2 for all
BAD_ARGUMENTS: list[tuple[list[str], str, str, str]] = [
    # summary
    (["summary", "missing"], "outdir", "'missing'", "does not exist: expected a cloud assembly"),
    (["summary", "a-file"], "outdir", "'a-file'", "is a file: expected a cloud assembly"),
    (["summary", "empty-dir"], "outdir", "'empty-dir'", "has no manifest.json"),
    (
        ["summary", "bad-assembly"],
        "outdir",
        "'bad-assembly'",
        "Stack.template.json is not JSON (line 1 column 15",
    ),
    # cost
    (["cost", "missing"], "outdir", "'missing'", "does not exist"),
    (["plan", "missing"], "outdir", "'missing'", "does not exist: expected a cloud assembly"),
    (["plan", "empty-dir"], "outdir", "'empty-dir'", "has no manifest.json"),
    (["cost", "bad-assembly"], "outdir", "'bad-assembly'", "Stack.template.json is not JSON"),
    (["cost", "--events-per-month", "-1"], "--events-per-month", "'-1'", "0 or more"),
    (["cost", "--events-per-month", "many"], "--events-per-month", "'many'", "a whole number"),
    (["cost", "--query-runs-per-month", "-1"], "--query-runs-per-month", "'-1'", "0 or more"),
    (["cost", "--values-per-dimension", "0"], "--values-per-dimension", "'0'", "1 or more"),
    # layout
    (["layout", "--spec", "missing.yaml"], "--spec", "'missing.yaml'", "does not exist"),
    (["layout", "--spec", "empty-dir"], "--spec", "'empty-dir'", "is a directory"),
    (["layout", "--spec", "empty.yaml"], "--spec", "'empty.yaml'", "is empty: a spec is a YAML"),
    (["layout", "--spec", "text.yaml"], "--spec", "'text.yaml'", "is text: a spec must be a"),
    (
        ["layout", "--spec", "broken.yaml"],
        "--spec",
        "'broken.yaml'",
        "is not valid YAML: while parsing a flow node",
    ),
    (["layout", "--spec", "latin1.yaml"], "--spec", "'latin1.yaml'", "is not UTF-8 text"),
    (["layout", "--place", "a=0"], "--place", "'a=0'", "a stack number from 1"),
    (["layout", "--place", "a"], "--place", "'a'", "expected SET=STACK"),
    (["layout", "--place", "bad name=1"], "--place", "'bad name=1'", "expected SET=STACK"),
    (["layout", "--new", "--check"], "--check", "'--new'", "exclude each other"),
    # generate-events
    (["generate-events", "--out", "a-file"], "--out", "'a-file'", "is a file: expected a dir"),
    (["generate-events", "--out", "a-file/x"], "--out", "'a-file/x'", "'a-file' is a file"),
    (["generate-events", "--out", "g", "--messages", "0"], "--messages", "'0'", "1 or more"),
    (["generate-events", "--out", "g", "--seed", "-1"], "--seed", "'-1'", "0 or more"),
    (
        ["generate-events", "--out", "g", "--configuration-set", "spring sale"],
        "--configuration-set",
        "'spring sale'",
        "configuration set name must be 1 to 64 ASCII letters",
    ),
    (
        ["generate-events", "--out", "g", "--configuration-set", "x" * 65],
        "--configuration-set",
        "'" + "x" * 65 + "'",
        "must be 1 to 64",
    ),
    # query
    (["query", "nosuchquery", "--archive", "archive"], "name", "'nosuchquery'", "one of bounces"),
    (["query"], "name", "missing", "expected one of bounces"),
    (["query", "funnel"], "--archive", "missing", "expected the archive's directory"),
    (["query", "funnel", "--archive", "missing"], "--archive", "'missing'", "does not exist"),
    (["query", "funnel", "--archive", "a-file"], "--archive", "'a-file'", "is a file"),
    (
        ["query", "funnel", "--archive", "empty-dir"],
        "--archive",
        "'empty-dir'",
        "holds no json record files (*.gz): nothing to query",
    ),
    (
        ["query", "funnel", "--archive", "archive", "--storage", "parquet"],
        "--archive",
        "'archive'",
        "it holds json records: add --storage json",
    ),
    (
        ["query", "funnel", "--archive", "stray"],
        "--archive",
        "'stray'",
        "records.gz is not in the archive's layout",
    ),
    (
        [
            "query",
            "funnel",
            "--archive",
            "archive",
            "--since",
            "2026-11-02",
            "--until",
            "2026-11-01",
        ],
        "--until",
        "'2026-11-01'",
        "expected a time later than --since 2026-11-02",
    ),
    (  # an empty window: until is not included
        [
            "query",
            "funnel",
            "--archive",
            "archive",
            "--since",
            "2026-11-01",
            "--until",
            "2026-11-01",
        ],
        "--until",
        "'2026-11-01'",
        "expected a time later than --since 2026-11-01",
    ),
    (
        ["query", "funnel", "--archive", "archive", "--slack-days", "367"],
        "--slack-days",
        "'367'",
        "expected a whole number from 0 to 366",
    ),
    (
        ["query", "funnel", "--archive", "archive", "--slack-days", "-1"],
        "--slack-days",
        "'-1'",
        "expected a whole number from 0 to 366",
    ),
    (
        ["query", "funnel", "--archive", "archive", "--since", "yesterday"],
        "--since",
        "'yesterday'",
        "expected an ISO 8601 date or time",
    ),
    (
        ["query", "funnel", "--archive", "archive", "--until", "2026-13-01"],
        "--until",
        "'2026-13-01'",
        "expected an ISO 8601 date or time",
    ),
    (
        ["query", "funnel", "--archive", "archive", "--set", "bad name"],
        "--set",
        "'bad name'",
        "configuration set name must be",
    ),
    (
        ["query", "funnel", "--archive", "archive", "--tag", "bad tag"],
        "--tag",
        "'bad tag'",
        "message tag name must be",
    ),
    (
        ["query", "bounces", "--archive", "archive", "--tag", "campaign"],
        "--tag",
        "'campaign'",
        "query bounces groups by no tag; --tag is for funnel",
    ),
    (
        ["query", "funnel", "--engine", "athena", "--archive", "archive"],
        "--archive",
        "'archive'",
        "is for --engine duckdb",
    ),
    (
        ["query", "funnel", "--engine", "athena", "--assembly", "empty-dir"],
        "--database",
        "missing",
        "--engine athena needs --database, --table, --workgroup",
    ),
    (
        ["query", "funnel", "--engine", "athena", "--database", "Bad-Name"],
        "--database",
        "'Bad-Name'",
        "Glue database name must be",
    ),
    (
        ["query", "funnel", "--archive", "archive", "--endpoint-url", "http://localhost:1"],
        "--endpoint-url",
        "'http://localhost:1'",
        "is for an s3:// --archive",
    ),
    (
        ["query", "funnel", "--archive", "s3://b/p/", "--endpoint-url", "localhost:4566"],
        "--endpoint-url",
        "'localhost:4566'",
        "expected a URL such as http://localhost:4566",
    ),
    # schema
    (["schema", "--out", "empty-dir"], "--out", "'empty-dir'", "is a directory"),
    (["schema", "--out", "missing/s.json"], "--out", "'missing/s.json'", "'missing' does not"),
    # send-test
    (
        ["send-test", "--configuration-set", "bad name", "--from", "a@example.com"],
        "--configuration-set",
        "'bad name'",
        "configuration set name must be",
    ),
    (
        ["send-test", "--configuration-set", "m", "--from", "nobody"],
        "--from",
        "'nobody'",
        "expected an email address",
    ),
    (
        ["send-test", "--configuration-set", "m", "--from", "a@example.com", "--region", "moon"],
        "--region",
        "'moon'",
        "expected an AWS Region's code",
    ),
    (
        ["send-test", "--configuration-set", "m", "--from", "a@example.com", "--spec", "x.yaml"],
        "--spec",
        "'x.yaml'",
        "does not exist",
    ),
    (
        [
            "send-test",
            "--configuration-set",
            "m",
            "--from",
            "a@example.com",
            "--spec",
            "empty.yaml",
        ],
        "--spec",
        "'empty.yaml'",
        "is empty",
    ),
    (
        ["send-test", "--configuration-set", "m", "--from", "a@example.com", "--strict-tags"],
        "--strict-tags",
        "'--strict-tags'",
        "needs --spec",
    ),
    (
        ["send-test", "--configuration-set", "m", "--from", "a@example.com", "--tag", "novalue"],
        "--tag",
        "'novalue'",
        "is not NAME=VALUE",
    ),
    (
        ["send-test", "--configuration-set", "m", "--from", "a@example.com", "--scenario", "x"],
        "--scenario",
        "invalid choice: 'x'",
        "(choose from 'bounce', 'complaint', 'ooto', 'success', 'suppressionlist')",
    ),
    (
        ["send-test", "--configuration-set", "m", "--from", "a@example.com", "--tenant", "a b"],
        "--tenant",
        "'a b'",
        "a tenant name must be 1 to 64 ASCII letters, digits, '_' or '-'",
    ),
    # tenant
    (["tenant", "status", "a b"], "name", "'a b'", "a tenant name must be 1 to 64 ASCII letters"),
    (["tenant", "stop", "acme"], "action", "invalid choice: 'stop'", "(choose from 'status',"),
    (["tenant", "pause", "acme", "--region", "mars"], "--region", "'mars'", ""),
    # local-deploy
    (["local-deploy", "--port", "0"], "--port", "'0'", "from 1 to 65535"),
    (["local-deploy", "--port", "65536"], "--port", "'65536'", "from 1 to 65535"),
    (["local-deploy", "--spec", "missing.yaml"], "--spec", "'missing.yaml'", "does not exist"),
]


def _case_id(case: tuple[list[str], str, str, str]) -> str:
    return " ".join(case[0])[:60]


@pytest.mark.parametrize("case", BAD_ARGUMENTS, ids=_case_id)
def test_a_bad_argument_is_one_line_and_exit_2(
    work: Path, case: tuple[list[str], str, str, str]
) -> None:
    args, argument, value, expected = case
    result = _run(work, *args)
    line = _one_line(result)
    assert result.returncode == 2, line
    assert line.startswith(f"ses-events {args[0]}: argument {argument}: {value}"), line
    assert expected in line, line
    assert result.stdout == ""


def test_every_command_has_bad_arguments_tried() -> None:
    from ses_events.cli import COMMANDS

    assert {case[0][0] for case in BAD_ARGUMENTS} == set(COMMANDS)


def test_the_boundaries_of_counts_are_accepted(work: Path, tmp_path: Path) -> None:
    """Exactly at each lower limit is taken; one past it (the cases above) is refused."""
    result = _run(
        work,
        "generate-events",
        "--out",
        str(tmp_path / "g"),
        "--messages",
        "1",
        "--seed",
        "0",
        "--configuration-set",
        "x" * 64,
    )
    assert result.returncode == 0, result.stderr
    assert re.search(r"of 1 messages", result.stdout)
    assert list((tmp_path / "g").rglob(f"configuration_set={'x' * 64}"))


def test_an_empty_result_says_why_it_is_empty(work: Path) -> None:
    late = _run(work, "query", "funnel", "--archive", "archive", "--since", "2027-01-01")
    assert late.returncode == 0, late.stderr
    assert "(0 rows)" in late.stdout
    reading, line = late.stderr.strip().splitlines()  # the partitions read, then why
    assert reading == (
        "ses-events query: reading hour partitions 2026-12-31T23:00Z to the last (UTC, as"
        " Firehose received the records)"
    )
    assert "no record matches --since 2027-01-01" in line
    total = sum(1 for _ in generate_events(CorpusSpec(messages=20)))
    assert f"the archive holds {total} records of marketing, transactional, sent 2026-11-01" in line
    kept = _run(work, "query", "rendering_failures", "--archive", "archive", "--set", "marketing")
    assert kept.returncode == 0, kept.stderr
    line = _one_line(kept)
    marketing = sum(
        1
        for r in generate_events(CorpusSpec(messages=20))
        if r["mail"]["tags"] and r["mail"]["tags"]["ses:configuration-set"] == ["marketing"]
    )
    assert f"no rows: {marketing} records match --set marketing, none of them is what query" in line


def test_a_spec_that_breaks_rules_keeps_its_own_headline(work: Path, tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text("configuration_sets:\n  - name: bad name\n")
    result = _run(work, "layout", "--spec", str(spec))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    first, *rest = result.stderr.strip().splitlines()
    assert first == f"ses-events layout: {spec}: invalid SES event publishing settings"
    assert any("configuration_sets[0].name = 'bad name'" in line for line in rest)


def test_the_library_refuses_a_reversed_window_too() -> None:
    from ses_events.analytics.engines import QueryFilter
    from ses_events.errors import SesEventsValidationError

    QueryFilter(since="2026-11-01", until="2026-11-01T00:00:01Z").check()  # one second: a window
    for since, until in (("2026-11-01", "2026-11-01"), ("2026-11-01T00:00:01Z", "2026-11-01")):
        with pytest.raises(SesEventsValidationError, match="must be later than since"):
            QueryFilter(since=since, until=until).check()
    # a time without an offset is UTC: 01:00+01:00 is midnight UTC, the same instant
    with pytest.raises(SesEventsValidationError, match="until = '2026-11-01T01:00:00"):
        QueryFilter(since="2026-11-01", until="2026-11-01T01:00:00+01:00").check()


@pytest.fixture
def no_region(tmp_path: Path) -> Iterator[dict[str, str]]:
    config = tmp_path / "aws-config"
    config.write_text("")
    yield {
        "AWS_CONFIG_FILE": str(config),
        "AWS_SHARED_CREDENTIALS_FILE": str(config),
        "AWS_DEFAULT_REGION": "",
        "AWS_REGION": "",
    }


def test_send_test_without_a_region_says_how_to_give_one(
    work: Path, no_region: dict[str, str]
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("AWS_DEFAULT_REGION", "AWS_REGION")}
    env.update({k: v for k, v in no_region.items() if v})
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ses_events",
            "send-test",
            "--configuration-set",
            "m",
            "--from",
            "a@example.com",
        ],
        capture_output=True,
        text=True,
        cwd=work,
        timeout=120,
        env=env,
    )
    assert result.returncode == 2
    line = _one_line(result)
    assert line.startswith("ses-events send-test: argument --region: missing: no AWS Region")
    assert "AWS_DEFAULT_REGION" in line


@pytest.mark.local_aws
def test_the_readmes_send_test_works_against_the_kept_local_aws() -> None:
    """The README's send-test command, run as written in the environment that
    ``local-deploy --keep-running`` prints; a sender SES has not verified is told which are."""
    import shlex

    import boto3

    from ses_events.local_aws import LocalAws
    from ses_events.local_aws.deploy import keep_running_help
    from ses_events.local_aws.exercise import verify_sender_domain

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"```bash\n(ses-events send-test .*?)\n```", readme, re.S)
    assert found is not None
    command = shlex.split(found.group(1).replace("\\\n", " "))
    with LocalAws(region="sa-east-1") as aws:
        client = boto3.client("sesv2", **aws.client_arguments())
        client.create_configuration_set(ConfigurationSetName="marketing")
        verify_sender_domain(client)  # what local-deploy does before it keeps running
        exported = re.search(r"export (.+)", keep_running_help(aws))
        assert exported is not None
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(pair.split("=", 1) for pair in exported.group(1).split())

        def run(args: list[str]) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [sys.executable, "-m", "ses_events", *args],
                capture_output=True,
                text=True,
                cwd=ROOT,
                timeout=120,
                env=env,
            )

        sent = run(command[1:])
        assert sent.returncode == 0, sent.stdout + sent.stderr
        assert "5 of 5 sent." in sent.stdout
        assert "in sa-east-1" in sent.stdout
        refused = run([*command[1:4], "--from", "news@example.org"])
        assert refused.returncode == 1
        assert (
            "SES has not verified news@example.org in sa-east-1; --from must be one of these or"
            " an address of a verified domain: example.com" in refused.stdout
        )
        assert refused.stdout.count("SES has not verified") == 1  # said once, not per email
