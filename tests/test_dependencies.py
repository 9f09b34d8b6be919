"""Dependencies: the library declares ranges, the application installs exactly the lock.

A library that pins exactly cannot be installed beside another team's CDK app
(`pip install ses-events "aws-cdk-lib==<theirs>"` is ResolutionImpossible); an application
that installs ranges is not reproducible. pyproject.toml says what ses-events accepts,
requirements.lock (pip-compile, hashes) says what this repository runs.
"""

from __future__ import annotations

import re
import subprocess
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
# Extras the lock does not hold: the benchmark's comparison libraries.
NOT_LOCKED_EXTRAS = {"benchmark"}


def lock_pins() -> dict[str, Version]:
    pins: dict[str, Version] = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s\\]+)", line)
        if match:
            pins[canonicalize_name(match.group(1))] = Version(match.group(2))
    return pins


def test_the_library_declares_ranges_with_an_upper_bound() -> None:
    for text in PYPROJECT["dependencies"]:
        requirement = Requirement(text)
        operators = {spec.operator for spec in requirement.specifier}
        assert "==" not in operators, f"{text}: a library pins no exact version"
        assert ">=" in operators and "<" in operators, f"{text}: a range has both bounds"


def test_constructs_and_stacks_need_no_cdk_nag_nor_local_aws() -> None:
    names = {canonicalize_name(Requirement(text).name) for text in PYPROJECT["dependencies"]}
    assert "cdk-nag" not in names and "moto" not in names and "duckdb" not in names
    assert {"aws-cdk-lib", "constructs"} <= names


def test_the_lock_satisfies_every_requirement_of_pyproject() -> None:
    """A stale lock (pyproject changed, lock not regenerated) fails here."""
    pins = lock_pins()
    requirements = list(PYPROJECT["dependencies"])
    for extra, items in PYPROJECT["optional-dependencies"].items():
        if extra not in NOT_LOCKED_EXTRAS:
            requirements += items
    for text in requirements:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{text} is not in requirements.lock: regenerate it (README)"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"requirements.lock has {name}=={pins[name]}, outside {text}: regenerate it"
        )


def test_the_lock_has_hashes_for_every_package() -> None:
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    blocks = re.split(r"\n(?=[A-Za-z0-9_.\-]+==)", text)
    packages = [block for block in blocks if re.match(r"^[A-Za-z0-9_.\-]+==", block)]
    assert len(packages) == len(lock_pins()) > 50
    for block in packages:
        assert "--hash=sha256:" in block, block.splitlines()[0]


def test_this_environment_is_exactly_the_lock() -> None:
    """scripts/setup.sh installs requirements.lock with --require-hashes: every locked
    package is installed at its locked version (more may be installed by hand, never other
    versions)."""
    wrong = {}
    for name, version in lock_pins().items():
        try:
            installed = Version(metadata.version(name))
        except metadata.PackageNotFoundError:
            wrong[name] = f"missing, locked {version}"
            continue
        if installed != version:
            wrong[name] = f"{installed}, locked {version}"
    assert not wrong, wrong


def lowest_aws_cdk_lib() -> str:
    for text in PYPROJECT["dependencies"]:
        requirement = Requirement(text)
        if canonicalize_name(requirement.name) == "aws-cdk-lib":
            (lowest,) = [spec.version for spec in requirement.specifier if spec.operator == ">="]
            return lowest
    raise AssertionError("aws-cdk-lib is not a dependency")


def test_the_projects_node_is_the_recorded_runtime() -> None:
    """The runtime the `node` package's install script fetched (outside package-lock.json's
    integrity hashes) is the one tools/node-runtime.sha256 records for this platform, as
    scripts/setup.sh checks; and it is Node.js 22, not the end-of-life 20."""
    import hashlib
    import platform

    recorded = {}
    for line in (ROOT / "tools" / "node-runtime.sha256").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            digest, key = line.split()
            recorded[key] = digest
    key = f"{platform.system()}-{platform.machine()}"
    assert key in recorded, f"no checksum recorded for {key}"
    binary = ROOT / "node_modules" / "node" / "bin" / "node"
    digest = hashlib.sha256()
    with binary.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    assert digest.hexdigest() == recorded[key]
    version = subprocess.run(
        [str(binary), "--version"], check=True, capture_output=True, text=True
    ).stdout
    assert version.startswith("v22."), version


@pytest.mark.parametrize(("options", "stops"), [("set -euo pipefail", True), ("set +e", False)])
def test_sourcing_setup_keeps_the_callers_shell_options(options: str, stops: bool) -> None:
    """scripts/test.sh sources setup.sh under `set -e`: a failing ruff or mypy must still stop
    it. (Options saved through "$(set +o)" came back with errexit off: a command substitution
    runs without it.)"""
    result = subprocess.run(
        ["bash", "-c", f"{options}; . scripts/setup.sh > /dev/null; false; echo survived"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert ("survived" not in result.stdout) is stops
    assert (result.returncode != 0) is stops
