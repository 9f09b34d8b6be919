"""Moving a configuration set to another stack on purpose, as the README says, deployed with the
real CDK CLI to the local AWS: remove it and deploy, then place it and deploy."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
import yaml

from ses_events.cli import main as cli
from ses_events.local_aws import LocalAws
from ses_events.local_aws.deploy import deploy
from ses_events.stacks.layout_file import read_layout
from tests.conftest import ROOT

pytestmark = pytest.mark.local_aws

NAMES = [f"t-{n:02d}" for n in range(12)]


@pytest.fixture(scope="module")
def aws() -> Iterator[LocalAws]:
    with LocalAws(region="eu-north-1") as local:  # a Region of its own: moto state is per process
        yield local


def _write(path: Path, names: list[str]) -> None:
    path.write_text(
        yaml.safe_dump(
            {
                "stack_name": "Tenants",
                "monitoring": {"enabled": False},
                # each set and its one destination: 2 resources, so 10 sets fill a stack
                "layout": {"max_resources_per_stack": 20},
                "configuration_sets": [
                    {"name": n, "destinations": [{"name": "metrics", "type": "cloudwatch"}]}
                    for n in names
                ],
            }
        )
    )


def _stack_of(aws: LocalAws, name: str) -> str | None:
    cloudformation = boto3.client("cloudformation", **aws.client_arguments())
    for stack in ("Tenants", "Tenants-2"):
        for resource in cloudformation.describe_stack_resources(StackName=stack)["StackResources"]:
            if (
                resource.get("ResourceType") == "AWS::SES::ConfigurationSet"
                and resource.get("PhysicalResourceId") == name
            ):
                return stack
    return None


def _sets(aws: LocalAws) -> set[str]:
    sesv2 = boto3.client("sesv2", **aws.client_arguments())
    return set(sesv2.list_configuration_sets()["ConfigurationSets"])


def test_a_set_moves_to_another_stack_in_two_deployments(aws: LocalAws, tmp_path: Path) -> None:
    spec = tmp_path / "tenants.yaml"
    layout = tmp_path / "tenants.layout.json"
    context: dict[str, Any] = {"ses-events:spec": str(spec)}
    out = tmp_path / "cdk.out"

    _write(spec, NAMES)
    deploy(aws, cwd=ROOT, output=out, context={**context, "ses-events:new-layout": "true"})
    record = read_layout(layout) or {}
    assert {n: s for n, s in record.items() if s == 2} == {"t-10": 2, "t-11": 2}
    assert _sets(aws) == set(NAMES)
    assert _stack_of(aws, "t-10") == "Tenants-2"

    # step 1: t-10 leaves the spec (and t-00 with it, to make room in the first stack); deploy
    _write(spec, [n for n in NAMES if n not in ("t-00", "t-10")])
    deploy(aws, cwd=ROOT, output=out, context=context)
    assert "t-10" not in _sets(aws) and "t-10" not in (read_layout(layout) or {})

    # a one-step move of a recorded set is refused by the tool
    _write(spec, [n for n in NAMES if n != "t-00"])
    assert cli(["layout", "--spec", str(spec), "--place", "t-11=1"]) == 1

    # step 2: t-10 comes back, placed in the first stack; deploy
    assert cli(["layout", "--spec", str(spec), "--place", "t-10=1"]) == 0
    deploy(aws, cwd=ROOT, output=out, context={**context, "ses-events:layout": "frozen"})
    assert _stack_of(aws, "t-10") == "Tenants"
    assert _stack_of(aws, "t-11") == "Tenants-2"  # nothing else moved
    assert _sets(aws) == set(NAMES) - {"t-00"}
