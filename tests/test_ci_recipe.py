"""The CI recipe (ses_events/examples/github-actions.yml): a valid workflow, checked by GitHub's
own parser, that does what the README promises, and whose synth step runs as written."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT

WORKFLOW = ROOT / "ses_events" / "examples" / "github-actions.yml"
NODE = ROOT / "node_modules" / "node" / "bin" / "node"


def _check(path: Path) -> dict[str, Any]:
    result = subprocess.run(
        [str(NODE), str(ROOT / "tools" / "check-workflow.mjs"), str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    found: dict[str, Any] = json.loads(result.stdout)
    return found


def _workflow() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(WORKFLOW.read_text())
    return loaded


def _runs(job: dict[str, Any]) -> str:
    return "\n".join(str(step.get("run", "")) for step in job["steps"])


def test_githubs_parser_accepts_the_workflow_and_finds_its_jobs() -> None:
    assert _check(WORKFLOW) == {"errors": [], "jobs": ["synth", "diff", "deploy"]}


def test_the_parser_does_refuse_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text().replace("runs-on: ubuntu-latest", "runs_on: x", 1))
    assert _check(broken)["errors"], "the checker must find the misspelt key"


def test_the_workflow_does_what_the_readme_says() -> None:
    jobs = _workflow()["jobs"]
    synth = _runs(jobs["synth"])
    # set up from the lock files, nothing resolved anew
    assert "pip install --require-hashes -r requirements.lock" in synth
    assert "npm ci" in synth
    # cdk synth (cdk-nag runs in app.py) with the layout frozen, then proof it did not change
    assert "cdk synth" in synth and "ses-events:layout=frozen" in synth
    assert "git diff --exit-code -- '*.layout.json'" in synth
    upload = next(s for s in jobs["synth"]["steps"] if "upload-artifact" in str(s.get("uses")))
    assert upload["with"]["path"] == "cdk.out"
    # the review step: cdk diff of that assembly on pull requests
    assert jobs["diff"]["needs"] == "synth"
    assert "cdk diff --app cdk.out" in _runs(jobs["diff"])
    # deploy: main only, after synth, behind an environment, the same assembly, diff first
    deploy = jobs["deploy"]
    assert deploy["needs"] == "synth" and deploy["environment"] == "production"
    assert "refs/heads/main" in deploy["if"]
    commands = _runs(deploy)
    assert commands.index("cdk diff --app cdk.out") < commands.index("cdk deploy --app cdk.out")
    # Node 22 everywhere (Node 20 is end-of-life for jsii), no long-lived keys
    for job in jobs.values():
        node = [s for s in job["steps"] if "setup-node" in str(s.get("uses"))]
        assert node and node[0]["with"]["node-version"] == "22"
    assert "aws-access-key-id" not in WORKFLOW.read_text()


@pytest.mark.cli
def test_the_synth_step_runs_as_written(tmp_path: Path) -> None:
    """The workflow's own synth command and layout check, in a repository with the example
    spec and its layout: synth succeeds and the layout file is unchanged."""
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy(ROOT / "ses_events" / "examples" / "ses-events.yaml", repo / "ses-events.yaml")
    env = {
        **os.environ,
        "SPEC": str(repo / "ses-events.yaml"),
        "PATH": f"{ROOT / 'node_modules' / '.bin'}:{ROOT / '.venv' / 'bin'}:{os.environ['PATH']}",
        "CDK_DISABLE_CLI_TELEMETRY": "true",
        "SES_EVENTS_QUIET": "1",
    }
    steps = {s.get("name"): s.get("run", "") for s in _workflow()["jobs"]["synth"]["steps"]}
    synth = steps["Synthesize (cdk-nag runs inside; the layout may not change)"]
    command = synth.replace("--quiet", f"--quiet -o {tmp_path / 'cdk.out'}")
    result = subprocess.run(
        ["bash", "-c", command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / "cdk.out" / "SesEvents.template.json").is_file()
    # the layout check, in a git repository holding the spec
    for args in (
        ["init", "-q"],
        ["add", "."],
        ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "spec"],
    ):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)
    check = steps["The layout file is unchanged"]
    assert subprocess.run(["bash", "-c", check], cwd=repo).returncode == 0
    (repo / "ses-events.layout.json").write_text("{}\n")
    subprocess.run(["git", "add", "."], cwd=repo, check=True)
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "layout"],
        cwd=repo,
        check=True,
        capture_output=True,
    )
    (repo / "ses-events.layout.json").write_text('{"marketing": 2}\n')
    assert subprocess.run(["bash", "-c", check], cwd=repo, capture_output=True).returncode == 1
