"""The library installs with pip and works outside this checkout, as another team would use it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

USE_FROM_ANOTHER_APP = """
import pathlib, sys
import ses_events
from aws_cdk import App, Stack
from aws_cdk.assertions import Template
from ses_events.constructs import CloudWatchEventDestination, EventPublishingConfigurationSet
from ses_events.stacks import EXAMPLE_SPEC

here = pathlib.Path(ses_events.__file__).parent
assert str(here).startswith(sys.argv[1]), here            # the installed copy, not the checkout
assert (here / "py.typed").is_file()
assert EXAMPLE_SPEC.is_file()
# the schema the example's yaml-language-server line names ships beside it
assert (EXAMPLE_SPEC.parent / "ses-events.schema.json").is_file()
# the CI recipe the README points at ships too
assert "cdk diff --app cdk.out" in (EXAMPLE_SPEC.parent / "github-actions.yml").read_text()
assert len(list((here / "analytics" / "queries").glob("*.sql"))) == 8  # the named queries
stack = Stack(App(), "TheirStack")
cs = EventPublishingConfigurationSet(stack, "Theirs", configuration_set_name="theirs")
CloudWatchEventDestination(stack, "Metrics", configuration_set=cs)
Template.from_stack(stack).resource_count_is("AWS::SES::ConfigurationSetEventDestination", 1)
print("ok")
"""


def test_pip_install_ships_the_package_its_types_and_the_example_spec(tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    # Run from elsewhere, the installed copy first on the path; dependencies from this venv.
    result = subprocess.run(
        [sys.executable, "-c", USE_FROM_ANOTHER_APP, str(target)],
        cwd=tmp_path,
        env=dict(os.environ, PYTHONPATH=str(target)),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
    # the command is installed with the package
    script = target / "bin" / "ses-events"
    assert script.is_file()
    shown = subprocess.run(
        [sys.executable, str(script), "send-test", "--help"],
        cwd=tmp_path,
        env=dict(os.environ, PYTHONPATH=str(target)),
        capture_output=True,
        text=True,
        check=False,
    )
    assert shown.returncode == 0, shown.stderr
    assert "--configuration-set" in shown.stdout and "mailbox simulator" in shown.stdout
