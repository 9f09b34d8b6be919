"""``ses-events tenant status|pause|reinstate`` (issue 21, point 3) against the local AWS: both
statuses shown, the customer-managed one changed only after a yes (or ``--yes``), and a paused
tenant's mail refused until it is reinstated."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from ses_events.cli import main
from ses_events.local_aws import LocalAws
from ses_events.local_aws.ses.tenants import tenants_of

pytestmark = pytest.mark.local_aws

REGION = "ap-south-2"  # a Region no other test module uses


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(scope="module")
def aws() -> Iterator[LocalAws]:
    with LocalAws(region=REGION) as local:
        yield local


@pytest.fixture
def tenant(aws: LocalAws) -> Iterator[str]:
    """A fresh tenant with a set and a verified identity of its own."""
    client: Any = boto3.client("sesv2", **aws.client_arguments())
    name = f"t{len(tenants_of(aws.account, REGION))}"
    client.create_configuration_set(ConfigurationSetName=f"{name}-set")
    client.create_email_identity(EmailIdentity=f"{name}.example.com")
    client.create_tenant(TenantName=name)
    for arn in (
        f"arn:aws:ses:{REGION}:{aws.account}:configuration-set/{name}-set",
        f"arn:aws:ses:{REGION}:{aws.account}:identity/{name}.example.com",
    ):
        client.create_tenant_resource_association(TenantName=name, ResourceArn=arn)
    yield name


def _cli(aws: LocalAws, *args: str, stdin: str | None = None, **kw: Any) -> int:
    argv = ["tenant", *args, "--region", REGION, "--endpoint-url", aws.endpoint_url]
    if stdin is None:
        return main(argv)
    from ses_events.cli import tenant as command
    from ses_events.cli.arguments import Parser

    parser = Parser(prog="ses-events tenant")
    command.add_arguments(parser)
    return command.run(parser.parse_args(argv[1:]), stdin=_Terminal(stdin))


def _send(aws: LocalAws, name: str) -> None:
    client: Any = boto3.client("sesv2", **aws.client_arguments())
    client.send_email(
        FromEmailAddress=f"news@{name}.example.com",
        Destination={"ToAddresses": ["success@simulator.amazonses.com"]},
        Content={"Simple": {"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}}},
        ConfigurationSetName=f"{name}-set",
        TenantName=name,
    )


@pytest.fixture(autouse=True)
def _credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "local")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "local")


def test_status_shows_both_statuses(
    aws: LocalAws, tenant: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _cli(aws, "status", tenant) == 0
    out = capsys.readouterr().out
    arn = tenants_of(aws.account, REGION)[tenant].arn
    assert f"tenant {tenant} ({arn})" in out
    assert "sending:                 ENABLED" in out
    assert "customer-managed status: ENABLED" in out
    assert "SES-managed status:      ENABLED" in out


def test_pause_then_reinstate_stops_and_restarts_the_tenants_mail(
    aws: LocalAws, tenant: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _send(aws, tenant)
    assert _cli(aws, "pause", tenant, "--yes") == 0
    out = capsys.readouterr().out
    assert f"Customer-managed status of tenant {tenant!r}: ENABLED -> DISABLED." in out
    assert "sending:                 DISABLED" in out
    with pytest.raises(ClientError) as refused:
        _send(aws, tenant)
    assert refused.value.response["Error"]["Code"] == "SendingPausedException"
    assert _cli(aws, "reinstate", tenant, "--yes") == 0
    out = capsys.readouterr().out
    assert "DISABLED -> REINSTATED" in out
    assert "customer-managed status: REINSTATED" in out
    assert "sending:                 ENABLED" in out
    _send(aws, tenant)  # sends again


def test_a_change_waits_for_a_yes(
    aws: LocalAws, tenant: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _cli(aws, "pause", tenant, stdin="n\n") == 1
    out = capsys.readouterr().out
    assert f"Pause tenant {tenant!r}: customer-managed status ENABLED -> DISABLED? [y/N]" in out
    assert "Nothing changed." in out
    assert tenants_of(aws.account, REGION)[tenant].customer_managed_status == "ENABLED"
    assert _cli(aws, "pause", tenant, stdin="y\n") == 0
    assert tenants_of(aws.account, REGION)[tenant].customer_managed_status == "DISABLED"


def test_without_a_terminal_or_yes_nothing_changes(
    aws: LocalAws, tenant: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))  # piped: not a terminal
    assert _cli(aws, "pause", tenant) == 2
    assert "give --yes to pause tenant" in capsys.readouterr().err
    assert tenants_of(aws.account, REGION)[tenant].customer_managed_status == "ENABLED"


def test_reinstating_says_when_ses_itself_still_disables_it(
    aws: LocalAws, tenant: str, capsys: pytest.CaptureFixture[str]
) -> None:
    tenants_of(aws.account, REGION)[tenant].aws_managed_status = "DISABLED"
    assert _cli(aws, "reinstate", tenant, "--yes") == 0
    out = capsys.readouterr().out
    assert "SES's own status still disables this tenant" in out
    assert "SES-managed status:      DISABLED" in out


def test_an_unknown_tenant_is_one_line(aws: LocalAws, capsys: pytest.CaptureFixture[str]) -> None:
    assert _cli(aws, "status", "nobody") == 1
    assert capsys.readouterr().err.strip() == (
        f"ses-events tenant status: tenant 'nobody' does not exist in {REGION}"
    )


def test_a_bad_name_is_refused_before_any_call(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tenant", "status", "not a name", "--region", REGION]) == 2
    assert "argument name: 'not a name': a tenant name must be" in capsys.readouterr().err
