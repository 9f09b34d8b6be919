"""A failing AWS call, file or query is one line naming what failed, with a non-zero exit and no
traceback: in the main job (a real call made to fail) and in every command (ses_events.cli)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from ses_events.failures import aws_call, failure_line
from ses_events.local_aws import LocalAws


def _athena() -> Any:
    return boto3.client(
        "athena", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x"
    )


def test_a_refused_call_is_named_by_service_and_operation() -> None:
    client = _athena()
    with Stubber(client) as stub:
        stub.add_client_error("list_named_queries", "AccessDeniedException", "not for you")
        with pytest.raises(Exception) as raised:
            client.list_named_queries(WorkGroup="primary")
    assert aws_call(raised.value) == ("athena", "ListNamedQueries")
    line = failure_line(raised.value)
    assert line is not None and "\n" not in line
    assert line.startswith("AWS call failed: athena ListNamedQueries: ")
    assert "AccessDeniedException" in line and "not for you" in line


def test_a_client_without_a_region_is_named_by_its_service(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for variable in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    with pytest.raises(Exception) as raised:
        boto3.session.Session().client("sesv2")
    line = failure_line(raised.value)
    assert line == "AWS call failed: sesv2: You must specify a region."


def test_files_and_bugs() -> None:
    missing = FileNotFoundError(2, "No such file or directory", "/nowhere/s.json")
    assert failure_line(missing) == "/nowhere/s.json: No such file or directory"
    assert failure_line(KeyError("a bug")) is None  # a bug is not hidden behind a tidy line


@pytest.mark.local_aws
def test_the_main_job_names_a_failing_call_and_stops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The local AWS goes away after the deploy: the first check's call fails for real."""
    import socket

    from ses_events.local_aws import deploy as local_deploy

    monkeypatch.chdir(tmp_path)
    (tmp_path / "cdk.json").write_text("{}")
    (tmp_path / "cdk.out").mkdir()
    (tmp_path / "cdk.out" / "manifest.json").write_text(
        '{"artifacts": {"S": {"type": "aws:cloudformation:stack",'
        ' "properties": {"templateFile": "S.template.json"}, "displayName": "S"}}}'
    )
    (tmp_path / "cdk.out" / "S.template.json").write_text(
        '{"Resources": {"Set": {"Type": "AWS::SES::ConfigurationSet",'
        ' "Properties": {"Name": "gone"}}}}'
    )
    ports: list[int] = []

    def deploy_then_lose_the_endpoint(aws: LocalAws, **_: Any) -> None:
        ports.append(aws.port)
        aws.stop()

    monkeypatch.setattr(local_deploy, "deploy", deploy_then_lose_the_endpoint)
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    assert local_deploy.main() == 1
    err = capsys.readouterr().err
    (line,) = [line for line in err.splitlines() if line.strip()]
    assert line.startswith(
        "ses-events local-deploy: AWS call failed: cloudformation DescribeStacks:"
        " Could not connect to the endpoint URL"
    )
    assert "Traceback" not in err
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", ports[0]), timeout=2):
        pass  # nothing left listening


def test_a_command_that_fails_on_aws_prints_one_line(tmp_path: Path) -> None:
    """``query --engine athena`` without a Region: a real client, one line, exit 1."""
    env = {"PATH": str(Path(sys.executable).parent), "HOME": str(tmp_path)}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ses_events",
            "query",
            "funnel",
            "--engine",
            "athena",
            "--database",
            "d",
            "--table",
            "t",
            "--workgroup",
            "w",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("ses-events: AWS call failed: athena")


def test_a_query_over_a_corrupt_archive_is_one_line(tmp_path: Path) -> None:
    """DuckDB's own error (from its _duckdb module) for a record file that is not GZIP."""
    hour = tmp_path / "configuration_set=m" / "year=2026" / "month=11" / "day=01" / "hour=00"
    hour.mkdir(parents=True)
    (hour / "records.gz").write_text("not gzip")
    result = subprocess.run(
        [sys.executable, "-m", "ses_events", "query", "funnel", "--archive", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("ses-events: DuckDB: IO Error: Input is not a GZIP stream")
    assert str(hour / "records.gz") in line
