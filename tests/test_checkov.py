"""checkov over the synthesized templates (the example spec and a spec that spans several
stacks): every finding is fixed, or skipped in tools/checkov-skips.yaml with a written reason.

checkov is pinned in tools/checkov-requirements.txt and installed by scripts/setup.sh into an
environment of its own (.tools/checkov), apart from the product's dependencies.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from ses_events.stacks import build_app
from tests.conftest import ROOT, new_app
from tests.test_layout import _spec

pytestmark = pytest.mark.checkov

CHECKOV = ROOT / ".tools" / "checkov" / "bin" / "checkov"
SKIPS: dict[str, dict[str, str]] = yaml.safe_load(
    (ROOT / "tools" / "checkov-skips.yaml").read_text()
)


@pytest.fixture(scope="module")
def assemblies(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The example's assembly, and one of 80 sets over two stacks with encrypted topics."""
    work = tmp_path_factory.mktemp("checkov")
    example = new_app(outdir=str(work / "example"))
    build_app(example)
    example.synth()
    spec = _spec([f"tenant-{n:03d}" for n in range(80)], max_resources_per_stack=450)
    spec["monitoring"]["dashboards"] = "per_environment"
    spec_path = work / "tenants.yaml"
    spec_path.write_text(yaml.safe_dump(spec))
    tenants = new_app(
        outdir=str(work / "tenants"),
        **{"ses-events:spec": str(spec_path), "ses-events:new-layout": "true"},
    )
    assert len(build_app(tenants)) == 2
    tenants.synth()
    return [work / "example", work / "tenants"]


def _failed(outdir: Path) -> list[dict[str, Any]]:
    assert CHECKOV.is_file(), "checkov is missing: run scripts/setup.sh"
    result = subprocess.run(
        [
            str(CHECKOV),
            "--directory",
            str(outdir),
            "--framework",
            "cloudformation",
            "--output",
            "json",
            "--skip-download",  # offline: no guidelines from the vendor's API
            "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode in (0, 1), result.stderr[-2000:]
    reports = json.loads(result.stdout or "[]")
    if isinstance(reports, dict):
        reports = [reports]
    for report in reports:
        assert report.get("summary", {}).get("parsing_errors", 0) == 0
        assert report.get("summary", {}).get("passed", 0) > 0  # it did scan the templates
    return [check for report in reports for check in report["results"]["failed_checks"]]


def test_every_skip_carries_a_reason() -> None:
    assert SKIPS
    for check_id, entry in SKIPS.items():
        assert check_id.startswith("CKV_"), check_id
        assert len(entry.get("reason", "").split()) >= 10, check_id


def test_checkov_finds_nothing_but_the_skipped_checks_and_every_skip_still_matters(
    assemblies: list[Path],
) -> None:
    found: set[str] = set()
    for outdir in assemblies:
        failed = _failed(outdir)
        unexplained = [
            f"{c['check_id']} {c['check_name']} ({c['resource']})"
            for c in failed
            if c["check_id"] not in SKIPS
        ]
        assert unexplained == [], f"fix these or skip them with a reason: {unexplained}"
        found |= {c["check_id"] for c in failed}
    assert found == set(SKIPS), f"skips that no longer match anything: {set(SKIPS) - found}"
