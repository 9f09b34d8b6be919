"""``ses-events plan`` (issue 21, point 5): the SES calls a deploy makes, counted from the
templates, and the least time at SES's documented rates."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from aws_cdk import App

from ses_events.plan import DOCUMENTED_RATES, SesPlan, _duration, plan_templates, ses_calls
from ses_events.spec import EXAMPLE_SPEC, parse_spec
from ses_events.stacks import SesEventPublishingStack

ROOT = Path(__file__).parents[1]


def test_each_ses_resource_counts_its_calls() -> None:
    template = {
        "Resources": {
            "A": {"Type": "AWS::SES::ConfigurationSet", "Properties": {"Name": "a"}},
            "B": {"Type": "AWS::SES::ConfigurationSet"},
            "D1": {"Type": "AWS::SES::ConfigurationSetEventDestination"},
            "D2": {"Type": "AWS::SES::ConfigurationSetEventDestination"},
            "D3": {"Type": "AWS::SES::ConfigurationSetEventDestination"},
            "T": {
                "Type": "AWS::SES::Tenant",
                "Properties": {
                    "TenantName": "acme",
                    "ResourceAssociations": [{"ResourceArn": "x"}, {"ResourceArn": "y"}],
                    "ReputationEntity": {"Policy": {"ReputationEntityPolicy": "p"}},
                    "SuppressionAttributes": {"SuppressedReasons": ["BOUNCE"]},
                },
            },
            "U": {"Type": "AWS::SES::Tenant", "Properties": {"TenantName": "bare"}},
            "V": {
                "Type": "AWS::SES::Tenant",
                "Properties": {"TenantName": "kept", "SuppressionAttributes": {"x": 1}},
            },
            "Q": {"Type": "AWS::SNS::Topic"},
        }
    }
    assert ses_calls(template) == {
        "CreateConfigurationSet": 2,
        "CreateConfigurationSetEventDestination": 3,
        "CreateTenant": 3,
        "CreateTenantResourceAssociation": 2,
        "UpdateReputationEntityPolicy": 1,
        "PutTenantSuppressionAttributes": 2,
    }


def test_the_example_counts_what_its_spec_says() -> None:
    """Counted from the synthesized template, checked against the spec's own figures."""
    data = yaml.safe_load(EXAMPLE_SPEC.read_text())
    spec = parse_spec(data)
    stack = SesEventPublishingStack(App(), "SesEvents", spec=spec)
    template = App.of(stack).synth().get_stack_by_name("SesEvents").template  # type: ignore[union-attr]
    plan = plan_templates([("SesEvents", template)])
    assert plan.calls["CreateConfigurationSet"] == len(spec.configuration_sets)
    assert plan.calls["CreateConfigurationSetEventDestination"] == sum(
        len(cs.destinations) for cs in spec.configuration_sets
    )
    assert plan.calls["CreateTenant"] == len(spec.tenants)
    assert plan.calls["CreateTenantResourceAssociation"] == sum(
        t.association_count() for t in spec.tenants
    )
    assert plan.calls["UpdateReputationEntityPolicy"] == sum(
        1 for t in spec.tenants if t.reputation_policy
    )


def _plan(**calls: int) -> SesPlan:
    return SesPlan(calls, {"S": calls})


def test_the_least_time_is_the_slowest_limited_operation_and_serial_their_sum() -> None:
    plan = _plan(
        CreateConfigurationSet=1000,
        CreateConfigurationSetEventDestination=3000,
        CreateTenant=1000,  # no documented rate: counted, not timed
    )
    assert DOCUMENTED_RATES["CreateConfigurationSet"] == 1.0
    assert plan.least_seconds == 3000
    assert plan.serial_seconds == 4000
    report = plan.report()
    assert "SES calls a deploy from nothing makes: 5,000" in report
    assert "CreateTenant" in report and "rate not documented" in report
    assert "at least 50 min 00 s; one call after another 1 h 06 min" in report
    assert _plan().least_seconds == 0


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(0, "0 s"), (59, "59 s"), (60, "1 min 00 s"), (3599, "59 min 59 s"), (3600, "1 h 00 min")],
)
def test_durations(seconds: float, shown: str) -> None:
    assert _duration(seconds) == shown


def test_the_command_reads_a_cloud_assembly(tmp_path: Path) -> None:
    data = copy.deepcopy(yaml.safe_load(EXAMPLE_SPEC.read_text()))
    spec = parse_spec(data)
    app = App(outdir=str(tmp_path))
    SesEventPublishingStack(app, "SesEvents", spec=spec)
    app.synth()
    result = subprocess.run(
        [sys.executable, "-m", "ses_events", "plan", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    from ses_events.plan import plan_assembly

    plan = plan_assembly(tmp_path)  # what the command printed, read in this process
    assert list(plan.by_stack) == ["SesEvents"]
    assert plan.calls["CreateConfigurationSet"] == len(spec.configuration_sets)
    assert plan.report() == result.stdout.rstrip("\n")
    sets = len(spec.configuration_sets)
    assert f"  {'CreateConfigurationSet':<40} {sets:>8,}  (at 1/s: {sets} s)" in result.stdout
    assert "At SES's documented rates: at least" in result.stdout


def test_the_report_in_full() -> None:
    """Most calls first (ties by name), each timed at its rate or said to have none; the stacks
    listed when there are several."""
    plan = plan_templates(
        [
            (
                "Mail",
                {
                    "Resources": {
                        **{f"S{i}": {"Type": "AWS::SES::ConfigurationSet"} for i in range(90)},
                        **{
                            f"D{i}": {"Type": "AWS::SES::ConfigurationSetEventDestination"}
                            for i in range(150)
                        },
                    }
                },
            ),
            (
                "Mail-2",
                {
                    "Resources": {
                        "T": {"Type": "AWS::SES::Tenant"},
                        "S": {"Type": "AWS::SES::ConfigurationSet"},
                    }
                },
            ),
        ]
    )
    assert plan.by_stack == {
        "Mail": {"CreateConfigurationSet": 90, "CreateConfigurationSetEventDestination": 150},
        "Mail-2": {"CreateTenant": 1, "CreateConfigurationSet": 1},
    }
    assert plan.report().splitlines() == [
        "SES calls a deploy from nothing makes: 242",
        "  CreateConfigurationSetEventDestination        150  (at 1/s: 2 min 30 s)",
        "  CreateConfigurationSet                         91  (at 1/s: 1 min 31 s)",
        "  CreateTenant                                    1  (rate not documented)",
        "At SES's documented rates: at least 2 min 30 s; one call after another 4 min 01 s."
        " The rates are the account's in the Region: more stacks at once do not shorten it"
        " (README, 'Deploying thousands').",
        "By stack:",
        "  Mail: 240 calls",
        "  Mail-2: 2 calls",
    ]
    one = plan_templates([("Mail", {"Resources": {"S": {"Type": "AWS::SES::ConfigurationSet"}}})])
    assert "By stack:" not in one.report()  # one stack: nothing to break down


def test_operations_with_as_many_calls_are_listed_by_name() -> None:
    report = _plan(CreateTenant=5, CreateConfigurationSet=5).report().splitlines()
    assert [line.split()[0] for line in report[1:3]] == ["CreateConfigurationSet", "CreateTenant"]


def test_an_assembly_is_read_stack_by_stack_by_display_name(tmp_path: Path) -> None:
    """Only the stacks of the manifest count (a tree or an asset is no stack), named as the
    CDK CLI shows them; a manifest without artifacts plans nothing."""
    import json

    from ses_events.plan import plan_assembly

    one = {"Resources": {"S": {"Type": "AWS::SES::ConfigurationSet"}}}
    (tmp_path / "A.template.json").write_text(json.dumps(one))
    (tmp_path / "C.template.json").write_text(json.dumps({"Resources": {}}))
    manifest = {
        "artifacts": {
            "A": {
                "type": "aws:cloudformation:stack",
                "displayName": "Stage/A",
                "properties": {"templateFile": "A.template.json"},
            },
            "B-tree": {"type": "cdk:tree", "properties": {"file": "tree.json"}},
            "C": {
                "type": "aws:cloudformation:stack",
                "properties": {"templateFile": "C.template.json"},
            },
        }
    }
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    plan = plan_assembly(tmp_path)
    assert plan.by_stack == {"Stage/A": {"CreateConfigurationSet": 1}, "C": {}}
    assert plan.calls == {"CreateConfigurationSet": 1}
    (tmp_path / "manifest.json").write_text(json.dumps({"version": "1"}))
    assert plan_assembly(tmp_path).calls == {}


def test_the_time_is_the_calls_over_the_rate(monkeypatch: pytest.MonkeyPatch) -> None:
    import ses_events.plan as plan_module

    monkeypatch.setitem(plan_module.DOCUMENTED_RATES, "CreateConfigurationSet", 2.0)  # type: ignore[index]
    plan = _plan(CreateConfigurationSet=100)
    assert plan.least_seconds == 50
    assert "(at 2/s: 50 s)" in plan.report()
