"""The real CDK CLI (npm package aws-cdk, pinned in package-lock.json) on this app."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from ses_events.cli import main as ses_events_main
from tests.conftest import ROOT, new_app, without_cli_additions

pytestmark = pytest.mark.cli

CDK = ROOT / "node_modules" / ".bin" / "cdk"


def _cdk(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    if not CDK.exists():
        pytest.fail("the CDK CLI is not installed: run scripts/setup.sh (npm ci)")
    env = dict(os.environ, CDK_DISABLE_CLI_TELEMETRY="true")
    return subprocess.run(
        [str(CDK), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def cli_assembly(tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir = tmp_path_factory.mktemp("cli") / "cdk.out"
    result = _cdk("synth", "--quiet", "--output", str(outdir))
    assert result.returncode == 0, result.stderr
    return outdir


def test_cdk_synth_writes_the_example_templates(cli_assembly: Path) -> None:
    manifest = json.loads((cli_assembly / "manifest.json").read_text())
    stacks = [a for a in manifest["artifacts"].values() if a["type"] == "aws:cloudformation:stack"]
    assert [s["displayName"] for s in stacks] == ["SesEvents"]
    template = json.loads((cli_assembly / "SesEvents.template.json").read_text())
    types = [r["Type"] for r in template["Resources"].values()]
    assert types.count("AWS::SES::ConfigurationSet") == 2
    assert (
        types.count("AWS::SES::ConfigurationSetEventDestination") == 9
    )  # with the tenant metrics destination of each set


def test_cli_and_unit_tests_see_the_same_template(cli_assembly: Path) -> None:
    """The unit tests pass cdk.json's context themselves; this shows it matches what the CLI does."""
    from ses_events.stacks import build_app

    app = new_app()
    build_app(app)
    expected: dict[str, Any] = app.synth().get_stack_by_name("SesEvents").template
    actual = json.loads((cli_assembly / "SesEvents.template.json").read_text())
    assert "CDKMetadata" in actual["Resources"]  # the CLI did add its own parts
    assert without_cli_additions(actual) == without_cli_additions(expected)


def test_a_bad_spec_fails_synth_with_a_clear_message_and_no_traceback(tmp_path: Path) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text(
        "configuration_sets:\n"
        "  - name: ok\n"
        "    destinations:\n"
        "      - name: m\n"
        "        type: cloudwatch\n"
        "        dimensions:\n"
        "          - {name: From, source: email_header, default_value: x}\n"
    )
    result = _cdk(
        "synth", "--quiet", "-c", f"ses-events:spec={spec}", "--output", str(tmp_path / "out")
    )
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert f"ses-events: {spec}: invalid SES event publishing settings" in output
    assert "configuration_sets[0].destinations[0].dimensions[0].name = 'From'" in output
    assert "Traceback" not in output and "jsii" not in output


def test_summary_command_describes_the_templates(
    cli_assembly: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert ses_events_main(["summary", str(cli_assembly)]) == 0
    out = capsys.readouterr().out
    assert (
        "configuration set marketing: TLS REQUIRE, reputation metrics on, max delivery 14400s"
        in out
    )
    assert "- deliverability (sns): bounce, complaint; topic SES bounces and complaints" in out
    assert (
        "- metrics (cloudwatch): all 10 event types; dimensions ses:configuration-set, campaign"
        in out
    )
    assert "deletion policy Retain" in out
    assert "dashboard ses-events: 20 widgets" in out
    assert (
        "32 alarms (account 4, archive 4, marketing 8, tenants 10, transactional 6),"
        " for example ses-events-account-bounce-rate-critical" in out
    )
    assert len(out.splitlines()) < 25  # one screen


def test_summary_of_a_missing_assembly_fails_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert ses_events_main(["summary", str(tmp_path / "nope")]) == 2
    assert "does not exist: expected a cloud assembly directory" in capsys.readouterr().err


def test_the_cli_uses_the_projects_node() -> None:
    node = shutil.which("node")
    assert node is not None
    version = subprocess.run([node, "--version"], capture_output=True, text=True, check=True).stdout
    assert int(version.lstrip("v").split(".")[0]) >= 22, (
        f"{node} is {version}: run via scripts/test.sh"
    )


def test_version_help_and_missing_extras_are_plain(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import version

    from ses_events.cli import main

    assert main(["--version"]) == 0  # argparse's exit is the return value, for callers
    assert capsys.readouterr().out.strip() == f"ses-events {version('ses-events')}"
    assert main(["--help"]) == 0
    shown = capsys.readouterr().out
    assert "``" not in shown and "examples:" in shown and "ses-events query funnel" in shown
    assert main(["send-test", "--help"]) == 0
    assert "``" not in capsys.readouterr().out


def test_local_deploy_without_the_local_extra_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    from ses_events.cli import main

    monkeypatch.setitem(sys.modules, "ses_events.local_aws.deploy", None)  # as if moto were absent
    assert main(["local-deploy"]) == 2
    err = capsys.readouterr().err
    assert "pip install 'ses-events[local]'" in err and "Traceback" not in err


def test_a_closed_pipe_is_not_an_error(tmp_path: Path) -> None:
    import subprocess
    import sys

    archive = tmp_path / "archive"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "ses_events",
            "generate-events",
            "--out",
            str(archive),
            "--messages",
            "3000",
        ],
        check=True,
        capture_output=True,
    )
    shown = subprocess.run(
        f"{sys.executable} -m ses_events query message_status --archive {archive} --format json | head -1",
        shell=True,
        capture_output=True,
        text=True,
        check=False,
    )
    assert shown.stdout.strip() == "["
    assert "BrokenPipeError" not in shown.stderr and "Traceback" not in shown.stderr


def test_cdk_cli_telemetry_is_off_for_this_project() -> None:
    import json

    context = json.loads((ROOT / "cdk.json").read_text())["context"]
    assert context["cli-telemetry"] is False
    assert "CDK_DISABLE_CLI_TELEMETRY" in (ROOT / "scripts" / "setup.sh").read_text()


EXAMPLE_SPEC = ROOT / "ses_events" / "examples" / "ses-events.yaml"
EXAMPLE_SCHEMA = ROOT / "ses_events" / "examples" / "ses-events.schema.json"


def test_schema_command_writes_the_committed_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The schema shipped beside the example (and named by its yaml-language-server line) is
    what `ses-events schema` writes today: a changed spec model without a regenerated schema
    fails here (`ses-events schema --out ses_events/examples/ses-events.schema.json`)."""
    out = tmp_path / "schema.json"
    assert ses_events_main(["schema", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == EXAMPLE_SCHEMA.read_text(encoding="utf-8")
    assert ses_events_main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(out.read_text(encoding="utf-8"))
    first_line = EXAMPLE_SPEC.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=./ses-events.schema.json"


def test_the_schema_accepts_the_example_and_refuses_what_the_spec_refuses() -> None:
    import copy

    import jsonschema
    import yaml

    schema = json.loads(EXAMPLE_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    example = yaml.safe_load(EXAMPLE_SPEC.read_text(encoding="utf-8"))
    assert list(validator.iter_errors(example)) == []

    misspelt = copy.deepcopy(example)
    misspelt["configuration_sets"][0]["destinatons"] = []
    assert any("destinatons" in e.message for e in validator.iter_errors(misspelt))

    wrong_type = copy.deepcopy(example)
    wrong_type["configuration_sets"][0]["reputation_metrics"] = "maybe"
    assert list(validator.iter_errors(wrong_type)) != []

    unknown_top = {**example, "configuration_set": []}
    assert list(validator.iter_errors(unknown_top)) != []


@pytest.mark.cli
@pytest.mark.parametrize("quiet", [False, True])
def test_synth_shows_progress_per_stack(tmp_path: Path, quiet: bool) -> None:
    """A synth says what it is doing, one line per step and per stack, with the time since it
    started (large specs take tens of seconds); SES_EVENTS_QUIET=1 turns it off."""
    import sys

    import yaml

    names = [f"tenant-{n:02d}" for n in range(30)]
    spec = tmp_path / "tenants.yaml"
    spec.write_text(
        yaml.safe_dump(
            {
                "stack_name": "Tenants",
                "layout": {"max_resources_per_stack": 40},
                "monitoring": {"enabled": False},
                "configuration_sets": [
                    {"name": n, "destinations": [{"name": "m", "type": "cloudwatch"}]}
                    for n in names
                ],
            }
        )
    )
    env = {
        **os.environ,
        "CDK_CONTEXT_JSON": json.dumps(
            {"ses-events:spec": str(spec), "ses-events:new-layout": "true"}
        ),
        "CDK_OUTDIR": str(tmp_path / "out"),
        "SES_EVENTS_QUIET": "1" if quiet else "0",
    }
    result = subprocess.run(
        [sys.executable, "app.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    lines = [line for line in result.stderr.splitlines() if line.startswith("ses-events: [")]
    if quiet:
        assert lines == []
        return
    assert "30 configuration sets in 2 stacks" in lines[0]
    assert [line.split("] ", 1)[1] for line in lines[1:]] == [
        "built stack Tenants (20 configuration sets)",
        "built stack Tenants-2 (10 configuration sets)",
        "synthesizing the templates and checking them with cdk-nag",
        "synthesized",
    ]
