#!/usr/bin/env bash
# The full test suite: set up, then lint (ruff), type-check (mypy) and run pytest (unit,
# snapshot, cfn-lint, cdk-nag and real CDK CLI tests). Extra arguments go to pytest.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/setup.sh
. "$root/scripts/setup.sh"
cd "$root"
echo "== ruff"
ruff check .
ruff format --check .
echo "== mypy"
mypy
echo "== pytest"
pytest "$@"
