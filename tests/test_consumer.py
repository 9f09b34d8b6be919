"""Another team's app: the built wheel in a fresh virtual environment beside the oldest
aws-cdk-lib the package admits, and the README's "Using it in your own app" example as written:
it synthesizes with an existing set, an identity's default set, grants, alarm actions by level
and sections on the team's own dashboard, and it type-checks with mypy --strict against what
the wheel ships."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.test_dependencies import lowest_aws_cdk_lib


def readme_example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Using it in your own app") :]
    return section[section.index("```python\n") + len("```python\n") :].split("```", 1)[0]


def _environment() -> dict[str, str]:
    """The consumer's own environment: nothing of this repository on the import path."""
    return {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}


@pytest.fixture(scope="module")
def consumer(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Build the wheel, install it (no extras) and the lowest aws-cdk-lib into a fresh venv,
    write the README example as app.py and synthesize it."""
    work = tmp_path_factory.mktemp("consumer")
    dist = work / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(dist), str(ROOT)],
        check=True,
        cwd=work,
        timeout=600,
    )
    (wheel,) = dist.glob("ses_events-*.whl")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    lowest = lowest_aws_cdk_lib()
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(wheel), f"aws-cdk-lib=={lowest}"],
        check=True,
        cwd=work,
        timeout=900,
    )
    app = work / "app.py"
    app.write_text(readme_example(), encoding="utf-8")
    out = work / "cdk.out"
    result = subprocess.run(
        [str(python), "app.py"],
        cwd=work,
        env={**_environment(), "CDK_OUTDIR": str(out)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    template = json.loads((out / "Mail.template.json").read_text(encoding="utf-8"))
    return {"python": python, "app": app, "template": template, "lowest": lowest}


def _resources(template: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [r.get("Properties", {}) for r in template["Resources"].values() if r["Type"] == kind]


@pytest.mark.consumer
def test_the_wheel_sits_beside_the_oldest_aws_cdk_lib(consumer: dict[str, Any]) -> None:
    shown = subprocess.run(
        [
            str(consumer["python"]),
            "-c",
            "from importlib.metadata import version as v; import ses_events, pathlib;"
            " print(v('aws-cdk-lib'), 'site-packages' in pathlib.Path(ses_events.__file__).parts)",
        ],
        check=True,
        capture_output=True,
        text=True,
        env=_environment(),
        cwd=consumer["app"].parent,
    ).stdout.split()
    assert shown == [consumer["lowest"], "True"]  # the installed wheel, not this checkout


@pytest.mark.consumer
def test_the_readme_app_synthesizes_what_it_says(consumer: dict[str, Any]) -> None:
    template = consumer["template"]
    # only marketing is created; the existing transactional set gets a destination by name
    assert [p["Name"] for p in _resources(template, "AWS::SES::ConfigurationSet")] == ["marketing"]
    destinations = _resources(template, "AWS::SES::ConfigurationSetEventDestination")
    assert "transactional" in [d["ConfigurationSetName"] for d in destinations]
    # the identity's default set, through the custom resource
    (default,) = _resources(template, "Custom::SesIdentityDefaultConfigurationSet")
    assert "news.example.com" in json.dumps(default["Create"])
    # sending: both actions, on the identity and the configuration set
    statements = [
        s
        for p in _resources(template, "AWS::IAM::Policy")
        for s in p["PolicyDocument"]["Statement"]
        if s.get("Action") == ["ses:SendEmail", "ses:SendRawEmail"]
    ]
    (send,) = statements
    arns = json.dumps(send["Resource"])
    assert "identity/news.example.com" in arns and "configuration-set/marketing" in arns
    # alarms: warnings to chat, critical to the pager, no OK notifications
    alarms = {p["AlarmName"]: p for p in _resources(template, "AWS::CloudWatch::Alarm")}
    warning = alarms["mail-marketing-bounce-rate-warning"]
    critical = alarms["mail-marketing-bounce-rate-critical"]
    assert warning["AlarmActions"] == ["arn:aws:sns:eu-west-1:111122223333:mail-chat"]
    assert critical["AlarmActions"] == ["arn:aws:sns:eu-west-1:111122223333:pager"]
    assert alarms["mail-archive-main-partition-limit-critical"]["AlarmActions"] == [
        "arn:aws:sns:eu-west-1:111122223333:pager"
    ]
    assert not any("OKActions" in a for a in alarms.values())
    # one dashboard, the team's, holding the set's and the archive's widgets
    (dashboard,) = _resources(template, "AWS::CloudWatch::Dashboard")
    assert dashboard["DashboardName"] == "team-ops"
    body = json.dumps(dashboard["DashboardBody"])
    assert "marketing: events" in body and "archive main: data freshness" in body


@pytest.mark.consumer
def test_the_readme_app_type_checks_against_the_wheel(consumer: dict[str, Any]) -> None:
    """mypy --strict on the consumer's app, resolving imports in the consumer's environment
    (the wheel's py.typed and signatures): the public types are what users can pass."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--python-executable",
            str(consumer["python"]),
            str(consumer["app"]),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=consumer["app"].parent,
        env=_environment(),
    )
    assert result.returncode == 0, result.stdout[-3000:]
