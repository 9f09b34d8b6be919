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
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from packaging.version import Version

from tests.conftest import ROOT
from tests.test_dependencies import lowest_aws_cdk_lib


def readme_example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Using it in your own app") :]
    return section[section.index("```python\n") + len("```python\n") :].split("```", 1)[0]


def _environment() -> dict[str, str]:
    """The consumer's own environment: nothing of this repository on the import path."""
    return {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}


EXAMPLE_STACK_APP = """
import json, sys
from aws_cdk import App
from ses_events.stacks import build_app
app = App(context={"ses-events:spec": sys.argv[1]})
build_app(app)
(stack,) = app.synth().stacks
print(json.dumps(stack.template))
"""


def example_stack_template(
    python: str | Path, cwd: Path, spec: Path = ROOT / "ses_events" / "examples" / "ses-events.yaml"
) -> dict[str, Any]:
    """The ``spec``'s stack (default: the example's) as ``python``'s ses-events and aws-cdk-lib
    synthesize it."""
    script = cwd / "example_stack.py"
    script.write_text(EXAMPLE_STACK_APP, encoding="utf-8")
    result = subprocess.run(
        [str(python), str(script), str(spec)],
        cwd=cwd,
        env={**_environment(), "CDK_OUTDIR": str(cwd / "example.out")},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    template: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return template


@pytest.fixture(scope="module", params=["lowest", "newest"])
def consumer(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """Build the wheel, install it (no extras) beside the lowest aws-cdk-lib the range admits
    and, apart, beside the newest it admits, each in a fresh venv; write the README example as
    app.py and synthesize it."""
    work = tmp_path_factory.mktemp(f"consumer-{request.param}")
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
    wanted = f"aws-cdk-lib=={lowest}" if request.param == "lowest" else f"aws-cdk-lib>={lowest},<3"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--upgrade", str(wheel), wanted],
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
    return {
        "python": python,
        "app": app,
        "template": template,
        "lowest": lowest,
        "which": request.param,
        "work": work,
    }


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
    if consumer["which"] == "lowest":
        assert shown == [consumer["lowest"], "True"]  # the installed wheel, not this checkout
    else:
        newest = metadata.version("aws-cdk-lib")  # the lock holds the newest release
        assert Version(shown[0]) >= Version(newest) and shown[1] == "True"


def _ses_resources(template: dict[str, Any]) -> dict[str, Any]:
    return {
        logical_id: resource["Properties"]
        for logical_id, resource in template["Resources"].items()
        if resource["Type"].startswith("AWS::SES::")
    }


@pytest.mark.consumer
def test_the_example_stack_is_the_same_on_every_release(consumer: dict[str, Any]) -> None:
    """The spec's stack on the lowest and the newest aws-cdk-lib: the same SES resources (the
    Auto Validation and HTTPS options that 2.160's L1 lacks written raw, nothing dropped) as in
    this repository's lock."""
    here = _ses_resources(example_stack_template(sys.executable, consumer["work"]))
    there_template = example_stack_template(consumer["python"], consumer["work"])
    there = _ses_resources(there_template)
    if consumer["which"] == "lowest":
        # 2.160's CfnConfigurationSet takes no tags: the set's own are written raw, the stack's
        # do not reach it (README, "Supported aws-cdk-lib")
        for properties in (*here.values(), *there.values()):
            tags = properties.pop("Tags", None)
            if properties.get("Name") == "marketing" and tags is not None:
                assert {"Key": "team", "Value": "growth"} in tags
    assert there == here
    (marketing,) = [p for p in there.values() if p.get("Name") == "marketing"]
    assert marketing["SuppressionOptions"]["ValidationOptions"] == {
        "ConditionThreshold": {
            "ConditionThresholdEnabled": "ENABLED",
            "OverallConfidenceThreshold": {"ConfidenceVerdictThreshold": "HIGH"},
        }
    }
    assert marketing["TrackingOptions"]["HttpsPolicy"] == "REQUIRE"
    kinds = {r["Type"] for r in there_template["Resources"].values()}
    assert {"AWS::KinesisFirehose::DeliveryStream", "AWS::CloudWatch::Alarm"} <= kinds


@pytest.mark.consumer
def test_tenants_written_in_bulk_are_the_same_on_every_release(consumer: dict[str, Any]) -> None:
    """Plain sets and their tenants go through one ``CfnInclude`` (2.160 has no ``CfnTenant``:
    the include must still take ``AWS::SES::Tenant``, newer properties and all)."""
    from tests.test_bulk import SPEC, TENANTS

    spec = consumer["work"] / "tenants.json"
    document = {**SPEC, "tags": {}, "tenants": TENANTS}
    spec.write_text(json.dumps(document), encoding="utf-8")
    here = _ses_resources(example_stack_template(sys.executable, consumer["work"], spec))
    there = _ses_resources(example_stack_template(consumer["python"], consumer["work"], spec))
    assert there == here
    tenants = [p for p in there.values() if "TenantName" in p]
    assert len(tenants) == len(TENANTS)
    assert any("ReputationEntity" in p for p in tenants)


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
